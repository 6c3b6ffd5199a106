"""Rule KL404 on models built in Python (its fixtures: tests/fixtures/rules/KL404/)."""

from __future__ import annotations

import pytest
from rulekit import (
    Builder,
    lines,
    producer_findings,
    run,
)


def test_kl404_topic_none() -> None:
    builder = Builder().topic("t", {"compression.type": "none"})
    findings = run("KL404", builder)
    assert lines(findings) == [builder.line("t", "compression.type")]
    assert findings[0].message.endswith("; set compression.type=uncompressed")
    assert (
        "Invalid value none for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
        "snappy, gzip, producer" in findings[0].message
    )


def test_kl404_producer_uncompressed() -> None:
    findings, builder = producer_findings("KL404", {"compression.type": "uncompressed"})
    assert lines(findings) == [builder.line("app", "compression.type")]
    assert findings[0].message.endswith("; set compression.type=none")
    assert "String must be one of: none, gzip, snappy, lz4, zstd" in findings[0].message


def test_kl404_broker_case_matters() -> None:
    findings = run("KL404", Builder().brokers(3, {"compression.type": "GZIP"}))
    assert lines(findings) == [500]
    assert findings[0].message.endswith("; set compression.type=gzip")


@pytest.mark.parametrize(
    ("kind", "value"),
    [("producer", "none"), ("producer", "zstd"), ("topic", "uncompressed"), ("topic", "producer"), ("broker", "lz4")],
)
def test_kl404_quiet(kind: str, value: str) -> None:
    builder = Builder()
    if kind == "producer":
        builder.producer({"compression.type": value})
    elif kind == "topic":
        builder.topic("t", {"compression.type": value})
    else:
        builder.broker("kafka1", compression_type=value)
    assert run("KL404", builder) == []
