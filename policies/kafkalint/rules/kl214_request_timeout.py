"""``request.timeout.ms`` not above the brokers' ``replica.lag.time.max.ms``: needless retries.

**What it checks.** A producer with effective ``acks=all`` whose ``request.timeout.ms`` is at
most the largest ``replica.lag.time.max.ms`` of its cluster's brokers. Defaults of the target
version apply on both sides (``request.timeout.ms`` 30000; ``replica.lag.time.max.ms`` 30000
from 2.5, KIP-537, 10000 before), so Kafka's own defaults meet the condition: set one of them
to make the choice explicit. Judged only when the cluster has brokers.

**Why.** An ``acks=all`` write is answered once every in-sync replica has it. A follower that
stalls stays in the ISR for up to ``replica.lag.time.max.ms`` before the leader drops it, and
until then the write waits. A producer that gives up sooner (``request.timeout.ms``) retries a
write that is about to succeed: needless load, and -- without idempotence -- duplicates. Kafka
accepts any pair.

Problematic::

    # broker
    replica.lag.time.max.ms=30000
    # producer
    request.timeout.ms=30000

Correct::

    request.timeout.ms=40000
    delivery.timeout.ms=120000

**Source.** Kafka documentation, producer config ``request.timeout.ms`` ("This should be larger
than replica.lag.time.max.ms (a broker configuration) to reduce the possibility of message
duplication due to unnecessary producer retries."); KIP-537 (2.5 default 30000).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model, ProducerProfile
from kafkalint.rules import _producer
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import ALL, int_value, location_of, shown

ID = "KL214"
NAME = "request-timeout"
SEVERITY = Severity.INFO

REQUEST = "request.timeout.ms"
LAG = "replica.lag.time.max.ms"


def _short(lag: int, profile: ProducerProfile) -> bool:
    """An acks=all producer whose request timeout is not above the brokers' replica lag."""
    request = int_value(profile.config, REQUEST)
    return _producer.semantics(profile.config).acks == ALL and request is not None and request <= lag


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        lags = [int_value(broker.config, LAG) for broker in cluster.brokers]
        known = [lag for lag in lags if lag is not None]
        if not known:
            continue
        lag = max(known)
        for profile in producers_where(cluster, partial(_short, lag)):
            config = profile.config
            yield Finding(
                rule_id=ID,
                message=message(
                    f"{shown(config, REQUEST)} is not above the brokers' replica.lag.time.max.ms={lag}",
                    "an acks=all write may wait that long for a stalled follower, and a shorter timeout retries "
                    "writes that are about to succeed",
                    f"set request.timeout.ms above {lag}",
                ),
                location=location_of(config, REQUEST),
                subject=profile_subject(profile),
                hint="Raise delivery.timeout.ms with it: it must cover linger.ms + request.timeout.ms (KL206).",
            )
