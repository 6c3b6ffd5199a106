"""``min.compaction.lag.ms`` above ``max.compaction.lag.ms``: the topic or broker is refused.

**What it checks.** A topic whose effective ``min.compaction.lag.ms`` is larger than its
effective ``max.compaction.lag.ms`` where at least one of them is the topic's own override (the
other read from the brokers' ``log.cleaner.*.compaction.lag.ms`` or Kafka's default: 0 and
9223372036854775807); and a broker whose ``log.cleaner.min.compaction.lag.ms`` is larger than
its ``log.cleaner.max.compaction.lag.ms``.

**Why.** The two bound when the log cleaner may compact a record: not before the minimum lag,
and at the latest after the maximum. A minimum above the maximum is a contradiction, so Kafka
refuses to create (or alter) such a topic, and a broker with such defaults refuses every topic
creation (the topic's settings are validated merged over the broker's) and, in 3.9, fails at
start-up (``LogManager`` validates the broker's log defaults).

**Kafka rejects it** at topic creation or alteration, and a broker with such defaults at
startup (``InvalidConfigurationException``)::

    conflict topic config setting min.compaction.lag.ms (86400000) > max.compaction.lag.ms (3600000)

Problematic::

    min.compaction.lag.ms=86400000
    max.compaction.lag.ms=3600000

Correct::

    min.compaction.lag.ms=3600000
    max.compaction.lag.ms=86400000

**Source.** apache/kafka
``storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java``
(``validateValues``, ``validateBrokerLogConfigValues``); KIP-354 (max.compaction.lag.ms).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint.facts import topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Location, Model, Topic
from kafkalint.rules import _logconfig
from kafkalint.rules._report import message, per_broker, topic_subject
from kafkalint.rules._values import as_int

ID = "KL401"
NAME = "compaction-lag"
SEVERITY = Severity.ERROR

MIN = "min.compaction.lag.ms"
MAX = "max.compaction.lag.ms"


def _kafka_message(low: int, high: int) -> str:
    return f"conflict topic config setting {MIN} ({low}) > {MAX} ({high})"


HINT = "The cleaner compacts a record no sooner than the minimum lag and no later than the maximum."


def _brokers(brokers: list[Broker]) -> Iterator[tuple[Broker, Location, str]]:
    for broker in brokers:
        low = _logconfig.broker_setting(broker, MIN)
        high = _logconfig.broker_setting(broker, MAX)
        low_value, high_value = as_int(low.value), as_int(high.value)
        if low_value is None or high_value is None or low_value <= high_value:
            continue
        explicit_min = _logconfig.broker_value(broker.config, MIN)[2]
        yield (
            broker,
            low.location if explicit_min else high.location,
            message(
                f"{low.source} is above {high.source}",
                "the broker does not start and refuses every topic",
                "make log.cleaner.min.compaction.lag.ms at most log.cleaner.max.compaction.lag.ms",
                kafka=_kafka_message(low_value, high_value),
            ),
        )


def _conflicting(settings: _logconfig.TopicSettings, topic: Topic) -> bool:
    if not _logconfig.overrides_any(topic, (MIN, MAX)):
        return False  # both from the brokers: judged on the brokers above
    low_value, high_value = as_int(settings.get(topic, MIN).value), as_int(settings.get(topic, MAX).value)
    return low_value is not None and high_value is not None and low_value > high_value


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from per_broker(ID, _brokers(cluster.brokers), HINT)
        settings = _logconfig.TopicSettings(cluster)
        for topic in topics_where(cluster, partial(_conflicting, settings)):
            low = settings.get(topic, MIN)
            high = settings.get(topic, MAX)
            low_value, high_value = as_int(low.value), as_int(high.value)
            if low_value is None or high_value is None or low_value <= high_value:
                continue
            yield Finding(
                rule_id=ID,
                message=message(
                    f"{low.source} is above {high.source}",
                    "the topic is refused",
                    f"make {MIN} at most {MAX}",
                    kafka=_kafka_message(low_value, high_value),
                ),
                location=low.location if low.on_topic else high.location,
                subject=topic_subject(topic),
                hint=HINT,
            )
