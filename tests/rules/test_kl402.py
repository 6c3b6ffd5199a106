"""Rule KL402 on models built in Python (its fixtures: tests/fixtures/rules/KL402/)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rulekit import (
    Builder,
    kafka_quote,
    lines,
    run,
)


def tiered(**values: Any) -> Builder:
    return Builder().topic(
        "t", {"remote.storage.enable": "true", **{k.replace("_", "."): v for k, v in values.items()}}
    )


def test_kl402_local_above_total_quotes_kafka() -> None:
    builder = tiered(retention_ms=86400000, local_retention_ms=604800000)
    findings = run("KL402", builder)
    assert lines(findings) == [builder.line("t", "local.retention.ms")]
    assert (
        "Invalid value 604800000 for configuration local.retention.ms: Value must not be more than retention.ms "
        "property value: 86400000" in findings[0].message
    )


def test_kl402_unlimited_local_under_finite_total() -> None:
    findings = run("KL402", tiered(local_retention_bytes=-1, retention_bytes=1073741824))
    assert len(findings) == 1
    assert "Value must not be -1 as retention.bytes value is set as 1073741824." in findings[0].message


@pytest.mark.parametrize(
    "builder",
    [
        tiered(local_retention_ms=-2, retention_ms=1000),
        tiered(local_retention_ms=-1, retention_ms=-1),
        tiered(local_retention_bytes=5000, retention_bytes=-1),
        tiered(local_retention_ms=1000, retention_ms=1000),
        Builder().topic("t", {"retention.ms": 1000, "local.retention.ms": 5000}),  # not tiered
    ],
)
def test_kl402_quiet(builder: Builder) -> None:
    assert run("KL402", builder) == []


def test_kl402_topic_uses_broker_retention_hours() -> None:
    builder = (
        Builder()
        .brokers(1, {"log.retention.hours": 24})
        .topic("t", {"remote.storage.enable": True, "local.retention.ms": 172800000})
    )
    findings = run("KL402", builder)
    assert lines(findings) == [builder.line("t", "local.retention.ms")]
    assert "retention.ms property value: 86400000" in findings[0].message


def test_kl402_broker_only_with_remote_storage_system() -> None:
    values = {"log.local.retention.ms": 172800000, "log.retention.hours": 24}
    assert run("KL402", Builder().brokers(3, values)) == []
    builder = Builder().brokers(3, {**values, "remote.log.storage.system.enable": True})
    findings = run("KL402", builder)
    assert lines(findings) == [500]
    assert findings[0].subject == "brokers kafka1, kafka2 and kafka3"


TOPIC_ANSWERS = (
    "..........................................................................."
    "..........................................................................."
    "..........................................................................."
    ".......S.s............S.s.....TTTTTTTSTsTTTTT.......S.s............S.s....."
    ".......S.s............S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    ".......S.s............S.s............S.s............S.s............S.s....."
    "..........................................................................."
    "..........................................................................."
    "..........................................................................."
    "tttttttStsttttt.......S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    "tttttttStsttttt.......S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    ".......S.s............S.s............S.s............S.s............S.s....."
)


def answer_code(quote: str) -> str:
    """t / T: local.retention.ms above retention.ms / -1; s / S: the same for the bytes."""
    code = "t" if "local.retention.ms" in quote else "s"
    return code.upper() if "must not be -1" in quote else code


def test_kl402_agrees_with_logconfig() -> None:
    """900 topics (remote storage on or off, retention and local retention in time and size)
    on brokers with Kafka's defaults and on brokers with log.retention.hours=24 and
    log.local.retention.ms=172800000: kafkalint reports what LogConfig.validate refuses, on the
    topic -- or on the broker when the topic only inherits the broker's conflict."""
    topic_values = {
        "remote.storage.enable": (None, "true"),
        "retention.ms": (None, "86400000", "-1"),
        "local.retention.ms": (None, "-2", "-1", "3600000", "604800000"),
        "retention.bytes": (None, "1000", "-1"),
        "local.retention.bytes": (None, "-2", "-1", "500", "5000"),
    }
    brokers: list[dict[str, Any]] = [{}, {"log.retention.hours": 24, "log.local.retention.ms": 172800000}]
    answers = iter(TOPIC_ANSWERS)
    disagreements = []
    for broker in brokers:
        for values in itertools.product(*topic_values.values()):
            topic = {key: value for key, value in zip(topic_values, values, strict=True) if value is not None}
            builder = Builder().broker_config("kafka1", {**broker, "remote.log.storage.system.enable": "true"})
            builder.topic("t", topic)
            codes = {answer_code(kafka_quote(finding)): finding.subject for finding in run("KL402", builder)}
            answer = next(answers)
            on_topic = {code for code, subject in codes.items() if subject.startswith("topic")}
            if (answer == "." and on_topic) or (answer != "." and answer not in codes):
                disagreements.append((broker, topic, answer, codes))
    assert next(answers, None) is None
    assert disagreements == []
