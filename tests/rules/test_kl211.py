"""Rule KL211 on models built in Python (its fixtures: tests/fixtures/rules/KL211/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    lines,
    producer_findings,
)


@pytest.mark.parametrize(
    ("values", "version", "key"),
    [
        ({"acks": "1"}, "3.9.1", "acks"),
        ({"enable.idempotence": False}, "3.9.1", "enable.idempotence"),
        ({"max.in.flight.requests.per.connection": 6}, "3.9.1", "max.in.flight.requests.per.connection"),
        ({"retries": 3, "acks": "1"}, "4.0.0", "acks"),
        ({}, "3.0.0", ""),  # old producers left idempotence off by default
    ],
)
def test_kl211_reordering(values: Mapping[str, Any], version: str, key: str) -> None:
    findings, builder = producer_findings("KL211", values, version)
    assert lines(findings) == [builder.line("app", key)]


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"acks": "all"},
        {"acks": "0"},
        {"acks": "1", "max.in.flight.requests.per.connection": 1},
        {"enable.idempotence": False, "retries": 0},
    ],
)
def test_kl211_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL211", values)[0] == []
