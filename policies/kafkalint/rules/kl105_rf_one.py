"""Replication factor 1 in a cluster of several brokers: losing one broker loses data.

**What it checks.** In a cluster of 2 or more brokers (an inventory's, or loose broker files
of one cluster: the brokers given, or the stated count), every declared topic whose
replication factor (its own, else ``default.replication.factor``) is 1, and the brokers'
``default.replication.factor`` when it is 1 (Kafka's default, which every topic created
without a factor, and every auto-created topic, gets).

**Why.** A partition with one replica lives on one broker's disks. When that broker or disk
fails, the partition is offline; when the disk is lost, so is the data, while the other brokers
could have held copies. Kafka accepts it silently (it is the default).

**Where.** The topic's ``replication_factor`` line, else the brokers'
``default.replication.factor`` (reported once, naming every topic that inherits it).

**Options.** ``production_only`` (default ``true``): only clusters known to be production are
checked (an inventory's ``kafka_cluster_environment``, production by default; loose files
only when their environment is stated), so a development cluster may keep single copies.
Set it to ``false`` to check every cluster::

    rules:
      KL105: {options: {production_only: false}}

Problematic (three brokers, production)::

    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 1}

Correct::

    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3}

**Source.** Kafka documentation, Replication ("a replication factor of 3 is common");
``default.replication.factor`` (default 1); seeds 001 (RF 3 with min.insync.replicas 2).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model
from kafkalint.rules._cluster import known_brokers, least_brokers, production
from kafkalint.rules._replication import Factor, replication_factors
from kafkalint.rules._report import Collector, message, names
from kafkalint.rules._values import as_bool

ID = "KL105"
NAME = "rf-one"
SEVERITY = Severity.WARNING


def _check_cluster(cluster: Cluster, production_only: bool) -> Iterator[Finding]:
    brokers = least_brokers(cluster)
    if brokers < 2 or (production_only and production(cluster) is not True):
        return
    target = min(3, brokers)
    size = f"{brokers}" if known_brokers(cluster) is not None else f"at least {brokers}"
    found: Collector[Factor] = Collector()
    for factor in replication_factors(cluster, lambda rf: rf == 1):
        found.add(factor.location, "", factor)
    for group in found:
        what = names(item.subject for item in group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"replication factor 1 for {what} in a cluster of {size} brokers",
                "losing the broker that holds a partition loses its data",
                f"set it to {target}",
            ),
            location=group.location,
            subject=what,
            hint="replicate to 3 brokers (or every broker when there are fewer) with min.insync.replicas 2",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    # The configuration schema types the option; a value that is not a boolean keeps the default.
    production_only = as_bool(options.get("production_only", True)) is not False
    for cluster in model.clusters:
        yield from _check_cluster(cluster, production_only)
