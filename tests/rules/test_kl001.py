"""Rule KL001 on models built in Python (its fixtures: tests/fixtures/rules/KL001/; the schema
pass behind it: tests/loaders/test_schema_pass.py)."""

from __future__ import annotations

from rulekit import Builder, lines, run


def test_kl001_names_kafkas_range_and_the_change() -> None:
    builder = Builder().broker("kafka1", min_insync_replicas=0).producer({"acks": "two", "linger.ms": "1.5"})
    found = {finding.location.line: finding for finding in run("KL001", builder)}
    wanted = [
        builder.line("kafka1", "min.insync.replicas"),
        builder.line("app", "acks"),
        builder.line("app", "linger.ms"),
    ]
    assert sorted(found) == sorted(wanted)
    broker = found[builder.line("kafka1", "min.insync.replicas")]
    assert broker.message.startswith("invalid value 0 for min.insync.replicas: the value must be at least 1: Kafka")
    assert broker.message.endswith("; write a value Kafka accepts")
    assert broker.subject == "broker kafka1"
    assert found[builder.line("app", "acks")].message.endswith("; write a value Kafka accepts")  # no close choice


def test_kl001_quiet_on_values_kafka_parses() -> None:
    builder = Builder().broker("kafka1", min_insync_replicas=" 2 ", auto_create_topics_enable="FALSE")
    assert run("KL001", builder.producer({"acks": "-1", "linger.ms": 5})) == []


def test_kl001_names_an_inline_comment() -> None:
    builder = Builder().producer({"acks": "all # safest"})
    (finding,) = run("KL001", builder)
    assert lines([finding]) == [builder.line("app", "acks")]
    assert "Java properties have no inline comments" in finding.message
