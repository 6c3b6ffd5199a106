"""``max.request.size`` above what the brokers or topics accept: large batches are rejected.

**What it checks.** A producer profile whose ``max.request.size`` (default 1048576) is larger
than the ``max.message.bytes`` of a topic it writes to -- the topic's override, else the
smallest ``message.max.bytes`` of the cluster's brokers -- or, for a profile that names no
declared topic, larger than the smallest ``message.max.bytes`` of the brokers. Defaults of the
target version apply (``message.max.bytes`` 1048588). Nothing is judged without brokers or a
topic override to compare with.

**Why.** The producer builds requests and batches up to ``max.request.size``; the broker
refuses a record batch larger than the topic's ``max.message.bytes`` with ``MESSAGE_TOO_LARGE``
(``RecordTooLargeException`` in the application). Kafka accepts both configs; the failure shows
only at produce time, for the large records. Raising one without the other is the usual cause.

Problematic::

    # producer
    max.request.size=5242880
    # broker (server.properties), topic without override
    message.max.bytes=1048588

Correct (lower the producer, or raise the topic / broker limit to match)::

    max.request.size=1048576

**Source.** Kafka documentation, producer config ``max.request.size`` and broker / topic
configs ``message.max.bytes`` / ``max.message.bytes``; seeds ``000`` / ``001``
(max.request.size: "프로듀서가 보낼 수 있는 최대 메시지 바이트 사이즈").

**Proof.** On the live test cluster (tests/live/test_live_durability.py): a record above the
brokers' message.max.bytes, sent with a larger max.request.size, failed with
RecordTooLargeException (MESSAGE_TOO_LARGE). Figures: docs/proofs.md#kl208.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint.facts import producers_where, topic_shapes
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model, ProducerProfile
from kafkalint.rules._cluster import topic_index, written_topics
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import int_value, location_of

ID = "KL208"
NAME = "max-request-size"
SEVERITY = Severity.ERROR

REQUEST_SIZE = "max.request.size"
TOPIC_LIMIT = "max.message.bytes"
BROKER_LIMIT = "message.max.bytes"


def _broker_limit(cluster: Cluster) -> int | None:
    """The smallest ``message.max.bytes`` of the brokers: any of them may lead a partition."""
    limits = [int_value(broker.config, BROKER_LIMIT) for broker in cluster.brokers]
    known = [limit for limit in limits if limit is not None]
    return min(known) if known else None


def _smallest_limit(cluster: Cluster, broker_limit: int | None) -> int | None:
    """The smallest limit a topic of the cluster may have: a topic's max.message.bytes or the
    brokers' limit (``None`` when none is known)."""
    configs = [shape.first.config for shape in topic_shapes(cluster)]
    own = [int_value(config, TOPIC_LIMIT) for config in configs if TOPIC_LIMIT in config]
    known = [limit for limit in (*own, broker_limit) if limit is not None]
    return min(known) if known else None


def _above(smallest: int, profile: ProducerProfile) -> bool:
    size = int_value(profile.config, REQUEST_SIZE)
    return size is not None and size > smallest


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        broker_limit = _broker_limit(cluster)
        smallest = _smallest_limit(cluster, broker_limit)
        if smallest is None:
            continue
        index = topic_index(cluster)
        for profile in producers_where(cluster, partial(_above, smallest)):
            config = profile.config
            size = int_value(config, REQUEST_SIZE)
            if size is None:
                continue
            limits: list[tuple[int, str]] = []
            topics = written_topics(profile, index)
            for topic in topics:
                if TOPIC_LIMIT in topic.config:
                    limit = int_value(topic.config, TOPIC_LIMIT)
                    if limit is not None:
                        limits.append((limit, f"topic {topic.name} max.message.bytes={limit}"))
                elif broker_limit is not None:
                    limits.append((broker_limit, f"topic {topic.name} (broker message.max.bytes={broker_limit})"))
            if not topics and broker_limit is not None:
                limits.append((broker_limit, f"broker message.max.bytes={broker_limit}"))
            too_small = sorted(item for item in limits if item[0] < size)
            if not too_small:
                continue
            smallest = too_small[0][0]
            yield Finding(
                rule_id=ID,
                message=message(
                    f"max.request.size={size} is above {', '.join(text for _limit, text in too_small)}",
                    "larger batches fail with MESSAGE_TOO_LARGE",
                    f"set max.request.size to at most {smallest}, or raise the limits it exceeds",
                ),
                location=location_of(config, REQUEST_SIZE),
                subject=profile_subject(profile),
                hint="Keep max.request.size <= the topic's max.message.bytes (broker default message.max.bytes).",
            )
