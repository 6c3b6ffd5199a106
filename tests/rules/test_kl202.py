"""Rule KL202 on models built in Python (its fixtures: tests/fixtures/rules/KL202/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    KAFKA_TEXTS,
    lines,
    producer_findings,
)


def test_kl202_points_at_acks_and_quotes_kafka() -> None:
    findings, builder = producer_findings("KL202", {"enable.idempotence": "true", "acks": "1"})
    assert lines(findings) == [builder.line("app", "acks")]
    assert KAFKA_TEXTS["KL202"] in findings[0].message


@pytest.mark.parametrize(
    "values",
    [
        {"enable.idempotence": "true", "acks": "all"},
        {"enable.idempotence": "true", "acks": "-1"},
        {"enable.idempotence": "true", "acks": -1},
        {"acks": "1"},  # the default idempotence is turned off silently
        {"enable.idempotence": "false", "acks": "1"},
    ],
)
def test_kl202_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL202", values)[0] == []
