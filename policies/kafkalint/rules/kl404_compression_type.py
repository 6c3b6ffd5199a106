"""``compression.type`` not allowed for the config kind: ``none`` is a producer value, ``uncompressed`` a topic one.

**What it checks.** A ``compression.type`` written in a producer config that is not one of
``none``, ``gzip``, ``snappy``, ``lz4``, ``zstd``; or written for a topic or a broker that is
not one of ``uncompressed``, ``zstd``, ``lz4``, ``snappy``, ``gzip``, ``producer``. ``zstd``
exists from Kafka 2.1 (KIP-110). Values are case-sensitive, as in Kafka.

**Why.** Producers and brokers spell "no compression" differently: the producer says ``none``,
a topic says ``uncompressed`` (and ``producer``, its default, keeps whatever the producer
sent). Copying a value from one kind to the other is an easy mistake, and Kafka refuses it: the
producer does not start, the broker does not start, or the topic is not created. The seeds
compress producer data with ``compression.type`` (``compression_type='gzip'``).

**Kafka rejects it** (``ConfigException``; a topic or broker, then a producer; each message
is one line)::

    Invalid value none for configuration compression.type: String must be one of: uncompressed,
        zstd, lz4, snappy, gzip, producer
    Invalid value uncompressed for configuration compression.type: String must be one of: none,
        gzip, snappy, lz4, zstd

Problematic (topic)::

    compression.type=none

Correct::

    compression.type=uncompressed

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``in(Utils.enumOptions(CompressionType.class))``),
``storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java``
(``in(BrokerCompressionType.names())``), ``ConfigDef.ValidString``; seeds ``000`` / ``001``
(compression.type).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import placeholders
from kafkalint.facts import producers_where, topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, ConfigMap, Location, Model
from kafkalint.rules._report import message, per_broker, profile_subject, topic_subject
from kafkalint.versions import KafkaVersion

ID = "KL404"
NAME = "compression-type"
SEVERITY = Severity.ERROR

KEY = "compression.type"
#: In Kafka's order (the enums' declaration order), as its messages list them.
PRODUCER_VALUES = ("none", "gzip", "snappy", "lz4", "zstd")
TOPIC_VALUES = ("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")
#: What a value of the other kind means here.
_TRANSLATION = {"none": "uncompressed", "uncompressed": "none", "producer": "none"}


def allowed(kind: str, version: KafkaVersion) -> tuple[str, ...]:
    values = PRODUCER_VALUES if kind == "producer" else TOPIC_VALUES
    if version.at_least("2.1"):
        return values
    return tuple(value for value in values if value != "zstd")


HINT = "Producers write none for no compression; topics and brokers write uncompressed (or producer)."


def _problem(config: ConfigMap, what: str) -> tuple[Location, str] | None:
    setting = config.explicit(KEY)
    if setting is None or setting.raw is None or placeholders.unresolved(setting) is not None:
        return None
    value = str(setting.raw).strip()
    values = allowed(config.kind, config.version)
    if value in values:
        return None
    lowered = value.lower()
    suggestion = _TRANSLATION.get(lowered, lowered)
    if suggestion == "none" and config.kind != "producer":
        suggestion = "uncompressed"
    fix = f"set {KEY}={suggestion}" if suggestion in values else f"set {KEY} to one of {', '.join(values)}"
    kafka = f"Invalid value {value} for configuration {KEY}: String must be one of: {', '.join(values)}"
    return setting.location, message(
        f"{KEY}={value} is not a {what} compression type", "Kafka refuses it", fix, kafka=kafka
    )


def _brokers(brokers: list[Broker]) -> Iterator[tuple[Broker, Location, str]]:
    for broker in brokers:
        problem = _problem(broker.config, "broker")
        if problem is not None:
            yield broker, *problem


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from per_broker(ID, _brokers(cluster.brokers), HINT)
        for topic in topics_where(cluster, lambda topic: _problem(topic.config, "topic") is not None):
            problem = _problem(topic.config, "topic")
            if problem is not None:
                yield Finding(ID, problem[1], problem[0], topic_subject(topic), HINT)
        for profile in producers_where(cluster, lambda profile: _problem(profile.config, "producer") is not None):
            problem = _problem(profile.config, "producer")
            if problem is not None:
                yield Finding(ID, problem[1], problem[0], profile_subject(profile), HINT)
