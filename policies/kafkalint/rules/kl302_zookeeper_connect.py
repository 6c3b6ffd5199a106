"""zookeeper.connect is missing, leaves out ensemble servers, or brokers disagree on the chroot.

**What it checks.** For brokers in ZooKeeper mode (Kafka before 4.0, no ``process.roles``):

- ``zookeeper.connect`` is not set at all (Kafka refuses to start);
- it leaves out servers of the cluster's ZooKeeper ensemble (the ``zookeeper`` group of an
  inventory, or the ``server.N`` lines of a ``zoo.cfg`` read in the same run), compared as
  ``host:clientPort``;
- brokers of one cluster use different chroot paths (the ``/path`` suffix; none counts as
  the root): each broker off the most common chroot is reported.

**Why.** The broker connects to the servers listed and fails over only among them: an
ensemble of three listed as one server makes that server a single point of failure for every
broker, although ZooKeeper itself would survive its loss. The chroot is the cluster: brokers
with different chroots register in different ``/brokers/ids`` trees, elect separate
controllers and form separate clusters that each hold part of the brokers (a split cluster,
with topics created twice or not found). Kafka accepts a partial list and any chroot.

**Kafka rejects it** a missing key at startup (``KafkaConfig.validateValues``)::

    Missing required configuration `zookeeper.connect` which has no default value.

**Where.** The broker's ``zookeeper.connect`` line (in an inventory, the variable it is derived
from, e.g. ``kafka_broker_zookeeper_chroot``), or the broker's properties when it is missing.

Problematic::

    zookeeper.connect=zk1:2181/kafka          # ensemble zk1, zk2, zk3

Correct::

    zookeeper.connect=zk1:2181,zk2:2181,zk3:2181/kafka

**Source.** Kafka documentation, ``zookeeper.connect`` ("to allow connecting through other
ZooKeeper nodes when that ZooKeeper machine is down you can also specify multiple hosts";
the chroot "path ... puts all this cluster's data under some path"); apache/kafka
``core/src/main/scala/kafka/server/KafkaConfig.scala`` (3.9, ``validateValues``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners, placeholders
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Model, ZooKeeperNode
from kafkalint.rules._cluster import zookeeper_brokers
from kafkalint.rules._report import Collector, brokers_phrase, message
from kafkalint.rules._values import int_value, str_value, where_to_change

ID = "KL302"
NAME = "zookeeper-connect"
SEVERITY = Severity.ERROR

KEY = "zookeeper.connect"
MISSING = "Missing required configuration `zookeeper.connect` which has no default value."

_SERVER = re.compile(r"^server\.\d+$")

Address = tuple[str, int]


def _client_port(node: ZooKeeperNode) -> int:
    return int_value(node.config, "clientPort") or listeners.ZOOKEEPER_PORT


def ensemble(cluster: Cluster) -> list[Address]:
    """The client addresses of the cluster's ZooKeeper servers, in order."""
    result: list[Address] = []
    for node in cluster.zookeepers:
        servers = [setting for setting in node.config if _SERVER.match(setting.key)]
        if servers:
            for setting in servers:
                if placeholders.unresolved(setting) is not None:
                    continue  # KL005's: a value that cannot be judged
                address = listeners.zookeeper_server(str(setting.raw), _client_port(node))
                if address is not None:
                    result.append(address)
        elif node.address:
            result.append((node.address.lower(), _client_port(node)))
    return list(dict.fromkeys(result))


def _text(address: Address) -> str:
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _missing_key(brokers: list[Broker]) -> Iterator[Finding]:
    found: Collector[Broker] = Collector()
    for broker in brokers:
        if KEY not in broker.config:
            found.add(broker.config.location, "", broker)
    for group in found:
        who = brokers_phrase(group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"{who} has no {KEY}", "the broker does not start", "list every ZooKeeper server", kafka=MISSING
            ),
            location=group.location,
            subject=who,
            hint="zookeeper.connect=zk1:2181,zk2:2181,zk3:2181/kafka",
        )


def _missing_servers(cluster: Cluster, brokers: list[Broker]) -> Iterator[Finding]:
    servers = ensemble(cluster)
    if not servers:
        return
    found: Collector[Broker] = Collector()
    for broker in brokers:
        connect = str_value(broker.config, KEY) if KEY in broker.config else None
        if connect is None:
            continue
        listed, _ = listeners.zookeeper_connect(connect)
        missing = [server for server in servers if server not in listed]
        if missing:
            found.add(where_to_change(broker.config, KEY), ",".join(map(_text, missing)), broker)
    for group in found:
        who = brokers_phrase(group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"{KEY} of {who} leaves out ZooKeeper server(s) {group.kind}",
                "the broker cannot fail over to them",
                f"list all {len(servers)} servers ({','.join(map(_text, servers))})",
            ),
            location=group.location,
            subject=who,
            hint="list every ensemble server in zookeeper.connect so a broker survives one server's loss",
        )


def _chroots(brokers: list[Broker]) -> Iterator[Finding]:
    chroots: dict[str, str] = {}
    for broker in brokers:
        connect = str_value(broker.config, KEY) if KEY in broker.config else None
        if connect is not None:
            chroots[broker.name] = listeners.zookeeper_connect(connect)[1]
    if len(set(chroots.values())) < 2:
        return
    counts = Counter(chroots.values())
    # The most common chroot is the cluster's; on a tie, the first broker's.
    reference = max(counts, key=lambda chroot: (counts[chroot], chroot == next(iter(chroots.values()))))
    holding = [broker for broker in brokers if chroots.get(broker.name) == reference]
    holders = brokers_phrase(holding) + (" uses" if len(holding) == 1 else " use")
    found: Collector[Broker] = Collector()
    for broker in brokers:
        chroot = chroots.get(broker.name)
        if chroot is not None and chroot != reference:
            found.add(where_to_change(broker.config, KEY), chroot, broker)
    for group in found:
        who = brokers_phrase(group.items)
        verb = "uses" if len(group.items) == 1 else "use"
        yield Finding(
            rule_id=ID,
            message=message(
                f"{who} {verb} the ZooKeeper chroot '{group.kind or '/'}' while {holders} '{reference or '/'}'",
                "they register as separate clusters (a split cluster)",
                f"use '{reference or '/'}' on every broker",
            ),
            location=group.location,
            subject=who,
            hint="every broker of one cluster needs the same zookeeper.connect chroot",
        )


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    brokers = zookeeper_brokers(cluster)
    if not brokers:
        return
    yield from _missing_key(brokers)
    yield from _missing_servers(cluster, brokers)
    yield from _chroots(brokers)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
