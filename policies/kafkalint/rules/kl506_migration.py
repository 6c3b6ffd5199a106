"""The ZooKeeper to KRaft migration is misconfigured, or left ZooKeeper behind.

**What it checks.** The phases of the migration (KIP-866, Kafka 3.4 to 3.9), node by node:

- a ZooKeeper-mode broker with ``zookeeper.metadata.migration.enable=true``: an
  ``inter.broker.protocol.version`` below 3.4; no ``controller.listener.names``; no controller
  quorum (``controller.quorum.voters``, or from 3.9 ``controller.quorum.bootstrap.servers``);
  from 3.9 a generated ``broker.id`` (unset, or -1, with ``broker.id.generation.enable``);
- Kafka 3.4 only: a ZooKeeper-mode broker in migration mode with an ``authorizer.class.name``;
- a KRaft node (a controller, or a broker not yet rolled out of it) in migration mode
  without ``zookeeper.connect``;
- a KRaft controller whose ``node.id`` is the ``broker.id`` of a ZooKeeper-mode broker of the same
  cluster while it migrates (an error for an inventory or cluster file, a warning for loose files,
  which need not be one cluster);
- ``kafka.security.authorizer.AclAuthorizer`` on a KRaft node (it keeps ACLs in ZooKeeper; KRaft
  uses ``org.apache.kafka.metadata.authorizer.StandardAuthorizer``), in any phase;
- after finalisation: ZooKeeper settings left on a KRaft node that writes
  ``zookeeper.metadata.migration.enable=false`` (KL503 reports ZooKeeper settings on KRaft nodes
  that were never migrated; from 4.0 every ``zookeeper.*`` key is KL003's).

**Why.** A migrating broker sends its metadata to the KRaft controllers over the controller
listener, as a protocol version that knows the migration's records (3.4); a generated id can
change between restarts, which the migration cannot follow. A controller taking a broker's id
fences that broker from the metadata the migration copies. AclAuthorizer on a KRaft node reads
ACLs from a ZooKeeper that is going away, so authorisation breaks when it does. ZooKeeper
settings left after finalisation make a rollback look possible when it no longer is.

**Kafka rejects it** at startup (``KafkaConfig.validateValues``, 3.4 to 3.9; the last one from
3.9; the quorum text before 3.9, then from 3.9; one line each)::

    Cannot enable ZooKeeper migration without setting 'inter.broker.protocol.version' to 3.4 or higher
    controller.listener.names must not be empty when running in ZooKeeper migration mode: []
    If using zookeeper.metadata.migration.enable, controller.quorum.voters must contain a parseable set of voters.
    If using zookeeper.metadata.migration.enable, either controller.quorum.bootstrap.servers must contain
        the set of bootstrap controllers or controller.quorum.voters must contain a parseable set of controllers.
    If using `zookeeper.metadata.migration.enable` in KRaft mode, `zookeeper.connect` must also be set.
    broker.id generation is incompatible with ZooKeeper migration. Please stop using it before enabling
        migration (set broker.id to a value greater or equal to 0).

and, on 3.4 only::

    ZooKeeper migration does not yet support authorizers. Remove authorizer.class.name before performing a migration.

Kafka logs the checks it makes with Scala's ``require`` as ``java.lang.IllegalArgumentException:
requirement failed: <message>``.

**Where.** The line of the setting to change; for a missing one, the node's configuration (its
``kafka_broker_properties`` in an inventory).

Problematic::

    # a ZooKeeper-mode broker rolled into migration mode
    broker.id=1
    zookeeper.connect=zk1:2181,zk2:2181,zk3:2181
    zookeeper.metadata.migration.enable=true
    inter.broker.protocol.version=3.3
    controller.quorum.voters=3000@c1:9093,3001@c2:9093,3002@c3:9093

Correct::

    broker.id=1
    zookeeper.connect=zk1:2181,zk2:2181,zk3:2181
    zookeeper.metadata.migration.enable=true
    inter.broker.protocol.version=3.9
    controller.quorum.voters=3000@c1:9093,3001@c2:9093,3002@c3:9093
    controller.listener.names=CONTROLLER
    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

**Source.** Kafka documentation 3.9, "ZooKeeper to KRaft Migration" (each phase's
configuration, "Finalizing the migration", the AclAuthorizer to StandardAuthorizer switch);
KIP-866; apache/kafka 3.9 ``core/src/main/scala/kafka/server/KafkaConfig.scala``
(``validateValues``). Every quoted text is checked against ``KafkaConfig`` of 3.4 to 3.9 in the
JVM (``tests/catalogue/test_kafkaconfig_jvm.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import CONTROLLER_NAMES, QUORUM_BOOTSTRAP, QUORUM_VOTERS
from kafkalint.model import Broker, Cluster, Location, Model
from kafkalint.rules._cluster import (
    MIGRATION,
    MIGRATION_SINCE,
    ZOOKEEPER_REMOVED,
    controllers,
    is_kraft,
    migrating,
    node_id,
    zookeeper_keys,
)
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import bool_value, int_value, list_value, raw, release_value, str_value, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL506"
NAME = "migration"
SEVERITY = Severity.ERROR

BOOTSTRAP_SINCE = KafkaVersion(3, 9)
IBP = "inter.broker.protocol.version"
ACL_AUTHORIZER = "kafka.security.authorizer.AclAuthorizer"
STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"

IBP_TEXT = f"Cannot enable ZooKeeper migration without setting '{IBP}' to 3.4 or higher"
NO_QUORUM = f"If using {MIGRATION}, {QUORUM_VOTERS} must contain a parseable set of voters."
NO_QUORUM_3_9 = (
    f"If using {MIGRATION}, either {QUORUM_BOOTSTRAP} must contain the set of bootstrap controllers or "
    f"{QUORUM_VOTERS} must contain a parseable set of controllers."
)
CONTROLLER_ZK = f"If using `{MIGRATION}` in KRaft mode, `zookeeper.connect` must also be set."
NO_AUTHORIZERS = (
    "ZooKeeper migration does not yet support authorizers. Remove authorizer.class.name before performing a migration."
)
#: 3.4 refused authorizers in migration mode; 3.5 migrates ACLs (KAFKA-14765).
AUTHORIZERS_SINCE = KafkaVersion(3, 5)
GENERATED_ID = (
    "broker.id generation is incompatible with ZooKeeper migration. Please stop using it before enabling migration "
    "(set broker.id to a value greater or equal to 0)."
)
HINT = "follow Kafka's migration guide phase by phase: each phase has its own settings"


def no_names(names: list[str]) -> str:
    return (
        f"{CONTROLLER_NAMES} must not be empty when running in ZooKeeper migration mode: {listeners.java_list(names)}"
    )


def _refused(problem: str, change: str, kafka: str) -> str:
    return message(problem, "the node does not start", change, kafka=kafka)


def _migrating_broker(node: Broker) -> Iterator[tuple[Location, str]]:
    config = node.config
    version = config.version
    ibp = release_value(config, IBP)
    if ibp is not None and ibp < MIGRATION_SINCE:
        yield (
            where_to_change(config, IBP),
            _refused(
                f"{node.name} migrates with {IBP}={str_value(config, IBP)}",
                f"raise {IBP} to {version.line} (3.4 at least) before the migration",
                IBP_TEXT,
            ),
        )
    names = list_value(config, CONTROLLER_NAMES)
    if not names:
        yield (
            where_to_change(config, CONTROLLER_NAMES),
            _refused(
                f"{node.name} migrates without {CONTROLLER_NAMES}",
                f"set {CONTROLLER_NAMES} to the controllers' listener and map it in listener.security.protocol.map",
                no_names(names),
            ),
        )
    voters = listeners.entries(raw(config, QUORUM_VOTERS))
    bootstrap = listeners.entries(raw(config, QUORUM_BOOTSTRAP)) if version >= BOOTSTRAP_SINCE else []
    if not voters and not bootstrap:
        keys = f"{QUORUM_VOTERS} or {QUORUM_BOOTSTRAP}" if version >= BOOTSTRAP_SINCE else QUORUM_VOTERS
        yield (
            where_to_change(config, QUORUM_VOTERS),
            _refused(
                f"{node.name} migrates without a controller quorum",
                f"set {keys} to the KRaft controllers",
                NO_QUORUM_3_9 if version >= BOOTSTRAP_SINCE else NO_QUORUM,
            ),
        )
    broker = int_value(config, "broker.id")
    if (
        version >= BOOTSTRAP_SINCE
        and broker is not None
        and broker < 0
        and bool_value(config, "broker.id.generation.enable") is True
    ):
        yield (
            where_to_change(config, "broker.id"),
            _refused(
                f"{node.name} migrates with a generated broker.id",
                "set broker.id to the id the broker has (0 or more)",
                GENERATED_ID,
            ),
        )


def _authorizer_in_3_4(node: Broker) -> Iterator[tuple[Location, str]]:
    config = node.config
    if (
        not is_kraft(node)
        and migrating(node)
        and config.version < AUTHORIZERS_SINCE
        and (str_value(config, "authorizer.class.name") or "")
    ):
        yield (
            where_to_change(config, "authorizer.class.name"),
            _refused(
                f"{node.name} migrates with an authorizer on Kafka 3.4",
                "remove authorizer.class.name for the migration, or migrate with Kafka 3.5+ (which migrates ACLs)",
                NO_AUTHORIZERS,
            ),
        )


def _node_problems(node: Broker) -> Iterator[tuple[Location, str]]:
    config = node.config
    phases = MIGRATION_SINCE <= config.version < ZOOKEEPER_REMOVED
    yield from _authorizer_in_3_4(node)
    if is_kraft(node):
        authorizer = (str_value(config, "authorizer.class.name") or "").strip()
        if authorizer == ACL_AUTHORIZER:
            yield (
                where_to_change(config, "authorizer.class.name"),
                message(
                    f"KRaft node {node.name} uses {ACL_AUTHORIZER}",
                    "it reads ACLs from ZooKeeper, which a KRaft cluster does not use (or is retiring)",
                    f"set authorizer.class.name={STANDARD_AUTHORIZER}",
                ),
            )
        if not phases:
            return
        if migrating(node) and not listeners.entries(raw(config, "zookeeper.connect")):
            yield (
                where_to_change(config, "zookeeper.connect"),
                _refused(
                    f"KRaft node {node.name} is in migration mode without zookeeper.connect",
                    "set zookeeper.connect to the ensemble the brokers use",
                    CONTROLLER_ZK,
                ),
            )
        if MIGRATION in config and not migrating(node):
            for key in zookeeper_keys(node):
                yield (
                    where_to_change(config, key),
                    message(
                        f"{key} left on KRaft node {node.name} after the migration ({MIGRATION}=false)",
                        "a finalised cluster no longer uses ZooKeeper: a rollback is no longer possible",
                        f"remove {key} and {MIGRATION}",
                    ),
                )
    elif phases and migrating(node):
        yield from _migrating_broker(node)


def _collisions(cluster: Cluster) -> Iterator[Finding]:
    if not any(migrating(node) for node in cluster.nodes):
        return
    brokers: dict[int, Broker] = {}
    for node in cluster.nodes:
        value = node_id(node)[0]
        if not is_kraft(node) and value is not None and value >= 0:
            brokers.setdefault(value, node)
    severity = None if cluster.complete else Severity.WARNING
    for controller in controllers(cluster):
        value, key, where = node_id(controller)
        if value is not None and value in brokers:
            text = message(
                f"controller {controller.name} has {key} {value}, the broker.id of broker {brokers[value].name}",
                "during the migration one id names two nodes: the broker is fenced from the metadata it migrates",
                "give the controllers ids no broker has (e.g. 3000 and up)",
            )
            yield Finding(ID, text, where, nodes_phrase([controller]), HINT, severity)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = ((node, where, text) for node in cluster.nodes for where, text in _node_problems(node))
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
        if MIGRATION_SINCE <= cluster.version < ZOOKEEPER_REMOVED:
            yield from _collisions(cluster)
