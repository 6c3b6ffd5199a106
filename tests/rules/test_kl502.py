"""Rule KL502 on models built in Python (its fixtures: tests/fixtures/rules/KL502/). Its Kafka
texts are checked against KafkaConfig of every release in tests/catalogue/test_kafkaconfig_jvm.py."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import Builder, kafka_quote, run

from kafkalint import listeners
from kafkalint.findings import Severity

VOTERS = "1@c1:9093,2@c2:9093,3@c3:9093"
CONTROLLER = {"controller.quorum.voters": VOTERS, "listeners": "CONTROLLER://:9093", "controller.listener.names": "C"}


def node(roles: str, values: dict[str, Any], version: str = "3.9.1", *, complete: bool = True) -> Builder:
    return Builder(version, complete=complete).kraft("n1", roles, values)


@pytest.mark.parametrize(
    ("version", "values", "text"),
    [
        ("3.9.1", {}, "Missing configuration `node.id` which is required when `process.roles` is defined"),
        ("3.9.1", {"node.id": -3}, "Missing configuration `node.id` which is required"),
        ("4.0.2", {}, 'Missing required configuration "node.id" which has no default value.'),
        ("4.0.2", {"broker.id": -5}, "Invalid value -5 for configuration node.id: Value must be at least 0"),
    ],
)
def test_kl502_missing_node_id(version: str, values: dict[str, Any], text: str) -> None:
    findings = run("KL502", node("controller", {**CONTROLLER, **values}, version))
    assert len(findings) == 1
    assert text in kafka_quote(findings[0])


def test_kl502_negative_node_id_on_4x_is_kl001s() -> None:
    assert run("KL502", node("controller", {**CONTROLLER, "node.id": -5}, "4.0.2")) == []


def test_kl502_broker_id_stands_for_node_id() -> None:
    assert run("KL502", node("controller", {**CONTROLLER, "broker.id": 1})) == []
    assert run("KL502", node("controller", {**CONTROLLER, "broker.id": 1}, "4.4.0")) == []


@pytest.mark.parametrize(
    ("version", "values", "text"),
    [
        ("3.8.1", {}, "If using process.roles, controller.quorum.voters must contain a parseable set of voters."),
        ("3.8.1", {"controller.quorum.bootstrap.servers": "c1:9093"}, "controller.quorum.voters must contain"),
        ("3.9.1", {}, "If using process.roles, either controller.quorum.bootstrap.servers must contain"),
    ],
)
def test_kl502_no_quorum(version: str, values: dict[str, Any], text: str) -> None:
    config = {"node.id": 1, "listeners": "CONTROLLER://:9093", "controller.listener.names": "C", **values}
    findings = run("KL502", node("controller", config, version))
    assert len(findings) == 1
    assert text in kafka_quote(findings[0])


def test_kl502_bootstrap_servers_are_a_quorum_from_3_9() -> None:
    config = {"node.id": 1, "controller.quorum.bootstrap.servers": "c1:9093", "controller.listener.names": "C"}
    assert run("KL502", node("controller", config)) == []


def test_kl502_controller_must_be_a_voter_broker_must_not() -> None:
    findings = run("KL502", node("broker,controller", {**CONTROLLER, "node.id": 7}))
    assert kafka_quote(findings[0]) == (
        "If process.roles contains the 'controller' role, the node id 7 must be included in the set of voters "
        "controller.quorum.voters=Set(1, 2, 3)"
    )
    findings = run("KL502", node("broker", {**CONTROLLER, "node.id": 2}))
    assert kafka_quote(findings[0]).startswith(
        "If process.roles contains just the 'broker' role, the node id 2 must not"
    )


def test_kl502_voter_sets_print_as_kafka_prints_them() -> None:
    """Checked in the JVM against Kafka's own message: a Java hash set turned into a Scala set."""
    parse = listeners.parse_voters
    assert listeners.voter_set(parse("3@a:1,1@b:1,2@c:1")) == "Set(1, 2, 3)"
    assert listeners.voter_set(parse("16@a:1,1@b:1,32@c:1,4@d:1")) == "Set(16, 32, 1, 4)"
    assert listeners.voter_set(parse("5@a:1,3@b:1,4@c:1,1@d:1,2@e:1")) == "HashSet(5, 1, 2, 3, 4)"


def test_kl502_duplicates_and_differing_voters_are_errors_in_inventories_warnings_for_loose_files() -> None:
    for complete, severity in ((True, None), (False, Severity.WARNING)):
        builder = Builder(complete=complete)
        builder.kraft("c1", "controller", {**CONTROLLER, "node.id": 1})
        builder.kraft("c2", "controller", {**CONTROLLER, "node.id": 2})
        builder.kraft("c3", "controller", {**CONTROLLER, "node.id": 3})
        builder.kraft("b1", "broker", {**CONTROLLER, "node.id": 3, "controller.quorum.voters": "1@c1:9093"})
        findings = run("KL502", builder)
        cross = [finding for finding in findings if "Kafka:" not in finding.message]
        assert [finding.message.split(":")[0] for finding in cross] == [
            "b1 has node.id 3, already the id of c3",
            "controller.quorum.voters differs from the one of c1 (1@c1",
        ]
        assert {finding.severity for finding in cross} == {severity}


def test_kl502_silent_before_kraft_is_production_ready() -> None:
    assert run("KL502", node("controller", {"listeners": "CONTROLLER://:9093"}, "3.2.3")) == []
