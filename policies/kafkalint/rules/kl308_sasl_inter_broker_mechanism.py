"""The inter-broker SASL mechanism is not enabled on the inter-broker listener: the broker does not start.

**What it checks.** On every broker whose inter-broker listener uses SASL (its protocol, from
``inter.broker.listener.name`` through ``listener.security.protocol.map`` or from
``security.inter.broker.protocol``, is ``SASL_PLAINTEXT`` or ``SASL_SSL``):
``sasl.mechanism.inter.broker.protocol`` (default ``GSSAPI``) must be one of the mechanisms
enabled on that listener, ``listener.name.<listener>.sasl.enabled.mechanisms`` when set, else
``sasl.enabled.mechanisms`` (default ``GSSAPI``).

**Why.** Brokers authenticate to each other with ``sasl.mechanism.inter.broker.protocol`` on
the inter-broker listener; a mechanism that listener does not accept could never
authenticate, so Kafka refuses the configuration. The usual cause is enabling SCRAM or PLAIN
for clients while leaving the inter-broker mechanism at its GSSAPI (Kerberos) default.

**Kafka rejects it** it at startup (``KafkaConfig.validateValues``; one line)::

    sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms
        when SASL is used for inter-broker communication

Kafka logs the checks it makes with Scala's ``require`` (the message above) as
``java.lang.IllegalArgumentException: requirement failed: <message>``.

**Where.** The ``sasl.mechanism.inter.broker.protocol`` line when written, else the enabled
mechanisms' line (or where ``sasl.mechanism.inter.broker.protocol`` should be added).

Problematic::

    security.inter.broker.protocol=SASL_SSL
    sasl.enabled.mechanisms=SCRAM-SHA-512

Correct::

    security.inter.broker.protocol=SASL_SSL
    sasl.enabled.mechanisms=SCRAM-SHA-512
    sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512

**Source.** apache/kafka ``core/src/main/scala/kafka/server/KafkaConfig.scala`` (3.9,
``validateValues`` and ``saslEnabledMechanisms(listenerName)``); Kafka documentation,
Security: SASL configuration for Kafka brokers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Location, Model
from kafkalint.rules._report import message, per_broker
from kafkalint.rules._values import authored, list_value, str_value, where_to_change

ID = "KL308"
NAME = "sasl-inter-broker-mechanism"
SEVERITY = Severity.ERROR

MECHANISM = "sasl.mechanism.inter.broker.protocol"
ENABLED = "sasl.enabled.mechanisms"
KAFKA_TEXT = f"{MECHANISM} must be included in {ENABLED} when SASL is used for inter-broker communication"
SASL = ("SASL_PLAINTEXT", "SASL_SSL")
HINT = "brokers authenticate to each other with sasl.mechanism.inter.broker.protocol: enable it"


def _problem(broker: Broker) -> tuple[Location, str] | None:
    listener = listeners.inter_broker_listener(broker.config)
    if listener is None or listener[1] not in SASL:
        return None
    name, protocol = listener
    config = broker.config
    mechanism = (str_value(config, MECHANISM) or "GSSAPI").strip()
    prefixed = f"listener.name.{name.lower()}.{ENABLED}"
    enabled_key = prefixed if prefixed in config else ENABLED
    enabled = list_value(config, enabled_key)
    if mechanism in enabled:
        return None
    where = where_to_change(config, MECHANISM) if authored(config, MECHANISM) else where_to_change(config, enabled_key)
    shown = f"{MECHANISM}={mechanism}" + ("" if MECHANISM in config else " (Kafka's default)")
    text = message(
        f"{shown} is not among the mechanisms {enabled_key}={','.join(enabled) or '(none)'} enables on the "
        f"{protocol} inter-broker listener {name}",
        "the broker does not start",
        f"set {MECHANISM} to an enabled mechanism or enable {mechanism}",
        kafka=KAFKA_TEXT,
    )
    return where, text


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = ((broker, *problem) for broker in cluster.brokers if (problem := _problem(broker)) is not None)
        yield from per_broker(ID, found, HINT)
