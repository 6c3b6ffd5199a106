"""``acks=0`` with ``retries`` set: the retries can never happen, and loss is silent.

**What it checks.** A producer whose effective ``acks`` is 0 and that writes ``retries`` above
0.

**Why.** With ``acks=0`` the producer does not wait for any answer from the broker: a record
counts as sent once it is in the socket buffer. No answer means no error to retry on, so
``retries`` has no effect, the returned offsets are always -1 and a record lost on the way is
lost silently (the seeds: "재요청도 적용되지 않음" -- retries are not applied). Writing ``retries`` next
to ``acks=0`` suggests the author expected them to protect the data; they do not. Kafka accepts
the combination without a word (idempotence, on by default from 3.0, is quietly turned off by
``acks=0``).

Problematic::

    acks=0
    retries=3

Correct (retries need an acknowledgement to act on)::

    acks=all
    retries=3

**Source.** Kafka documentation, producer config ``acks`` ("the retries configuration will not
take effect (as the client won't generally know of any failures). The offset given back for
each record will always be set to -1"); seeds ``000`` / ``001`` (acks=0: "서버로부터 어떠한 ack도 기다리지
않음"). Only a ``retries`` written in the config counts: its default (2147483647) is not a choice
the author made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import acks, int_value, is_written, location_of

ID = "KL201"
NAME = "acks0-with-retries"
SEVERITY = Severity.WARNING


def _retries(config: ConfigMap) -> int | None:
    """The retries an acks=0 producer writes, when above 0."""
    if acks(config) != 0 or not is_written(config, "retries"):
        return None
    retries = int_value(config, "retries")
    return retries if retries is not None and retries > 0 else None


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for profile in producers_where(cluster, lambda profile: _retries(profile.config) is not None):
            config = profile.config
            retries = _retries(config)
            yield Finding(
                rule_id=ID,
                message=message(
                    f"acks=0 with retries={retries}",
                    "the producer never hears of a failure, so it never retries and lost records go unnoticed",
                    f"set acks=1 or acks=all, or drop retries={retries}",
                ),
                location=location_of(config, "acks"),
                subject=profile_subject(profile),
                hint="acks=all with retries keeps every acknowledged record; acks=0 is fire-and-forget.",
            )
