"""Rule KL109 on models built in Python (its fixtures: tests/fixtures/rules/KL109/)."""

from __future__ import annotations

from rulekit import (
    inventory,
    run,
    topic_location,
    where,
)


def test_kl109_partial_racks_reported_at_each_bare_broker() -> None:
    cluster = inventory(brokers=[{"broker.rack": "a"}, {}, {}])
    findings = run("KL109", cluster)
    assert where(findings) == [str(cluster.brokers[1].location), str(cluster.brokers[2].location)]
    assert "Not all brokers have rack information for replica rack aware assignment." in findings[0].message


def test_kl109_fewer_racks_than_rf() -> None:
    cluster = inventory(
        brokers=[{"broker.rack": "a"}, {"broker.rack": "a"}, {"broker.rack": "b"}],
        common={"default.replication.factor": 2},
        topics=[{"name": "orders", "replication_factor": 3}, {"name": "logs"}],
    )
    findings = run("KL109", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "replication_factor")]
    assert "2 racks (a, b)" in findings[0].message


def test_kl109_no_racks_is_not_rack_aware() -> None:
    assert run("KL109", inventory(common={"default.replication.factor": 3})) == []
