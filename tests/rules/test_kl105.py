"""Rule KL105 on models built in Python (its fixtures: tests/fixtures/rules/KL105/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)


def test_kl105_production_only_option() -> None:
    spec = {"brokers": 3, "topics": [{"name": "a", "replication_factor": 1}], "production": False}
    cluster = inventory(common={"default.replication.factor": 3}, **spec)
    assert run("KL105", cluster) == []
    findings = run("KL105", cluster, options={"production_only": False})
    assert where(findings) == [topic_location(cluster, "a", "replication_factor")]
    assert "set it to 3" in findings[0].message


def test_kl105_kafka_default_rf_one_and_single_broker() -> None:
    cluster = inventory(brokers=2)
    findings = run("KL105", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "set it to 2" in findings[0].message
    assert run("KL105", inventory(brokers=1)) == []
