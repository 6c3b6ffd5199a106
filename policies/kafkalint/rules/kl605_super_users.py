"""An authorizer is on, but super.users does not hold the brokers' (and controllers') own principal.

**What it checks.** Every broker or controller with an ``authorizer.class.name``:

- ``super.users`` empty or unset: no principal is a super user, the nodes' own included;
- the principal the node's inter-broker connections arrive as (for a KRaft controller, the
  controller listener's; for a KRaft broker also the one it reaches the controllers with) is
  not in ``super.users``: ``User:ANONYMOUS`` when the listener is ``PLAINTEXT`` or ``SSL``
  without ``ssl.client.auth=required``; ``User:<username>`` of the node's own SASL login for
  PLAIN and SCRAM (``sasl.mechanism.inter.broker.protocol`` / ``sasl.mechanism.controller.protocol``,
  its ``listener.name.<listener>.<mechanism>.sasl.jaas.config``, else ``sasl.jaas.config``,
  read by ``kafkalint.security.parse_jaas_config``).

A principal taken from a client certificate (its distinguished name, after
``ssl.principal.mapping.rules``) or a Kerberos login is not known from the configuration
alone; for those listeners only an empty ``super.users`` is judged.

**Why.** Brokers replicate, controllers vote and brokers register with the controllers through
requests the authorizer checks like any other (``ClusterAction`` on the cluster). Unless the
nodes' principal is a super user (or holds those ACLs, which a new KRaft cluster cannot have
before it runs), a broker cannot register or replicate: ``ClusterAuthorizationException`` in the
logs, partitions under-replicated, a KRaft broker never fenced in. Kafka accepts the
configuration.

**Where.** The ``super.users`` line when written, else the node's configuration.

Problematic::

    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
    listeners=SASL_SSL://:9093,CONTROLLER://:9094
    # super.users not set

Correct::

    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
    super.users=User:kafka-broker;User:kafka-controller;User:admin

**Source.** Kafka documentation, Security: "Authorization and ACLs" ("super.users", "By
default ... no one other than super users is allowed"), "Using ACLs with KRaft"; KIP-801
(StandardAuthorizer; early start listeners).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, ConfigMap, Model
from kafkalint.rules._cluster import runs_broker, runs_controller
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import str_value, where_to_change
from kafkalint.security import SecurityError, parse_jaas_config

ID = "KL605"
NAME = "super-users"
SEVERITY = Severity.ERROR

KEY = "super.users"
ANONYMOUS = "User:ANONYMOUS"
LOGINS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
HINT = "list the principals brokers and controllers connect as in super.users (semicolon-separated User:<name>)"


def _login(config: ConfigMap, listener: str, mechanism_key: str) -> str | None:
    """``User:<username>`` of the node's own PLAIN or SCRAM login on ``listener``."""
    mechanism = (str_value(config, mechanism_key) or "GSSAPI").strip().upper()
    if mechanism not in LOGINS:
        return None
    prefixed = f"listener.name.{listener.lower()}.{mechanism.lower()}.sasl.jaas.config"
    text = (
        str_value(config, prefixed) if config.explicit(prefixed) is not None else str_value(config, "sasl.jaas.config")
    )
    if not text:
        return None
    try:
        username = parse_jaas_config(text).options.get("username")
    except SecurityError:
        return None  # not JAAS Kafka can read: the broker does not start (its own finding to be)
    return f"User:{username}" if username else None


def _principals(node: Broker) -> dict[str, str]:
    """Listener name -> the principal the node's own connections arrive as on it (the
    inter-broker and controller listeners), where the configuration tells."""
    config = node.config
    wanted: dict[str, str] = {}  # listener -> the key of the mechanism the node logs in with
    if runs_broker(node):
        inter = listeners.inter_broker_listener(config)
        if inter is not None:
            wanted[inter[0]] = "sasl.mechanism.inter.broker.protocol"
    names = sorted(listeners.controller_names(config))
    if names and (runs_controller(node) or listeners.is_kraft(config)):
        wanted.setdefault(names[0], "sasl.mechanism.controller.protocol")
    result = {}
    for item in listeners.listener_security(config):
        mechanism_key = wanted.get(item.endpoint.name)
        if mechanism_key is None:
            continue
        if item.protocol in ("PLAINTEXT", "SSL") and not item.authenticates:
            result[item.endpoint.name] = ANONYMOUS
        elif item.protocol in ("SASL_PLAINTEXT", "SASL_SSL"):
            principal = _login(config, item.endpoint.name, mechanism_key)
            if principal is not None:
                result[item.endpoint.name] = principal
    return result


def _problem(node: Broker) -> str | None:
    config = node.config
    if not (str_value(config, "authorizer.class.name") or "").strip():
        return None
    supers = [entry.strip() for entry in (str_value(config, KEY) or "").split(";") if entry.strip()]
    if not supers:
        return message(
            f"authorizer.class.name is set on {node.name} but {KEY} is empty",
            "the nodes' own requests are refused (ClusterAuthorizationException): brokers cannot register or replicate",
            f"set {KEY} to the brokers' and controllers' principals",
        )
    principals = _principals(node)
    missing = sorted({principal for principal in principals.values() if principal not in supers})
    if not missing:
        return None
    named = ",".join(sorted(name for name, principal in principals.items() if principal in missing))
    if missing == [ANONYMOUS]:
        return message(
            f"{node.name} connects to its peers unauthenticated on {named}, as {ANONYMOUS}, which {KEY} does not list",
            "inter-broker and controller requests are refused (ClusterAuthorizationException)",
            f"authenticate {named} (SASL_SSL, or SSL with ssl.client.auth=required) and list that principal in {KEY}",
        )
    return message(
        f"{node.name} logs in to its peers on {named} as {','.join(missing)}, which {KEY} does not list",
        "inter-broker and controller requests are refused (ClusterAuthorizationException)",
        f"add {';'.join(missing)} to {KEY}",
    )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = (
            (node, where_to_change(node.config, KEY), text)
            for node in cluster.nodes
            if (text := _problem(node)) is not None
        )
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
