"""ZooKeeper settings on KRaft nodes outside a migration, or a metadata mode the Kafka version does not have.

**What it checks.**

- ZooKeeper settings (``zookeeper.*``) on a KRaft node (``process.roles``) of a cluster where no
  node is migrating (``zookeeper.metadata.migration.enable=true``), before Kafka 4.0 (from 4.0
  every ``zookeeper.*`` key is KL003's). A node that writes
  ``zookeeper.metadata.migration.enable=false`` has been through a migration: its leftovers are
  KL506's.
- KRaft on a version without it: ``process.roles`` with Kafka before 2.8 (the key does not
  exist: the broker runs in ZooKeeper mode) is an error; with 2.8 to 3.2, where KRaft was early
  access and not for production (production-ready from 3.3, KIP-833), an error in a cluster known
  to be production and a warning otherwise (loose files whose environment nobody stated).
- A KRaft node whose ``inter.broker.protocol.version`` is older than 3.0 (KRaft's metadata
  starts with 3.0-IV1), Kafka 3.3 to 3.9 (4.0 removed the key: KL003).
- A node without ``process.roles`` on Kafka 4.0 or later, which has no ZooKeeper mode.

**Why.** A KRaft node ignores ``zookeeper.connect`` and the other ZooKeeper settings: left in
place they say the cluster uses a ZooKeeper it does not use, hide which ensemble can be retired,
and make a later reader (or a rollback) trust stale addresses. KRaft before 3.3 lacked features a
production cluster needs (no SCRAM, no JBOD, no migration path, no upgrade support between early
access releases); before 2.8 ``process.roles`` means nothing. Kafka 4.0 removed ZooKeeper mode.

**Kafka rejects it** for a KRaft node with a protocol version before 3.0, and from 4.0 for a
node without ``process.roles``::

    A non-KRaft version 2.8 given for inter.broker.protocol.version. The minimum version is 3.0-IV1
    Missing required configuration "process.roles" which has no default value.

**Where.** The ZooKeeper setting's line; the ``process.roles`` line; the protocol version's
line; for a missing
``process.roles``, the node's configuration.

Problematic::

    process.roles=broker
    node.id=4
    controller.quorum.bootstrap.servers=c1:9093,c2:9093,c3:9093
    zookeeper.connect=zk1:2181,zk2:2181,zk3:2181

Correct::

    process.roles=broker
    node.id=4
    controller.quorum.bootstrap.servers=c1:9093,c2:9093,c3:9093

**Source.** Kafka documentation, "ZooKeeper to KRaft Migration" (finalizing: "remove the
zookeeper.metadata.migration.enable, zookeeper.connect and other ZooKeeper-related
configurations"); KIP-833 (KRaft production-ready in 3.3), KIP-500; Kafka 4.0 upgrade notes
(ZooKeeper removed); apache/kafka 4.x ``KRaftConfigs`` (``process.roles`` without default). The
4.x text is checked against ``KafkaConfig`` in the JVM (``tests/catalogue/test_kafkaconfig_jvm.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Location, Model
from kafkalint.rules._cluster import (
    KRAFT_READY,
    MIGRATION,
    ZOOKEEPER_REMOVED,
    is_kraft,
    kraft_nodes,
    migrating,
    production,
    zookeeper_keys,
)
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import release_value, str_value, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL503"
NAME = "metadata-mode"
SEVERITY = Severity.ERROR

KRAFT_SINCE = KafkaVersion(2, 8)
ROLES_REQUIRED = 'Missing required configuration "process.roles" which has no default value.'
IBP = "inter.broker.protocol.version"
KRAFT_METADATA = KafkaVersion(3, 0)


def non_kraft_version(written: str) -> str:
    return f"A non-KRaft version {written} given for {IBP}. The minimum version is 3.0-IV1"


HINT = "a cluster runs ZooKeeper mode (Kafka up to 3.9) or KRaft (production-ready from 3.3); 4.x is KRaft only"


def _leftovers(cluster: Cluster) -> Iterator[tuple[Broker, Location, str]]:
    if cluster.version >= ZOOKEEPER_REMOVED or any(migrating(node) for node in cluster.nodes):
        return
    for node in kraft_nodes(cluster):
        if MIGRATION in node.config:
            continue  # through a migration: KL506
        for key in zookeeper_keys(node):
            text = message(
                f"KRaft node {node.name} sets {key}",
                "KRaft never uses ZooKeeper: the setting is dead and names an ensemble the cluster does not use",
                f"remove {key}",
            )
            yield node, where_to_change(node.config, key), text


def _old_kraft(cluster: Cluster) -> Iterator[Finding]:
    version = cluster.version
    if version >= KRAFT_READY:
        return
    found = []
    for node in kraft_nodes(cluster):
        if version < KRAFT_SINCE:
            text = message(
                f"process.roles on Kafka {version}, which has no KRaft",
                "the key is ignored and the node runs in ZooKeeper mode",
                "remove process.roles, or target Kafka 3.3 or later",
            )
        else:
            text = message(
                f"KRaft (process.roles) on Kafka {version}, where it is early access",
                "KRaft before 3.3 is not for production: no upgrade path between early releases, features missing",
                "target Kafka 3.3 or later for KRaft, or run ZooKeeper mode",
            )
        found.append((node, where_to_change(node.config, "process.roles"), text))
    severity = None if version < KRAFT_SINCE or production(cluster) is True else Severity.WARNING
    yield from per_broker(ID, found, HINT, phrase=nodes_phrase, severity=severity)


def _old_protocol(cluster: Cluster) -> Iterator[tuple[Broker, Location, str]]:
    if not KRAFT_READY <= cluster.version < ZOOKEEPER_REMOVED:
        return  # 4.0 removed inter.broker.protocol.version (KL003)
    for node in kraft_nodes(cluster):
        ibp = release_value(node.config, IBP)
        if ibp is not None and ibp < KRAFT_METADATA:
            written = str_value(node.config, IBP) or ""
            text = message(
                f"KRaft node {node.name} has {IBP}={written}, older than KRaft's metadata (3.0)",
                "the node does not start",
                f"remove {IBP} (the release's own is the default) or set it to 3.0 or later",
                kafka=non_kraft_version(written),
            )
            yield node, where_to_change(node.config, IBP), text


def _no_roles(cluster: Cluster) -> Iterator[tuple[Broker, Location, str]]:
    if cluster.version < ZOOKEEPER_REMOVED:
        return
    for node in cluster.nodes:
        if not is_kraft(node):
            text = message(
                f"{node.name} has no process.roles on Kafka {cluster.version.line}, which has no ZooKeeper mode",
                "the node does not start",
                "set process.roles (broker, controller or both) and the KRaft quorum",
                kafka=ROLES_REQUIRED,
            )
            yield node, node.config.location, text


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from per_broker(ID, _leftovers(cluster), HINT, phrase=nodes_phrase)
        yield from _old_kraft(cluster)
        yield from per_broker(ID, _old_protocol(cluster), HINT, phrase=nodes_phrase)
        yield from per_broker(ID, _no_roles(cluster), HINT, phrase=nodes_phrase)
