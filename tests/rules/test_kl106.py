"""Rule KL106 on models built in Python (its fixtures: tests/fixtures/rules/KL106/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)


def test_kl106_broker_setting_with_min_isr_two() -> None:
    cluster = inventory(
        common={"unclean.leader.election.enable": True, "min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 3}],
    )
    findings = run("KL106", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic orders (min.insync.replicas=2)" in findings[0].message


def test_kl106_topic_override_with_acks_all_producer() -> None:
    cluster = inventory(
        topics=[
            {"name": "orders", "replication_factor": 3, "config": {"unclean.leader.election.enable": "true"}},
            {"name": "logs", "replication_factor": 3, "config": {"unclean.leader.election.enable": "true"}},
        ],
        producers=[{"name": "svc", "topics": ["orders"]}, {"name": "fast", "topics": ["logs"], "config": {"acks": 1}}],
    )
    findings = run("KL106", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "unclean.leader.election.enable")]
    assert "acks=all from svc" in findings[0].message


def test_kl106_silent_when_nothing_durable_is_asked() -> None:
    cluster = inventory(common={"unclean.leader.election.enable": True})
    assert run("KL106", cluster) == []


def test_kl106_single_replica_has_nobody_to_elect() -> None:
    cluster = inventory(
        common={"unclean.leader.election.enable": True, "default.replication.factor": 1},
        topics=[{"name": "scratch", "replication_factor": 1, "config": {"min.insync.replicas": 2}}],
        producers=[{"name": "svc", "topics": ["scratch", "other"]}],
    )
    assert run("KL106", cluster) == []
