"""Rule KL401 on models built in Python (its fixtures: tests/fixtures/rules/KL401/)."""

from __future__ import annotations

from rulekit import (
    Builder,
    lines,
    run,
)


def test_kl401_topic_quotes_kafka() -> None:
    builder = Builder().topic("t", {"min.compaction.lag.ms": 7200000, "max.compaction.lag.ms": "3600000"})
    findings = run("KL401", builder)
    assert lines(findings) == [builder.line("t", "min.compaction.lag.ms")]
    assert "conflict topic config setting min.compaction.lag.ms (7200000) > max.compaction.lag.ms (3600000)" in (
        findings[0].message
    )


def test_kl401_topic_against_broker_default() -> None:
    builder = Builder().brokers(3, {"log.cleaner.max.compaction.lag.ms": 3600000})
    builder.topic("t", {"min.compaction.lag.ms": 7200000}).topic("plain")
    findings = run("KL401", builder)
    assert lines(findings) == [builder.line("t", "min.compaction.lag.ms")]


def test_kl401_brokers_sharing_a_line_give_one_finding() -> None:
    values = {"log.cleaner.min.compaction.lag.ms": 7200000, "log.cleaner.max.compaction.lag.ms": 3600000}
    builder = Builder().brokers(3, values).topic("plain")
    findings = run("KL401", builder)
    assert lines(findings) == [500]
    assert findings[0].subject == "brokers kafka1, kafka2 and kafka3"
    separate = run("KL401", Builder().brokers(2, values, shared=False))
    assert [finding.subject for finding in separate] == ["broker kafka1", "broker kafka2"]


def test_kl401_equal_is_fine() -> None:
    builder = Builder().topic("t", {"min.compaction.lag.ms": 3600000, "max.compaction.lag.ms": 3600000})
    assert run("KL401", builder) == []
