"""Rule KL108 on models built in Python (its fixtures: tests/fixtures/rules/KL108/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)


def test_kl108_kafka_defaults_on_one_broker() -> None:
    findings = run("KL108", inventory(brokers=1))
    # offsets and transaction state, where they should be added; transaction.state.log.min.isr 2 < 3 is fine
    assert where(findings) == [f"{GROUP_VARS}:2"] * 2
    assert {"offsets.topic.replication.factor=3", "transaction.state.log.replication.factor=3"} == {
        f.message.split(" ")[0] for f in findings
    }


def test_kl108_rf_one_with_several_brokers_and_min_isr() -> None:
    cluster = inventory(
        common={
            "offsets.topic.replication.factor": 1,
            "transaction.state.log.replication.factor": 3,
            "transaction.state.log.min.isr": 3,
        }
    )
    findings = run("KL108", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10", f"{GROUP_VARS}:12"]
    assert "set transaction.state.log.min.isr to 2" in findings[1].message


def test_kl108_min_isr_one_with_rf_one_is_fine() -> None:
    cluster = inventory(
        brokers=1,
        common={
            "offsets.topic.replication.factor": 1,
            "transaction.state.log.replication.factor": 1,
            "transaction.state.log.min.isr": 1,
        },
    )
    assert run("KL108", cluster) == []
