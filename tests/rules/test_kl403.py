"""Rule KL403 on models built in Python (its fixtures: tests/fixtures/rules/KL403/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    Builder,
    lines,
    run,
)


def test_kl403_topic_retention_below_default_segment() -> None:
    builder = Builder().topic("t", {"retention.ms": 3600000}).topic("plain")
    findings = run("KL403", builder)
    assert lines(findings) == [builder.line("t", "retention.ms")]


@pytest.mark.parametrize(
    "values",
    [
        {"retention.ms": 3600000, "segment.ms": 600000},
        {"retention.ms": 3600000, "segment.ms": 3600000},
        {"retention.ms": 3600000, "cleanup.policy": "compact"},
        {"retention.ms": -1},
    ],
)
def test_kl403_quiet(values: Mapping[str, Any]) -> None:
    assert run("KL403", Builder().topic("t", values)) == []


def test_kl403_compact_delete_counts() -> None:
    builder = Builder().topic("t", {"retention.ms": 1000, "cleanup.policy": "compact,delete"})
    assert len(run("KL403", builder)) == 1


def test_kl403_broker_defaults_judged_once_on_the_brokers() -> None:
    builder = Builder().brokers(3, {"log.retention.minutes": 60}).topic("plain")
    findings = run("KL403", builder)
    assert lines(findings) == [500]
    assert "log.retention.minutes=60" in findings[0].message
    rolled = Builder().brokers(3, {"log.retention.minutes": 60, "log.roll.ms": 3600000})
    assert run("KL403", rolled) == []


def test_kl403_negative_broker_retention_is_unlimited() -> None:
    assert run("KL403", Builder().brokers(1, {"log.retention.hours": -5})) == []
