"""Facts several durability and broker rules (KL1xx, KL3xx) read from a cluster.

Typed reads that stay correct whether or not a catalogue covers the target version (Kafka's
defaults for the keys these rules need are repeated here as a fallback), the effective
replication of a topic or of the broker defaults, the producers writing to a topic, and a
small collector that reports one problem once per line a person must change.

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from kafkalint.model import Broker, Cluster, ConfigMap, Location, ProducerProfile, Topic, coerce
from kafkalint.versions import KafkaVersion

#: Kafka's defaults (3.9) for the keys these rules read; used only when no catalogue answers.
FALLBACK_DEFAULTS: dict[str, Any] = {
    "min.insync.replicas": 1,
    "default.replication.factor": 1,
    "num.partitions": 1,
    "auto.create.topics.enable": True,
    "unclean.leader.election.enable": False,
    "offsets.topic.replication.factor": 3,
    "transaction.state.log.replication.factor": 3,
    "transaction.state.log.min.isr": 2,
    "queued.max.request.bytes": -1,
    "socket.request.max.bytes": 104857600,
    "log.cleaner.enable": True,
    "sasl.mechanism.inter.broker.protocol": "GSSAPI",
    "sasl.enabled.mechanisms": ["GSSAPI"],
    "security.inter.broker.protocol": "PLAINTEXT",
    "listeners": "PLAINTEXT://:9092",
    "listener.security.protocol.map": "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT",
    "broker.id": -1,
    "node.id": -1,
    "broker.id.generation.enable": True,
    "reserved.broker.max.id": 1000,
}

#: Layers a person wrote (directly, or through the inventory variable a key is derived from).
AUTHORED_LAYERS = frozenset({"inventory", "file", "derived"})

ZOOKEEPER_REMOVED = KafkaVersion(4, 0)


@cache
def kafka_default(kind: str, version: KafkaVersion, key: str) -> Any:
    """Kafka's default of ``key`` for ``version`` (the catalogue's, else the fallback)."""
    return ConfigMap(kind, version).kafka_default(key, FALLBACK_DEFAULTS.get(key))


def _typed(config: ConfigMap, key: str, kafka_type: str) -> Any:
    # What ConfigMap.get returns, typed as the rule needs it, without a catalogue lookup per
    # explicit value: rules read thousands of topics.
    setting = config.settings.get(key)
    raw = setting.raw if setting is not None else kafka_default(config.kind, config.version, key)
    return coerce(raw, kafka_type)


def int_value(config: ConfigMap, key: str) -> int | None:
    """``key`` as an int (explicit, else Kafka's default); ``None`` when it cannot be typed."""
    value = _typed(config, key, "INT")
    return value if isinstance(value, int) else None


def bool_value(config: ConfigMap, key: str) -> bool | None:
    value = _typed(config, key, "BOOLEAN")
    return value if isinstance(value, bool) else None


def str_value(config: ConfigMap, key: str) -> str | None:
    """``key`` as Kafka's string form (lists comma-joined); ``None`` when unset without default."""
    setting = config.explicit(key)
    raw = setting.raw if setting is not None else kafka_default(config.kind, config.version, key)
    if raw is None:
        return None
    text = coerce(raw, "STRING")
    return text if isinstance(text, str) else None


def list_value(config: ConfigMap, key: str) -> list[str]:
    value = _typed(config, key, "LIST")
    return value if isinstance(value, list) else []


def authored(config: ConfigMap, key: str) -> bool:
    """True when a person wrote ``key`` (not a role or Kafka default)."""
    setting = config.explicit(key)
    return setting is not None and setting.layer in AUTHORED_LAYERS


def where_to_change(config: ConfigMap, key: str) -> Location:
    """The line to edit for ``key``: where it is written, else where it would be added."""
    setting = config.explicit(key)
    if setting is not None and setting.layer in AUTHORED_LAYERS:
        return setting.location
    return config.location


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def names(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (order kept, duplicates dropped)."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def brokers_phrase(brokers: Iterable[Broker]) -> str:
    """``broker kafka1`` or ``brokers kafka1, kafka2 and kafka3``."""
    unique = list(dict.fromkeys(broker.name for broker in brokers))
    return f"broker {unique[0]}" if len(unique) == 1 else f"brokers {names(unique)}"


# -- modes ---------------------------------------------------------------------------------


def is_kraft(broker: Broker) -> bool:
    """A KRaft node: ``process.roles`` is set (Kafka's ``requiresZookeeper`` is its absence)."""
    setting = broker.config.explicit("process.roles")
    return setting is not None and bool(coerce(setting.raw, "LIST"))


def zookeeper_brokers(cluster: Cluster) -> list[Broker]:
    """Brokers running in ZooKeeper mode (Kafka before 4.0, no ``process.roles``)."""
    if cluster.version >= ZOOKEEPER_REMOVED:
        return []
    return [broker for broker in cluster.brokers if not is_kraft(broker)]


# -- producers -----------------------------------------------------------------------------

ACKS_ALL_FROM = KafkaVersion(3, 0)


def acks(profile: ProducerProfile, version: KafkaVersion) -> str | None:
    """The producer's effective ``acks`` as ``"all"``, ``"1"`` or ``"0"``: explicit, else the
    version's default (``all`` from 3.0, KIP-679; ``1`` before). ``None`` when unreadable."""
    setting = profile.config.explicit("acks")
    if setting is None:
        return "all" if version >= ACKS_ALL_FROM else "1"
    text = str(setting.raw).strip().lower()
    if text in ("all", "-1"):
        return "all"
    return text if text in ("0", "1") else None


def writers(cluster: Cluster) -> dict[str, list[ProducerProfile]]:
    """Producer profiles by the topic names they write to (built once per cluster: estates
    have thousands of topics and hundreds of profiles)."""
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


# -- replication ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Replication:
    """Replication factor and min.insync.replicas as one subject (a topic, or the broker
    defaults of one broker) sees them, with the lines to change for each."""

    subject: str
    rf: int
    rf_location: Location
    min_isr: int
    min_isr_location: Location
    #: The topic's own ``replication_factor`` / ``min.insync.replicas`` (False: inherited).
    topic_rf: bool = False
    topic_min_isr: bool = False
    topic: Topic | None = None
    broker: Broker | None = None


def broker_replication(broker: Broker) -> Replication | None:
    """``default.replication.factor`` with ``min.insync.replicas`` of one broker: what a topic
    created without overrides (or auto-created) gets."""
    rf = int_value(broker.config, "default.replication.factor")
    min_isr = int_value(broker.config, "min.insync.replicas")
    if rf is None or min_isr is None:
        return None
    return Replication(
        subject="default.replication.factor",
        rf=rf,
        rf_location=where_to_change(broker.config, "default.replication.factor"),
        min_isr=min_isr,
        min_isr_location=where_to_change(broker.config, "min.insync.replicas"),
        broker=broker,
    )


@dataclass(frozen=True)
class BrokerDefaults:
    """default.replication.factor and min.insync.replicas as a topic without its own inherits
    them (from the cluster's reference broker), with the lines that set them (``None``: Kafka's
    default, nowhere written)."""

    rf: int | None
    rf_location: Location | None
    min_isr: int | None
    min_isr_location: Location | None


def _reference_int(cluster: Cluster, key: str) -> tuple[int | None, Location | None]:
    broker = reference_broker(cluster, key)
    if broker is None:
        return int_value(ConfigMap("broker", cluster.version), key), None
    return int_value(broker.config, key), where_to_change(broker.config, key)


def broker_defaults(cluster: Cluster) -> BrokerDefaults:
    rf, rf_location = _reference_int(cluster, "default.replication.factor")
    min_isr, min_isr_location = _reference_int(cluster, "min.insync.replicas")
    return BrokerDefaults(rf, rf_location, min_isr, min_isr_location)


def topic_values(topic: Topic, defaults: BrokerDefaults) -> tuple[int | None, int | None]:
    """The topic's effective (replication factor, min.insync.replicas), cheaply."""
    rf = topic.replication_factor if topic.replication_factor is not None else defaults.rf
    setting = topic.config.settings.get("min.insync.replicas")
    if setting is None:
        return rf, defaults.min_isr
    min_isr = coerce(setting.raw, "INT")
    return rf, min_isr if isinstance(min_isr, int) else None


def topic_replication(cluster: Cluster, topic: Topic, defaults: BrokerDefaults | None = None) -> Replication | None:
    """The effective replication of a declared topic: its own values, else the brokers'."""
    if defaults is None:
        defaults = broker_defaults(cluster)
    rf, min_isr = topic_values(topic, defaults)
    if rf is None or min_isr is None:
        return None
    own_rf = topic.replication_factor is not None
    own_min_isr = "min.insync.replicas" in topic.config
    if own_rf:
        rf_location = topic.replication_factor_location or topic.location
    else:
        rf_location = defaults.rf_location or topic.config.location
    if own_min_isr:
        min_isr_location = topic.config.location_of("min.insync.replicas")
    else:
        min_isr_location = defaults.min_isr_location or topic.config.location
    return Replication(
        subject=f"topic {topic.name}",
        rf=rf,
        rf_location=rf_location,
        min_isr=min_isr,
        min_isr_location=min_isr_location,
        topic_rf=own_rf,
        topic_min_isr=own_min_isr,
        topic=topic,
    )


def default_replication(cluster: Cluster) -> Replication | None:
    """The broker defaults as the cluster's reference broker has them."""
    broker = reference_broker(cluster, "min.insync.replicas")
    return broker_replication(broker) if broker is not None else None


# -- where a replication problem is fixed --------------------------------------------------

#: Kinds of :func:`replication_problems` groups: the line to change is the min.insync.replicas
#: setting, the brokers' default.replication.factor, or the topic's replication_factor.
MIN_ISR, DEFAULT_RF, TOPIC_RF = "min.insync.replicas", "default.replication.factor", "replication_factor"


def _defaults_place(pair: Replication) -> tuple[Location, str]:
    """Where a problem of the broker defaults is fixed: min.insync.replicas, unless only
    default.replication.factor was written by a person."""
    broker = pair.broker
    if (
        broker is not None
        and not authored(broker.config, "min.insync.replicas")
        and authored(broker.config, "default.replication.factor")
    ):
        return pair.rf_location, DEFAULT_RF
    return pair.min_isr_location, MIN_ISR


def replication_problems(cluster: Cluster, bad: Callable[[int, int], bool]) -> Collector[Replication]:
    """Every subject (broker defaults of each broker, each declared topic) whose replication
    is ``bad``, grouped at the line to change:

    - a topic's own min.insync.replicas: that line;
    - a topic's own replication_factor with inherited min.insync.replicas: the replication
      factor line, unless the broker defaults have the same problem with the same values
      (then the topic is named in the broker defaults' finding);
    - a topic that inherits both: the broker defaults' finding.
    """
    found: Collector[Replication] = Collector()
    for broker in cluster.brokers:
        pair = broker_replication(broker)
        if pair is not None and bad(pair.rf, pair.min_isr):
            found.add(*_defaults_place(pair), pair)
    defaults = default_replication(cluster)
    defaults_bad = defaults is not None and bad(defaults.rf, defaults.min_isr)
    inherited = broker_defaults(cluster)
    for topic in cluster.topics:
        rf, min_isr = topic_values(topic, inherited)
        if rf is None or min_isr is None or not bad(rf, min_isr):
            continue
        pair = topic_replication(cluster, topic, inherited)
        if pair is None:  # pragma: no cover - the values above were complete
            continue
        if pair.topic_min_isr:
            found.add(pair.min_isr_location, MIN_ISR, pair)
        elif defaults is not None and defaults_bad and (pair.rf, pair.min_isr) == (defaults.rf, defaults.min_isr):
            found.add(*_defaults_place(defaults), pair)
        elif pair.topic_rf:
            found.add(pair.rf_location, TOPIC_RF, pair)
        else:
            found.add(pair.min_isr_location, MIN_ISR, pair)
    return found


def subject_phrase(pair: Replication) -> str:
    """``topic orders`` or ``new topics (default.replication.factor)``."""
    return pair.subject if pair.topic is not None else "new topics (default.replication.factor)"


def subjects(items: Iterable[Replication]) -> str:
    return names(subject_phrase(item) for item in items)


@dataclass(frozen=True)
class Factor:
    """A replication factor as one subject has it, with the line that sets it."""

    subject: str
    rf: int
    location: Location
    topic: Topic | None = None


def replication_factors(cluster: Cluster, wanted: Callable[[int], bool]) -> list[Factor]:
    """The replication factors that are ``wanted`` (a rule's condition): default.replication.factor
    of each broker, then each declared topic's effective factor; a topic without its own
    points at the brokers' setting."""
    result: list[Factor] = []
    for broker in cluster.brokers:
        rf = int_value(broker.config, "default.replication.factor")
        if rf is not None and wanted(rf):
            where = where_to_change(broker.config, "default.replication.factor")
            result.append(Factor("new topics (default.replication.factor)", rf, where))
    inherited = broker_defaults(cluster)
    inherited_wanted = inherited.rf is not None and wanted(inherited.rf)
    for topic in cluster.topics:
        rf = topic.replication_factor
        if rf is not None:
            if wanted(rf):
                where = topic.replication_factor_location or topic.location
                result.append(Factor(f"topic {topic.name}", rf, where, topic))
        elif inherited_wanted and inherited.rf is not None:
            where = inherited.rf_location or topic.config.location
            result.append(Factor(f"topic {topic.name}", inherited.rf, where, topic))
    return result


# -- one finding per line ------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Group(Generic[T]):
    location: Location
    kind: str
    items: list[T] = field(default_factory=list)


class Collector(Generic[T]):
    """Gathers what a rule found under (line to change, kind of problem), so a setting shared
    by several brokers or topics is reported once, naming all of them."""

    def __init__(self) -> None:
        self._groups: dict[tuple[Location, str], Group[T]] = {}

    def add(self, location: Location, kind: str, item: T) -> None:
        group = self._groups.get((location, kind))
        if group is None:
            group = self._groups[(location, kind)] = Group(location, kind)
        group.items.append(item)

    def __iter__(self) -> Iterator[Group[T]]:
        return iter(self._groups.values())

    def __len__(self) -> int:
        return len(self._groups)
