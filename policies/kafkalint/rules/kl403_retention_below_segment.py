"""``retention.ms`` below ``segment.ms``: data is kept longer than the retention says.

**What it checks.** A topic with the ``delete`` cleanup policy whose effective ``retention.ms``
(not -1) is smaller than its effective ``segment.ms``, where the topic overrides at least one
of them (others from the brokers' ``log.retention.{ms,minutes,hours}`` /
``log.roll.{ms,hours}``, else Kafka's 7-day defaults); and a broker whose own log defaults are
in that relation (``log.cleanup.policy`` with ``delete``).

**Why.** Retention deletes whole closed segments only. The active segment is closed when it
reaches ``segment.bytes`` or when it is ``segment.ms`` old, so on a topic that does not fill a
segment quickly, a record stays at least ``segment.ms`` -- with the default of 7 days a
``retention.ms`` of one hour keeps data for a week. That surprises people who set a short
retention for privacy or disk reasons. Kafka accepts it.

Problematic::

    retention.ms=3600000
    # segment.ms default 604800000 (7 days)

Correct::

    retention.ms=3600000
    segment.ms=600000

**Source.** Kafka documentation, topic configs ``retention.ms`` and ``segment.ms`` ("the period
of time after which Kafka will force the log to roll even if the segment file isn't full to
ensure that retention can delete or compact old data"); apache/kafka
``storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java``,
``core/src/main/scala/kafka/server/KafkaConfig.scala`` (``logRetentionTimeMillis``,
``logRollTimeMillis``).
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
from kafkalint.rules._values import as_int, as_list

ID = "KL403"
NAME = "retention-below-segment"
SEVERITY = Severity.WARNING

RETENTION = "retention.ms"
SEGMENT = "segment.ms"
POLICY = "cleanup.policy"


def _short(retention: int | None, segment: int | None) -> bool:
    return retention is not None and segment is not None and 0 <= retention < segment


HINT = "A segment also rolls at segment.bytes; only busy topics reach it before segment.ms."


def _brokers(brokers: list[Broker]) -> Iterator[tuple[Broker, Location, str]]:
    for broker in brokers:
        policy = [item.lower() for item in as_list(_logconfig.broker_setting(broker, POLICY).value)]
        if "delete" not in policy:
            continue
        retention = _logconfig.broker_setting(broker, RETENTION)
        segment = _logconfig.broker_setting(broker, SEGMENT)
        if not _short(as_int(retention.value), as_int(segment.value)):
            continue
        explicit_retention = _logconfig.broker_value(broker.config, RETENTION)[2]
        yield (
            broker,
            retention.location if explicit_retention else segment.location,
            message(
                f"{retention.source} keeps {retention.value} ms, less than the {segment.value} ms of {segment.source}",
                "topics keep their data until their segments roll",
                "lower log.roll.ms (or log.roll.hours) to at most the retention, or raise the retention",
            ),
        )


def _below_segment(settings: _logconfig.TopicSettings, topic: Topic) -> bool:
    if not _logconfig.overrides_any(topic, (RETENTION, SEGMENT)):
        return False  # both from the brokers: judged on the brokers above
    policy = [item.lower() for item in as_list(settings.get(topic, POLICY).value)]
    if "delete" not in policy:
        return False
    return _short(as_int(settings.get(topic, RETENTION).value), as_int(settings.get(topic, SEGMENT).value))


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from per_broker(ID, _brokers(cluster.brokers), HINT)
        settings = _logconfig.TopicSettings(cluster)
        for topic in topics_where(cluster, partial(_below_segment, settings)):
            retention = settings.get(topic, RETENTION)
            segment = settings.get(topic, SEGMENT)
            yield Finding(
                rule_id=ID,
                message=message(
                    f"{retention.source} is below {segment.source}",
                    "retention deletes closed segments only, so records stay until their segment rolls",
                    f"set segment.ms to at most {retention.value} (or raise retention.ms)",
                ),
                location=retention.location if retention.on_topic else segment.location,
                subject=topic_subject(topic),
                hint=HINT,
            )
