"""``delivery.timeout.ms`` below ``linger.ms`` + ``request.timeout.ms``: the producer does not start.

**What it checks.** A producer that writes ``delivery.timeout.ms`` lower than ``linger.ms`` +
``request.timeout.ms``, each read with the defaults of the target Kafka version when not
written (``request.timeout.ms`` 30000; ``linger.ms`` 0 before 4.0 and 5 from 4.0, KIP-1030).
The sum is capped at 2147483647 as Kafka does.

**Why.** ``delivery.timeout.ms`` bounds the whole life of a record in the producer: waiting for
its batch to fill (``linger.ms``), then at least one request (``request.timeout.ms``). A
smaller bound could expire every record before it was ever sent, so Kafka refuses it when the
producer is constructed. Only a written ``delivery.timeout.ms`` is refused: when it is left at
its default, Kafka raises it to the sum and logs a warning. Mind upgrades: a
``delivery.timeout.ms=30000`` that works on 3.9 fails on 4.0, whose ``linger.ms`` default is 5.

**Kafka rejects it** when the producer is constructed (``ConfigException``)::

    delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms

Problematic::

    delivery.timeout.ms=30000
    request.timeout.ms=30000
    linger.ms=10

Correct::

    delivery.timeout.ms=120000
    request.timeout.ms=30000
    linger.ms=10

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/KafkaProducer.java``
(``configureDeliveryTimeout``, ``lingerMs``); KIP-91 (delivery.timeout.ms); KIP-1030 (4.0
``linger.ms`` default 5); seeds ``000`` / ``001`` (linger.ms).

**Proof.** On the live test cluster (tests/live/test_live_producer_config.py): the Kafka 3.9.1
Java producer refused an explicit delivery.timeout.ms below linger.ms + request.timeout.ms with
the message quoted above. Figures: docs/proofs.md#kl202.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import INT_MAX, int_value, is_written, kafka_default, location_of, shown

ID = "KL206"
NAME = "delivery-timeout"
SEVERITY = Severity.ERROR

DELIVERY = "delivery.timeout.ms"
LINGER = "linger.ms"
REQUEST = "request.timeout.ms"
KAFKA_MESSAGE = "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"


def _short(config: ConfigMap) -> tuple[int, int] | None:
    """(delivery.timeout.ms, what it must be at least) when it is written and too short."""
    # Kafka raises a default delivery.timeout.ms itself; only a written one is refused.
    if not is_written(config, DELIVERY):
        return None
    delivery = int_value(config, DELIVERY)
    linger = int_value(config, LINGER)
    request = int_value(config, REQUEST)
    if delivery is None or linger is None or request is None:
        return None
    needed = min(min(linger, INT_MAX) + request, INT_MAX)
    return None if delivery >= needed else (delivery, needed)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for profile in producers_where(cluster, lambda profile: _short(profile.config) is not None):
            config = profile.config
            short = _short(config)
            if short is None:
                continue
            delivery, needed = short
            defaults = {key: kafka_default("producer", config.version, key) for key in (LINGER, REQUEST, DELIVERY)}
            yield Finding(
                rule_id=ID,
                message=message(
                    f"delivery.timeout.ms={delivery} is below {shown(config, LINGER)} + {shown(config, REQUEST)}",
                    "the producer does not start",
                    f"set delivery.timeout.ms to at least {needed}",
                    kafka=KAFKA_MESSAGE,
                ),
                location=location_of(config, DELIVERY),
                subject=profile_subject(profile),
                hint=(
                    f"Kafka {config.version.line} defaults: linger.ms {defaults[LINGER]}, "
                    f"request.timeout.ms {defaults[REQUEST]}, delivery.timeout.ms {defaults[DELIVERY]}."
                ),
            )
