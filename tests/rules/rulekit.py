"""What the rule tests share: one builder of models in Python, and running one rule on them.

The fixture pairs under ``tests/fixtures/rules/`` test each rule through the real loaders; the
modules ``test_klNNN.py`` beside this one pin what the fixtures cannot show cheaply (version
boundaries, counts at their limits, one finding for a line several brokers share). They build
their models with :class:`Builder`: every setting gets a line of its own unless it is given a
shared one, as an inventory's ``group_vars`` line is shared by every broker.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from kafkalint.findings import Finding
from kafkalint.model import Broker, Cluster, ConfigMap, Layer, Location, Model, ProducerProfile, Topic, ZooKeeperNode
from kafkalint.rules import MODULES
from kafkalint.versions import KafkaVersion

FILE = "cluster.yml"
GROUP_VARS = "group_vars/kafka_broker.yml"
HOSTS = "hosts.yml"
INT_MAX = 2**31 - 1

#: Kafka's own exception texts, as POLICY-CATALOGUE.md quotes them.
KAFKA_TEXTS = {
    "KL202": "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
    "KL203": "Must set retries to non-zero when using the idempotent producer.",
    "KL204": "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.",
    "KL205": "Cannot set a transactional.id without also enabling idempotence.",
    "KL206": "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms",
}


def rule(rule_id: str) -> ModuleType:
    """The rule module of ``rule_id``."""
    name = next(module for module in MODULES if module.startswith(rule_id.lower() + "_"))
    return importlib.import_module(f"kafkalint.rules.{name}")


class Builder:
    """A cluster; every setting gets its own line, remembered by (owner, key)."""

    def __init__(self, version: str = "3.9.1", *, complete: bool = True, production: bool = True) -> None:
        self.version = KafkaVersion.parse(version)
        self.cluster = Cluster(
            "test", Location(HOSTS, 1), version=self.version, complete=complete, production=production
        )
        self.lines: dict[tuple[str, str], int] = {}
        self.next = 10

    def _line(self, path: str = FILE) -> Location:
        self.next += 1
        return Location(path, self.next)

    def config(
        self,
        kind: str,
        owner: str,
        values: Mapping[str, Any],
        shared: Mapping[str, Location | int] | None = None,
        *,
        where: Location | None = None,
        path: str = FILE,
        layer: Layer = "inventory",
    ) -> ConfigMap:
        """A config of ``kind``; keys in ``shared`` are set at the line given there."""
        config = ConfigMap(kind, self.version, location=where or self._line(path))
        self.lines[(owner, "")] = config.location.line or 0
        for key, value in values.items():
            line = (shared or {}).get(key)
            if isinstance(line, int):
                line = Location(path, line)
            location = line or self._line(path)
            config.set(key, value, layer, location)
            self.lines[(owner, key)] = location.line or 0
        return config

    # -- brokers ---------------------------------------------------------------------------

    def broker(self, name: str, shared: Mapping[str, Location | int] | None = None, **values: Any) -> Builder:
        """A broker; ``min_insync_replicas=2`` is ``min.insync.replicas``."""
        return self.broker_config(name, {key.replace("_", "."): value for key, value in values.items()}, shared)

    def broker_config(
        self, name: str, values: Mapping[str, Any], shared: Mapping[str, Location | int] | None = None
    ) -> Builder:
        config = self.config("broker", name, values, shared)
        self.cluster.brokers.append(Broker(name, config, config.location))
        return self

    def brokers(self, count: int, values: Mapping[str, Any] | None = None, *, shared: bool = True) -> Builder:
        """``count`` brokers kafka1.. with listeners on 10.0.0.N; ``values`` at shared lines."""
        values = dict(values or {})
        lines = {key: 500 + index for index, key in enumerate(values)} if shared else {}
        for number in range(1, count + 1):
            config = {
                "listeners": "PLAINTEXT://0.0.0.0:9092",
                "advertised.listeners": f"PLAINTEXT://10.0.0.{number}:9092",
                **values,
            }
            listener_lines = {"listeners": 400 + number, "advertised.listeners": 450 + number}
            self.broker_config(f"kafka{number}", config, {**listener_lines, **lines})
        return self

    # -- an inventory ----------------------------------------------------------------------

    def inventory(
        self,
        *,
        brokers: int | Sequence[Mapping[str, Any]] = 3,
        common: Mapping[str, Any] | None = None,
        zookeepers: int | Sequence[Mapping[str, Any]] = 3,
        derived: bool = True,
    ) -> Builder:
        """Brokers and ZooKeeper servers as an inventory gives them: ``common`` broker
        properties shared by every broker at one group_vars line each (from line 10), the
        config as a whole declared at group_vars line 2, per-broker properties at their own
        lines, and the derived keys (broker.id, zookeeper.connect, listeners, log.dirs) unless
        ``derived`` is false."""
        zk_specs = [{} for _ in range(zookeepers)] if isinstance(zookeepers, int) else list(zookeepers)
        zk_names = [f"zk{index + 1}" for index in range(len(zk_specs))]
        for index, spec in enumerate(zk_specs):
            values: dict[str, Any] = {"tickTime": 2000, "clientPort": 2181}
            if len(zk_specs) > 1:
                values.update({f"server.{n + 1}": f"{name}:2888:3888" for n, name in enumerate(zk_names)})
            values.update(spec)
            where = self._line(HOSTS)
            config = self.config(
                "zookeeper", zk_names[index], values, where=Location("group_vars/zookeeper.yml", 2), path=HOSTS
            )
            self.cluster.zookeepers.append(ZooKeeperNode(zk_names[index], index + 1, config, where, zk_names[index]))
        broker_specs = [{} for _ in range(brokers)] if isinstance(brokers, int) else list(brokers)
        shared = {key: Location(GROUP_VARS, 10 + n) for n, key in enumerate(common or {})}
        connect = ",".join(f"{name}:2181" for name in zk_names)
        for index, spec in enumerate(broker_specs):
            name = f"kafka{index + 1}"
            where = self._line(HOSTS)
            config = self.config("broker", name, common or {}, shared, where=Location(GROUP_VARS, 2), path=GROUP_VARS)
            if derived:
                config.set("broker.id", index + 1, "derived", self._line(HOSTS))
                if zk_names:
                    config.set("zookeeper.connect", connect, "derived", where)
                config.set("listeners", "PLAINTEXT://0.0.0.0:9092", "derived", where)
                config.set("advertised.listeners", f"PLAINTEXT://{name}:9092", "derived", where)
                if "log.dirs" not in config:  # as kafka_broker_data_dirs would give it
                    config.set("log.dirs", "/var/lib/kafka/data", "derived", where)
            for key, value in spec.items():
                location = self._line(HOSTS)
                config.set(key, value, "inventory", location)
                self.lines[(name, key)] = location.line or 0
            self.cluster.brokers.append(Broker(name, config, where))
        return self

    # -- topics and producers --------------------------------------------------------------

    def topic(
        self,
        name: str,
        values: Mapping[str, Any] | None = None,
        partitions: int | None = 3,
        rf: int | None = 3,
        *,
        path: str = FILE,
    ) -> Builder:
        config = self.config("topic", name, values or {}, path=path)
        rf_location = self._line(path) if rf is not None else None
        self.cluster.topics.append(
            Topic(name, partitions, rf, config, config.location, replication_factor_location=rf_location)
        )
        return self

    def topics(self, *specs: Mapping[str, Any]) -> Builder:
        """Topics as ``{"name": ..., "partitions": ..., "replication_factor": ..., "config": ...}``
        (absent partitions / replication factor: the broker defaults)."""
        for spec in specs:
            self.topic(
                spec["name"],
                spec.get("config"),
                spec.get("partitions"),
                spec.get("replication_factor"),
                path="topics.yml",
            )
        return self

    def producer(self, values: Mapping[str, Any], topics: Sequence[str] = (), name: str = "app") -> Builder:
        config = self.config("producer", name, values)
        self.cluster.producers.append(ProducerProfile(name, list(topics), config, config.location))
        return self

    def producers(self, *specs: Mapping[str, Any]) -> Builder:
        """Profiles as ``{"name": ..., "topics": [...], "config": {...}}``."""
        for spec in specs:
            self.producer(spec.get("config", {}), spec.get("topics", []), spec["name"])
        return self

    # -- results ---------------------------------------------------------------------------

    def model(self) -> Model:
        return Model([self.cluster])

    def line(self, owner: str, key: str = "") -> int:
        return self.lines[(owner, key)]


def inventory(
    *,
    brokers: int | Sequence[Mapping[str, Any]] = 3,
    common: Mapping[str, Any] | None = None,
    topics: Sequence[Mapping[str, Any]] = (),
    producers: Sequence[Mapping[str, Any]] = (),
    zookeepers: int | Sequence[Mapping[str, Any]] = 3,
    version: str = "3.9.1",
    production: bool = True,
    complete: bool = True,
    derived: bool = True,
) -> Cluster:
    """A cluster like an inventory gives (see :meth:`Builder.inventory`)."""
    builder = Builder(version, complete=complete, production=production)
    builder.inventory(brokers=brokers, common=common, zookeepers=zookeepers, derived=derived)
    return builder.topics(*topics).producers(*producers).cluster


def run(rule_id: str, *models: Builder | Cluster | Model, options: Mapping[str, Any] | None = None) -> list[Finding]:
    """The findings of rule ``rule_id`` on the given clusters; each has a message, a subject
    and a hint, and is of the rule."""
    clusters: list[Cluster] = []
    for item in models:
        if isinstance(item, Builder):
            clusters.append(item.cluster)
        elif isinstance(item, Cluster):
            clusters.append(item)
        else:
            clusters.extend(item.clusters)
    findings = list(rule(rule_id).check(Model(clusters), options or {}))
    for finding in findings:
        assert finding.rule_id == rule_id
        assert finding.message and finding.subject and finding.hint, finding
    return findings


def where(findings: Sequence[Finding]) -> list[str]:
    """The locations of ``findings``, as text."""
    return [str(finding.location) for finding in findings]


def lines(findings: Sequence[Finding]) -> list[int | None]:
    return [finding.location.line for finding in findings]


def topic_location(cluster: Cluster, name: str, key: str) -> str:
    topic = cluster.topic(name)
    assert topic is not None
    if key == "replication_factor":
        return str(topic.replication_factor_location)
    return str(topic.config.location_of(key))


def broker_location(cluster: Cluster, key: str, index: int = 0) -> str:
    return str(cluster.brokers[index].config.location_of(key))


def producer_findings(rule_id: str, values: Mapping[str, Any], version: str = "3.9.1") -> tuple[list[Finding], Builder]:
    builder = Builder(version).producer(values)
    return run(rule_id, builder), builder


def kafka_quote(finding: Finding) -> str:
    """The text of Kafka's own error a finding quotes."""
    match = re.search(r'\(Kafka: "(.*)"\); ', finding.message)
    assert match, finding.message
    return match.group(1)
