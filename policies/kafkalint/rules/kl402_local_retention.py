"""Tiered storage: ``local.retention.ms/bytes`` above ``retention.ms/bytes``, or -1 under a finite total.

**What it checks.** From Kafka 3.6 (KIP-405 tiered storage), for a topic with
``remote.storage.enable=true`` where the topic overrides at least one of the pair: its
effective ``local.retention.ms`` against ``retention.ms``, and ``local.retention.bytes``
against ``retention.bytes`` (others read from the brokers' ``log.local.retention.*`` /
``log.retention.*``, else Kafka's defaults). For a broker with
``remote.log.storage.system.enable=true``, its own ``log.local.retention.*`` against its
``log.retention.*``. When the total is finite (``retention.ms`` not -1, ``retention.bytes`` not
negative) and the local value is not -2 ("same as the total"), the local value must not be -1
(unlimited) nor larger than the total.

**Why.** The local part of a tiered log is the tail kept on the broker's disks; the total
retention covers local plus remote. Keeping more locally than in total is a contradiction, and
so is keeping locally forever while the total is bounded. Kafka refuses the topic (creation or
alteration), and a broker with such defaults does not start.

**Kafka rejects it** at topic creation or alteration, and a broker with such defaults at
startup (``ConfigException``; the same for ``local.retention.bytes`` / ``retention.bytes``;
each message is one line)::

    Invalid value 604800000 for configuration local.retention.ms: Value must not be more than
        retention.ms property value: 86400000
    Invalid value -1 for configuration local.retention.ms: Value must not be -1 as retention.ms
        value is set as 86400000.

Problematic::

    remote.storage.enable=true
    retention.ms=86400000
    local.retention.ms=604800000

Correct::

    remote.storage.enable=true
    retention.ms=604800000
    local.retention.ms=86400000

**Source.** apache/kafka
``storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java``
(``validateRemoteStorageRetentionTime``, ``validateRemoteStorageRetentionSize``, applied by
``validateTopicLogConfigValues`` when the topic enables remote storage and by
``validateBrokerLogConfigValues`` when the broker enables the remote storage system); KIP-405.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Location, Model
from kafkalint.rules import _logconfig
from kafkalint.rules._report import message, per_broker, topic_subject
from kafkalint.rules._values import as_int, bool_value

ID = "KL402"
NAME = "local-retention"
SEVERITY = Severity.ERROR

#: (local key, total key)
PAIRS = (
    ("local.retention.ms", "retention.ms"),
    ("local.retention.bytes", "retention.bytes"),
)


def _finite(total_key: str, total: int) -> bool:
    # LogConfig: time is bounded unless exactly -1; size when above -1.
    return total != -1 if total_key == "retention.ms" else total > -1


def _kafka_message(local_key: str, total_key: str, local: int, total: int) -> str | None:
    """Kafka's refusal of the pair, ``None`` when it accepts it."""
    if local == -2 or not _finite(total_key, total):
        return None
    if local == -1:
        reason = f"Value must not be -1 as {total_key} value is set as {total}."
    elif local > total:
        reason = f"Value must not be more than {total_key} property value: {total}"
    else:
        return None
    return f"Invalid value {local} for configuration {local_key}: {reason}"


def _unlimited(local: int) -> str:
    return " (unlimited)" if local == -1 else ""


def _fix(local_key: str, total_key: str, local: int, total: int) -> str:
    if local == -1:
        return f"set {local_key} to at most {total} (or -2, the same as {total_key})"
    return f"lower {local_key} to at most {total} (or raise {total_key})"


HINT = "-2 (the default) keeps locally as long as in total; -1 keeps locally forever."


def _brokers(brokers: list[Broker]) -> Iterator[tuple[Broker, Location, str]]:
    for broker in brokers:
        if bool_value(broker.config, "remote.log.storage.system.enable") is not True:
            continue
        for local_key, total_key in PAIRS:
            local = _logconfig.broker_setting(broker, local_key)
            total = _logconfig.broker_setting(broker, total_key)
            local_value, total_value = as_int(local.value), as_int(total.value)
            if local_value is None or total_value is None:
                continue
            refusal = _kafka_message(local_key, total_key, local_value, total_value)
            if refusal is None:
                continue
            yield (
                broker,
                local.location,
                message(
                    f"{local.source}{_unlimited(local_value)} exceeds {total.source} with "
                    f"remote.log.storage.system.enable=true",
                    "the broker does not start",
                    _fix("log." + local_key, total.source, local_value, total_value),
                    kafka=refusal,
                ),
            )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if not cluster.version.at_least("3.6"):
            continue
        yield from per_broker(ID, _brokers(cluster.brokers), HINT)
        settings = _logconfig.TopicSettings(cluster)
        # Off by default, and brokers have no default for it: only an override enables it.
        tiered = topics_where(
            cluster,
            lambda topic: (
                "remote.storage.enable" in topic.config and bool_value(topic.config, "remote.storage.enable") is True
            ),
        )
        for topic in tiered:
            for local_key, total_key in PAIRS:
                if not _logconfig.overrides_any(topic, (local_key, total_key)):
                    continue
                local = settings.get(topic, local_key)
                total = settings.get(topic, total_key)
                local_value, total_value = as_int(local.value), as_int(total.value)
                if local_value is None or total_value is None:
                    continue
                refusal = _kafka_message(local_key, total_key, local_value, total_value)
                if refusal is None:
                    continue
                yield Finding(
                    rule_id=ID,
                    message=message(
                        f"{local.source}{_unlimited(local_value)} exceeds {total.source}",
                        "the tiered topic is refused",
                        _fix(local_key, total_key, local_value, total_value),
                        kafka=refusal,
                    ),
                    location=local.location if local.on_topic else total.location,
                    subject=topic_subject(topic),
                    hint=HINT,
                )
