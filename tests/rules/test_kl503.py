"""Rule KL503 on models built in Python (its fixtures: tests/fixtures/rules/KL503/)."""

from __future__ import annotations

from rulekit import Builder, kafka_quote, run

from kafkalint.findings import Severity

KRAFT = {"node.id": 4, "controller.quorum.voters": "1@c1:9093", "controller.listener.names": "C"}


def test_kl503_zookeeper_keys_on_kraft_nodes_outside_a_migration() -> None:
    builder = Builder().kraft("b4", "broker", {**KRAFT, "zookeeper.connect": "zk1:2181"})
    findings = run("KL503", builder)
    assert findings[0].message.startswith("KRaft node b4 sets zookeeper.connect")
    assert findings[0].location.line == builder.line("b4", "zookeeper.connect")


def test_kl503_leaves_migrations_and_their_leftovers_to_kl506() -> None:
    migrating = Builder("3.9.1")
    migrating.kraft(
        "c1", "controller", {**KRAFT, "zookeeper.connect": "zk1:2181", "zookeeper.metadata.migration.enable": True}
    )
    migrating.kraft("b4", "broker", {**KRAFT, "zookeeper.connect": "zk1:2181"})
    assert run("KL503", migrating) == []
    finalised = Builder().kraft(
        "c1", "controller", {**KRAFT, "zookeeper.connect": "zk1:2181", "zookeeper.metadata.migration.enable": False}
    )
    assert run("KL503", finalised) == []
    assert len(run("KL506", finalised)) == 1


def test_kl503_zookeeper_keys_on_4x_are_kl003s() -> None:
    assert run("KL503", Builder("4.0.2").kraft("b4", "broker", {**KRAFT, "zookeeper.connect": "zk1:2181"})) == []


def test_kl503_kraft_before_3_3() -> None:
    assert [f.severity for f in run("KL503", Builder("2.7.0").kraft("n", "broker,controller", KRAFT))] == [None]
    assert [f.severity for f in run("KL503", Builder("3.2.3").kraft("n", "broker,controller", KRAFT))] == [None]
    loose = Builder("2.8.2", complete=False, production=None).kraft("n", "broker,controller", KRAFT)
    assert [finding.severity for finding in run("KL503", loose)] == [Severity.WARNING]
    assert run("KL503", Builder("3.3.2").kraft("n", "broker,controller", KRAFT)) == []


def test_kl503_no_process_roles_on_4x() -> None:
    builder = Builder("4.0.2").broker("kafka1", broker_id=1)
    assert (
        kafka_quote(run("KL503", builder)[0])
        == 'Missing required configuration "process.roles" which has no default value.'
    )
    assert run("KL503", Builder("3.9.1").broker("kafka1", broker_id=1)) == []


def test_kl503_kraft_protocol_version_before_3_0() -> None:
    old = {**KRAFT, "inter.broker.protocol.version": "2.8-IV1"}
    findings = run("KL503", Builder("3.9.1").kraft("b4", "broker", old))
    assert kafka_quote(findings[0]) == (
        "A non-KRaft version 2.8-IV1 given for inter.broker.protocol.version. The minimum version is 3.0-IV1"
    )
    assert run("KL503", Builder("3.9.1").kraft("b4", "broker", {**KRAFT, "inter.broker.protocol.version": "3.0"})) == []
