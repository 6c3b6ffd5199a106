"""Rule KL303 on models built in Python (its fixtures: tests/fixtures/rules/KL303/)."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import (
    broker_location,
    inventory,
    run,
    where,
)


def test_kl303_duplicate_id_reported_at_the_second_broker() -> None:
    cluster = inventory(derived=False, brokers=[{"broker.id": 1}, {"broker.id": "1"}, {"broker.id": 2}])
    findings = run("KL303", cluster)
    assert where(findings) == [broker_location(cluster, "broker.id", 1)]
    assert "already the id of broker kafka1" in findings[0].message


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        (
            {"broker.id": -2},
            "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
        ),
        (
            {"broker.id": 1001},
            "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
        ),
        ({"broker.id": -1, "broker.id.generation.enable": False}, "broker.id must be greater than or equal to 0"),
        ({"broker.id": 1, "node.id": 2}, "You must set `node.id` to the same value as `broker.id`."),
        ({"process.roles": "broker"}, "Missing configuration `node.id` which is required when `process.roles`"),
    ],
)
def test_kl303_kafka_validation(settings: dict[str, Any], text: str) -> None:
    findings = run("KL303", inventory(derived=False, brokers=[settings]))
    assert len(findings) == 1
    assert text in findings[0].message


@pytest.mark.parametrize(
    "settings",
    [
        {"broker.id": -1},
        {"broker.id": 1000},
        {"broker.id": 2000, "reserved.broker.max.id": 5000},
        {"broker.id": 0, "broker.id.generation.enable": "false"},
        {"node.id": 7, "process.roles": "broker,controller"},
        {},
    ],
)
def test_kl303_accepted_ids(settings: dict[str, Any]) -> None:
    assert run("KL303", inventory(derived=False, brokers=[settings])) == []


def test_kl303_generated_ids_are_not_duplicates() -> None:
    assert run("KL303", inventory(derived=False, brokers=[{"broker.id": -1}, {"broker.id": -1}])) == []
