"""Rule KL208 on models built in Python (its fixtures: tests/fixtures/rules/KL208/)."""

from __future__ import annotations

from rulekit import (
    Builder,
    lines,
    run,
)


def test_kl208_above_broker_default() -> None:
    builder = Builder().brokers(3).topic("orders").producer({"max.request.size": 2097152}, ["orders"])
    findings = run("KL208", builder)
    assert lines(findings) == [builder.line("app", "max.request.size")]
    assert "at most 1048588" in findings[0].message


def test_kl208_topic_override_wins_and_smallest_broker_counts() -> None:
    builder = Builder().brokers(2).broker("kafka3", message_max_bytes=524288)
    builder.topic("big", {"max.message.bytes": 4194304}).topic("plain")
    builder.producer({"max.request.size": 2097152}, ["big"], name="big-writer")
    builder.producer({}, ["plain"], name="plain-writer")
    findings = run("KL208", builder)
    assert [(finding.subject, finding.location.line) for finding in findings] == [
        ("profile plain-writer", builder.line("plain-writer"))
    ]
    assert "524288" in findings[0].message


def test_kl208_needs_something_to_compare_with() -> None:
    assert run("KL208", Builder(complete=False).producer({"max.request.size": 10485760})) == []
    builder = Builder().brokers(1).producer({"max.request.size": 1048588})
    assert run("KL208", builder) == []
