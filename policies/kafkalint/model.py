"""The cluster model every rule sees: brokers, ZooKeeper ensemble, topics, producer profiles.

Loaders (Ansible inventories, ``.properties`` files, ``zoo.cfg``, plain cluster YAML) build it;
rules only read it. Every explicit value keeps the :class:`Location` it came from, so a
finding points at the line a person must change. Values are typed on read through the
Kafka catalogue of the cluster's version (:meth:`ConfigMap.get`); a value that cannot be
typed reads as ``None`` (the schema pass reports it as KL001, rules stay silent), and so does
one that cannot be judged (a placeholder, a template the loader did not render: KL005).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from kafkalint import placeholders
from kafkalint.versions import DEFAULT_VERSION, KafkaVersion

if TYPE_CHECKING:
    from kafkalint.catalogue import Catalogue

#: Where a value comes from, lowest precedence first.
Layer = Literal["kafka-default", "role-default", "inventory", "derived", "file"]


class Location(NamedTuple):
    """A place in a source file; ``line`` and ``column`` are 1-based, ``None`` when unknown.

    A tuple (a model holds hundreds of thousands of them, and a worker process pickles its
    model): built, compared, hashed and pickled as ``(path, line, column)``."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        path, line, column = self
        if line is None:
            return path
        if column is None:
            return f"{path}:{line}"
        return f"{path}:{line}:{column}"


class Setting(NamedTuple):
    """One explicit key of a config: the raw value as written, its layer and location.
    ``unresolved`` says why the loader could not resolve ``raw`` (a template it would not
    render, a placeholder): rules do not judge such a value, KL005 reports it.
    ``from_vault`` is true when the loader decrypted the value from Ansible Vault (an inline
    ``!vault`` string, an encrypted variables file, or a template that took its value from
    one): the secret is not in the repository in plain text (KL608).
    A tuple, as :class:`Location` is."""

    key: str
    raw: Any
    layer: Layer
    location: Location
    unresolved: str | None = None
    from_vault: bool = False


_TRUE = {"true"}
_FALSE = {"false"}


def coerce(raw: Any, kafka_type: str | None) -> Any:
    """Type ``raw`` as Kafka would parse a value of ``kafka_type``; ``None`` if it cannot.

    Unknown keys (``kafka_type`` None) keep a string form of the raw value.
    """
    if raw is None:
        return None
    if kafka_type in ("INT", "LONG", "SHORT"):
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        try:
            return int(str(raw).strip())
        except ValueError:
            return None
    if kafka_type == "DOUBLE":
        if isinstance(raw, bool):
            return None
        try:
            return float(str(raw).strip())
        except ValueError:
            return None
    if kafka_type == "BOOLEAN":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return None
    if kafka_type == "LIST":
        if isinstance(raw, (list, tuple)):
            return [str(item).strip() for item in raw]
        text = str(raw).strip()
        return [item.strip() for item in text.split(",") if item.strip()] if text else []
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (list, tuple)):
        return ",".join(str(item) for item in raw)
    return str(raw).strip()


@dataclass
class ConfigMap:
    """The explicit settings of one config of a ``kind`` (broker, topic, producer, consumer,
    zookeeper) for a Kafka ``version``, read with Kafka's defaults behind them."""

    kind: str
    version: KafkaVersion = DEFAULT_VERSION
    settings: dict[str, Setting] = field(default_factory=dict)
    #: Where the config as a whole is declared: used for findings about absent keys.
    location: Location = field(default_factory=lambda: Location("<unknown>"))

    def _catalogue(self) -> Catalogue:
        # Rules call get() a great many times on big estates: look the catalogue up once.
        cached = self.__dict__.get("_catalogue_cache")
        if cached is None or (cached[0] is not self.version and cached[0] != self.version):
            from kafkalint import catalogue

            cached = (self.version, catalogue.load(self.kind, self.version))
            self.__dict__["_catalogue_cache"] = cached
        result: Catalogue = cached[1]
        return result

    def _type(self, key: str) -> str | None:
        spec = self._catalogue().keys.get(key)
        return spec.type if spec else None

    def __contains__(self, key: object) -> bool:
        return key in self.settings

    def __iter__(self) -> Iterator[Setting]:
        """The resolved settings: the ones rules and the schema pass judge (an unresolved
        value is for KL005 only, see :meth:`unresolved`)."""
        if not self.__dict__.get("_unresolved"):  # almost every config: iterate the dict itself
            return iter(self.settings.values())
        return (setting for setting in self.settings.values() if setting.unresolved is None)

    def unresolved(self) -> Iterator[Setting]:
        """The settings whose value the loader could not resolve (``Setting.unresolved``
        says why; their ``raw`` is ``None``, so :meth:`get` reads them as ``None``)."""
        return (setting for setting in self.settings.values() if setting.unresolved is not None)

    def explicit(self, key: str) -> Setting | None:
        """The setting when written somewhere (inventory, role default, derived, file)."""
        return self.settings.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The effective typed value: explicit, else Kafka's default for the version,
        else ``default``. ``None`` when the explicit value cannot be typed or cannot be
        judged (a loader marked it unresolved, or it is a placeholder: KL005 reports it)."""
        setting = self.settings.get(key)
        if setting is not None:
            if setting.unresolved is not None or placeholders.find(setting.raw) is not None:
                return None
            return coerce(setting.raw, self._type(key))
        return self.kafka_default(key, default)

    def kafka_default(self, key: str, default: Any = None) -> Any:
        spec = self._catalogue().keys.get(key)
        if spec is None or spec.default is None:
            return default
        return coerce(spec.default, spec.type)

    def location_of(self, key: str) -> Location:
        """Where ``key`` is set, or where the config is declared when it is not."""
        setting = self.settings.get(key)
        return setting.location if setting is not None else self.location

    def set(
        self,
        key: str,
        raw: Any,
        layer: Layer,
        location: Location,
        unresolved: str | None = None,
        *,
        from_vault: bool = False,
    ) -> None:
        """Set ``key``; with ``unresolved`` (why the value could not be resolved) the value
        is not kept: nothing judges or prints it."""
        if unresolved is not None:
            self.settings[key] = Setting(key, None, layer, location, unresolved, from_vault)
            self.__dict__["_unresolved"] = True
        else:
            self.settings[key] = Setting(key, raw, layer, location, from_vault=from_vault)


@dataclass
class Broker:
    """A Kafka node: an inventory host of group ``kafka_broker`` / ``kafka_controller`` or a
    server.properties. ``roles`` is its KRaft ``process.roles`` (``broker``, ``controller``);
    empty for a ZooKeeper-mode broker. A cluster lists broker nodes in ``brokers`` and
    controller nodes in ``controllers``; a combined node is in both."""

    name: str
    config: ConfigMap
    location: Location
    roles: frozenset[str] = frozenset()

    @property
    def is_broker(self) -> bool:
        return not self.roles or "broker" in self.roles

    @property
    def is_controller(self) -> bool:
        return "controller" in self.roles


@dataclass
class ZooKeeperNode:
    """A ZooKeeper server: an inventory host of group ``zookeeper`` or a zoo.cfg."""

    name: str
    myid: int | None
    config: ConfigMap
    location: Location
    #: The address clients and brokers use (``ansible_host``, else the host name).
    address: str = ""


@dataclass
class Topic:
    """A declared topic (``kafka_topics``). ``partitions`` / ``replication_factor`` are
    ``None`` when not given: the broker defaults apply (see :meth:`Cluster.topic_rf`)."""

    name: str
    partitions: int | None
    replication_factor: int | None
    config: ConfigMap
    location: Location
    partitions_location: Location | None = None
    replication_factor_location: Location | None = None


@dataclass
class ProducerProfile:
    """A producer config: a ``kafka_producer_profiles`` entry or a producer .properties."""

    name: str
    topics: list[str]
    config: ConfigMap
    location: Location


@dataclass
class ClientConfig:
    """A consumer .properties (schema-checked; no consumer rules yet)."""

    name: str
    config: ConfigMap
    location: Location


@dataclass
class Cluster:
    """One cluster as a run sees it. Files given alone form a cluster of their own unless
    they join the one inventory of the run (see the engine)."""

    name: str
    source: Location
    version: KafkaVersion = DEFAULT_VERSION
    #: Production clusters get the stricter severities (KL105, KL107, KL301, KL309); ``None``
    #: when nobody said (loose files without a context): rules then do not escalate.
    production: bool | None = True
    #: True when built from an inventory or cluster file: the broker list is complete,
    #: so counting brokers is meaningful. False for loose files.
    complete: bool = False
    #: How many brokers the cluster has, as the user stated it for loose files
    #: (``--brokers``, ``# kafkalint: brokers=N``); ``None`` when unknown.
    stated_brokers: int | None = None
    brokers: list[Broker] = field(default_factory=list)
    #: KRaft controller nodes (dedicated or combined); empty in ZooKeeper mode.
    controllers: list[Broker] = field(default_factory=list)
    zookeepers: list[ZooKeeperNode] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    producers: list[ProducerProfile] = field(default_factory=list)
    consumers: list[ClientConfig] = field(default_factory=list)

    @property
    def nodes(self) -> list[Broker]:
        """Every Kafka node once: brokers, then controller-only nodes."""
        return [*self.brokers, *(node for node in self.controllers if not node.is_broker)]

    def topic(self, name: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.name == name), None)

    def broker_default(self, key: str) -> tuple[Any, Location | None]:
        """A cluster-wide broker setting: the first broker that sets it explicitly, else
        Kafka's default (location ``None``). Brokers that disagree are a rule's business."""
        for broker in self.brokers:
            if key in broker.config:
                return broker.config.get(key), broker.config.location_of(key)
        probe = ConfigMap("broker", self.version)
        return probe.get(key), None

    def topic_rf(self, topic: Topic) -> tuple[int | None, Location]:
        """Replication factor of ``topic``: declared, else ``default.replication.factor``."""
        if topic.replication_factor is not None:
            return topic.replication_factor, topic.replication_factor_location or topic.location
        value, where = self.broker_default("default.replication.factor")
        return value, where or topic.location

    def topic_partitions(self, topic: Topic) -> tuple[int | None, Location]:
        """Partition count of ``topic``: declared, else ``num.partitions``."""
        if topic.partitions is not None:
            return topic.partitions, topic.partitions_location or topic.location
        value, where = self.broker_default("num.partitions")
        return value, where or topic.location

    def topic_setting(self, topic: Topic, key: str, broker_key: str | None = None) -> tuple[Any, Location]:
        """A topic config: the topic's override, else the brokers' ``broker_key`` (same name
        by default, e.g. ``min.insync.replicas``; ``log.retention.ms`` for ``retention.ms``),
        else Kafka's topic default."""
        if key in topic.config:
            return topic.config.get(key), topic.config.location_of(key)
        value, where = self.broker_default(broker_key or key)
        if where is not None:
            return value, where
        return topic.config.get(key), topic.location


@dataclass
class Model:
    """Everything one run reads: the clusters (an inventory or cluster file each, plus one
    for loose files that belong to no inventory)."""

    clusters: list[Cluster] = field(default_factory=list)
    #: What the run assumed or skipped, for the user to know (not findings: no exit code).
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    """Something a run tells the user without judging it: a file skipped, a context assumed,
    a version older than the oldest catalogue. Printed on stderr; never changes the exit code."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location is not None else self.message
