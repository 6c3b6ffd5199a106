"""Rule KL104 on models built in Python (its fixtures: tests/fixtures/rules/KL104/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)


def test_kl104_boundary_and_kafka_text() -> None:
    cluster = inventory(
        brokers=2,
        common={"default.replication.factor": 2},
        topics=[{"name": "ok", "replication_factor": 2}, {"name": "big", "replication_factor": 3}],
    )
    findings = run("KL104", cluster)
    assert where(findings) == [topic_location(cluster, "big", "replication_factor")]
    assert '"Replication factor: 3 larger than available brokers: 2."' in findings[0].message


def test_kl104_default_rf_and_inheriting_topics_once() -> None:
    cluster = inventory(brokers=1, common={"default.replication.factor": 3}, topics=[{"name": "a"}, {"name": "b"}])
    findings = run("KL104", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic a and topic b" in findings[0].message


def test_kl104_needs_a_complete_broker_list() -> None:
    cluster = inventory(brokers=1, complete=False, topics=[{"name": "a", "replication_factor": 3}])
    assert run("KL104", cluster) == []
