"""Rule KL107 on models built in Python (its fixtures: tests/fixtures/rules/KL107/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)

from kafkalint.findings import Severity


def test_kl107_severity_depends_on_defaults() -> None:
    weak = run("KL107", inventory(common={"auto.create.topics.enable": True, "default.replication.factor": 3}))
    assert [f.severity for f in weak] == [Severity.ERROR]  # num.partitions defaults to 1
    assert where(weak) == [f"{GROUP_VARS}:10"]
    strong = run(
        "KL107",
        inventory(common={"auto.create.topics.enable": "true", "default.replication.factor": 3, "num.partitions": 6}),
    )
    assert [f.severity for f in strong] == [None]


def test_kl107_unset_is_kafka_default_true() -> None:
    findings = run("KL107", inventory())
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "unset (Kafka's default: true)" in findings[0].message
    assert run("KL107", inventory(common={"auto.create.topics.enable": False})) == []
