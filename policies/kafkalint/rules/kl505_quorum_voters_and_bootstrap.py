"""A node sets both controller.quorum.voters and controller.quorum.bootstrap.servers.

**What it checks.** Every KRaft node (and every migrating ZooKeeper-mode broker) that writes
both ``controller.quorum.voters`` (a static quorum) and ``controller.quorum.bootstrap.servers``
(a dynamic quorum, KIP-853, Kafka 3.9 and later).

**Why.** The two keys describe two different quorums. Kafka starts with both and uses the static
voters, while ``kafka-storage format`` with ``--standalone`` or ``--initial-controllers`` writes a
voter set of its own from the bootstrap view: the log then holds two voter sets that disagree
(KAFKA-19489), and ``kafka-metadata-quorum add-controller`` / ``remove-controller`` act on a
quorum the static list does not describe. Pick one.

**Where.** The ``controller.quorum.bootstrap.servers`` line.

Problematic::

    controller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093
    controller.quorum.bootstrap.servers=c1:9093,c2:9093,c3:9093

Correct::

    controller.quorum.bootstrap.servers=c1:9093,c2:9093,c3:9093

**Source.** KIP-853 (KRaft controller membership changes); Kafka documentation, Operations:
KRaft, "Static versus Dynamic KRaft Quorums" ("controller.quorum.voters ... or
controller.quorum.bootstrap.servers"); KAFKA-19489.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import QUORUM_BOOTSTRAP, QUORUM_VOTERS
from kafkalint.model import Model
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import raw, where_to_change

ID = "KL505"
NAME = "quorum-voters-and-bootstrap"
SEVERITY = Severity.ERROR

TEXT = message(
    f"both {QUORUM_VOTERS} and {QUORUM_BOOTSTRAP} are set",
    "a static and a dynamic quorum: formatting writes a second voter set that disagrees with the first",
    f"keep {QUORUM_BOOTSTRAP} (a dynamic quorum) or {QUORUM_VOTERS} (a static one), not both",
)
HINT = "a quorum is static (controller.quorum.voters) or dynamic (controller.quorum.bootstrap.servers)"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = (
            (node, where_to_change(node.config, QUORUM_BOOTSTRAP), TEXT)
            for node in cluster.nodes
            if listeners.entries(raw(node.config, QUORUM_VOTERS))
            and listeners.entries(raw(node.config, QUORUM_BOOTSTRAP))
        )
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
