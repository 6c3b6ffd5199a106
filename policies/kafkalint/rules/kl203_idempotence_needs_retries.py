"""``enable.idempotence=true`` with ``retries=0``: the producer does not start.

**What it checks.** A producer that writes ``enable.idempotence=true`` and ``retries=0``. For
Kafka before 3.0.1 / 3.1.1 / 3.2.0 also one whose idempotence comes from a
``transactional.id``.

**Why.** The idempotent producer exists to retry safely: the broker drops a resent batch it
already has, by producer id and sequence number. Without retries it has nothing to do, and
Kafka refuses the contradiction when the producer is constructed. When ``enable.idempotence``
is *not* written, ``retries=0`` silently turns the default idempotence off instead (a
transactional producer then fails, KL205).

**Kafka rejects it** when the producer is constructed (``ConfigException``)::

    Must set retries to non-zero when using the idempotent producer.

Problematic::

    enable.idempotence=true
    retries=0

Correct (leave retries at its default, 2147483647, and bound the time instead)::

    enable.idempotence=true
    delivery.timeout.ms=120000

**Source.** apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``postProcessAndValidateIdempotenceConfigs``); Kafka documentation, producer config
``enable.idempotence``; seeds ``001`` (retries: 일시적인 오류로 실패한 데이터를 다시 보내는 횟수).

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

ID = "KL203"
NAME = "idempotence-needs-retries"
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
                        f"{shown(config, _producer.IDEMPOTENCE)} with retries=0",
                        "the idempotent producer does not start without retries",
                        "remove retries=0 (or drop enable.idempotence=true)",
                        kafka=rejection.kafka_message,
                    ),
                    location=location_of(config, rejection.key),
                    subject=profile_subject(profile),
                    hint="Bound sending time with delivery.timeout.ms rather than with retries.",
                )
