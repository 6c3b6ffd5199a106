"""Topic configs as the broker resolves them: the topic's override, else the brokers' log
default, else Kafka's default. Shared by the topic rules (KL401-KL404).

Brokers name most log defaults differently from topics (``log.cleaner.min.compaction.lag.ms``
for ``min.compaction.lag.ms``), and two are computed from several keys, as
``KafkaConfig.logRetentionTimeMillis`` / ``logRollTimeMillis`` do: ``retention.ms`` from
``log.retention.ms``, else ``log.retention.minutes``, else ``log.retention.hours`` (a
negative result means -1, unlimited), and ``segment.ms`` from ``log.roll.ms``, else
``log.roll.hours``. Topic creation validates the topic's overrides merged over these
broker values (``LogConfig.validate`` with ``KafkaConfig.extractLogConfigMap``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kafkalint.model import Broker, Cluster, ConfigMap, Location, Topic
from kafkalint.rules._values import as_int, kafka_default, raw, render

#: Topic key -> the broker keys that decide its default, with the factor to milliseconds
#: for the computed ones (first key set wins).
BROKER_KEYS: dict[str, tuple[tuple[str, int], ...]] = {
    "retention.ms": (("log.retention.ms", 1), ("log.retention.minutes", 60_000), ("log.retention.hours", 3_600_000)),
    "segment.ms": (("log.roll.ms", 1), ("log.roll.hours", 3_600_000)),
    "retention.bytes": (("log.retention.bytes", 1),),
    "local.retention.ms": (("log.local.retention.ms", 1),),
    "local.retention.bytes": (("log.local.retention.bytes", 1),),
    "min.compaction.lag.ms": (("log.cleaner.min.compaction.lag.ms", 1),),
    "max.compaction.lag.ms": (("log.cleaner.max.compaction.lag.ms", 1),),
    "cleanup.policy": (("log.cleanup.policy", 1),),
    "compression.type": (("compression.type", 1),),
    "max.message.bytes": (("message.max.bytes", 1),),
}
#: Keys whose broker value is a number of milliseconds computed from several keys.
_COMPUTED = {"retention.ms", "segment.ms"}


@dataclass(frozen=True)
class Value:
    """An effective value, where to change it and how to name it in a message."""

    #: As written or defaulted (untyped: read it with :func:`kafkalint.rules._values.as_int`).
    value: Any
    location: Location
    #: True when the topic overrides the key (else it comes from the brokers or Kafka).
    on_topic: bool
    #: How to name it: ``retention.ms=3600000`` (a topic override), ``the brokers'
    #: log.retention.hours=24``, ``segment.ms=604800000 (default)``.
    source: str


def broker_value(config: ConfigMap, topic_key: str) -> tuple[Any, str, bool]:
    """The broker's log default for ``topic_key``: (value, the broker key that decides it,
    whether that key is written). For a computed value left at Kafka's default the deciding
    key is the last one (``log.retention.hours``)."""
    keys = BROKER_KEYS[topic_key]
    if topic_key not in _COMPUTED:
        key = keys[0][0]
        return raw(config, key), key, key in config
    for key, factor in keys:
        number = as_int(raw(config, key))
        if number is not None:
            millis = number * factor
            # Kafka's logRetentionTimeMillis maps any negative value to -1 (unlimited).
            if topic_key == "retention.ms" and millis < 0:
                millis = -1
            return millis, key, key in config
    return None, keys[-1][0], False


def broker_setting(broker: Broker, topic_key: str) -> Value:
    """A broker's own log default for ``topic_key``."""
    value, key, written = broker_value(broker.config, topic_key)
    if not written:
        return Value(value, broker.config.location, False, f"{key}={render(raw(broker.config, key))} (default)")
    setting = broker.config.explicit(key)
    written = setting.raw if setting is not None else value
    return Value(value, broker.config.location_of(key), False, f"{key}={render(written)}")


class TopicSettings:
    """Topic configs of one cluster: the topic's override, else the first broker that sets
    the log default, else Kafka's default. The brokers' part is worked out once per key."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self._from_brokers: dict[str, Value | None] = {}
        self._kafka_defaults: dict[str, tuple[Any, str]] = {}

    def _broker_default(self, key: str) -> Value | None:
        if key not in self._from_brokers:
            found = None
            broker_keys = [name for name, _factor in BROKER_KEYS.get(key, ())]
            for broker in self.cluster.brokers:
                if any(name in broker.config for name in broker_keys):
                    setting = broker_setting(broker, key)
                    found = Value(setting.value, setting.location, False, f"the brokers' {setting.source}")
                    break
            self._from_brokers[key] = found
        return self._from_brokers[key]

    def get(self, topic: Topic, key: str) -> Value:
        setting = topic.config.explicit(key)
        if setting is not None:
            return Value(setting.raw, setting.location, True, f"{key}={render(setting.raw)}")
        found = self._broker_default(key)
        if found is not None:
            return found
        if key not in self._kafka_defaults:
            value = kafka_default("topic", topic.config.version, key)
            self._kafka_defaults[key] = (value, f"{key}={render(value)} (default)")
        value, source = self._kafka_defaults[key]
        return Value(value, topic.location, False, source)


def topic_setting(cluster: Cluster, topic: Topic, key: str) -> Value:
    """``key`` of ``topic`` (see :class:`TopicSettings`; use one of those for many topics)."""
    return TopicSettings(cluster).get(topic, key)


def overrides_any(topic: Topic, keys: Iterable[str]) -> bool:
    """Whether the topic overrides one of ``keys``: topic findings need an override (the
    brokers' own values are judged on the brokers)."""
    return any(key in topic.config for key in keys)
