"""A replication factor is larger than the number of brokers: the topic cannot be created.

**What it checks.** In a cluster whose broker count is known (an inventory or cluster file;
loose ``server.properties`` files only with a stated count, ``--brokers N`` or
``# kafkalint: brokers=N``: otherwise more brokers may exist), every declared topic's
replication factor (its own, else ``default.replication.factor``) and the brokers'
``default.replication.factor`` itself, against the number of brokers.

**Why.** Kafka places each replica of a partition on a different broker. A topic whose
replication factor exceeds the broker count is refused at creation; a
``default.replication.factor`` above the broker count makes every topic created without an
explicit factor, and every auto-created topic, fail the same way.

**Kafka rejects it** at topic creation (ZooKeeper mode, ``AdminUtils.assignReplicasToBrokers``)::

    Replication factor: 3 larger than available brokers: 1.

(KRaft words it "The target replication factor of 3 cannot be reached because only 1
broker(s) are registered.")

**Where.** The topic's ``replication_factor`` line, else the brokers'
``default.replication.factor`` (reported once, naming every topic that inherits it).

Problematic (one broker)::

    kafka_broker: {kafka1: {kafka_broker_id: 1}}
    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3}

Correct: add brokers, or use ``replication_factor: 1`` on a development cluster.

**Source.** apache/kafka ``server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java``
(``InvalidReplicationFactorException``); Kafka documentation, ``default.replication.factor``.

**Proof.** On the live test cluster (tests/live/test_live_durability.py): creating an RF 4
topic on 3 brokers failed with Kafka's message; Kafka counts the brokers that are up, so with
one down an RF 3 topic fails the same way. Figures: docs/proofs.md#kl104.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model
from kafkalint.rules._cluster import known_brokers
from kafkalint.rules._replication import Factor, replication_factors
from kafkalint.rules._report import Collector, message, names, plural

ID = "KL104"
NAME = "rf-above-brokers"
SEVERITY = Severity.ERROR


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    brokers = known_brokers(cluster)
    if not brokers:
        return  # loose files without a stated count: more brokers may exist
    found: Collector[Factor] = Collector()
    for factor in replication_factors(cluster, lambda rf: rf > brokers):
        found.add(factor.location, str(factor.rf), factor)
    for group in found:
        rf = group.items[0].rf
        what = names(item.subject for item in group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"replication factor {rf} of {what} is larger than the cluster's {plural(brokers, 'broker')}",
                "the topic cannot be created",
                f"set it to at most {brokers} or add brokers",
                kafka=f"Replication factor: {rf} larger than available brokers: {brokers}.",
            ),
            location=group.location,
            subject=what,
            hint="every replica of a partition lives on a different broker",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
