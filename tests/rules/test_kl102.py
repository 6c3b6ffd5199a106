"""Rule KL102 on models built in Python (its fixtures: tests/fixtures/rules/KL102/)."""

from __future__ import annotations

import pytest
from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)


@pytest.mark.parametrize(
    ("version", "fragment"),
    [("3.6.2", "every acks=all write fails"), ("3.7.0", "silently caps it to 2"), ("3.9.1", "silently caps it to 2")],
)
def test_kl102_is_version_aware(version: str, fragment: str) -> None:
    cluster = inventory(
        version=version, topics=[{"name": "orders", "replication_factor": 2, "config": {"min.insync.replicas": 3}}]
    )
    findings = run("KL102", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "min.insync.replicas")]
    assert fragment in findings[0].message
    assert "set min.insync.replicas to 1" in findings[0].message
    assert run("KL101", cluster) == []


def test_kl102_rf_one_capped_has_no_effect() -> None:
    cluster = inventory(topics=[{"name": "t", "replication_factor": 1, "config": {"min.insync.replicas": 2}}])
    assert "has no effect" in run("KL102", cluster)[0].message


def test_kl102_shared_line_lists_each_factor() -> None:
    cluster = inventory(
        common={"min.insync.replicas": 4, "default.replication.factor": 3},
        topics=[{"name": "a", "replication_factor": 2}, {"name": "b"}],
    )
    findings = run("KL102", cluster)
    # a's own factor with the brokers' min ISR, b and the defaults at the shared line
    assert sorted(where(findings)) == sorted([f"{GROUP_VARS}:10", topic_location(cluster, "a", "replication_factor")])
