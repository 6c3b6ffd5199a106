"""Rule KL209 on models built in Python (its fixtures: tests/fixtures/rules/KL209/)."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import (
    Builder,
    lines,
    run,
)


def test_kl209_single_host_of_three() -> None:
    builder = Builder().brokers(3).producer({"bootstrap.servers": "10.0.0.1:9092"})
    findings = run("KL209", builder)
    assert lines(findings) == [builder.line("app", "bootstrap.servers")]


@pytest.mark.parametrize(
    ("builder", "servers"),
    [
        (Builder().brokers(3), "10.0.0.1:9092,10.0.0.2:9092"),
        (Builder().brokers(1), "10.0.0.1:9092"),
        (Builder(complete=False).brokers(1), "10.0.0.1:9092"),
        (Builder().brokers(3), ["kafka1:9092", "kafka2:9092"]),
    ],
)
def test_kl209_quiet(builder: Builder, servers: Any) -> None:
    assert run("KL209", builder.producer({"bootstrap.servers": servers})) == []


def test_kl209_three_loose_brokers_of_one_cluster_are_enough() -> None:
    """Loose files of one cluster: the count is at least the brokers given."""
    builder = Builder(complete=False).brokers(3).producer({"bootstrap.servers": "10.0.0.1:9092"})
    (finding,) = run("KL209", builder)
    assert "a cluster of at least 3 brokers" in finding.message
