"""Idempotence with ``max.in.flight.requests.per.connection`` above 5: the producer does not start.

**What it checks.** A producer with more than 5 in-flight requests per connection while
idempotence is on: written as ``enable.idempotence=true`` (every version), or -- from Kafka 4.0
-- on by default (``enable.idempotence`` not written; KAFKA-17927).

**Why.** The broker remembers the metadata of the last 5 batches of each producer per partition
(``ProducerStateEntry``). With more batches in flight, a resent batch can no longer be
recognised as a duplicate, so Kafka caps in-flight requests at 5 for the idempotent producer.
In 3.x a config that leaves ``enable.idempotence`` at its default and asks for more than 5 is
accepted with a warning and runs *without* idempotence ("Please note that in v4.0.0 and onward,
this will become an error."); 4.0 refuses it.

**Kafka rejects it** when the producer is constructed (``ConfigException``; 3.x, then 4.x)::

    Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.
    To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is 10.

Problematic::

    enable.idempotence=true
    max.in.flight.requests.per.connection=10

Correct::

    enable.idempotence=true
    max.in.flight.requests.per.connection=5

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``postProcessAndValidateIdempotenceConfigs``; 3.9 and 4.0), KAFKA-17927 (4.0: the default
idempotence too), KAFKA-5494 (up to 5 in flight with idempotence).

**Proof.** On the live test cluster (tests/live/test_live_producer_config.py): the Kafka 3.9.1
Java producer refused to start with the message quoted above. Figures: docs/proofs.md#kl202.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules import _producer
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import is_written, location_of, raw, render

ID = "KL204"
NAME = "idempotence-max-in-flight"
SEVERITY = Severity.ERROR


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        rejected = producers_where(cluster, lambda profile: bool(_producer.semantics(profile.config).rejected(ID)))
        for profile in rejected:
            config = profile.config
            for rejection in _producer.semantics(config).rejected(ID):
                how = (
                    "enable.idempotence=true"
                    if is_written(config, _producer.IDEMPOTENCE)
                    else f"Kafka {config.version.line}'s default idempotence"
                )
                yield Finding(
                    rule_id=ID,
                    message=message(
                        f"max.in.flight.requests.per.connection={render(raw(config, _producer.IN_FLIGHT))} with {how}",
                        "the producer does not start",
                        "set max.in.flight.requests.per.connection to at most 5",
                        kafka=rejection.kafka_message,
                    ),
                    location=location_of(config, rejection.key),
                    subject=profile_subject(profile),
                    hint=(
                        "Idempotence keeps ordering with up to 5 in flight; "
                        "enable.idempotence=false is the only way past 5."
                    ),
                )
