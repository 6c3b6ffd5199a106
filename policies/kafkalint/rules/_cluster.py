"""Facts about a cluster as a whole: its context, how its nodes run, which producers write where.

- context: whether the cluster is production and how many brokers it has are known for an
  inventory or cluster file, and for loose files only when stated
  (:mod:`kafkalint.loaders.grouping`); a rule that needs them asks here, and does not
  escalate (or does not judge) on what is unknown;
- mode: a KRaft node writes ``process.roles``; brokers without it run in ZooKeeper mode,
  which Kafka 4.0 removed;
- the reference broker whose setting stands for the cluster (as topics inherit it);
- producers by the topics they write, topics by name, topics producers name that no
  ``kafka_topics`` entry declares (built once per cluster: estates have thousands of topics
  and hundreds of profiles).

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from collections.abc import Mapping

from kafkalint import listeners
from kafkalint.model import Broker, Cluster, ProducerProfile, Topic
from kafkalint.rules._values import as_list, authored
from kafkalint.versions import KafkaVersion

ZOOKEEPER_REMOVED = KafkaVersion(4, 0)


def known_brokers(cluster: Cluster) -> int | None:
    """The cluster's broker count when it is known: an inventory's brokers, or the count a
    user stated for loose files; ``None`` otherwise."""
    if cluster.complete:
        return len(cluster.brokers)
    return cluster.stated_brokers


def least_brokers(cluster: Cluster) -> int:
    """How many brokers the cluster has at least: those given, or the stated count."""
    return max(len(cluster.brokers), cluster.stated_brokers or 0)


def all_brokers_given(cluster: Cluster) -> bool:
    """Every broker of the cluster is in the model (an address no broker has is then
    certainly no broker's)."""
    count = known_brokers(cluster)
    return count is not None and count <= len(cluster.brokers) and bool(cluster.brokers)


def production(cluster: Cluster) -> bool | None:
    """``True`` / ``False`` when the environment is known, ``None`` when nobody said."""
    return cluster.production


def is_kraft(broker: Broker) -> bool:
    """A KRaft node: ``process.roles`` is written."""
    return listeners.is_kraft(broker.config)


def roles(broker: Broker) -> frozenset[str]:
    """The node's KRaft ``process.roles`` (``broker``, ``controller``): the model's, else its
    ``process.roles`` setting; empty for a ZooKeeper-mode broker."""
    if broker.roles:
        return broker.roles
    setting = broker.config.explicit("process.roles")
    return frozenset(role.lower() for role in as_list(setting.raw)) if setting is not None else frozenset()


def runs_broker(broker: Broker) -> bool:
    """The node serves clients and holds partitions (ZooKeeper mode, or the broker role)."""
    found = roles(broker)
    return not found or "broker" in found


def runs_controller(broker: Broker) -> bool:
    """The node is a KRaft controller (dedicated or combined)."""
    return "controller" in roles(broker)


def zookeeper_brokers(cluster: Cluster) -> list[Broker]:
    """Brokers running in ZooKeeper mode (Kafka before 4.0, no ``process.roles``)."""
    if cluster.version >= ZOOKEEPER_REMOVED:
        return []
    return [broker for broker in cluster.brokers if not is_kraft(broker)]


def reference_broker(cluster: Cluster, key: str) -> Broker | None:
    """The broker whose ``key`` stands for the cluster (as :meth:`Cluster.broker_default`):
    the first that writes it, else the first that has it, else the first broker."""
    for broker in cluster.brokers:
        if authored(broker.config, key):
            return broker
    for broker in cluster.brokers:
        if key in broker.config:
            return broker
    return cluster.brokers[0] if cluster.brokers else None


def writers(cluster: Cluster) -> dict[str, list[ProducerProfile]]:
    """Producer profiles by the topic names they write to."""
    result: dict[str, list[ProducerProfile]] = {}
    for profile in cluster.producers:
        for name in dict.fromkeys(profile.topics):
            result.setdefault(name, []).append(profile)
    return result


def undeclared_topics(cluster: Cluster) -> list[str]:
    """Topics producers write to that no ``kafka_topics`` entry declares (created by the
    broker defaults, or auto-created)."""
    declared = {topic.name for topic in cluster.topics}
    result: list[str] = []
    for profile in cluster.producers:
        result.extend(name for name in profile.topics if name not in declared)
    return list(dict.fromkeys(result))


def topic_index(cluster: Cluster) -> dict[str, Topic]:
    """Topics by name (the first declaration wins, as :meth:`Cluster.topic` finds it)."""
    index: dict[str, Topic] = {}
    for topic in cluster.topics:
        index.setdefault(topic.name, topic)
    return index


def written_topics(profile: ProducerProfile, index: Mapping[str, Topic]) -> list[Topic]:
    """The declared topics ``profile`` writes to, each once, in its order."""
    found = (index.get(name) for name in dict.fromkeys(profile.topics))
    return [topic for topic in found if topic is not None]
