"""Broker ids are duplicated, out of Kafka's range, or broker.id and node.id disagree.

**What it checks.** For every broker, its id as Kafka reads it (``broker.id``, else ``node.id``;
in an inventory ``broker.id`` is derived from ``kafka_broker_id``):

- ``broker.id`` and ``node.id`` both set to different values;
- ZooKeeper mode (no ``process.roles``): with ``broker.id.generation.enable=true`` (the
  default) the id must lie in [-1, ``reserved.broker.max.id``] (default 1000; -1 asks Kafka to
  generate one); with generation disabled it must be 0 or more;
- KRaft mode: ``node.id`` must be 0 or more;
- two brokers of one cluster with the same id: each broker after the first is reported.

**Why.** The id is the broker's identity in the cluster: replicas, leaders and the ISR are
lists of ids. The second broker registering an id already taken fails to start in ZooKeeper
mode (``NodeExistsException`` on ``/brokers/ids/<id>``) or fences the first in KRaft; an id
above ``reserved.broker.max.id`` collides with the range Kafka hands out to brokers that ask
for a generated id.

**Kafka rejects it** out-of-range ids at startup (``KafkaConfig.validateValues``), with::

    broker.id must be greater than or equal to 0
    broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id
    You must set `node.id` to the same value as `broker.id`.
    Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode).

Kafka logs the checks it makes with Scala's ``require`` (the two ``broker.id`` messages) as
``java.lang.IllegalArgumentException: requirement failed: <message>``.

**Where.** The line that sets the id (``kafka_broker_id`` of the host in an inventory).

Problematic::

    kafka_broker:
      kafka1: {kafka_broker_id: 1}
      kafka2: {kafka_broker_id: 1}

Correct::

    kafka_broker:
      kafka1: {kafka_broker_id: 1}
      kafka2: {kafka_broker_id: 2}

**Source.** apache/kafka ``core/src/main/scala/kafka/server/KafkaConfig.scala`` (3.9,
``validateValues`` and ``populateSynonyms``); Kafka documentation, ``broker.id``,
``broker.id.generation.enable``, ``reserved.broker.max.id``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Location, Model
from kafkalint.rules._cluster import is_kraft
from kafkalint.rules._report import message
from kafkalint.rules._values import bool_value, int_value, where_to_change

ID = "KL303"
NAME = "broker-id"
SEVERITY = Severity.ERROR

MISMATCH = "You must set `node.id` to the same value as `broker.id`."
NOT_NEGATIVE = "broker.id must be greater than or equal to 0"
GENERATED_RANGE = "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id"
KRAFT_MISSING = (
    "Missing configuration `node.id` which is required when `process.roles` is defined "
    "(i.e. when running in KRaft mode)."
)


def broker_id(broker: Broker) -> tuple[int | None, str, Location]:
    """The id Kafka uses (``broker.id``, else ``node.id``), the key it comes from and its line."""
    config = broker.config
    if "broker.id" in config:
        key = "broker.id"
    elif "node.id" in config:
        key = "node.id"
    else:
        key = "node.id" if is_kraft(broker) else "broker.id"
        return int_value(config, key), key, config.location
    return int_value(config, key), key, where_to_change(config, key)


def _finding(broker: Broker, text: str, where: Location) -> Finding:
    return Finding(
        rule_id=ID,
        message=text,
        location=where,
        subject=f"broker {broker.name}",
        hint="give every broker a unique kafka_broker_id between 0 and reserved.broker.max.id (1000)",
    )


def _range_problem(broker: Broker) -> Finding | None:
    config = broker.config
    explicit_broker, explicit_node = int_value(config, "broker.id"), int_value(config, "node.id")
    both = "broker.id" in config and "node.id" in config and None not in (explicit_broker, explicit_node)
    if both and explicit_broker != explicit_node:
        return _finding(
            broker,
            message(
                f"broker {broker.name} has broker.id={explicit_broker} but node.id={explicit_node}",
                "the broker does not start",
                f"remove node.id or make it {explicit_broker}",
                kafka=MISMATCH,
            ),
            where_to_change(config, "node.id"),
        )
    value, key, where = broker_id(broker)
    if value is None:
        return None
    if is_kraft(broker):
        if value < 0:
            return _finding(
                broker,
                message(
                    f"broker {broker.name} runs in KRaft mode without a node.id of 0 or more",
                    "the node does not start",
                    "set node.id",
                    kafka=KRAFT_MISSING,
                ),
                where,
            )
        return None
    if bool_value(config, "broker.id.generation.enable") is False:
        if value < 0:
            return _finding(
                broker,
                message(
                    f"{key}={value} of broker {broker.name} is negative with broker.id.generation.enable=false",
                    "the broker does not start",
                    "set it to 0 or more",
                    kafka=NOT_NEGATIVE,
                ),
                where,
            )
        return None
    reserved = int_value(config, "reserved.broker.max.id")
    if reserved is not None and not -1 <= value <= reserved:
        return _finding(
            broker,
            message(
                f"{key}={value} of broker {broker.name} is outside [-1, {reserved}] (reserved.broker.max.id)",
                "the broker does not start",
                f"use an id from 0 to {reserved}",
                kafka=GENERATED_RANGE,
            ),
            where,
        )
    return None


def _duplicates(cluster: Cluster) -> Iterator[Finding]:
    owners: dict[int, Broker] = {}
    for broker in cluster.brokers:
        value, key, where = broker_id(broker)
        if value is None or value < 0:  # -1: generated by Kafka, unique
            continue
        first = owners.setdefault(value, broker)
        if first is not broker:
            yield _finding(
                broker,
                message(
                    f"broker {broker.name} has {key} {value}, already the id of broker {first.name}",
                    "the second broker to start fails to register",
                    "give it a unique id",
                ),
                where,
            )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    for broker in cluster.brokers:
        problem = _range_problem(broker)
        if problem is not None:
            yield problem
    yield from _duplicates(cluster)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
