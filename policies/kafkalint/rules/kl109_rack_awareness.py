"""Rack awareness is half set up: some brokers lack broker.rack, or there are fewer racks than replicas.

**What it checks.**

- Some brokers set ``broker.rack`` (``kafka_broker_rack`` in an inventory) and others do not:
  reported at each broker without one.
- Every broker of a cluster whose brokers are all given (an inventory, or loose files with a
  stated count that they reach) sets a rack, but there are fewer distinct racks than the
  replication factor of a declared topic (its own, else ``default.replication.factor``) or of
  ``default.replication.factor`` itself.

A cluster where no broker sets a rack is not rack-aware and is not reported.

**Why.** Rack-aware placement needs the rack of every broker: with some missing, creating a
topic or reassigning partitions fails. With fewer racks than replicas, some rack holds two
replicas of a partition; losing that rack (a power feed, a switch, an availability zone) takes
two replicas at once, which with RF 3 and ``min.insync.replicas=2`` blocks every ``acks=all``
write, and with RF 2 loses every copy. Kafka does not reject the layout itself.

**Kafka rejects it** partial rack information at topic creation and reassignment::

    Not all brokers have rack information for replica rack aware assignment.

(``kafka-topics.sh`` / ``kafka-reassign-partitions.sh`` word it "Not all brokers have rack
information. Add --disable-rack-aware in command line to make replica assignment without rack
information.")

**Where.** The broker without a rack (its host, where ``kafka_broker_rack`` goes); for too few
racks, the replication factor's line (the topic's, else the brokers').

Problematic::

    kafka_broker:
      kafka1: {kafka_broker_id: 1, kafka_broker_rack: a}
      kafka2: {kafka_broker_id: 2, kafka_broker_rack: b}
      kafka3: {kafka_broker_id: 3}

Correct::

    kafka_broker:
      kafka1: {kafka_broker_id: 1, kafka_broker_rack: a}
      kafka2: {kafka_broker_id: 2, kafka_broker_rack: b}
      kafka3: {kafka_broker_id: 3, kafka_broker_rack: c}

**Source.** Kafka documentation, Balancing replicas across racks (``broker.rack``, KIP-36);
apache/kafka ``server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java``
(``assignReplicasToBrokers``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Model
from kafkalint.rules._cluster import all_brokers_given
from kafkalint.rules._replication import Factor, replication_factors
from kafkalint.rules._report import Collector, message, names, plural
from kafkalint.rules._values import str_value

ID = "KL109"
NAME = "rack-awareness"
SEVERITY = Severity.WARNING

KEY = "broker.rack"


def _rack(broker: Broker) -> str | None:
    if KEY not in broker.config:
        return None
    rack = str_value(broker.config, KEY)
    return rack or None


def _partial(racked: list[Broker], bare: list[Broker]) -> Iterator[Finding]:
    with_rack = names(broker.name for broker in racked)
    for broker in bare:
        yield Finding(
            rule_id=ID,
            message=message(
                f"broker {broker.name} has no broker.rack while {with_rack} have one",
                "creating or reassigning topics fails",
                f"set broker.rack (kafka_broker_rack) on {broker.name}",
                kafka="Not all brokers have rack information for replica rack aware assignment.",
            ),
            location=broker.location,
            subject=f"broker {broker.name}",
            hint="give every broker its rack, or none of them",
        )


def _too_few(cluster: Cluster, racks: list[str]) -> Iterator[Finding]:
    found: Collector[Factor] = Collector()
    # Above the broker count the topic cannot be created at all: KL104's finding.
    for factor in replication_factors(cluster, lambda rf: len(racks) < rf <= len(cluster.brokers)):
        found.add(factor.location, str(factor.rf), factor)
    rack_list = ", ".join(racks)
    for group in found:
        rf = group.items[0].rf
        what = names(item.subject for item in group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"replication factor {rf} of {what} is more than the {plural(len(racks), 'rack')} ({rack_list}) "
                f"the brokers span",
                "one rack holds two replicas of a partition and losing it takes both",
                f"spread the brokers over at least {rf} racks",
            ),
            location=group.location,
            subject=what,
            hint="use at least as many racks (kafka_broker_rack values) as the replication factor",
        )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    racked = [broker for broker in cluster.brokers if _rack(broker) is not None]
    bare = [broker for broker in cluster.brokers if _rack(broker) is None]
    if not racked:
        return
    if bare:
        yield from _partial(racked, bare)
        return
    if all_brokers_given(cluster):
        racks = sorted({rack for broker in racked if (rack := _rack(broker)) is not None})
        yield from _too_few(cluster, racks)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
