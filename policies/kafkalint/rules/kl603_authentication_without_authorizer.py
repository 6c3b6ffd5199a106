"""Clients authenticate, but no authorizer decides what they may do.

**What it checks.** Every broker or controller with a listener that authenticates its clients
(``SASL_PLAINTEXT``, ``SASL_SSL``, or ``SSL`` with ``ssl.client.auth=required``) and an empty
``authorizer.class.name`` (Kafka's default).

**Why.** Authentication only says who a client is. Without an authorizer every authenticated
principal may do everything: read and delete every topic, alter configurations and ACLs,
elect leaders. Setting up TLS and SCRAM then protects against strangers only, not against any
application's leaked credentials. Kafka accepts the configuration.

**Where.** The ``authorizer.class.name`` line when written, else the node's configuration.

Problematic::

    listeners=SASL_SSL://0.0.0.0:9093
    sasl.enabled.mechanisms=SCRAM-SHA-512

Correct::

    listeners=SASL_SSL://0.0.0.0:9093
    sasl.enabled.mechanisms=SCRAM-SHA-512
    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
    allow.everyone.if.no.acl.found=false

**Source.** Kafka documentation, Security: "Authorization and ACLs" (``authorizer.class.name``:
``StandardAuthorizer`` in KRaft, ``AclAuthorizer`` in ZooKeeper mode); KIP-801.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import str_value, where_to_change

ID = "KL603"
NAME = "authentication-without-authorizer"
SEVERITY = Severity.WARNING

AUTHORIZER = "authorizer.class.name"
TEXT = message(
    "clients authenticate but authorizer.class.name is empty",
    "every authenticated principal may read, write, delete and reconfigure everything",
    "set authorizer.class.name (StandardAuthorizer in KRaft, AclAuthorizer in ZooKeeper mode) and declare ACLs",
)
HINT = "authentication says who a client is; an authorizer with ACLs says what it may do"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = (
            (node, where_to_change(node.config, AUTHORIZER), TEXT)
            for node in cluster.nodes
            if not (str_value(node.config, AUTHORIZER) or "").strip()
            and any(item.authenticates for item in listeners.listener_security(node.config))
        )
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
