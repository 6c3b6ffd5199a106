"""min.insync.replicas=1 on a replicated topic written with acks=all: acknowledged writes may live on one replica.

**What it checks.** A topic with replication factor 2 or more whose effective
``min.insync.replicas`` is 1 (Kafka's default), written by at least one producer profile whose
effective ``acks`` is ``all`` (explicit ``all`` / ``-1``, or unset on Kafka 3.0+ where ``all``
is the default, KIP-679). Declared topics use their own settings, else the brokers'; topics a
producer names that no ``kafka_topics`` entry declares get the broker defaults
(``default.replication.factor`` with ``min.insync.replicas``).

**Why.** ``acks=all`` waits for the replicas *in the ISR*, and the ISR may shrink to the leader
alone. With ``min.insync.replicas=1`` the leader then acknowledges writes nobody else holds;
if that broker fails, the acknowledged writes are gone although the producer asked for the
strongest guarantee. The seeds say it plainly: "min.insync.replicas = 1 behaves like acks=1".
Kafka accepts it silently.

**Where.** The line that sets ``min.insync.replicas`` for the topic (its own config, else the
brokers'; when nobody sets it, the broker properties where it should be added), reported once
per line with every affected topic and producer.

Problematic::

    kafka_broker_properties: {min.insync.replicas: 1}
    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3}
    kafka_producer_profiles:
      - {name: orders-service, topics: [orders], config: {acks: all}}

Correct::

    kafka_broker_properties: {min.insync.replicas: 2}

**Source.** Kafka documentation, ``min.insync.replicas`` and ``acks``; seeds 001 (acks=all
must be paired with broker settings: "min.insync.replicas = 1: works like acks=1",
"min.insync.replicas=2 with replication factor 3"); KIP-679 (``acks=all`` default from 3.0).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalint.facts import producers_where, topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model
from kafkalint.rules._cluster import undeclared_topics, writers
from kafkalint.rules._replication import broker_defaults, default_replication, topic_replication, topic_values
from kafkalint.rules._report import Collector, message, names
from kafkalint.rules._values import ALL, acks

ID = "KL103"
NAME = "min-isr-one-with-acks-all"
SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class _Exposed:
    """A topic with min ISR 1 and the ``acks=all`` producers that write to it."""

    topic: str
    rf: int
    producers: tuple[str, ...]


def _exposed(rf: int | None, min_isr: int | None) -> bool:
    return min_isr == 1 and rf is not None and rf >= 2


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    inherited = broker_defaults(cluster)
    exposed = topics_where(cluster, lambda topic: _exposed(*topic_values(topic, inherited)))
    defaults = default_replication(cluster)
    if not exposed and (defaults is None or not _exposed(defaults.rf, defaults.min_isr)):
        return
    found: Collector[_Exposed] = Collector()
    safe = {id(profile) for profile in producers_where(cluster, lambda profile: acks(profile.config) == ALL)}
    safe_writers = {
        topic: tuple(profile.name for profile in profiles if id(profile) in safe)
        for topic, profiles in writers(cluster).items()
    }
    if not any(safe_writers.values()):
        return
    for topic in exposed:
        producers = safe_writers.get(topic.name)
        if not producers:
            continue
        pair = topic_replication(cluster, topic, inherited)
        if pair is not None:
            found.add(pair.min_isr_location, "", _Exposed(topic.name, pair.rf, producers))
    if defaults is not None and _exposed(defaults.rf, defaults.min_isr):
        for name in undeclared_topics(cluster):
            producers = safe_writers.get(name)
            if producers:
                found.add(defaults.min_isr_location, "", _Exposed(name, defaults.rf, producers))
    for group in found:
        topics = names(f"topic {item.topic} (replication factor {item.rf})" for item in group.items)
        profiles = names(name for item in group.items for name in item.producers)
        lowest = min(item.rf for item in group.items)
        fix = "set min.insync.replicas to 2" if lowest >= 3 else "use replication factor 3 with min.insync.replicas 2"
        yield Finding(
            rule_id=ID,
            message=message(
                f"min.insync.replicas=1 on {topics} written with acks=all by {profiles}",
                "an acknowledged write may exist on the leader only and is lost with that broker",
                fix,
            ),
            location=group.location,
            subject=names(f"topic {item.topic}" for item in group.items),
            hint="acks=all only guarantees min.insync.replicas copies: RF 3 with min.insync.replicas 2",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
