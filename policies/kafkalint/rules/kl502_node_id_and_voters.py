"""A KRaft node's id is missing, shared, or does not match the controller quorum.

**What it checks.** On every KRaft node (``process.roles`` written; Kafka 3.3 and later, where
KRaft is production-ready: KL503 reports KRaft on older versions):

- ``node.id`` missing (and no ``broker.id`` standing for it) or negative;
- no quorum: neither ``controller.quorum.voters`` nor (from 3.9) ``controller.quorum.bootstrap.servers``;
- a controller (dedicated or combined) whose id is not among its static ``controller.quorum.voters``;
- a broker-only node whose id is among the voters;

and across the nodes of a cluster:

- two KRaft nodes (brokers, controllers, combined nodes) with the same id: each node after the
  first is reported;
- nodes whose ``controller.quorum.voters`` differ from the first node's.

The cross-node checks are errors for an inventory or cluster file, which lists every node;
for loose files, which need not be one cluster (Apache's ``config/kraft/server.properties``
and ``controller.properties`` are two ways to run one machine), they are warnings.

KL303 judges ZooKeeper-mode broker ids and ``broker.id`` against ``node.id``; KL506 the KRaft
controller ids that collide with ZooKeeper-mode broker ids during a migration; KL505 a node that
sets both quorum keys. One mistake is one finding.

**Why.** In KRaft the id is a node's identity in the metadata quorum and in every partition's
replica list, in one id space shared by brokers and controllers. A second node with a taken id
fences the first or is fenced; a controller that is not a voter can never vote or lead; a voter
list that differs between nodes splits the quorum's idea of its majority, so controllers elect
different leaders or none.

**Kafka rejects it** at startup (``KafkaConfig``; before 4.0, then from 4.0, for a missing id,
and from 4.0 for a negative ``broker.id`` standing for ``node.id``)::

    Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode).
    Missing required configuration "node.id" which has no default value.
    Invalid value -5 for configuration node.id: Value must be at least 0

and (no quorum before 3.9, then from 3.9; the voter sets as Kafka prints them)::

    If using process.roles, controller.quorum.voters must contain a parseable set of voters.
    If using process.roles, either controller.quorum.bootstrap.servers must contain the set of
        bootstrap controllers or controller.quorum.voters must contain a parseable set of controllers.
    If process.roles contains the 'controller' role, the node id 2 must be included in the set of
        voters controller.quorum.voters=Set(1)
    If process.roles contains just the 'broker' role, the node id 1 must not be included in the
        set of voters controller.quorum.voters=Set(1)

Kafka logs the last two (Scala ``require``) as ``java.lang.IllegalArgumentException: requirement
failed: <message>``; each message is one line. A negative ``node.id`` on 4.x is refused by its
``ConfigDef`` range (KL001). Duplicate ids and differing voter lists are no single node's
mistake: every node starts.

**Where.** The line that sets the node's id (``node.id``, else ``broker.id``), or the voters line
for a missing quorum and for a list that differs.

Problematic::

    # controller.properties of controller 3
    process.roles=controller
    node.id=3
    controller.quorum.voters=1@c1:9093,2@c2:9093

Correct::

    process.roles=controller
    node.id=3
    controller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093

**Source.** apache/kafka ``core/src/main/scala/kafka/server/KafkaConfig.scala``
(``validateValues``: ``validateNonEmptyQuorumVotersForKRaft``,
``validateControllerQuorumVotersMustContainNodeIdForKRaftController``), ``raft/.../QuorumConfig.java``
(``parseVoterIds``); KIP-595, KIP-631, KIP-853; Kafka documentation, Operations: KRaft. Every
quoted text is checked against ``KafkaConfig`` of every release from 3.3 in the JVM
(``tests/catalogue/test_kafkaconfig_jvm.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import QUORUM_BOOTSTRAP, QUORUM_VOTERS
from kafkalint.model import Broker, Cluster, Location, Model
from kafkalint.rules._cluster import KRAFT_READY, kraft_nodes, node_id, runs_broker, runs_controller
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import raw, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL502"
NAME = "node-id-and-voters"
SEVERITY = Severity.ERROR

BOOTSTRAP_SINCE = KafkaVersion(3, 9)
REQUIRED_SINCE = KafkaVersion(4, 0)
MISSING = (
    "Missing configuration `node.id` which is required when `process.roles` is defined "
    "(i.e. when running in KRaft mode)."
)
MISSING_4 = 'Missing required configuration "node.id" which has no default value.'
NO_QUORUM = "If using process.roles, controller.quorum.voters must contain a parseable set of voters."
NO_QUORUM_3_9 = (
    "If using process.roles, either controller.quorum.bootstrap.servers must contain the set of bootstrap "
    "controllers or controller.quorum.voters must contain a parseable set of controllers."
)
HINT = "give every KRaft node a unique node.id and list every controller, and only controllers, in the same voters"


def not_a_voter(node: int, voters: list[listeners.Voter]) -> str:
    return (
        f"If process.roles contains the 'controller' role, the node id {node} must be included in the set of "
        f"voters {QUORUM_VOTERS}={listeners.voter_set(voters)}"
    )


def a_voter(node: int, voters: list[listeners.Voter]) -> str:
    return (
        f"If process.roles contains just the 'broker' role, the node id {node} must not be included in the set "
        f"of voters {QUORUM_VOTERS}={listeners.voter_set(voters)}"
    )


def _refused(problem: str, change: str, kafka: str) -> str:
    return message(problem, "the node does not start", change, kafka=kafka)


def _written(node: Broker, key: str) -> bool:
    return bool(listeners.entries(raw(node.config, key)))


def _node_problems(node: Broker) -> Iterator[tuple[Location, str]]:
    config = node.config
    version = config.version
    value, key, where = node_id(node)
    if version >= REQUIRED_SINCE:
        if "node.id" not in config and "broker.id" not in config:
            yield config.location, _refused(f"{node.name} runs in KRaft mode without node.id", "set node.id", MISSING_4)
            return
        if value is None:
            return
        if value < 0:
            if key == "broker.id":  # node.id taken from broker.id, then its range checked
                yield (
                    where,
                    _refused(
                        f"{node.name} runs in KRaft mode with broker.id={value} standing for node.id",
                        "set node.id to 0 or more (and remove broker.id)",
                        f"Invalid value {value} for configuration node.id: Value must be at least 0",
                    ),
                )
            return  # a negative node.id is outside its ConfigDef range: KL001
    elif value is None:
        return  # not a number, or a placeholder: KL001, KL005
    elif value < 0:
        yield where, _refused(f"{node.name} runs in KRaft mode without a node.id of 0 or more", "set node.id", MISSING)
        return
    voters = listeners.parse_voters(raw(config, QUORUM_VOTERS))
    if not voters:
        if _written(node, QUORUM_VOTERS):
            return  # written but unparsable: KL001
        if version >= BOOTSTRAP_SINCE and _written(node, QUORUM_BOOTSTRAP):
            return
        kafka = NO_QUORUM_3_9 if version >= BOOTSTRAP_SINCE else NO_QUORUM
        keys = f"{QUORUM_VOTERS} or {QUORUM_BOOTSTRAP}" if version >= BOOTSTRAP_SINCE else QUORUM_VOTERS
        yield (
            where_to_change(config, QUORUM_VOTERS),
            _refused(f"{node.name} runs in KRaft mode without a controller quorum", f"set {keys}", kafka),
        )
        return
    ids = [voter.id for voter in voters]
    if runs_controller(node) and value not in ids:
        yield (
            where,
            _refused(
                f"controller {node.name} has {key} {value}, which is not among the voters {','.join(map(str, ids))}",
                f"add {value}@<host>:<port> to {QUORUM_VOTERS}",
                not_a_voter(value, voters),
            ),
        )
    elif not runs_controller(node) and runs_broker(node) and value in ids:
        yield (
            where,
            _refused(
                f"broker {node.name} has {key} {value}, which is a voter of {QUORUM_VOTERS}",
                "give the broker an id no controller has",
                a_voter(value, voters),
            ),
        )


def _certain(cluster: Cluster) -> Severity | None:
    """Cross-node findings are errors where the node list is complete, warnings for loose files."""
    return None if cluster.complete else Severity.WARNING


def _cross_node(cluster: Cluster, nodes: list[Broker]) -> Iterator[Finding]:
    """Controllers first: a broker that took a controller's id is the one to change."""
    severity = _certain(cluster)
    ordered = sorted(nodes, key=lambda node: not runs_controller(node))
    owners: dict[int, Broker] = {}
    for node in ordered:
        value, key, where = node_id(node)
        if value is None or value < 0:
            continue
        first = owners.setdefault(value, node)
        if first is not node:
            text = message(
                f"{node.name} has {key} {value}, already the id of {first.name}",
                "two KRaft nodes with one id fence each other out of the cluster",
                "give it a unique id",
            )
            yield Finding(ID, text, where, nodes_phrase([node]), HINT, severity)
    lists = [(node, frozenset(listeners.parse_voters(raw(node.config, QUORUM_VOTERS)))) for node in ordered]
    lists = [(node, voters) for node, voters in lists if voters]
    if not lists:
        return
    # the list most nodes share (the first one's on a tie) is the quorum; the others differ
    counts = Counter(voters for _node, voters in lists)
    reference = max(
        counts, key=lambda voters: (counts[voters], -next(i for i, item in enumerate(lists) if item[1] == voters))
    )
    first = next(node for node, voters in lists if voters == reference)
    shown = listeners.entries(raw(first.config, QUORUM_VOTERS))
    text = message(
        f"{QUORUM_VOTERS} differs from the one of {first.name} ({','.join(shown)})",
        "the controllers disagree on the quorum and its majority: no leader, or two",
        "give every node the same voters",
    )
    found = ((node, where_to_change(node.config, QUORUM_VOTERS), text) for node, voters in lists if voters != reference)
    yield from per_broker(ID, found, HINT, phrase=nodes_phrase, severity=severity)


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    if cluster.version < KRAFT_READY:
        return  # KRaft before 3.3: KL503
    nodes = kraft_nodes(cluster)
    found = ((node, where, text) for node in nodes for where, text in _node_problems(node))
    yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
    yield from _cross_node(cluster, nodes)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
