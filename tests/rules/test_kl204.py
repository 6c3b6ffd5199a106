"""Rule KL204 on models built in Python (its fixtures: tests/fixtures/rules/KL204/)."""

from __future__ import annotations

from rulekit import (
    KAFKA_TEXTS,
    lines,
    producer_findings,
)


def test_kl204_explicit_in_3x() -> None:
    findings, builder = producer_findings(
        "KL204", {"enable.idempotence": True, "max.in.flight.requests.per.connection": 6}
    )
    assert lines(findings) == [builder.line("app", "max.in.flight.requests.per.connection")]
    assert KAFKA_TEXTS["KL204"] in findings[0].message
    assert producer_findings("KL204", {"max.in.flight.requests.per.connection": 6})[0] == []
    assert producer_findings("KL204", {"enable.idempotence": True, "max.in.flight.requests.per.connection": 5})[0] == []


def test_kl204_default_idempotence_in_4x() -> None:
    findings, _ = producer_findings("KL204", {"max.in.flight.requests.per.connection": "6"}, "4.0.0")
    assert len(findings) == 1
    assert (
        "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. "
        "Current value is 6." in findings[0].message
    )
    quiet = {"max.in.flight.requests.per.connection": 6, "enable.idempotence": False}
    assert producer_findings("KL204", quiet, "4.0.0")[0] == []
