"""A network-reachable listener lets clients in without authentication in a production cluster.

**What it checks.** In a cluster known to be production (an inventory's
``kafka_cluster_environment``, production by default; loose files only when their environment
is stated; where nobody says, nothing is reported), every listener of every broker and
controller that is reachable from the network (bound to every interface or to an address
that is not loopback) and that does not authenticate its clients: security protocol
``PLAINTEXT``, or ``SSL`` without ``ssl.client.auth=required``
(``listener.name.<listener>.ssl.client.auth`` for one listener).

**Why.** Without authentication every client is ``User:ANONYMOUS``: anyone who reaches the port
produces, consumes, creates and deletes topics, and (without an authorizer, KL603) alters
configurations at runtime, ``unclean.leader.election.enable`` included, undoing what the linter
enforced. ``ssl.client.auth=requested`` still admits clients without a certificate. Kafka
accepts the configuration.

**Where.** The ``listeners`` line (in an inventory, the variable it is derived from).

Problematic::

    listeners=PLAINTEXT://0.0.0.0:9092

Correct::

    listeners=SASL_SSL://0.0.0.0:9093
    sasl.enabled.mechanisms=SCRAM-SHA-512

**Source.** Kafka documentation, Security: "Authentication using SSL or SASL" and
"ssl.client.auth"; KIP-12 (SSL and SASL), KIP-84 (SCRAM).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import LISTENERS
from kafkalint.model import Model
from kafkalint.rules._cluster import production
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import where_to_change

ID = "KL601"
NAME = "unauthenticated-listener"
SEVERITY = Severity.ERROR

HINT = "authenticate every listener other hosts reach: SASL_SSL (SCRAM) or SSL with ssl.client.auth=required"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if production(cluster) is not True:
            continue
        found = []
        for node in cluster.nodes:
            for item in listeners.listener_security(node.config):
                if not item.network or item.protocol is None or item.authenticates:
                    continue
                why = (
                    "PLAINTEXT" if item.protocol == "PLAINTEXT" else f"{item.protocol} without ssl.client.auth=required"
                )
                text = message(
                    f"listener {item.endpoint.text} is reachable from the network and does not authenticate ({why})",
                    "anyone who reaches the port reads, writes and alters the cluster as User:ANONYMOUS",
                    "use SASL_SSL (or SSL with ssl.client.auth=required) on it",
                )
                found.append((node, where_to_change(node.config, LISTENERS), text))
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
