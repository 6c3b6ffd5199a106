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


def test_kl303_leaves_kraft_node_ids_to_kl502() -> None:
    """A KRaft node without node.id, or two KRaft nodes with one id: KL502's, reported once."""
    kraft = {"process.roles": "broker", "controller.quorum.voters": "9@c9:9093", "controller.listener.names": "C"}
    missing = inventory(derived=False, brokers=[kraft])
    assert run("KL303", missing) == []
    assert "Missing configuration `node.id`" in run("KL502", missing)[0].message
    shared = inventory(derived=False, brokers=[{**kraft, "node.id": 1}, {**kraft, "node.id": 1}])
    assert run("KL303", shared) == []
    assert [finding.message.split(":")[0] for finding in run("KL502", shared)] == [
        "kafka2 has node.id 1, already the id of kafka1"
    ]


def test_kl303_mismatch_text_changed_in_4_4() -> None:
    settings = {"broker.id": 1, "node.id": 2, "process.roles": "broker"}
    old = run("KL303", inventory(derived=False, brokers=[settings], version="4.3.1"))
    new = run("KL303", inventory(derived=False, brokers=[settings], version="4.4.0"))
    assert "You must set `node.id` to the same value as `broker.id`." in old[0].message
    assert "`broker.id` is deprecated, please use `node.id` instead." in new[0].message
