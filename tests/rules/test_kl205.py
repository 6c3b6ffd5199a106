"""Rule KL205 on models built in Python (its fixtures: tests/fixtures/rules/KL205/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    KAFKA_TEXTS,
    lines,
    producer_findings,
)


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"transactional.id": "tx", "enable.idempotence": "false"}, "enable.idempotence"),
        ({"transactional.id": "tx", "acks": "1"}, "acks"),
        ({"transactional.id": "tx", "retries": "0"}, "retries"),
        (
            {"transactional.id": "tx", "max.in.flight.requests.per.connection": 10},
            "max.in.flight.requests.per.connection",
        ),
    ],
)
def test_kl205_points_at_what_turns_idempotence_off(values: Mapping[str, Any], key: str) -> None:
    findings, builder = producer_findings("KL205", values)
    assert lines(findings) == [builder.line("app", key)]
    assert KAFKA_TEXTS["KL205"] in findings[0].message


@pytest.mark.parametrize(
    ("values", "version"),
    [
        ({"transactional.id": "tx"}, "3.9.1"),
        ({"transactional.id": "tx", "acks": "1", "enable.idempotence": "true"}, "3.9.1"),  # KL202 instead
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "4.0.0"),  # KL204 instead
        ({"acks": "1"}, "3.9.1"),
    ],
)
def test_kl205_quiet(values: Mapping[str, Any], version: str) -> None:
    assert producer_findings("KL205", values, version)[0] == []
