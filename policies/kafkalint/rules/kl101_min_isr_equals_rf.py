"""min.insync.replicas equals the replication factor: one broker down blocks every acks=all write.

**What it checks.** For every declared topic, and for the broker defaults that topics created
without overrides (or auto-created) get (``default.replication.factor`` with the brokers'
``min.insync.replicas``): the effective ``min.insync.replicas`` equals the replication factor,
and the replication factor is above 1. The topic's own ``min.insync.replicas`` wins over the
brokers'; a topic without ``replication_factor`` gets ``default.replication.factor``.

**Why.** A producer with ``acks=all`` (the default since Kafka 3.0) needs at least
``min.insync.replicas`` replicas in sync for a write to succeed. With RF 3 and
``min.insync.replicas=3`` every replica must be in sync: one broker down, a rolling restart,
or one slow follower dropped from the ISR makes every ``acks=all`` write fail with
``NOT_ENOUGH_REPLICAS`` (``NotEnoughReplicasException``). The setting buys no extra
durability over RF - 1 and costs all availability. Kafka accepts the configuration silently.

A value *above* the replication factor is KL102's finding (from Kafka 3.7 it is capped to the
replication factor and then behaves as here; it is reported once, as KL102).

**Where.** The line to change: the topic's ``min.insync.replicas`` when it sets one; the topic's
``replication_factor`` when only that is the topic's own; otherwise the brokers'
``min.insync.replicas`` (reported once, naming every topic that inherits it).

Problematic (the seeds' example)::

    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3, config: {min.insync.replicas: 3}}

Correct::

    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3, config: {min.insync.replicas: 2}}

**Source.** Kafka documentation, ``min.insync.replicas`` ("a typical scenario would be to
create a topic with a replication factor of 3, set min.insync.replicas to 2, and produce with
an acks of all"); seeds 001 ("min.insync.replicas=3: if one of the three dies, the condition
cannot be met"; "use min.insync.replicas=2 with replication factor 3"); effective min ISR =
min(min.insync.replicas, RF) from Kafka 3.7.0, KAFKA-15583
(``core/src/main/scala/kafka/cluster/Partition.scala``).

**Proof.** On the live test cluster (tests/live/test_live_durability.py): one broker stopped,
every acks=all send failed with NotEnoughReplicasException; with RF 3 / min ISR 2 it succeeded.
A producer that retries (the default) reports TimeoutException after delivery.timeout.ms
instead. Figures: docs/proofs.md#kl101.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model
from kafkalint.rules._replication import DEFAULT_RF, MIN_ISR, Replication, replication_problems, subjects
from kafkalint.rules._report import Group, message

ID = "KL101"
NAME = "min-isr-equals-rf"
SEVERITY = Severity.ERROR

_EFFECT = "one broker down, or a rolling restart, blocks every acks=all write (NOT_ENOUGH_REPLICAS)"


def _bad(rf: int, min_isr: int) -> bool:
    return rf > 1 and min_isr == rf


def _message(group: Group[Replication]) -> str:
    first = group.items[0]
    rf, min_isr = first.rf, first.min_isr
    if group.kind == MIN_ISR:
        return message(
            f"min.insync.replicas={min_isr} equals the replication factor {rf} of {subjects(group.items)}",
            _EFFECT,
            f"set min.insync.replicas to {rf - 1}",
        )
    if group.kind == DEFAULT_RF:
        return message(
            f"default.replication.factor={rf} equals the brokers' min.insync.replicas={min_isr} "
            f"(for {subjects(group.items)})",
            _EFFECT,
            f"raise default.replication.factor to {min_isr + 1} or set min.insync.replicas to {rf - 1}",
        )
    return message(
        f"replication_factor {rf} of {first.subject} equals the brokers' min.insync.replicas={min_isr}",
        _EFFECT,
        f"raise replication_factor to {min_isr + 1} or set the topic's min.insync.replicas to {rf - 1}",
    )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    for group in replication_problems(cluster, _bad):
        yield Finding(
            rule_id=ID,
            message=_message(group),
            location=group.location,
            subject=subjects(group.items),
            hint="keep min.insync.replicas at most RF - 1: RF 3 with min.insync.replicas 2 survives one broker down",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
