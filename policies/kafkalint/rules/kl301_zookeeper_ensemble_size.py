"""The ZooKeeper ensemble has an even number of servers, or too few for production.

**What it checks.** The size of the ZooKeeper ensemble of a cluster whose brokers run in
ZooKeeper mode (Kafka before 4.0): the hosts of the ``zookeeper`` group of an inventory or
cluster file, or, for loose ``zoo.cfg`` files, the ``server.N`` lines (none: a standalone
server of one).

- 1 or 2 servers in a production cluster: **error**; where the environment is not stated (a
  loose ``zoo.cfg``), a **warning** saying so;
- an even number of servers (2, 4, 6, ...) otherwise: **warning**;
- a single server in a development cluster is fine.

**Why.** ZooKeeper serves only while a majority (quorum) of the ensemble is up: with N servers
it tolerates floor((N - 1) / 2) failures. One server tolerates none; two tolerate none either
(a majority of 2 is 2), so a second server only adds a way to fail; four tolerate one failure,
the same as three, with one more machine that can break and a larger quorum to wait for.
When ZooKeeper loses its quorum, brokers cannot elect a controller or change leadership, and
the cluster stops adapting to any further failure. ZooKeeper accepts every size.

**Where.** The ensemble's first server (its host in the inventory, or its first ``server.N``
line).

Problematic::

    zookeeper:
      zk1: {zookeeper_id: 1}
      zk2: {zookeeper_id: 2}

Correct::

    zookeeper:
      zk1: {zookeeper_id: 1}
      zk2: {zookeeper_id: 2}
      zk3: {zookeeper_id: 3}

**Source.** ZooKeeper Administrator's Guide, "Clustered (Multi-Server) Setup" ("it is
critical that you have an odd number of machines"; "with four machines ZooKeeper can only
handle the failure of a single machine"); Kafka documentation, Operations: ZooKeeper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Location, Model, ZooKeeperNode
from kafkalint.rules._cluster import production, zookeeper_brokers
from kafkalint.rules._report import message as text

ID = "KL301"
NAME = "zookeeper-ensemble-size"
SEVERITY = Severity.WARNING

_SERVER = re.compile(r"^server\.(\d+)$")


def _servers(node: ZooKeeperNode) -> list[str]:
    return sorted((key for key in node.config.settings if _SERVER.match(key)), key=lambda key: int(key[7:]))


def _ensemble(cluster: Cluster) -> tuple[int, Location] | None:
    nodes = cluster.zookeepers
    if not nodes:
        return None
    first = nodes[0]
    servers = _servers(first)
    if cluster.complete:
        return len(nodes), first.location
    size = max(len(_servers(node)) for node in nodes) or 1
    if servers and first.config.settings[servers[0]].layer == "file":
        return size, first.config.location_of(servers[0])
    return size, first.location


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    if cluster.brokers and not zookeeper_brokers(cluster):
        return  # KRaft, or Kafka 4.0+: no ZooKeeper
    ensemble = _ensemble(cluster)
    if ensemble is None:
        return
    size, where = ensemble
    tolerated = (size - 1) // 2
    environment = production(cluster)
    if size <= 2 and environment is not False:
        # An error only where the cluster is known to be production; unknown: a warning.
        severity: Severity | None = Severity.ERROR if environment else None
        effect = "no server may fail" if size == 2 else "its loss stops the cluster"
        message = text(
            f"ZooKeeper ensemble of {size}" + (" in a production cluster" if environment else ""),
            f"{effect} (a quorum of {size // 2 + 1} is needed)",
            "use 3 servers (or 5)" + ("" if environment else " in production"),
        )
    elif size % 2 == 0:
        severity = None
        message = text(
            f"ZooKeeper ensemble of {size} servers",
            f"it tolerates {tolerated} failure(s), no more than {size - 1} would",
            f"use an odd size ({size - 1} or {size + 1})",
        )
    else:
        return
    yield Finding(
        rule_id=ID,
        message=message,
        location=where,
        subject="zookeeper",
        hint="an ensemble of N tolerates (N - 1) // 2 failures: use 3 or 5 servers",
        severity=severity,
    )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
