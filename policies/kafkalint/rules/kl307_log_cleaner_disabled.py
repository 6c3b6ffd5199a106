"""log.cleaner.enable=false: compacted topics, __consumer_offsets first, grow without bound.

**What it checks.** Every broker with ``log.cleaner.enable`` set to ``false`` (the default is
``true``).

**Why.** The log cleaner is what compacts topics with ``cleanup.policy=compact``. Kafka's own
``__consumer_offsets`` (every committed offset of every consumer group) and
``__transaction_state`` are compacted topics, and so are the topics of Kafka Connect and Kafka
Streams state stores. Without the cleaner they keep every record ever written: disks fill,
loading a group coordinator after a failover slows down, and deleted keys (tombstones) never
go away. Kafka accepts the setting silently.

**Where.** The ``log.cleaner.enable`` line (reported once for a line shared by brokers).

Problematic::

    log.cleaner.enable=false

Correct: leave ``log.cleaner.enable`` out (default ``true``), and tune
``log.cleaner.threads`` / ``log.cleaner.io.max.bytes.per.second`` instead of turning it off.

**Source.** Kafka documentation, ``log.cleaner.enable`` ("Should be enabled if using any topics
with a cleanup.policy=compact including the internal offsets topic. If disabled those topics
will not be compacted and continually grow in size.") and Design: Log Compaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model, Topic
from kafkalint.rules._report import message, names, per_broker
from kafkalint.rules._values import bool_value, list_value, where_to_change

ID = "KL307"
NAME = "log-cleaner-disabled"
SEVERITY = Severity.ERROR

KEY = "log.cleaner.enable"
HINT = "keep the log cleaner on; throttle it with log.cleaner.io.max.bytes.per.second if needed"


def _compacted(cluster: Cluster) -> list[str]:
    topics = ["__consumer_offsets"]
    compacted = topics_where(cluster, _compacting)
    return [*topics, *(topic.name for topic in compacted)]


def _compacting(topic: Topic) -> bool:
    return "cleanup.policy" in topic.config and "compact" in list_value(topic.config, "cleanup.policy")


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        disabled = [broker for broker in cluster.brokers if bool_value(broker.config, KEY) is False]
        if not disabled:
            continue
        text = message(
            f"{KEY}=false stops log compaction",
            f"{names(_compacted(cluster))} grow without bound and deleted keys never go away",
            "remove the setting (default true)",
        )
        found = ((broker, where_to_change(broker.config, KEY), text) for broker in disabled)
        yield from per_broker(ID, found, HINT)
