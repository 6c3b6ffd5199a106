"""The KRaft controller quorum has an even size or too few voters, or production runs combined nodes.

**What it checks.** The size of a KRaft cluster's controller quorum: the voters of
``controller.quorum.voters`` (static quorum), else, for an inventory or cluster file with a
dynamic quorum (``controller.quorum.bootstrap.servers``, KIP-853), its controller hosts. A loose
file with a dynamic quorum does not say how many voters there are and is not judged.

- 2 voters in a production cluster: **error**;
- an even number of voters (2, 4, ...): **warning**;
- 1 voter in a production cluster: **warning**;
- a node running both the broker and the controller role (combined mode) in a production
  cluster: **warning**.

Production is what an inventory or cluster file says (``kafka_cluster_environment``,
production by default), or what loose files state (``# kafkalint: environment=production``,
``--environment``); where nobody says, a lone combined ``server.properties`` with one voter,
as Apache ships for development, is no finding.

**Why.** The controllers elect a leader and commit metadata only while a majority of the voters
is up: N voters tolerate floor((N - 1) / 2) failures. One voter tolerates none, two none either
(a majority of 2 is 2), four one, like three. Without a quorum no partition leadership changes
and no topic is created. A combined node couples both failure domains: a broker's load or crash
takes a voter with it, which Kafka's documentation says is not for critical deployments.
Kafka accepts every size.

**Where.** The voters line of the first node that sets it, else the first controller; the
``process.roles`` line of a combined node.

Problematic::

    controller.quorum.voters=1@c1:9093,2@c2:9093

Correct::

    controller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093

**Source.** Kafka documentation, Operations: KRaft ("Controller Servers": "a majority of the
controllers must be alive", "3 controllers to tolerate 1 failure"; "Combined nodes ... are not
recommended for critical deployment environments"); KIP-595 (the Raft quorum), KIP-853
(dynamic quorum).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import QUORUM_VOTERS
from kafkalint.model import Cluster, Location, Model
from kafkalint.rules._cluster import controllers, kraft_nodes, production, runs_broker
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import raw, where_to_change

ID = "KL501"
NAME = "controller-quorum-size"
SEVERITY = Severity.WARNING

HINT = "N voters tolerate (N - 1) // 2 failures: run 3 (or 5) dedicated controllers"


def _quorum(cluster: Cluster) -> tuple[int, Location] | None:
    """The number of voters and where to change it; ``None`` when it cannot be known."""
    for node in kraft_nodes(cluster):
        voters = listeners.parse_voters(raw(node.config, QUORUM_VOTERS))
        if voters:
            return len({voter.id for voter in voters}), where_to_change(node.config, QUORUM_VOTERS)
    found = controllers(cluster)
    if cluster.complete and found:
        return len(found), found[0].location
    return None


def _escalates(cluster: Cluster) -> bool:
    """Production is known (an inventory's environment, or one stated for loose files)."""
    return production(cluster) is True


def _size(cluster: Cluster) -> Iterator[Finding]:
    quorum = _quorum(cluster)
    if quorum is None:
        return
    size, where = quorum
    in_production = _escalates(cluster)
    tolerated = (size - 1) // 2
    severity: Severity | None = None
    if size == 2 and in_production:
        severity = Severity.ERROR
        text = message(
            "controller quorum of 2 voters in a production cluster",
            "neither controller may fail (a majority of 2 is 2)",
            "use 3 controllers (or 5)",
        )
    elif size % 2 == 0:
        text = message(
            f"controller quorum of {size} voters",
            f"it tolerates {tolerated} failure(s), no more than {size - 1} would",
            f"use an odd size ({size - 1} or {size + 1})",
        )
    elif size == 1 and in_production:
        text = message(
            "controller quorum of 1 voter in a production cluster",
            "its loss stops every metadata change: no leader election, no topic creation",
            "use 3 controllers (or 5)",
        )
    else:
        return
    yield Finding(ID, text, where, "controller quorum", HINT, severity)


def _combined(cluster: Cluster) -> Iterator[Finding]:
    if not _escalates(cluster):
        return
    text = message(
        "combined broker and controller node in a production cluster",
        "a broker's load or failure takes a voter of the quorum with it",
        "run dedicated controllers (kafka_controller hosts that are not brokers)",
    )
    found = (
        (node, where_to_change(node.config, "process.roles"), text)
        for node in controllers(cluster)
        if runs_broker(node)
    )
    yield from per_broker(ID, found, HINT, phrase=nodes_phrase)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _size(cluster)
        yield from _combined(cluster)
