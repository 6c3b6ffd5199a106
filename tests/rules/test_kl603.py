"""Rule KL603 on models built in Python (its fixtures: tests/fixtures/rules/KL603/)."""

from __future__ import annotations

from rulekit import Builder, run


def test_kl603_authentication_without_authorizer() -> None:
    assert len(run("KL603", Builder().broker_config("kafka1", {"listeners": "SASL_SSL://:9093"}))) == 1
    mtls = {"listeners": "SSL://:9093", "ssl.client.auth": "required"}
    assert len(run("KL603", Builder().broker_config("kafka1", mtls))) == 1


def test_kl603_no_authentication_or_an_authorizer() -> None:
    assert run("KL603", Builder().broker_config("kafka1", {"listeners": "PLAINTEXT://:9092"})) == []
    with_authorizer = {
        "listeners": "SASL_SSL://:9093",
        "authorizer.class.name": "kafka.security.authorizer.AclAuthorizer",
    }
    assert run("KL603", Builder().broker_config("kafka1", with_authorizer)) == []


def test_kl603_shared_line_is_one_finding() -> None:
    builder = Builder()
    for name in ("kafka1", "kafka2"):
        builder.broker_config(name, {"listeners": "SASL_SSL://:9093"}, {"listeners": 300})
    findings = run("KL603", builder)
    assert [finding.subject for finding in findings] == ["node kafka1", "node kafka2"]  # no authorizer line to share
