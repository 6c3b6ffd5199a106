"""Rule KL103 on models built in Python (its fixtures: tests/fixtures/rules/KL103/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)


def test_kl103_default_acks_all_from_3_0() -> None:
    spec = {
        "common": {"min.insync.replicas": 1, "default.replication.factor": 3},
        "topics": [{"name": "orders", "replication_factor": 3}],
        "producers": [{"name": "svc", "topics": ["orders"]}],
    }
    findings = run("KL103", inventory(**spec))
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "acks=all by svc" in findings[0].message
    assert run("KL103", inventory(version="2.8.2", **spec)) == []


def test_kl103_explicit_acks_minus_one_and_undeclared_topic() -> None:
    cluster = inventory(
        common={"default.replication.factor": 3},
        producers=[{"name": "svc", "topics": ["clicks"], "config": {"acks": "-1"}}],
    )
    findings = run("KL103", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]  # unset: where min.insync.replicas is added
    assert "topic clicks" in findings[0].message


def test_kl103_silent_for_acks_1_and_rf_1() -> None:
    cluster = inventory(
        topics=[{"name": "a", "replication_factor": 3}, {"name": "b", "replication_factor": 1}],
        producers=[
            {"name": "one", "topics": ["a"], "config": {"acks": 1}},
            {"name": "all", "topics": ["b"], "config": {"acks": "all"}},
        ],
    )
    assert run("KL103", cluster) == []


def test_kl103_rf_two_suggests_rf_three() -> None:
    cluster = inventory(
        topics=[{"name": "a", "replication_factor": 2, "config": {"min.insync.replicas": 1}}],
        producers=[{"name": "svc", "topics": ["a"]}],
    )
    findings = run("KL103", cluster)
    assert where(findings) == [topic_location(cluster, "a", "min.insync.replicas")]
    assert "use replication factor 3 with min.insync.replicas 2" in findings[0].message
