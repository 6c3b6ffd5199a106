"""Automatic topic creation is on: a mistyped topic name silently creates an unreplicated topic.

**What it checks.** Every broker whose ``auto.create.topics.enable`` is ``true`` (Kafka's
default when the key is absent). Severity is **error** when that broker's
``default.replication.factor`` or ``num.partitions`` is 1 (both are Kafka's defaults): the
topics it creates then have a single replica or a single partition. Otherwise **warning**;
a warning too where that error is not certain: a lone broker file whose environment and
cluster size nobody stated (a single development broker may well create its topics so).

**Why.** With automatic creation, a producer (or a consumer's metadata request) naming a topic
that does not exist creates it with the broker defaults: ``num.partitions`` partitions and
``default.replication.factor`` replicas. A typo (``oders`` for ``orders``) becomes a real
topic that takes the writes nobody reads, and with Kafka's defaults it has one partition on
one broker, so it is neither scalable nor durable. Declared topics (``kafka_topics``) are
reviewed and replicated; auto-created ones are not. Kafka accepts it silently. The seeds turn
it on for the console-producer demo; production clusters should not.

**Where.** The ``auto.create.topics.enable`` line, or where it should be added (the broker
properties) when it is unset; reported once per line.

Problematic::

    kafka_broker_properties:
      auto.create.topics.enable: true

Correct::

    kafka_broker_properties:
      auto.create.topics.enable: false
    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3}

**Source.** Kafka documentation, ``auto.create.topics.enable`` (default true),
``num.partitions`` and ``default.replication.factor`` (default 1); seeds 000 ("automatic topic
creation for a topic that does not exist: auto.create.topics.enable=true").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Model
from kafkalint.rules._cluster import least_brokers, production
from kafkalint.rules._report import Collector, brokers_phrase, message, names
from kafkalint.rules._values import authored, bool_value, int_value, where_to_change

ID = "KL107"
NAME = "auto-create-topics"
SEVERITY = Severity.WARNING

KEY = "auto.create.topics.enable"


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    # An error needs to know the topics matter: a known environment, or several brokers.
    certain = production(cluster) is not None or least_brokers(cluster) >= 2
    found: Collector[Broker] = Collector()
    for broker in cluster.brokers:
        if bool_value(broker.config, KEY) is True:
            found.add(where_to_change(broker.config, KEY), "", broker)
    for group in found:
        weak = []
        for broker in group.items:
            for key in ("default.replication.factor", "num.partitions"):
                if int_value(broker.config, key) == 1:
                    weak.append(f"{key}=1")
        first = group.items[0].config
        state = f"{KEY}=true" if authored(first, KEY) else f"{KEY} is unset (Kafka's default: true)"
        created = (
            f"a topic with {names(weak)}" if weak else "a topic from the broker defaults, outside the reviewed list"
        )
        yield Finding(
            rule_id=ID,
            message=message(
                state,
                f"a mistyped topic name silently creates {created}",
                f"set {KEY}=false and declare topics in kafka_topics",
            ),
            location=group.location,
            subject=brokers_phrase(group.items),
            hint="declare every topic with its partitions and replication factor; let the brokers refuse unknown ones",
            severity=Severity.ERROR if weak and certain else None,
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
