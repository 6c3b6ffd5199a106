"""Rule KL212 on models built in Python (its fixtures: tests/fixtures/rules/KL212/)."""

from __future__ import annotations

from rulekit import (
    Builder,
    run,
)


def test_kl212_topic_and_broker_min_isr() -> None:
    builder = Builder().brokers(3, {"min.insync.replicas": 2})
    builder.topic("orders").topic("logs", {"min.insync.replicas": 1})
    builder.producer({"acks": "1"}, ["orders", "logs", "undeclared"], name="one")
    builder.producer({"acks": "all"}, ["orders"], name="all")
    builder.producer({"acks": "0"}, ["logs"], name="zero")
    findings = run("KL212", builder)
    assert [(finding.subject, finding.location.line) for finding in findings] == [
        ("profile one", builder.line("one", "acks"))
    ]
    assert "orders (min.insync.replicas=2)" in findings[0].message
    assert "logs" not in findings[0].message


def test_kl212_without_brokers_reads_the_topic() -> None:
    builder = Builder().topic("orders", {"min.insync.replicas": "2"}).producer({"acks": 0}, ["orders"])
    assert len(run("KL212", builder)) == 1
