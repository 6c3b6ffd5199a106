"""``transactional.id`` with idempotence off: the producer does not start.

**What it checks.** A producer that writes ``transactional.id`` while idempotence ends up off:
written as ``enable.idempotence=false``, or -- with ``enable.idempotence`` not written, from
3.0.1 / 3.1.1 / 3.2.0 -- turned off silently by ``acks`` 0 or 1, ``retries=0`` or (3.x)
``max.in.flight.requests.per.connection`` above 5.

**Why.** Transactions are built on the idempotent producer (producer id, epoch and sequence
numbers). Kafka checks the transactional id *after* it has decided whether the default
idempotence survives the other settings, so an innocent-looking ``acks=1`` makes a
transactional producer fail at start-up. The finding points at the setting that turns
idempotence off.

**Kafka rejects it** when the producer is constructed (``ConfigException``)::

    Cannot set a transactional.id without also enabling idempotence.

Problematic::

    transactional.id=orders-writer-1
    acks=1

Correct::

    transactional.id=orders-writer-1
    acks=all

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``postProcessAndValidateIdempotenceConfigs``: "validate `transaction.id` after validating
idempotence dependant configs because `enable.idempotence` config might be overridden"); before
3.0.1 ``ProducerConfig.idempotenceEnabled`` (only an explicit ``enable.idempotence=false``
conflicts; a transactional id implies idempotence); KIP-98.

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
from kafkalint.rules._values import location_of

ID = "KL205"
NAME = "transactional-id-without-idempotence"
SEVERITY = Severity.ERROR

_FIX = {
    _producer.IDEMPOTENCE: "remove enable.idempotence=false",
    _producer.ACKS: "set acks=all",
    _producer.RETRIES: "remove retries=0",
    _producer.IN_FLIGHT: "set max.in.flight.requests.per.connection to at most 5",
}


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        rejected = producers_where(cluster, lambda profile: bool(_producer.semantics(profile.config).rejected(ID)))
        for profile in rejected:
            config = profile.config
            state = _producer.semantics(config)
            for rejection in state.rejected(ID):
                causes = state.disabled_by or (_producer.IDEMPOTENCE,)
                fixes = " and ".join(_FIX[key] for key in causes)
                turned_off = _producer.causes_text(config, causes)
                yield Finding(
                    rule_id=ID,
                    message=message(
                        f"transactional.id with idempotence turned off by {turned_off}",
                        "a transactional producer needs idempotence and does not start",
                        fixes,
                        kafka=rejection.kafka_message,
                    ),
                    location=location_of(config, rejection.key),
                    subject=profile_subject(profile),
                    hint="A transactional producer needs acks=all, retries > 0 and at most 5 requests in flight.",
                )
