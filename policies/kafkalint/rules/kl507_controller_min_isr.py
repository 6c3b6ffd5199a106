"""With eligible leader replicas (Kafka 4.1+), the controllers' min.insync.replicas is not the brokers'.

**What it checks.** On Kafka 4.1 and later, every controller-only node of a cluster whose
brokers set ``min.insync.replicas``: the controller's own ``min.insync.replicas`` (Kafka's
default 1 when unset) must be the brokers' value.

**Why.** With eligible leader replicas (KIP-966, on by default for clusters created with 4.1,
``eligible.leader.replicas.version=1``) the controller decides when a partition's ISR is too
small and which replicas may become leader, and for topics without an override it reads the
cluster-wide ``min.insync.replicas`` from its own static configuration, not from the brokers'.
A controller left at the default 1 treats a one-replica ISR as enough: the durability the
brokers' ``min.insync.replicas=2`` promises is not what the controller enforces. Kafka
accepts the configuration.

**Where.** The controller's ``min.insync.replicas`` line, else its configuration.

Problematic::

    # server.properties of the brokers
    min.insync.replicas=2
    # controller.properties: no min.insync.replicas

Correct::

    # controller.properties
    min.insync.replicas=2

**Source.** KIP-966 (Eligible Leader Replicas: "the controller will use the cluster-level
min.insync.replicas config", set on the controllers); Kafka 4.1 upgrade notes
(``eligible.leader.replicas.version``); Kafka documentation, ``min.insync.replicas``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules._cluster import controllers, runs_broker
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import int_value, is_written, shown, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL507"
NAME = "controller-min-isr"
SEVERITY = Severity.WARNING

ELR_SINCE = KafkaVersion(4, 1)
KEY = "min.insync.replicas"
HINT = "with eligible leader replicas the controllers enforce min.insync.replicas: set it on them as on the brokers"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if cluster.version < ELR_SINCE:
            continue
        broker = next((node for node in cluster.nodes if runs_broker(node) and is_written(node.config, KEY)), None)
        if broker is None:
            continue
        wanted = int_value(broker.config, KEY)
        found = []
        for controller in controllers(cluster):
            if runs_broker(controller):
                continue  # a combined node has one min.insync.replicas for both roles
            value = int_value(controller.config, KEY)
            if wanted is None or value is None or value == wanted:
                continue
            text = message(
                f"controller {controller.name} has {shown(controller.config, KEY)} while the brokers have "
                f"{KEY}={wanted}",
                "with eligible leader replicas the controller enforces its own value, not the brokers'",
                f"set {KEY}={wanted} on the controllers",
            )
            found.append((controller, where_to_change(controller.config, KEY), text))
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
