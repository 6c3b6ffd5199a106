"""Internal topics cannot be replicated as configured: consumer groups or transactions become unavailable.

**What it checks.** On every broker:

- ``offsets.topic.replication.factor`` (``__consumer_offsets``, default 3) and
  ``transaction.state.log.replication.factor`` (``__transaction_state``, default 3) larger than
  the number of brokers (when the count is known: an inventory, or a stated count for loose
  files), or equal to 1 in a cluster of 2 or more brokers (loose broker files of one cluster
  count too);
- ``transaction.state.log.min.isr`` (default 2) above
  ``transaction.state.log.replication.factor``, or equal to it when that is above 1.

**Why.** The broker creates ``__consumer_offsets`` on the first consumer-group request and
``__transaction_state`` on the first transactional producer, with these settings. With fewer
brokers than the replication factor the creation fails, the broker only logs it, and clients
retry forever: consumers never find a group coordinator (``COORDINATOR_NOT_AVAILABLE``) and
transactional producers never initialise. The log line depends on the release, e.g. (2.x)::

    Number of alive brokers '1' does not meet the required replication factor '3' for the
    offsets topic (configured via 'offsets.topic.replication.factor'). This error can be
    ignored if the cluster is starting up and not all brokers are up yet.

or, where the creation goes through the ordinary topic path, "Replication factor: 3 larger
than available brokers: 1.". A factor of 1 in a larger cluster puts every group's committed
offsets, or every transaction's state, on one broker: losing it stops the groups or
transactions of its partitions. A ``transaction.state.log.min.isr`` equal to the factor blocks
transactions whenever one replica is down (above it, before Kafka 3.7, always). The broker
starts either way: only the log tells.

**Where.** The line of the offending key, or where it should be added when a default is the
problem; reported once per line.

Problematic (one broker, Kafka defaults)::

    # server.properties: offsets.topic.replication.factor defaults to 3

Correct (three brokers)::

    kafka_broker_properties:
      offsets.topic.replication.factor: 3
      transaction.state.log.replication.factor: 3
      transaction.state.log.min.isr: 2

**Source.** Kafka documentation, ``offsets.topic.replication.factor``,
``transaction.state.log.replication.factor``, ``transaction.state.log.min.isr``; apache/kafka
``core/src/main/scala/kafka/server/AutoTopicCreationManager.scala`` (internal topics are
created with these factors) and ``KafkaApis.scala`` (the log line above).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Model
from kafkalint.rules._cluster import known_brokers, least_brokers
from kafkalint.rules._report import Collector, brokers_phrase, message, plural
from kafkalint.rules._values import int_value, where_to_change

ID = "KL108"
NAME = "internal-topic-replication"
SEVERITY = Severity.ERROR

_TOPICS = {
    "offsets.topic.replication.factor": ("__consumer_offsets", "consumer groups"),
    "transaction.state.log.replication.factor": ("__transaction_state", "transactions"),
}
MIN_ISR = "transaction.state.log.min.isr"
TX_RF = "transaction.state.log.replication.factor"


def _factor_problems(cluster: Cluster, broker: Broker, found: Collector[tuple[Broker, str]]) -> None:
    # Above the count needs the count; RF 1 with two brokers needs two brokers given.
    brokers = known_brokers(cluster)
    given = least_brokers(cluster)
    for key, (topic, users) in _TOPICS.items():
        rf = int_value(broker.config, key)
        if rf is None:
            continue
        where = where_to_change(broker.config, key)
        if brokers and rf > brokers:
            found.add(
                where,
                key,
                (
                    broker,
                    message(
                        f"{key}={rf} is larger than the cluster's {plural(brokers, 'broker')}",
                        f"{topic} is never created (the broker only logs it) and {users} stay unavailable",
                        f"set it to {min(3, brokers)}",
                    ),
                ),
            )
        elif rf == 1 and given >= 2:
            found.add(
                where,
                key,
                (
                    broker,
                    message(
                        f"{key}=1 in a cluster of {given if brokers else f'at least {given}'} brokers",
                        f"{topic} lives on one broker, and losing it makes the {users} of its partitions unavailable",
                        f"set it to {min(3, given)}",
                    ),
                ),
            )


def _min_isr_problem(cluster: Cluster, broker: Broker, found: Collector[tuple[Broker, str]]) -> None:
    rf = int_value(broker.config, TX_RF)
    min_isr = int_value(broker.config, MIN_ISR)
    if rf is None or min_isr is None:
        return
    if min_isr > rf or (min_isr == rf and rf > 1):
        relation = "equals" if min_isr == rf else "is above"
        # Suggest below the factor the cluster can actually hold (a larger one is reported too).
        count = known_brokers(cluster)
        usable = min(rf, count) if count else rf
        effect = (
            "one broker down blocks every transaction"
            if min_isr == rf
            else "transactions fail (Kafka 3.7+ caps it and then one broker down blocks them)"
        )
        found.add(
            where_to_change(broker.config, MIN_ISR),
            MIN_ISR,
            (
                broker,
                message(
                    f"{MIN_ISR}={min_isr} {relation} {TX_RF}={rf}", effect, f"set {MIN_ISR} to {max(1, usable - 1)}"
                ),
            ),
        )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    found: Collector[tuple[Broker, str]] = Collector()
    for broker in cluster.brokers:
        _factor_problems(cluster, broker, found)
        _min_isr_problem(cluster, broker, found)
    for group in found:
        yield Finding(
            rule_id=ID,
            message=group.items[0][1],
            location=group.location,
            subject=brokers_phrase(broker for broker, _ in group.items),
            hint="replicate internal topics like data topics: factor 3 with transaction.state.log.min.isr 2",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
