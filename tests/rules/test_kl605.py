"""Rule KL605 on models built in Python (its fixtures: tests/fixtures/rules/KL605/)."""

from __future__ import annotations

from rulekit import Builder, run

ACL = "kafka.security.authorizer.AclAuthorizer"


def test_kl605_no_super_users() -> None:
    builder = Builder().broker_config(
        "kafka1",
        {"authorizer.class.name": ACL, "listeners": "SASL_SSL://:9093", "security.inter.broker.protocol": "SASL_SSL"},
    )
    assert "super.users is empty" in run("KL605", builder)[0].message


def test_kl605_anonymous_inter_broker_principal() -> None:
    plaintext = Builder().broker_config("kafka1", {"authorizer.class.name": ACL, "super.users": "User:admin"})
    assert "as User:ANONYMOUS, which super.users does not list" in run("KL605", plaintext)[0].message
    listed = Builder().broker_config(
        "kafka1", {"authorizer.class.name": ACL, "super.users": "User:admin; User:ANONYMOUS"}
    )
    assert run("KL605", listed) == []


def test_kl605_unknown_principals_and_no_authorizer() -> None:
    sasl = {
        "authorizer.class.name": ACL,
        "super.users": "User:kafka",
        "listeners": "SASL_SSL://:9093",
        "security.inter.broker.protocol": "SASL_SSL",
    }
    assert run("KL605", Builder().broker_config("kafka1", sasl)) == []
    assert run("KL605", Builder().broker_config("kafka1", {})) == []


def test_kl605_kraft_controller_listener() -> None:
    values = {
        "node.id": 1,
        "listeners": "CONTROLLER://:9093",
        "controller.listener.names": "CONTROLLER",
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": "User:admin",
    }
    assert "unauthenticated on CONTROLLER" in run("KL605", Builder().kraft("c1", "controller", values))[0].message


def test_kl605_sasl_login_principal() -> None:
    values = {
        "authorizer.class.name": ACL,
        "listeners": "SASL_SSL://:9093",
        "security.inter.broker.protocol": "SASL_SSL",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": (
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-broker" password="x";'
        ),
    }
    missing = run("KL605", Builder().broker_config("kafka1", {**values, "super.users": "User:admin"}))
    assert missing[0].message.startswith("kafka1 logs in to its peers on SASL_SSL as User:kafka-broker")
    assert "password" not in missing[0].message
    listed = {**values, "super.users": "User:admin;User:kafka-broker"}
    assert run("KL605", Builder().broker_config("kafka1", listed)) == []
