"""Rule KL504 on models built in Python (its fixtures: tests/fixtures/rules/KL504/). Its Kafka
texts are checked against KafkaConfig of every release in tests/catalogue/test_kafkaconfig_jvm.py."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import Builder, kafka_quote, run

BASE = {"node.id": 4, "controller.quorum.voters": "1@c1:9093"}


def quotes(roles: str, values: dict[str, Any], version: str = "3.9.1") -> list[str]:
    return [kafka_quote(finding) for finding in run("KL504", Builder(version).kraft("n", roles, {**BASE, **values}))]


@pytest.mark.parametrize(
    ("version", "text"),
    [
        (
            "3.9.1",
            "controller.listener.names must contain at least one value when running KRaft with just the broker role",
        ),
        ("4.2.2", 'Missing required configuration "controller.listener.names" which has no default value.'),
    ],
)
def test_kl504_broker_without_controller_names(version: str, text: str) -> None:
    assert quotes("broker", {"listeners": "PLAINTEXT://:9092"}, version) == [text]


def test_kl504_broker_listening_on_the_controller_listener() -> None:
    found = quotes(
        "broker", {"listeners": "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names": "CONTROLLER"}
    )
    assert found == [
        "controller.listener.names must not contain a value appearing in the 'listeners' configuration when running "
        "KRaft with just the broker role"
    ]


def test_kl504_broker_controller_listener_needs_a_protocol() -> None:
    explicit = {
        "listeners": "SSL://:9093",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "SSL:SSL",
    }
    assert quotes("broker", explicit)[0].startswith("Controller listener with name CONTROLLER defined in")
    # unset map, nothing secure: Kafka maps it to PLAINTEXT
    assert quotes("broker", {"listeners": "PLAINTEXT://:9092", "controller.listener.names": "CONTROLLER"}) == []
    # a lower-case name is mapped as written and looked up upper-cased: not found
    assert quotes("broker", {"listeners": "PLAINTEXT://:9092", "controller.listener.names": "controller"})[
        0
    ].startswith("Controller listener with name CONTROLLER")


def test_kl504_controller_only_listeners_and_advertised() -> None:
    values = {"listeners": "CONTROLLER://:9093,PLAINTEXT://:9092", "controller.listener.names": "CONTROLLER"}
    assert quotes("controller", values) == [
        "The listeners config must only contain KRaft controller listeners from controller.listener.names when "
        "process.roles=controller"
    ]
    advertised = {
        "listeners": "CONTROLLER://:9093",
        "controller.listener.names": "CONTROLLER",
        "advertised.listeners": "CONTROLLER://c1:9093",
    }
    assert quotes("controller", advertised, "3.8.1") == [
        "The advertised.listeners config must be empty when process.roles=controller"
    ]
    assert quotes("controller", advertised, "3.9.1") == []  # KIP-853: controllers advertise


def test_kl504_controller_names_must_be_listened_on() -> None:
    found = quotes("broker,controller", {"listeners": "PLAINTEXT://:9092", "controller.listener.names": "CONTROLLER"})
    assert any("must contain at least one value appearing in the 'listeners'" in text for text in found)
    two = quotes("controller", {"listeners": "CONTROLLER://:9093", "controller.listener.names": "CONTROLLER,CTRL2"})
    assert two == [
        "controller.listener.names must only contain values appearing in the 'listeners' configuration when running "
        "the KRaft controller role"
    ]


def test_kl504_zookeeper_broker_with_controller_names_outside_a_migration() -> None:
    builder = Builder("3.9.1").broker("kafka1", broker_id=1, controller_listener_names="CONTROLLER")
    assert kafka_quote(run("KL504", builder)[0]) == (
        "controller.listener.names must be empty when not running in KRaft mode: [CONTROLLER]"
    )
    migrating = Builder("3.9.1").broker(
        "kafka1", broker_id=1, controller_listener_names="CONTROLLER", zookeeper_metadata_migration_enable=True
    )
    assert run("KL504", migrating) == []
