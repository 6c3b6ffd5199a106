"""Facts about a cluster as a whole: its context, how its nodes run, which producers write where.

- context: whether the cluster is production and how many brokers it has are known for an
  inventory or cluster file, and for loose files only when stated
  (:mod:`kafkalint.loaders.grouping`); a rule that needs them asks here, and does not
  escalate (or does not judge) on what is unknown;
- mode: a KRaft node writes ``process.roles``; brokers without it run in ZooKeeper mode,
  which Kafka 4.0 removed; a ZooKeeper-mode broker or a KRaft controller with
  ``zookeeper.metadata.migration.enable=true`` is migrating (KIP-866); the node's id
  (:func:`node_id`) and the cluster's controllers (:func:`controllers`);
- the reference broker whose setting stands for the cluster (as topics inherit it);
- producers by the topics they write, topics by name, topics producers name that no
  ``kafka_topics`` entry declares (built once per cluster and run, :func:`kafkalint.facts.memo`:
  estates have thousands of topics and hundreds of profiles; callers do not change them).

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kafkalint import listeners
from kafkalint.facts import memo, producers_where
from kafkalint.model import Broker, ClientConfig, Cluster, Location, ProducerProfile, Topic
from kafkalint.rules._values import as_list, authored, bool_value, int_value, is_written, where_to_change
from kafkalint.versions import KafkaVersion

ZOOKEEPER_REMOVED = KafkaVersion(4, 0)
#: KRaft is production-ready from 3.3 (KIP-833); 2.8-3.2 had it as early access.
KRAFT_READY = KafkaVersion(3, 3)
MIGRATION = "zookeeper.metadata.migration.enable"


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


def controllers(cluster: Cluster) -> list[Broker]:
    """The cluster's KRaft controller nodes (dedicated and combined), each once: the model's
    controllers and the loose files whose ``process.roles`` names the controller role."""
    return [node for node in cluster.nodes if runs_controller(node)]


def kraft_nodes(cluster: Cluster) -> list[Broker]:
    """Every node of the cluster that runs in KRaft mode (``process.roles``), each once."""
    return [node for node in cluster.nodes if roles(node)]


#: The releases with a ZooKeeper to KRaft migration (KIP-866): 3.4 to 3.9.
MIGRATION_SINCE = KafkaVersion(3, 4)


def migrating(broker: Broker) -> bool:
    """The node has ``zookeeper.metadata.migration.enable=true`` (KIP-866 migration mode) on a
    release that has the migration (3.4 to 3.9; elsewhere the key is unknown or removed)."""
    version = broker.config.version
    return MIGRATION_SINCE <= version < ZOOKEEPER_REMOVED and bool_value(broker.config, MIGRATION) is True


def zookeeper_keys(node: Broker) -> list[str]:
    """The ZooKeeper settings a node writes (``zookeeper.*``, the migration switch aside)."""
    return [
        setting.key
        for setting in node.config
        if setting.key.startswith("zookeeper.") and setting.key != MIGRATION and is_written(node.config, setting.key)
    ]


def node_id(broker: Broker) -> tuple[int | None, str, Location]:
    """The id Kafka uses for the node (``broker.id``, else ``node.id``, which Kafka keeps
    equal), the key it comes from and the line that sets it (the config's own line when
    neither is written)."""
    config = broker.config
    if "broker.id" in config:
        key = "broker.id"
    elif "node.id" in config:
        key = "node.id"
    else:
        key = "node.id" if is_kraft(broker) else "broker.id"
        return int_value(config, key), key, config.location
    return int_value(config, key), key, where_to_change(config, key)


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


def clients(cluster: Cluster) -> list[ProducerProfile | ClientConfig]:
    """The cluster's client configs: producer profiles, then consumer files."""
    return [*cluster.producers, *cluster.consumers]


def clients_where(
    cluster: Cluster, predicate: Callable[[ProducerProfile | ClientConfig], bool]
) -> list[ProducerProfile | ClientConfig]:
    """The client configs (as :func:`clients`) for which ``predicate`` holds; it reads the
    config only (profiles are judged once per shape, :func:`kafkalint.facts.producers_where`)."""
    return [*producers_where(cluster, predicate), *(client for client in cluster.consumers if predicate(client))]


def writers(cluster: Cluster) -> dict[str, list[ProducerProfile]]:
    """Producer profiles by the topic names they write to."""
    return memo(cluster, "writers", lambda: _writers(cluster))


def _writers(cluster: Cluster) -> dict[str, list[ProducerProfile]]:
    result: dict[str, list[ProducerProfile]] = {}
    for profile in cluster.producers:
        for name in dict.fromkeys(profile.topics):
            result.setdefault(name, []).append(profile)
    return result


def undeclared_topics(cluster: Cluster) -> list[str]:
    """Topics producers write to that no ``kafka_topics`` entry declares (created by the
    broker defaults, or auto-created)."""
    return memo(cluster, "undeclared-topics", lambda: _undeclared_topics(cluster))


def _undeclared_topics(cluster: Cluster) -> list[str]:
    declared = {topic.name for topic in cluster.topics}
    result: list[str] = []
    for profile in cluster.producers:
        result.extend(name for name in profile.topics if name not in declared)
    return list(dict.fromkeys(result))


def topic_index(cluster: Cluster) -> dict[str, Topic]:
    """Topics by name (the first declaration wins, as :meth:`Cluster.topic` finds it)."""
    return memo(cluster, "topic-index", lambda: _topic_index(cluster))


def _topic_index(cluster: Cluster) -> dict[str, Topic]:
    index: dict[str, Topic] = {}
    for topic in cluster.topics:
        index.setdefault(topic.name, topic)
    return index


def written_topics(profile: ProducerProfile, index: Mapping[str, Topic]) -> list[Topic]:
    """The declared topics ``profile`` writes to, each once, in its order."""
    found = (index.get(name) for name in dict.fromkeys(profile.topics))
    return [topic for topic in found if topic is not None]
