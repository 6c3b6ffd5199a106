"""Typed values: the version defaults the rules rely on."""

from __future__ import annotations

import pytest
from rulekit import (
    INT_MAX,
)

from kafkalint.model import ConfigMap, Location, coerce
from kafkalint.versions import KafkaVersion


def test_defaults_the_rules_rely_on() -> None:
    """The version defaults behind KL204, KL206, KL207, KL208, KL211 and KL214."""

    def producer(version: str) -> ConfigMap:
        return ConfigMap("producer", KafkaVersion.parse(version))

    for version in ("3.9.1", "4.0.0"):
        config = producer(version)
        assert config.get("acks") == "all"
        assert config.get("enable.idempotence") is True
        assert config.get("retries") == INT_MAX
        assert config.get("max.in.flight.requests.per.connection") == 5
        assert config.get("request.timeout.ms") == 30000
        assert config.get("delivery.timeout.ms") == 120000
        assert config.get("batch.size") == 16384
        assert config.get("buffer.memory") == 33554432
        assert config.get("max.request.size") == 1048576
    assert producer("3.9.1").get("linger.ms") == 0
    assert producer("4.0.0").get("linger.ms") == 5
    broker = ConfigMap("broker", KafkaVersion.parse("3.9.1"))
    assert broker.get("message.max.bytes") == 1048588
    assert broker.get("replica.lag.time.max.ms") == 30000
    assert broker.get("log.retention.hours") == 168
    assert broker.get("log.roll.hours") == 168
    assert broker.get("log.local.retention.ms") == -2
    topic = ConfigMap("topic", KafkaVersion.parse("3.9.1"))
    assert topic.get("max.compaction.lag.ms") == 2**63 - 1
    assert topic.get("segment.ms") == 604800000


def test_versioned_defaults_agree_with_every_catalogue() -> None:
    """The table of changed defaults answers for versions no catalogue covers; where a
    catalogue covers the version it must say the same."""
    from kafkalint import catalogue
    from kafkalint.rules._values import VERSIONED_DEFAULTS, kafka_default

    lines = catalogue._available_lines()
    assert lines
    checked = 0
    for (kind, key), _steps in VERSIONED_DEFAULTS.items():
        for line in lines:
            spec = catalogue.load(kind, line).spec(key)
            if spec is None:
                continue  # removed in that line (zookeeper.* in 4.0)
            assert coerce(kafka_default(kind, line, key), spec.type) == coerce(spec.default, spec.type), (
                kind,
                key,
                line,
            )
            checked += 1
    assert checked > len(VERSIONED_DEFAULTS)


@pytest.mark.parametrize(
    ("version", "acks", "retries", "linger", "session"),
    [
        ("2.0.1", "1", 0, 0, 6000),
        ("2.8.2", "1", INT_MAX, 0, 18000),
        ("3.0.0", "all", INT_MAX, 0, 18000),
        ("4.0.0", "all", INT_MAX, 5, 18000),
    ],
)
def test_defaults_before_the_oldest_catalogue(version: str, acks: str, retries: int, linger: int, session: int) -> None:
    from kafkalint.rules._values import kafka_default

    at = KafkaVersion.parse(version)
    assert kafka_default("producer", at, "acks") == acks
    assert kafka_default("producer", at, "retries") == retries
    assert kafka_default("producer", at, "linger.ms") == linger
    assert kafka_default("broker", at, "zookeeper.session.timeout.ms") == session


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("all", -1), ("-1", -1), (" 1 ", 1), (0, 0), ("ALL", None), ("2", None), (True, None), (None, None)],
)
def test_acks_as_the_producer_parses_it(raw: object, expected: int | None) -> None:
    from kafkalint.rules._values import acks

    config = ConfigMap("producer", KafkaVersion.parse("3.9.1"))
    if raw is not None:
        config.set("acks", raw, "file", Location("p.properties", 1))
        assert acks(config) == expected
    else:
        assert acks(config) == -1  # the 3.x default
        assert acks(ConfigMap("producer", KafkaVersion.parse("2.8.2"))) == 1


def test_typed_reads() -> None:
    from kafkalint.rules._values import as_bool, as_int, as_list, is_written, shown, where_to_change

    assert (as_int("5"), as_int(" 7 "), as_int("1.5"), as_int(True)) == (5, 7, None, None)
    assert (as_bool("TRUE"), as_bool("no"), as_bool(False)) == (True, None, False)
    assert as_list("a, b,,c") == ["a", "b", "c"]
    assert as_list(["x", " ", "y"]) == ["x", "y"]
    config = ConfigMap("broker", KafkaVersion.parse("3.9.1"), location=Location("group_vars/kafka_broker.yml", 2))
    config.set("min.insync.replicas", 2, "role-default", Location("hosts.yml", 5))
    config.set("num.partitions", 6, "inventory", Location("group_vars/kafka_broker.yml", 9))
    assert where_to_change(config, "min.insync.replicas") == config.location  # a role default: add it
    assert where_to_change(config, "num.partitions") == Location("group_vars/kafka_broker.yml", 9)
    assert is_written(config, "min.insync.replicas") and not is_written(config, "log.dirs")
    assert shown(config, "num.partitions") == "num.partitions=6"
    assert shown(config, "default.replication.factor") == "default.replication.factor (Kafka 3.9 default: 1)"
