"""Rule KL203 on models built in Python (its fixtures: tests/fixtures/rules/KL203/)."""

from __future__ import annotations

from rulekit import (
    KAFKA_TEXTS,
    lines,
    producer_findings,
)


def test_kl203_explicit_only() -> None:
    findings, builder = producer_findings("KL203", {"enable.idempotence": True, "retries": 0})
    assert lines(findings) == [builder.line("app", "retries")]
    assert KAFKA_TEXTS["KL203"] in findings[0].message
    assert producer_findings("KL203", {"retries": 0})[0] == []
