"""``acks`` 0 or 1 writing to a topic whose ``min.insync.replicas`` is 2 or more.

**What it checks.** A producer profile whose effective ``acks`` is 0 or 1 (written, or the
default of the target version: 1 before 3.0, ``all`` from 3.0) and that writes to a declared
topic whose effective ``min.insync.replicas`` -- the topic's override, else the brokers' -- is
at least 2.

**Why.** ``min.insync.replicas`` is the topic owner's durability requirement: "a write is only
acknowledged once this many replicas have it". The broker enforces it *only* for ``acks=all``
requests. A producer with ``acks=1`` is acknowledged as soon as the leader has the record; if
the leader then fails before a follower copied it, the record is lost although the topic asked
for two copies (the seeds describe exactly this loss for ``acks=1``, and recommend
``min.insync.replicas=2`` with replication factor 3 together with ``acks=all``). Kafka accepts
the combination silently.

Problematic::

    # topic orders: min.insync.replicas=2, replication factor 3
    acks=1

Correct::

    acks=all

**Source.** Kafka documentation, topic config ``min.insync.replicas`` ("When a producer sets
acks to "all" (or "-1"), min.insync.replicas specifies the minimum number of replicas that must
acknowledge a write"); seeds ``001`` (acks=1: "일부 데이터의 손실이 발생할 수 있음"; "min.insync.replicas =2 &
레플리케이션 팩터=3으로 사용하자" with acks=all).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules import _producer
from kafkalint.rules._cluster import topic_index, written_topics
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import as_int, location_of, shown

ID = "KL212"
NAME = "acks-below-min-isr-intent"
SEVERITY = Severity.WARNING

MIN_ISR = "min.insync.replicas"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        index = topic_index(cluster)
        for profile in producers_where(cluster, lambda profile: _producer.semantics(profile.config).acks in (0, 1)):
            config = profile.config
            guarded: list[str] = []
            for topic in written_topics(profile, index):
                min_isr = as_int(cluster.topic_setting(topic, MIN_ISR)[0])
                if min_isr is not None and min_isr >= 2:
                    guarded.append(f"{topic.name} (min.insync.replicas={min_isr})")
            if not guarded:
                continue
            yield Finding(
                rule_id=ID,
                message=message(
                    f"{shown(config, _producer.ACKS)} writing to {', '.join(guarded)}",
                    "the broker enforces min.insync.replicas only for acks=all, so an acknowledged record can "
                    "still be lost with its leader",
                    "set acks=all",
                ),
                location=location_of(config, _producer.ACKS),
                subject=profile_subject(profile),
                hint="min.insync.replicas=2 with replication factor 3 and acks=all survives one broker loss.",
            )
