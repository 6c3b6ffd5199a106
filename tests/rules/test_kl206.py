"""Rule KL206 on models built in Python (its fixtures: tests/fixtures/rules/KL206/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    INT_MAX,
    KAFKA_TEXTS,
    lines,
    producer_findings,
)


def test_kl206_version_defaults() -> None:
    values = {"delivery.timeout.ms": 30000}
    assert producer_findings("KL206", values, "3.9.1")[0] == []  # 0 + 30000
    findings, builder = producer_findings("KL206", values, "4.0.0")  # 5 + 30000
    assert lines(findings) == [builder.line("app", "delivery.timeout.ms")]
    assert "at least 30005" in findings[0].message
    assert KAFKA_TEXTS["KL206"] in findings[0].message


@pytest.mark.parametrize(
    ("values", "count"),
    [
        ({"delivery.timeout.ms": 30010, "linger.ms": 10}, 0),
        ({"delivery.timeout.ms": 30009, "linger.ms": 10}, 1),
        ({"delivery.timeout.ms": 1000, "request.timeout.ms": 999, "linger.ms": 1}, 0),
        ({"linger.ms": 100000}, 0),  # Kafka raises the default delivery.timeout.ms itself
        ({"delivery.timeout.ms": INT_MAX, "linger.ms": 2**40, "request.timeout.ms": 30000}, 0),
        ({"delivery.timeout.ms": "abc"}, 0),
    ],
)
def test_kl206_edges(values: Mapping[str, Any], count: int) -> None:
    assert len(producer_findings("KL206", values)[0]) == count
