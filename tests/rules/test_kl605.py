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
