"""Rule KL506 on models built in Python (its fixtures: tests/fixtures/rules/KL506/). Its Kafka
texts are checked against KafkaConfig of 3.4 to 3.9 in tests/catalogue/test_kafkaconfig_jvm.py."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import Builder, kafka_quote, run

from kafkalint.findings import Severity

MIGRATING = {
    "broker.id": 1,
    "zookeeper.connect": "zk1:2181",
    "zookeeper.metadata.migration.enable": True,
    "controller.quorum.voters": "3000@c1:9093",
    "controller.listener.names": "CONTROLLER",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
}


def broker_quotes(values: dict[str, Any], version: str = "3.9.1") -> list[str]:
    config = {key: value for key, value in {**MIGRATING, **values}.items() if value is not None}
    return [kafka_quote(finding) for finding in run("KL506", Builder(version).broker_config("kafka1", config))]


def test_kl506_a_migrating_broker_as_kafka_wants_it() -> None:
    assert broker_quotes({}) == []


@pytest.mark.parametrize(
    ("version", "values", "text"),
    [
        ("3.9.1", {"inter.broker.protocol.version": "3.3-IV3"}, "Cannot enable ZooKeeper migration without setting"),
        (
            "3.9.1",
            {"controller.listener.names": None},
            "controller.listener.names must not be empty when running in ZooKeeper migration mode: []",
        ),
        (
            "3.8.1",
            {"controller.quorum.voters": None},
            "If using zookeeper.metadata.migration.enable, controller.quorum.voters must",
        ),
        ("3.9.1", {"controller.quorum.voters": None}, "If using zookeeper.metadata.migration.enable, either"),
        ("3.9.1", {"broker.id": None}, "broker.id generation is incompatible with ZooKeeper migration."),
        (
            "3.4.1",
            {"authorizer.class.name": "kafka.security.authorizer.AclAuthorizer"},
            "ZooKeeper migration does not yet support authorizers.",
        ),
    ],
)
def test_kl506_kafka_refuses(version: str, values: dict[str, Any], text: str) -> None:
    found = broker_quotes(values, version)
    assert len(found) == 1 and found[0].startswith(text), found


@pytest.mark.parametrize(
    ("version", "values"),
    [
        ("3.8.1", {"broker.id": None}),
        ("3.5.2", {"authorizer.class.name": "kafka.security.authorizer.AclAuthorizer"}),
        ("3.9.1", {"controller.quorum.voters": None, "controller.quorum.bootstrap.servers": "c1:9093"}),
    ],
)
def test_kl506_what_kafka_accepts(version: str, values: dict[str, Any]) -> None:
    assert broker_quotes(values, version) == []


def test_kl506_migration_flag_outside_3_4_to_3_9_is_other_rules() -> None:
    assert broker_quotes({"inter.broker.protocol.version": "3.0"}, "3.3.2") == []  # unknown key there: KL002


def test_kl506_controller_without_zookeeper_connect_and_id_collisions() -> None:
    for complete, severity in ((True, None), (False, Severity.WARNING)):
        builder = Builder(complete=complete).broker_config("kafka1", MIGRATING)
        builder.kraft(
            "c1",
            "controller",
            {"node.id": 1, "controller.quorum.voters": "1@c1:9093", "zookeeper.metadata.migration.enable": True},
        )
        findings = run("KL506", builder)
        texts = [finding.message for finding in findings]
        assert any("If using `zookeeper.metadata.migration.enable` in KRaft mode" in text for text in texts)
        collision = [finding for finding in findings if "the broker.id of broker kafka1" in finding.message]
        assert [finding.severity for finding in collision] == [severity]


def test_kl506_acl_authorizer_on_kraft_and_leftovers_after_finalisation() -> None:
    builder = Builder()
    builder.kraft("b4", "broker", {"node.id": 4, "authorizer.class.name": "kafka.security.authorizer.AclAuthorizer"})
    builder.kraft(
        "c1",
        "controller",
        {"node.id": 1, "zookeeper.metadata.migration.enable": False, "zookeeper.connect": "zk1:2181"},
    )
    texts = [finding.message for finding in run("KL506", builder)]
    assert texts[0].startswith("KRaft node b4 uses kafka.security.authorizer.AclAuthorizer")
    assert texts[1].startswith("zookeeper.connect left on KRaft node c1 after the migration")
    assert (
        "AclAuthorizer"
        in run(
            "KL506",
            Builder("4.1.2").kraft(
                "b4", "broker", {"authorizer.class.name": "kafka.security.authorizer.AclAuthorizer"}
            ),
        )[0].message
    )
