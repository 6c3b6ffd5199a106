"""Rule KL602 on models built in Python (its fixtures: tests/fixtures/rules/KL602/)."""

from __future__ import annotations

from rulekit import Builder, run

from kafkalint.findings import Severity


def test_kl602_plain_is_an_error_scram_a_warning() -> None:
    builder = Builder().broker_config(
        "kafka1", {"listeners": "SASL_PLAINTEXT://:9092", "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256"}
    )
    assert [finding.severity for finding in run("KL602", builder)] == [None, Severity.WARNING]


def test_kl602_per_listener_mechanisms_and_loopback() -> None:
    builder = Builder().broker_config(
        "kafka1",
        {
            "listeners": "SASL_PLAINTEXT://:9092,SASL_SSL://:9093",
            "sasl.enabled.mechanisms": "PLAIN",
            "listener.name.sasl_plaintext.sasl.enabled.mechanisms": "GSSAPI",
        },
    )
    assert run("KL602", builder) == []
    local = Builder().broker_config(
        "kafka1", {"listeners": "SASL_PLAINTEXT://127.0.0.1:9092", "sasl.enabled.mechanisms": "PLAIN"}
    )
    assert run("KL602", local) == []


def test_kl602_clients() -> None:
    plain = Builder().producer(
        {"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "bootstrap.servers": "b1:9092"}
    )
    assert [finding.severity for finding in run("KL602", plain)] == [None]
    local = Builder().producer(
        {"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN", "bootstrap.servers": "localhost:9092"}
    )
    assert run("KL602", local) == []
    tls = Builder().producer(
        {"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "bootstrap.servers": "b1:9093"}
    )
    assert run("KL602", tls) == []
