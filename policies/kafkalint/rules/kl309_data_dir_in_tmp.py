"""Data, log or ZooKeeper data directories under /tmp in production: they vanish at a reboot.

**What it checks.** In a production cluster, every directory that holds the cluster's data:

- a Kafka node's ``log.dirs`` (else ``log.dir``, whose default is ``/tmp/kafka-logs``) and a
  KRaft node's ``metadata.log.dir``; in an inventory, ``log.dirs`` comes from
  ``kafka_broker_data_dirs``;
- a ZooKeeper server's ``dataDir`` (snapshots) and ``dataLogDir`` (the transaction log); in
  an inventory, ``dataDir`` comes from ``zookeeper_data_dir``.

A directory is under /tmp when it is ``/tmp`` or below it. Where the environment is not
stated (loose files without a context) the finding is a warning; a development cluster may
keep its data in /tmp.

**Why.** /tmp is not storage. It is a tmpfs on many distributions (emptied at every boot),
``systemd-tmpfiles`` deletes what has not been touched for 10 days
(``/usr/lib/tmpfiles.d/tmp.conf``: ``q /tmp 1777 root root 10d``), and the FHS lets any
program assume nothing in it survives. Under systemd with ``PrivateTmp=yes`` (the roles'
units, and many packaged ones) a service's /tmp is a directory of its own that is removed when
the service stops: a broker restarted by a rolling restart comes back with no partitions and
must re-replicate all of them, and a ZooKeeper server without its snapshot and transaction
log rejoins empty. Losing several at once loses the data. Kafka and ZooKeeper accept any
directory.

**Where.** The line of the directory's key (in an inventory, ``kafka_broker_data_dirs`` or
``zookeeper_data_dir``); for Kafka's default ``log.dir``, the node's properties, where
``log.dirs`` belongs.

Problematic::

    log.dirs=/tmp/kafka-logs
    # zoo.cfg
    dataDir=/tmp/zookeeper

Correct::

    log.dirs=/var/lib/kafka/data
    # zoo.cfg
    dataDir=/var/lib/zookeeper

**Source.** Kafka documentation, broker configs ``log.dirs`` / ``log.dir`` (default
``/tmp/kafka-logs``) and ``metadata.log.dir``; ZooKeeper's ``conf/zoo_sample.cfg`` ("do not
use /tmp for storage, /tmp here is just example sakes.") and Administrator's Guide
(``dataDir``, ``dataLogDir``); systemd.exec(5), ``PrivateTmp=``; tmpfiles.d(5); Filesystem
Hierarchy Standard 3.0, 3.18 (/tmp: "Programs must not assume that any files or directories in
/tmp are preserved between invocations of the program").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Model
from kafkalint.rules._cluster import production
from kafkalint.rules._report import Collector, message, names, per_broker
from kafkalint.rules._values import list_value, str_value, where_to_change

ID = "KL309"
NAME = "data-dir-in-tmp"
SEVERITY = Severity.ERROR

HINT = "keep data on a persistent disk: /tmp is emptied at boot, aged out, or private to a service run"
#: What each directory holds, for messages.
_HOLDS = {
    "log.dirs": "the node's partitions",
    "log.dir": "the node's partitions",
    "metadata.log.dir": "the cluster metadata log",
    "dataDir": "the ZooKeeper snapshots",
    "dataLogDir": "the ZooKeeper transaction log",
}
_PERSISTENT = {
    "log.dirs": "/var/lib/kafka/data",
    "log.dir": "/var/lib/kafka/data",
    "metadata.log.dir": "/var/lib/kafka/metadata",
    "dataDir": "/var/lib/zookeeper",
    "dataLogDir": "/var/lib/zookeeper/log",
}


def _in_tmp(path: str) -> bool:
    cleaned = path.strip().rstrip("/") or "/"
    return cleaned == "/tmp" or cleaned.startswith("/tmp/")


def _problem(config: ConfigMap, key: str, directories: list[str]) -> tuple[Location, str] | None:
    under = [directory for directory in directories if _in_tmp(directory)]
    if not under:
        return None
    if key in config:
        problem = f"{key}={','.join(directories)} keeps {_HOLDS[key]} under /tmp"
    else:
        problem = f"log.dirs and log.dir are unset, so {_HOLDS[key]} go to Kafka's default {under[0]}"
    target = "log.dirs" if key == "log.dir" else key
    text = message(
        problem,
        "/tmp is emptied at boot, aged out by systemd-tmpfiles, or private to one run of a service, and the "
        "data goes with it",
        f"set {target} to a persistent directory (e.g. {_PERSISTENT[key]})",
    )
    return where_to_change(config, target if key not in config else key), text


def _node_problems(node: Broker) -> Iterator[tuple[Broker, Location, str]]:
    config = node.config
    key = "log.dirs" if "log.dirs" in config else "log.dir"
    found = _problem(config, key, list_value(config, key))
    if found is not None:
        yield node, *found
    if "metadata.log.dir" in config:
        found = _problem(config, "metadata.log.dir", [str_value(config, "metadata.log.dir") or ""])
        if found is not None:
            yield node, *found


def _zookeeper_findings(cluster: Cluster, severity: Severity | None) -> Iterator[Finding]:
    collector: Collector[str] = Collector()
    for server in cluster.zookeepers:
        for key in ("dataDir", "dataLogDir"):
            if key in server.config:
                found = _problem(server.config, key, [str_value(server.config, key) or ""])
                if found is not None:
                    collector.add(found[0], found[1], server.name)
    for group in collector:
        yield Finding(ID, group.kind, group.location, f"zookeeper {names(group.items)}", HINT, severity)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        environment = production(cluster)
        if environment is False:
            continue
        severity = None if environment else Severity.WARNING  # unknown: no error without certainty
        found = (problem for node in cluster.nodes for problem in _node_problems(node))
        for finding in per_broker(ID, found, HINT):
            yield Finding(finding.rule_id, finding.message, finding.location, finding.subject, finding.hint, severity)
        yield from _zookeeper_findings(cluster, severity)
