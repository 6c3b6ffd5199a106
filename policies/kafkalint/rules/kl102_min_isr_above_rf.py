"""min.insync.replicas is above the replication factor: acks=all writes fail, or the setting is silently capped.

**What it checks.** For every declared topic, and for the broker defaults
(``default.replication.factor`` with the brokers' ``min.insync.replicas``): the effective
``min.insync.replicas`` is greater than the replication factor. The topic's own
``min.insync.replicas`` wins over the brokers'; a topic without ``replication_factor`` gets
``default.replication.factor``.

**Why (version-aware).** Before Kafka 3.7 the ISR can never hold more replicas than the
replication factor, so every ``acks=all`` write (the producer default since 3.0) fails with
``NOT_ENOUGH_REPLICAS``: the topic is read-only for safe producers from the start. From 3.7.0
(KAFKA-15583) the broker uses min(min.insync.replicas, RF): the value is silently capped to
the replication factor, which then behaves as KL101 (one broker down blocks every
``acks=all`` write; with RF 1 the setting simply has no effect and promises a durability it
does not give). Kafka accepts the configuration either way. This rule reports the capped case
too, once, instead of a KL101 finding at the same line.

**Where.** The line to change: the topic's ``min.insync.replicas`` when it sets one; the topic's
``replication_factor`` when only that is the topic's own; otherwise the brokers'
``min.insync.replicas`` (reported once, naming every topic that inherits it).

Problematic::

    kafka_broker_properties:
      default.replication.factor: 2
      min.insync.replicas: 3

Correct::

    kafka_broker_properties:
      default.replication.factor: 3
      min.insync.replicas: 2

**Source.** Kafka documentation, ``min.insync.replicas``; KAFKA-15583 (Kafka 3.7.0,
``core/src/main/scala/kafka/cluster/Partition.scala``: ``effectiveMinIsr`` =
min(min.insync.replicas, replica count)); seeds 001 (min.insync.replicas=2 with RF 3).

**Proof.** On the live test cluster (tests/live/test_live_durability.py): Kafka 3.9.1 accepted
min ISR 4 on RF 3 and capped it to 3: writes succeeded with every broker up and failed with one
down. Figures: docs/proofs.md#kl102.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model
from kafkalint.rules._replication import (
    DEFAULT_RF,
    MIN_ISR,
    Replication,
    replication_problems,
    subject_phrase,
    subjects,
)
from kafkalint.rules._report import Group, message, names
from kafkalint.versions import KafkaVersion

ID = "KL102"
NAME = "min-isr-above-rf"
SEVERITY = Severity.ERROR

#: From this release the broker caps min.insync.replicas to the replication factor.
CAPPED_FROM = KafkaVersion(3, 7)


def _bad(rf: int, min_isr: int) -> bool:
    return min_isr > rf >= 1


def _effect(rf: int, version: KafkaVersion) -> str:
    if version < CAPPED_FROM:
        return "every acks=all write fails with NOT_ENOUGH_REPLICAS"
    if rf > 1:
        return f"Kafka {CAPPED_FROM.line}+ silently caps it to {rf}, so one broker down blocks every acks=all write"
    return f"Kafka {CAPPED_FROM.line}+ silently caps it to 1: it has no effect and guarantees no second copy"


def _message(group: Group[Replication], version: KafkaVersion) -> str:
    first = group.items[0]
    lowest = min(item.rf for item in group.items)
    target = max(1, lowest - 1)
    if group.kind == MIN_ISR:
        factors = {item.rf for item in group.items}
        if len(factors) == 1:
            what = f"the replication factor {first.rf} of {subjects(group.items)}"
        else:
            what = "the replication factor of " + names(f"{subject_phrase(item)} ({item.rf})" for item in group.items)
        return message(
            f"min.insync.replicas={first.min_isr} is above {what}",
            _effect(lowest, version),
            f"set min.insync.replicas to {target} or raise the replication factor to {first.min_isr + 1}",
        )
    if group.kind == DEFAULT_RF:
        return message(
            f"default.replication.factor={first.rf} is below the brokers' min.insync.replicas={first.min_isr} "
            f"(for {subjects(group.items)})",
            _effect(first.rf, version),
            f"raise default.replication.factor to {first.min_isr + 1} or set min.insync.replicas to {target}",
        )
    return message(
        f"replication_factor {first.rf} of {first.subject} is below the brokers' min.insync.replicas={first.min_isr}",
        _effect(first.rf, version),
        f"raise replication_factor to {first.min_isr + 1} or set the topic's min.insync.replicas to {target}",
    )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    for group in replication_problems(cluster, _bad):
        yield Finding(
            rule_id=ID,
            message=_message(group, cluster.version),
            location=group.location,
            subject=subjects(group.items),
            hint="min.insync.replicas must stay below the replication factor: RF 3 with min.insync.replicas 2",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
