"""A client turns off TLS host-name verification (an empty ssl.endpoint.identification.algorithm).

**What it checks.** Every producer and consumer, and every broker and controller (which are
TLS clients of each other), that uses TLS (``security.protocol`` ``SSL`` / ``SASL_SSL`` for a
client; a listener on ``SSL`` / ``SASL_SSL`` for a node) and sets
``ssl.endpoint.identification.algorithm`` to an empty value (Kafka's default is ``https``).
An error in a cluster known to be production (an inventory's ``kafka_cluster_environment``;
loose files only when their environment is stated), a warning otherwise.

**Why.** Without host-name verification a client accepts any certificate the trusted CA signed
for any name: whoever holds one (another broker, a test host, a compromised application
certificate) can stand in for the cluster and read everything the client sends, passwords
included. Kafka accepts the configuration.

**Where.** The ``ssl.endpoint.identification.algorithm`` line.

Problematic::

    security.protocol=SASL_SSL
    ssl.endpoint.identification.algorithm=

Correct::

    security.protocol=SASL_SSL
    ssl.endpoint.identification.algorithm=https

**Source.** Kafka documentation, Security: "Host Name Verification" ("Server host name
verification may be disabled by setting ssl.endpoint.identification.algorithm to an empty
string"); KIP-294 (``https`` by default from 2.0).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules._cluster import clients_where, production
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import str_value, where_to_change

ID = "KL606"
NAME = "endpoint-identification-disabled"
SEVERITY = Severity.WARNING

KEY = "ssl.endpoint.identification.algorithm"
TLS = ("SSL", "SASL_SSL")
TEXT = message(
    f"{KEY} is empty",
    "TLS accepts any certificate the CA signed, for any host: anyone holding one can impersonate the brokers",
    f"set {KEY}=https (and give each broker a certificate with its names)",
)
HINT = "keep host-name verification on: ssl.endpoint.identification.algorithm=https"


def _disabled(config: ConfigMap) -> bool:
    setting = config.explicit(KEY)
    return setting is not None and not (str_value(config, KEY) or "").strip()


def _unverified_client(config: ConfigMap) -> bool:
    protocol = (str_value(config, "security.protocol") or "").strip().upper()
    return protocol in TLS and _disabled(config)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        severity = Severity.ERROR if production(cluster) is True else None
        for client in clients_where(cluster, lambda client: _unverified_client(client.config)):
            yield Finding(ID, TEXT, where_to_change(client.config, KEY), f"client {client.name}", HINT, severity)
        found = (
            (node, where_to_change(node.config, KEY), TEXT)
            for node in cluster.nodes
            if _disabled(node.config) and any(item.encrypted for item in listeners.listener_security(node.config))
        )
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase, severity=severity)
