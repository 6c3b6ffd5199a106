"""Rule KL214 on models built in Python (its fixtures: tests/fixtures/rules/KL214/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    Builder,
    lines,
    rule,
    run,
)

from kafkalint.findings import Severity


def test_kl214_kafka_defaults_meet_the_condition() -> None:
    builder = Builder().brokers(3).producer({})
    findings = run("KL214", builder)
    assert lines(findings) == [builder.line("app")]
    assert rule("KL214").SEVERITY is Severity.INFO


@pytest.mark.parametrize(
    ("builder", "values"),
    [
        (Builder().brokers(3), {"request.timeout.ms": 30001}),
        (Builder().brokers(3), {"acks": "1"}),
        (Builder().brokers(3, {"replica.lag.time.max.ms": 10000}), {}),
        (Builder(), {}),  # no brokers to compare with
    ],
)
def test_kl214_quiet(builder: Builder, values: Mapping[str, Any]) -> None:
    assert run("KL214", builder.producer(values)) == []


def test_kl214_largest_lag_counts() -> None:
    builder = Builder().brokers(2).broker("kafka3", replica_lag_time_max_ms=60000)
    builder.producer({"request.timeout.ms": 45000})
    findings = run("KL214", builder)
    assert lines(findings) == [builder.line("app", "request.timeout.ms")]
    assert "above 60000" in findings[0].message
