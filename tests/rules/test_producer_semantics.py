"""What the Java producer makes of a config (idempotence, acks), as KL202-KL206 and KL211 replay it."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    KAFKA_TEXTS,
    Builder,
    kafka_quote,
    rule,
)

from kafkalint.rules import _producer


@pytest.mark.parametrize(("rule_id", "text"), KAFKA_TEXTS.items())
def test_docs_quote_kafka_exactly(rule_id: str, text: str) -> None:
    """The catalogue's quotes of Kafka's exceptions appear word for word (line breaks aside)."""
    doc = " ".join((rule(rule_id).__doc__ or "").split())
    assert text in doc


def semantics(values: Mapping[str, Any], version: str = "3.9.1") -> _producer.Semantics:
    builder = Builder(version).producer(values)
    return _producer.semantics(builder.cluster.producers[0].config)


@pytest.mark.parametrize(
    ("values", "version", "idempotent", "rejected"),
    [
        ({}, "3.9.1", True, []),
        ({"acks": "1"}, "3.9.1", False, []),
        ({"acks": -1}, "3.9.1", True, []),
        ({"acks": "all", "enable.idempotence": "true"}, "3.9.1", True, []),
        ({"acks": "1", "enable.idempotence": True}, "3.9.1", True, ["KL202"]),
        ({"retries": 0}, "3.9.1", False, []),
        ({"retries": "0", "enable.idempotence": "true"}, "3.9.1", True, ["KL203"]),
        ({"max.in.flight.requests.per.connection": 6}, "3.9.1", False, []),
        ({"max.in.flight.requests.per.connection": 6}, "4.0.0", True, ["KL204"]),
        # 4.0 checks in-flight inside the same block: acks=1 does not save the default.
        ({"max.in.flight.requests.per.connection": 6, "acks": "1"}, "4.0.0", False, ["KL204"]),
        ({"max.in.flight.requests.per.connection": 6, "enable.idempotence": False}, "4.0.0", False, []),
        ({"transactional.id": "tx", "acks": "1"}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "enable.idempotence": "false"}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "acks": "1", "enable.idempotence": True}, "3.9.1", True, ["KL202"]),
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "4.0.0", True, ["KL204"]),
        ({"enable.idempotence": True, "retries": 0, "acks": "0"}, "3.9.1", True, ["KL203", "KL202"]),
        # Before 3.0.1 idempotence needed enable.idempotence=true or a transactional.id.
        ({}, "3.0.0", False, []),
        ({"acks": "1", "transactional.id": "tx"}, "3.0.0", True, ["KL202"]),
        ({"transactional.id": "tx"}, "3.1.0", True, []),
        ({"transactional.id": "tx", "enable.idempotence": False}, "3.0.0", False, ["KL205"]),
        ({"transactional.id": "tx", "retries": 0}, "3.0.0", True, ["KL203"]),
        ({"enable.idempotence": True, "max.in.flight.requests.per.connection": 6}, "3.0.0", True, ["KL204"]),
        ({"acks": "1"}, "3.0.1", False, []),
        ({"acks": "1", "transactional.id": "tx"}, "3.1.1", False, ["KL205"]),
    ],
)
def test_idempotence_like_the_java_producer(
    values: Mapping[str, Any], version: str, idempotent: bool, rejected: list[str]
) -> None:
    state = semantics(values, version)
    assert state.idempotent is idempotent
    assert [rejection.rule_id for rejection in state.rejections] == rejected


def test_unparsable_values_make_no_conflict() -> None:
    state = semantics({"enable.idempotence": "yes", "acks": "1"})
    assert state.idempotent is None
    assert state.rejections == ()
    assert semantics({"acks": "ALL"}).acks is None


def test_legacy_idempotence_forces_acks_all() -> None:
    assert semantics({"transactional.id": "tx"}, "3.0.0").acks == -1
    assert semantics({"acks": "1"}, "3.0.0").acks == 1


PRODUCER_CODES = {
    "R": "Must set retries to non-zero when using the idempotent producer.",
    "A": KAFKA_TEXTS["KL202"],
    "F": KAFKA_TEXTS["KL204"],
    "G": (
        "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. "
        "Current value is 6."
    ),
    "T": KAFKA_TEXTS["KL205"],
    "D": KAFKA_TEXTS["KL206"],
}


PRODUCER_ANSWERS = {
    "3": (
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.T.T.T.T.T.T.T.T.T.TAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.T.T.T.T.T.T.T.T.T.TAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        "..................DD.DD.......DD.DD..........DD........................."
    ),
    "4": (
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.TGG.T.T.TGG.T.T.TGGAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.TGG.T.T.TGG.T.T.TGGAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        "............DD....DD.DD.DD....DD.DD..........DD........................."
    ),
}


def producer_cases() -> list[dict[str, str]]:
    """432 producer configs: every mix of the idempotence keys, then of the timeouts."""
    cases = []
    idempotence = {
        "acks": (None, "all", "-1", "0", "1"),
        "enable.idempotence": (None, "true", "false"),
        "retries": (None, "0", "3"),
        "max.in.flight.requests.per.connection": (None, "1", "5", "6"),
        "transactional.id": (None, "tx-1"),
    }
    timeouts = {
        "delivery.timeout.ms": (None, "30000", "30004", "30005", "30010", "120000"),
        "linger.ms": (None, "0", "5", "10"),
        "request.timeout.ms": (None, "30000", "20000"),
    }
    for family in (idempotence, timeouts):
        for values in itertools.product(*family.values()):
            cases.append({key: value for key, value in zip(family, values, strict=True) if value is not None})
    return cases


@pytest.mark.parametrize(("table", "version"), [("3", "3.6.2"), ("3", "3.9.1"), ("4", "4.0.2"), ("4", "4.2.1")])
def test_producer_rules_agree_with_kafka_clients(table: str, version: str) -> None:
    """KL202-KL206 refuse exactly what KafkaProducer refuses, and quote its first error."""
    cases = producer_cases()
    answers = PRODUCER_ANSWERS[table]
    assert len(cases) == len(answers)
    disagreements = []
    for case, answer in zip(cases, answers, strict=True):
        builder = Builder(version).producer(case)
        quotes = [
            kafka_quote(finding)
            for rule_id in ("KL203", "KL202", "KL204", "KL205", "KL206")  # the client's order of checks
            for finding in rule(rule_id).check(builder.model(), {})
        ]
        expected = PRODUCER_CODES.get(answer)
        if (expected is None and quotes) or (expected is not None and quotes[:1] != [expected]):
            disagreements.append((case, answer, quotes))
    assert disagreements == []
