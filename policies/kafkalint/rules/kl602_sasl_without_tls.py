"""SASL PLAIN (or SCRAM) runs over a listener or client connection without TLS.

**What it checks.** Every listener of a broker or controller with security protocol
``SASL_PLAINTEXT`` that is reachable from the network (not bound to loopback only) and enables
``PLAIN`` (**error**) or ``SCRAM-SHA-256`` / ``SCRAM-SHA-512`` (**warning**); and every
producer or consumer with ``security.protocol=SASL_PLAINTEXT`` whose ``sasl.mechanism`` is one
of them (unless all its ``bootstrap.servers`` are loopback addresses).

**Why.** ``SASL_PLAINTEXT`` authenticates without encrypting. PLAIN sends the password itself:
anyone on the path reads it and then is that user. SCRAM never sends the password, but every
record, offset and ACL still crosses the network in clear, and the session can be taken over
after the handshake. Kafka accepts the configuration.

**Where.** The ``listeners`` line of a node; a client's ``security.protocol`` line.

Problematic::

    listeners=SASL_PLAINTEXT://0.0.0.0:9092
    sasl.enabled.mechanisms=PLAIN

Correct::

    listeners=SASL_SSL://0.0.0.0:9093
    sasl.enabled.mechanisms=SCRAM-SHA-512

**Source.** Kafka documentation, Security: "Authentication using SASL/PLAIN" ("SASL/PLAIN
should be used only with SSL as transport layer to ensure that clear passwords are not
transmitted on the wire without encryption"), "Authentication using SASL/SCRAM"; RFC 4616,
RFC 5802.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import LISTENERS
from kafkalint.model import ConfigMap, Model
from kafkalint.rules._cluster import clients_where
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import str_value, where_to_change

ID = "KL602"
NAME = "sasl-without-tls"
SEVERITY = Severity.ERROR

PLAIN = "PLAIN"
SCRAM = ("SCRAM-SHA-256", "SCRAM-SHA-512")
HINT = "SASL_PLAINTEXT encrypts nothing: use SASL_SSL"


def _severity(mechanism: str) -> Severity | None:
    return None if mechanism == PLAIN else Severity.WARNING


def _effect(mechanism: str) -> str:
    if mechanism == PLAIN:
        return "passwords cross the network in clear: anyone on the path can log in as those users"
    return "every record and offset crosses the network in clear"


def _client_over_network(config: ConfigMap) -> bool:
    servers = listeners.entries(str_value(config, "bootstrap.servers"))
    return not servers or not all(listeners.is_loopback(listeners.split_address(entry)[0]) for entry in servers)


def _weak_client(config: ConfigMap) -> bool:
    """A client that sends a PLAIN or SCRAM login over SASL_PLAINTEXT across the network."""
    protocol = (str_value(config, "security.protocol") or "").strip().upper()
    mechanism = (str_value(config, "sasl.mechanism") or "").strip().upper()
    return protocol == "SASL_PLAINTEXT" and mechanism in (PLAIN, *SCRAM) and _client_over_network(config)


def _clients(model: Model) -> Iterator[Finding]:
    for cluster in model.clusters:
        for client in clients_where(cluster, lambda client: _weak_client(client.config)):
            config = client.config
            mechanism = (str_value(config, "sasl.mechanism") or "").strip().upper()
            text = message(
                f"client {client.name} uses SASL {mechanism} over security.protocol=SASL_PLAINTEXT",
                _effect(mechanism),
                "set security.protocol=SASL_SSL",
            )
            where = where_to_change(config, "security.protocol")
            yield Finding(ID, text, where, f"client {client.name}", HINT, _severity(mechanism))


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for mechanism in (PLAIN, *SCRAM):
            found = []
            for node in cluster.nodes:
                for item in listeners.listener_security(node.config):
                    if item.protocol != "SASL_PLAINTEXT" or not item.network or mechanism not in item.mechanisms:
                        continue
                    text = message(
                        f"listener {item.endpoint.text} enables SASL {mechanism} without TLS (SASL_PLAINTEXT)",
                        _effect(mechanism),
                        "make it SASL_SSL",
                    )
                    found.append((node, where_to_change(node.config, LISTENERS), text))
            yield from per_broker(ID, found, HINT, phrase=nodes_phrase, severity=_severity(mechanism))
    yield from _clients(model)
