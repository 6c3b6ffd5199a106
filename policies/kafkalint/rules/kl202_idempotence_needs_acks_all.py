"""``enable.idempotence=true`` with ``acks`` other than ``all``: the producer does not start.

**What it checks.** A producer that writes ``enable.idempotence=true`` and whose ``acks`` is
``0`` or ``1`` (``all`` and ``-1`` are the same). For Kafka before 3.0.1 / 3.1.1 / 3.2.0 also a
producer whose idempotence comes from a ``transactional.id`` and that writes ``acks`` 0 or 1.

**Why.** The idempotent producer can only promise "exactly one copy per record" when every
in-sync replica has the record before it is acknowledged. Kafka therefore refuses the
combination when the producer is constructed, so the application fails at start-up. When
``enable.idempotence`` is *not* written (default true from 3.0, KIP-679), Kafka instead turns
idempotence off silently and starts: that is no error, see KL211/KL205.

**Kafka rejects it** when the producer is constructed (``ConfigException``)::

    Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.

Problematic::

    enable.idempotence=true
    acks=1

Correct::

    enable.idempotence=true
    acks=all

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``postProcessAndValidateIdempotenceConfigs``, ``parseAcks``; KAFKA-13673 in 3.0.1 / 3.1.1 /
3.2.0); KIP-679 (idempotence by default); seeds ``001`` (acks=-1 equals acks=all).

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
from kafkalint.rules._values import location_of, shown

ID = "KL202"
NAME = "idempotence-needs-acks-all"
SEVERITY = Severity.ERROR


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        rejected = producers_where(cluster, lambda profile: bool(_producer.semantics(profile.config).rejected(ID)))
        for profile in rejected:
            config = profile.config
            for rejection in _producer.semantics(config).rejected(ID):
                yield Finding(
                    rule_id=ID,
                    message=message(
                        f"{shown(config, _producer.IDEMPOTENCE)} with {shown(config, _producer.ACKS)}",
                        "the producer does not start",
                        "set acks=all or drop enable.idempotence=true",
                        kafka=rejection.kafka_message,
                    ),
                    location=location_of(config, rejection.key),
                    subject=profile_subject(profile),
                    hint="Idempotence needs every in-sync replica to acknowledge: acks=all (or -1).",
                )
