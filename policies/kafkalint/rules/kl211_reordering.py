"""Idempotence off with retries and several requests in flight: records can be reordered.

**What it checks.** A producer whose idempotence ends up off -- ``enable.idempotence=false``;
or the default turned off silently by ``acks`` 0 or 1 (3.0.1 and later) or, in 3.x, by more
than 5 requests in flight; or, before 3.0.1 / 3.1.1 / 3.2.0, simply not enabled -- while
``retries`` is above 0 and ``max.in.flight.requests.per.connection`` above 1 (defaults of the
target version apply: 2147483647 and 5). ``acks=0`` is left to KL201: it never retries.

**Why.** With several batches in flight to one partition, a failed first batch is retried after
the second one was written, so the partition holds them in the wrong order -- and keyed
records, which the seeds route to one partition precisely to keep their order, lose it. The
idempotent producer prevents this with sequence numbers; without it only one request in flight
does. Note that ``acks=1`` (the seeds' usual choice) turns Kafka 3.x's default idempotence off
without a word. Kafka accepts all of these.

Problematic::

    acks=1
    # retries (default 2147483647) and max.in.flight.requests.per.connection (default 5)

Correct (ordering kept by idempotence)::

    acks=all

or, when acks=1 is a must::

    acks=1
    max.in.flight.requests.per.connection=1

**Source.** Kafka documentation, producer configs ``retries`` ("Allowing retries while setting
enable.idempotence to false and max.in.flight.requests.per.connection to greater than 1 will
potentially change the ordering of records"), ``enable.idempotence``; apache/kafka
``clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java``
(``postProcessAndValidateIdempotenceConfigs``); seeds ``000`` / ``001`` (keyed messages go to
one partition).

**Proof.** On the live test cluster (tests/live/test_live_faults.py): acks=1 without
idempotence, leader killed under a keyed stream: keys came back out of order. Figures:
docs/proofs.md#fault-acks-1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules import _producer
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import int_value

ID = "KL211"
NAME = "reordering"
SEVERITY = Severity.WARNING


def _reordering(config: ConfigMap) -> tuple[int, int] | None:
    """(retries, requests in flight) of a producer that may reorder a key's records."""
    state = _producer.semantics(config)
    if state.idempotent is not False or state.acks == 0:
        return None
    retries = int_value(config, _producer.RETRIES)
    in_flight = int_value(config, _producer.IN_FLIGHT)
    if retries is None or in_flight is None or retries <= 0 or in_flight <= 1:
        return None
    return retries, in_flight


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for profile in producers_where(cluster, lambda profile: _reordering(profile.config) is not None):
            config = profile.config
            found = _reordering(config)
            if found is None:
                continue
            retries, in_flight = found
            state = _producer.semantics(config)
            causes = state.disabled_by or (_producer.IDEMPOTENCE,)
            turned_off = _producer.causes_text(config, causes)
            yield Finding(
                rule_id=ID,
                message=message(
                    f"idempotence is off ({turned_off}) with retries={retries} and {in_flight} requests in flight",
                    "a retried batch can land after a later one, and records of one key lose their order",
                    "enable idempotence (acks=all, enable.idempotence not false) or set "
                    "max.in.flight.requests.per.connection=1",
                ),
                location=_producer.first_location(config, causes),
                subject=profile_subject(profile),
                hint="The idempotent producer keeps the order with up to 5 requests in flight.",
            )
