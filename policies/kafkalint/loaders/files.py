"""Standalone config files: ``server.properties``, producer / consumer ``.properties``, ``zoo.cfg``.

The kind of a file is decided, in order, by:

1. a comment ``# kafkalint: kind=broker`` (or ``producer``, ``consumer``, ``zookeeper``);
2. its name: ``server.properties``, ``broker.properties``, ``controller.properties`` -> broker;
   ``zoo.cfg``, ``zookeeper.properties`` (Kafka ships one) -> zookeeper; a name containing
   ``producer`` / ``consumer`` -> that client;
3. its keys: keys only a broker has (``broker.id``, ``zookeeper.connect``, ``log.dirs``,
   ``listeners``, ...), only a producer (``key.serializer``, ``acks``, ...), only a consumer
   (``group.id``, ``key.deserializer``, ...) or only ZooKeeper (``tickTime``, ``dataDir``,
   ``server.N``, ...).

A file that is still undecided (no hint, or hints of several kinds) is an input error naming
it, with the comment that settles it.

A file may also state the context it runs in, which it cannot say otherwise: whether its
cluster is production, and how many brokers the cluster has::

    # kafkalint: environment=production      (or development)
    # kafkalint: brokers=3

(:mod:`kafkalint.loaders.grouping` applies them to the file's cluster). A broker file's
``process.roles`` gives the node its KRaft roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kafkalint import limits, listeners
from kafkalint.contract import ENVIRONMENTS
from kafkalint.errors import InputError
from kafkalint.loaders import properties
from kafkalint.model import Broker, ClientConfig, ConfigMap, Location, Notice, ProducerProfile, ZooKeeperNode
from kafkalint.versions import KafkaVersion

FILE_KINDS = ("broker", "producer", "consumer", "zookeeper")

_KIND_COMMENT = re.compile(r"^[#!]\s*kafkalint:\s*kind\s*=\s*(\w+)\s*$")
_CONTEXT_COMMENT = re.compile(r"^[#!]\s*kafkalint:\s*(environment|brokers)\s*=\s*(\S*)\s*$")
_SERVER_N = re.compile(r"^server\.\d+$")

_NAMES = {
    "server.properties": "broker",
    "broker.properties": "broker",
    "controller.properties": "broker",
    "zoo.cfg": "zookeeper",
    "zookeeper.properties": "zookeeper",
    "producer.properties": "producer",
    "consumer.properties": "consumer",
}

_KEY_HINTS: dict[str, frozenset[str]] = {
    "broker": frozenset(
        {
            "broker.id",
            "node.id",
            "process.roles",
            "controller.quorum.voters",
            "zookeeper.connect",
            "log.dirs",
            "log.dir",
            "listeners",
            "advertised.listeners",
            "num.partitions",
            "default.replication.factor",
            "min.insync.replicas",
            "auto.create.topics.enable",
            "log.retention.hours",
            "num.network.threads",
            "inter.broker.listener.name",
        }
    ),
    "producer": frozenset(
        {
            "key.serializer",
            "value.serializer",
            "acks",
            "enable.idempotence",
            "linger.ms",
            "batch.size",
            "buffer.memory",
            "transactional.id",
            "delivery.timeout.ms",
            "max.in.flight.requests.per.connection",
            "retries",
        }
    ),
    "consumer": frozenset(
        {
            "group.id",
            "key.deserializer",
            "value.deserializer",
            "auto.offset.reset",
            "enable.auto.commit",
            "max.poll.records",
            "isolation.level",
            "group.instance.id",
        }
    ),
    "zookeeper": frozenset(
        {"tickTime", "dataDir", "dataLogDir", "initLimit", "syncLimit", "clientPort", "maxClientCnxns"}
    ),
}


@dataclass(frozen=True)
class Stated:
    """A context directive of a file: its value and line."""

    value: str | int
    location: Location


@dataclass
class LooseFile:
    """A parsed standalone file waiting for the cluster it joins; ``context`` holds its
    ``environment`` / ``brokers`` directives, ``unresolved`` the keys whose value is not judged,
    and why (a Jinja expression in a template)."""

    kind: str
    display: str
    parsed: properties.Properties
    context: dict[str, Stated] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)

    def value(self, key: str) -> str | None:
        entry = self.parsed.entries.get(key)
        return entry.value if entry is not None else None

    def bootstrap_servers(self) -> set[tuple[str, int]]:
        """``(host, port)`` of the file's ``bootstrap.servers``."""
        entry = self.parsed.entries.get("bootstrap.servers")
        if entry is None:
            return set()
        pairs = (listeners.split_address(item) for item in listeners.entries(entry.value))
        return {(host, port) for host, port in pairs if port is not None}


def _kind_from_hints(parsed: properties.Properties) -> set[str]:
    keys = set(parsed.entries)
    kinds = {kind for kind, hints in _KEY_HINTS.items() if keys & hints}
    if any(_SERVER_N.match(key) for key in keys):
        kinds.add("zookeeper")
    return kinds


def decide_kind(path: Path, display: str, parsed: properties.Properties) -> str | None:
    """The kind of the file, ``None`` when nothing tells."""
    for line, text in parsed.comments:
        match = _KIND_COMMENT.match(text.strip())
        if match:
            kind = match.group(1)
            if kind not in FILE_KINDS:
                raise InputError(
                    f"unknown kind {kind!r} (expected one of {', '.join(FILE_KINDS)})", Location(display, line)
                )
            return kind
    name = path.name.lower()
    if name in _NAMES:
        return _NAMES[name]
    if name.endswith(".properties"):
        for kind in ("producer", "consumer"):
            if kind in name:
                return kind
    kinds = _kind_from_hints(parsed)
    if len(kinds) == 1:
        return kinds.pop()
    # A client file that sets serializers *and* a shared key such as compression.type
    # stays a producer; broker keys on top of it do not.
    if kinds == {"producer", "broker"} and {"key.serializer", "value.serializer"} & set(parsed.entries):
        return "producer"
    return None


def _parse(data: bytes, display: str) -> properties.Properties:
    if b"\x00" in data:
        raise InputError(
            "not a text file (it contains NUL bytes)", Location(display, data[: data.index(b"\x00")].count(b"\n") + 1)
        )
    try:
        return properties.parse(data.decode("iso-8859-1"))
    except properties.PropertiesSyntaxError as error:
        raise InputError(error.message, Location(display, error.line)) from None


_JINJA = ("{{", "{%", "{#", "}}", "%}", "#}")
_TEMPLATE_VALUE = "a Jinja expression in a template file, which kafkalint does not render"


def read_template(path: Path, display: str, notices: list[Notice]) -> LooseFile | None:
    """A Jinja template of a config file (``server.properties.j2``), named on the command
    line: read as the file it renders (its kind from the name without ``.j2``), with the
    lines that are Jinja statements or have Jinja in their key dropped and the values that
    hold Jinja unresolved; a notice says to lint the rendered file or the inventory."""
    parsed = _parse(limits.read_bytes(str(path), display), display)
    literal = properties.Properties(comments=parsed.comments)
    unresolved: dict[str, str] = {}
    for key, entry in parsed.entries.items():
        if any(mark in key for mark in _JINJA):
            continue
        literal.entries[key] = entry
        if any(mark in entry.value for mark in _JINJA):
            unresolved[key] = _TEMPLATE_VALUE
    rendered = Path(path.name.rsplit(".", 1)[0])
    kind = decide_kind(rendered, display, literal)
    notices.append(
        Notice(
            f"a Jinja template: kafkalint judged its literal lines only ({len(unresolved)} values hold Jinja); "
            f"lint the {rendered.name} it renders, or the inventory that feeds it, for a full check",
            Location(display, 1),
        )
    )
    if kind is None:
        raise InputError(
            f"a Jinja template whose kind kafkalint cannot tell: lint the {rendered.name} it renders, or add a line "
            "'# kafkalint: kind=broker' (or producer, consumer, zookeeper)",
            Location(display),
        )
    return LooseFile(kind, display, literal, _context(literal, display), unresolved)


def read(path: Path, display: str, *, required: bool = True) -> LooseFile | None:
    """Parse one standalone file. ``required`` files (named on the command line) must have a
    decidable kind; files found by walking a directory are skipped when they have none."""
    parsed = _parse(limits.read_bytes(str(path), display), display)
    kind = decide_kind(path, display, parsed)
    if kind is None:
        if not required:
            return None
        raise InputError(
            "cannot tell whether this is a broker, producer, consumer or ZooKeeper config: name it "
            "server.properties, producer.properties, consumer.properties or zoo.cfg, or add a line "
            "'# kafkalint: kind=producer' (or broker, consumer, zookeeper)",
            Location(display),
        )
    return LooseFile(kind, display, parsed, _context(parsed, display))


def _context(parsed: properties.Properties, display: str) -> dict[str, Stated]:
    found: dict[str, Stated] = {}
    for line, text in parsed.comments:
        match = _CONTEXT_COMMENT.match(text.strip())
        if match is None:
            continue
        key, value = match.groups()
        where = Location(display, line)
        if key == "environment":
            if value not in ENVIRONMENTS:
                raise InputError(f"environment must be one of {', '.join(ENVIRONMENTS)}, not {value!r}", where)
            found[key] = Stated(value, where)
        else:
            if not value.isdigit() or int(value) < 1:
                raise InputError(f"brokers must be a number of brokers (1 or more), not {value!r}", where)
            found[key] = Stated(int(value), where)
    return found


def _config(loose: LooseFile, kind: str, version: KafkaVersion) -> ConfigMap:
    config = ConfigMap(kind, version, location=Location(loose.display))
    for key, entry in loose.parsed.entries.items():
        config.set(
            key, entry.value, "file", Location(loose.display, entry.line, entry.column), loose.unresolved.get(key)
        )
    return config


def to_broker(loose: LooseFile, version: KafkaVersion) -> Broker:
    roles = frozenset(role.lower() for role in listeners.entries(loose.value("process.roles")))
    return Broker(loose.display, _config(loose, "broker", version), Location(loose.display), roles)


def to_zookeeper(loose: LooseFile, version: KafkaVersion) -> ZooKeeperNode:
    return ZooKeeperNode(loose.display, None, _config(loose, "zookeeper", version), Location(loose.display))


def to_producer(loose: LooseFile, version: KafkaVersion) -> ProducerProfile:
    return ProducerProfile(loose.display, [], _config(loose, "producer", version), Location(loose.display))


def to_consumer(loose: LooseFile, version: KafkaVersion) -> ClientConfig:
    return ClientConfig(loose.display, _config(loose, "consumer", version), Location(loose.display))
