"""Rule KL210 on models built in Python (its fixtures: tests/fixtures/rules/KL210/)."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import (
    Builder,
    lines,
    run,
)


@pytest.mark.parametrize(
    "servers",
    [
        "10.0.0.1:9092,10.0.0.2:9092,10.0.0.3:9092",
        "kafka1:9092,KAFKA2:9092",  # inventory names on a listener bound to every interface
        ["10.0.0.3:9092"],
    ],
)
def test_kl210_known_addresses(servers: Any) -> None:
    assert run("KL210", Builder().brokers(3).producer({"bootstrap.servers": servers})) == []


@pytest.mark.parametrize(
    ("servers", "unknown"),
    [
        ("10.0.0.1:9093,10.0.0.2:9092", "10.0.0.1:9093"),
        ("kafka4:9092", "kafka4:9092"),
        ("kafka1", "kafka1 (no port"),
    ],
)
def test_kl210_unknown_addresses(servers: str, unknown: str) -> None:
    builder = Builder().brokers(3).producer({"bootstrap.servers": servers})
    findings = run("KL210", builder)
    assert lines(findings) == [builder.line("app", "bootstrap.servers")]
    assert unknown in findings[0].message


def test_kl210_specific_binds_and_controllers() -> None:
    builder = Builder().broker_config(
        "kafka1",
        {
            "process.roles": "broker,controller",
            "listeners": "PLAINTEXT://10.0.0.1:9092,CONTROLLER://0.0.0.0:9093",
            "controller.listener.names": "CONTROLLER",
        },
    )
    builder.broker_config("ctl1", {"process.roles": "controller", "listeners": "CONTROLLER://10.0.0.9:9093"})
    builder.producer({"bootstrap.servers": "10.0.0.1:9092"}, name="good")
    builder.producer({"bootstrap.servers": "kafka1:9092,10.0.0.1:9093,10.0.0.9:9093"}, name="bad")
    findings = run("KL210", builder)
    assert [finding.subject for finding in findings] == ["profile bad"]
    assert "kafka1:9092, 10.0.0.1:9093, 10.0.0.9:9093" in findings[0].message


def test_kl210_only_complete_clusters() -> None:
    builder = Builder(complete=False).brokers(3).producer({"bootstrap.servers": "elsewhere:9092"})
    assert run("KL210", builder) == []


@pytest.mark.parametrize("servers", ["${BOOTSTRAP_SERVERS}", "{{ kafka_bootstrap }}", "<broker-host>:9092"])
def test_kl210_a_placeholder_is_kl005s_not_an_unknown_address(servers: str) -> None:
    """The issue's miss: a placeholder in bootstrap.servers is reported (KL005), and neither
    KL209 nor KL210 judges a value nobody can know."""
    builder = Builder().brokers(3).producer({"bootstrap.servers": servers})
    assert run("KL210", builder) == []
    assert run("KL209", builder) == []
    (finding,) = run("KL005", builder)
    assert finding.location.line == builder.line("app", "bootstrap.servers")
    assert "placeholder" in finding.message
