"""zookeeper.session.timeout.ms is outside what ZooKeeper negotiates: the broker silently gets another timeout.

**What it checks.** For brokers in ZooKeeper mode (Kafka before 4.0), the effective
``zookeeper.session.timeout.ms`` (explicit, else Kafka's default for the version: 6000 ms
before 2.5, 18000 ms from 2.5, KIP-537) against the session timeouts each ZooKeeper server of
the cluster accepts: ``minSessionTimeout`` to ``maxSessionTimeout`` of its ``zoo.cfg``, which
default to 2 x and 20 x ``tickTime``.

**Why.** ZooKeeper does not refuse a timeout outside its range: it clamps it and the broker
runs with a value nobody wrote. Clamped down (above the maximum), a GC pause or network blip
shorter than the configured timeout expires the broker's session, which drops it from the
cluster, moves partition leaders and, on the controller, forces a controller election: churn
the setting was meant to prevent. Clamped up (below the minimum), a dead broker is noticed
later than configured. Neither Kafka nor ZooKeeper reports it.

**Where.** The broker's ``zookeeper.session.timeout.ms`` line when it is written; otherwise the
ZooKeeper setting that makes Kafka's default fall outside (``tickTime``, ``minSessionTimeout``
or ``maxSessionTimeout``); otherwise the broker properties, where the key should be added.

Problematic (allows at most 20 x 500 = 10000 ms)::

    # zoo.cfg
    tickTime=500
    # server.properties (Kafka 3.9: default 18000)

Correct::

    # zoo.cfg
    tickTime=2000
    # server.properties
    zookeeper.session.timeout.ms=18000

**Source.** ZooKeeper Administrator's Guide, ``minSessionTimeout`` / ``maxSessionTimeout``
("defaults to 2 times the tickTime" / "20 times the tickTime"); Kafka documentation,
``zookeeper.session.timeout.ms``; KIP-537 (default raised from 6 s to 18 s in 2.5).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Location, Model, ZooKeeperNode
from kafkalint.rules._cluster import zookeeper_brokers
from kafkalint.rules._report import message, per_broker
from kafkalint.rules._values import authored, int_value, where_to_change

ID = "KL305"
NAME = "zookeeper-session-timeout"
SEVERITY = Severity.WARNING

KEY = "zookeeper.session.timeout.ms"
HINT = "keep zookeeper.session.timeout.ms within 2 x and 20 x the ZooKeeper tickTime"


@dataclass(frozen=True)
class Bounds:
    """What one ZooKeeper server negotiates, and the setting that decides each bound."""

    tick: int
    low: int
    high: int
    low_key: str
    high_key: str
    node: ZooKeeperNode


def _bound(node: ZooKeeperNode, key: str, tick: int, factor: int) -> tuple[int, str]:
    value = int_value(node.config, key) if key in node.config else None
    if value is not None and value > 0:
        return value, key
    return factor * tick, "tickTime"


def bounds(node: ZooKeeperNode) -> Bounds | None:
    tick = int_value(node.config, "tickTime") if "tickTime" in node.config else None
    if tick is None or tick <= 0:
        return None  # ZooKeeper itself refuses to start without a tickTime
    low, low_key = _bound(node, "minSessionTimeout", tick, 2)
    high, high_key = _bound(node, "maxSessionTimeout", tick, 20)
    return Bounds(tick, low, high, low_key, high_key, node)


def _where(broker: Broker, zk_key: str, node: ZooKeeperNode) -> Location:
    if authored(broker.config, KEY):
        return broker.config.location_of(KEY)
    if authored(node.config, zk_key):
        return node.config.location_of(zk_key)
    return where_to_change(broker.config, KEY)


def _rule(key: str, value: int, name: str, factor: int, tick: int) -> str:
    return f"{key}={value}" if key != "tickTime" else f"{name} = {factor} x tickTime={tick}"


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    brokers = zookeeper_brokers(cluster)
    ranges: dict[tuple[int, int], Bounds] = {}
    for node in cluster.zookeepers:
        limit = bounds(node)
        if limit is not None:
            ranges.setdefault((limit.low, limit.high), limit)
    if not brokers or not ranges:
        return
    yield from per_broker(ID, _problems(brokers, ranges), HINT)


def _problems(brokers: list[Broker], ranges: dict[tuple[int, int], Bounds]) -> Iterator[tuple[Broker, Location, str]]:
    for broker in brokers:
        timeout = int_value(broker.config, KEY)
        if timeout is None:
            continue
        shown = f"{KEY}={timeout}" + ("" if KEY in broker.config else " (Kafka's default)")
        for limit in ranges.values():
            if timeout > limit.high:
                rule = _rule(limit.high_key, limit.high, "maxSessionTimeout", 20, limit.tick)
                text = message(
                    f"{shown} is above the {limit.high} ms ZooKeeper allows ({rule})",
                    f"the session silently gets {limit.high} ms, so a pause shorter than configured expires it and "
                    f"moves leaders and the controller",
                    f"set {KEY} to at most {limit.high} or raise {limit.high_key}",
                )
                yield broker, _where(broker, limit.high_key, limit.node), text
            elif timeout < limit.low:
                rule = _rule(limit.low_key, limit.low, "minSessionTimeout", 2, limit.tick)
                text = message(
                    f"{shown} is below the {limit.low} ms ZooKeeper requires ({rule})",
                    f"the session silently gets {limit.low} ms, so a dead broker is noticed later than configured",
                    f"set {KEY} between {limit.low} and {limit.high}",
                )
                yield broker, _where(broker, limit.low_key, limit.node), text


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
