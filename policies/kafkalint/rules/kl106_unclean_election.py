"""Unclean leader election is on where writes are meant to be durable: acknowledged writes can be dropped.

**What it checks.** ``unclean.leader.election.enable=true`` (a topic's own setting, else the
brokers') for a replicated topic (replication factor 2 or more: with one replica there is no
out-of-sync follower to elect) that is meant to keep acknowledged writes: its effective
``min.insync.replicas`` is 2 or more, or a producer profile writes to it with ``acks=all``
(explicit, or the default from Kafka 3.0). The brokers' setting is also checked against the
broker defaults (``min.insync.replicas`` >= 2) and against topics producers name that no
``kafka_topics`` entry declares.

**Why.** With unclean election a replica that is *not* in the ISR may become leader when all
in-sync replicas are down. It lacks the newest writes; the old leader's log is truncated to it
when it returns, so writes that ``acks=all`` acknowledged, and that ``min.insync.replicas``
promised to keep on several replicas, vanish without an error. Kafka accepts it silently
(the default has been ``false`` since 0.11).

**Where.** The ``unclean.leader.election.enable`` line (the topic's own, else the brokers'),
reported once per line with every affected topic.

Problematic::

    kafka_broker_properties:
      min.insync.replicas: 2
      unclean.leader.election.enable: true

Correct::

    kafka_broker_properties:
      min.insync.replicas: 2
      unclean.leader.election.enable: false

**Source.** Kafka documentation, Design: "Unclean leader election: What if they all die?" and
``unclean.leader.election.enable``; seeds 001 (acks=all with min.insync.replicas for lossless
delivery).

**Proof.** On the live test cluster (tests/live/test_live_durability.py): a stale replica
elected through unclean election dropped 20 of 20 acknowledged acks=all writes; with the
default false the partition stayed offline and lost nothing. Figures: docs/proofs.md#kl106.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint.facts import topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Location, Model, ProducerProfile, Topic
from kafkalint.rules._cluster import reference_broker, undeclared_topics, writers
from kafkalint.rules._replication import Replication, broker_defaults, broker_replication, topic_replication
from kafkalint.rules._report import Collector, message, names
from kafkalint.rules._values import ALL, acks, bool_value, where_to_change

ID = "KL106"
NAME = "unclean-election"
SEVERITY = Severity.ERROR

KEY = "unclean.leader.election.enable"


def _reasons(by_topic: Mapping[str, list[ProducerProfile]], topic: str, pair: Replication | None) -> list[str]:
    if pair is not None and pair.rf < 2:
        return []  # a single replica has no out-of-sync follower to elect
    reasons = []
    min_isr = pair.min_isr if pair is not None else None
    if min_isr is not None and min_isr >= 2:
        reasons.append(f"min.insync.replicas={min_isr}")
    producers = [profile.name for profile in by_topic.get(topic, ()) if acks(profile.config) == ALL]
    if producers:
        reasons.append(f"acks=all from {names(producers)}")
    return reasons


def _brokers_unclean(cluster: Cluster) -> tuple[bool | None, Location | None]:
    """The brokers' setting as topics without their own inherit it."""
    broker = reference_broker(cluster, KEY)
    if broker is None:
        return None, None
    return bool_value(broker.config, KEY), where_to_change(broker.config, KEY)


def _elects_unclean(brokers: tuple[bool | None, Location | None], topic: Topic) -> bool:
    """The topic's own setting, else the brokers' (from a line that sets it), is true."""
    if KEY in topic.config:
        return bool_value(topic.config, KEY) is True
    return brokers[0] is True and brokers[1] is not None


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    found: Collector[tuple[str, str]] = Collector()
    by_topic = writers(cluster)
    for broker in cluster.brokers:
        if bool_value(broker.config, KEY) is not True:
            continue
        where = where_to_change(broker.config, KEY)
        pair = broker_replication(broker)
        if pair is not None and pair.min_isr >= 2 and pair.rf >= 2:
            found.add(where, "", ("new topics", f"min.insync.replicas={pair.min_isr}"))
        for name in undeclared_topics(cluster):
            reasons = _reasons(by_topic, name, pair)
            if reasons:
                found.add(where, "", (f"topic {name}", "; ".join(reasons)))
    inherited = broker_defaults(cluster)
    brokers_unclean = _brokers_unclean(cluster)
    for topic in topics_where(cluster, partial(_elects_unclean, brokers_unclean)):
        line: Location | None
        if KEY in topic.config:
            unclean, line = bool_value(topic.config, KEY), topic.config.location_of(KEY)
        else:
            unclean, line = brokers_unclean
        if unclean is not True or line is None:
            continue
        pair = topic_replication(cluster, topic, inherited)
        reasons = _reasons(by_topic, topic.name, pair)
        if reasons:
            found.add(line, "", (f"topic {topic.name}", "; ".join(reasons)))
    for group in found:
        what = names(f"{subject} ({reasons})" for subject, reasons in group.items)
        yield Finding(
            rule_id=ID,
            message=message(
                f"unclean.leader.election.enable=true for {what}",
                "an out-of-sync replica may become leader and silently drop acknowledged writes",
                "set it to false",
            ),
            location=group.location,
            subject=names(subject for subject, _ in group.items),
            hint="prefer an unavailable partition over lost acknowledged writes: keep unclean election off",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
