"""Listeners and ``host:port`` addresses, parsed and written as Kafka does.

The one parser of ``listeners`` / ``advertised.listeners`` entries,
``listener.security.protocol.map``, client address lists (``bootstrap.servers``), the KRaft
quorum (``controller.quorum.voters`` / ``controller.quorum.bootstrap.servers``) and ZooKeeper
addresses (``zookeeper.connect``, a ``zoo.cfg``'s ``server.N``):
the rules (KL210, KL304, KL308), the loader (which cluster a loose producer file belongs to)
and :mod:`kafkalint.effective` (the listeners and ``bootstrap.servers`` the roles render) all
use it, so a listener the roles write is read back the same way.

- A listener is ``NAME://host:port``, split on commas with any whitespace around them
  (``CoreUtils.listenerListToEndPoints`` and ``SocketServerConfigs.LISTENER_LIST`` in 3.9,
  ``Endpoint`` parsing with the regex ``^(.*)://\\[?([0-9a-zA-Z\\-%._:]*)\\]?:(-?[0-9]+)``).
  Names are upper-cased as Kafka's ``ListenerName.normalised`` does; an empty host binds
  every interface.
- An address is ``host:port`` or ``[v6]:port`` (``Utils.getHost`` / ``getPort``: the port is
  after the last colon).
- ``zookeeper.connect`` is ``host:port,...[/chroot]`` (ZooKeeper's ``ConnectStringParser``:
  a missing port is 2181); ``server.N`` is ``host:peer:election[:role][;[clientHost:]clientPort]``.
- A voter is ``id@host:port`` (``QuorumConfig.parseVoterConnections``); :func:`voter_set` writes a
  set of voter ids as Kafka's messages print it.

Pure functions of text, plus the few reads of a broker's config that decide what it listens
on (:func:`protocol_map`, :func:`broker_endpoints`); nothing here imports Ansible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kafkalint.model import ConfigMap

LISTENERS = "listeners"
ADVERTISED = "advertised.listeners"
PROTOCOL_MAP = "listener.security.protocol.map"
CONTROLLER_NAMES = "controller.listener.names"
QUORUM_VOTERS = "controller.quorum.voters"
QUORUM_BOOTSTRAP = "controller.quorum.bootstrap.servers"
INTER_BROKER_NAME = "inter.broker.listener.name"
INTER_BROKER_PROTOCOL = "security.inter.broker.protocol"

#: Kafka's security protocols (``SecurityProtocol``).
PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SECURE = frozenset({"SSL", "SASL_PLAINTEXT", "SASL_SSL"})
#: A host that binds every interface.
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})

_URI = re.compile(r"^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$")
_SPLIT = re.compile(r"\s*,\s*")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass(frozen=True)
class Endpoint:
    """One listener: its upper-cased name, its host as written (``None`` for every
    interface), its port and the entry as written."""

    name: str
    host: str | None
    port: int
    text: str

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` with the host lower-cased, ``""`` for every interface."""
        return (self.host or "").lower(), self.port


def entries(text: Any) -> list[str]:
    """The comma-separated entries of a list value (a sequence is taken as it is)."""
    if text is None:
        return []
    if isinstance(text, (list, tuple)):
        return [str(item).strip() for item in text if str(item).strip()]
    return [entry for entry in _SPLIT.split(str(text).strip()) if entry]


def parse_endpoint(entry: str) -> Endpoint | None:
    """``NAME://host:port`` as Kafka reads it; ``None`` when Kafka cannot ("Unable to parse
    <entry> to a broker endpoint")."""
    match = _URI.match(entry.strip())
    if match is None:
        return None
    name, host, port = match.groups()
    return Endpoint(name.upper(), host or None, int(port), entry.strip())


def parse(text: Any) -> tuple[list[Endpoint], list[str]]:
    """The endpoints of a listener list, and the entries that are not endpoints."""
    endpoints: list[Endpoint] = []
    bad: list[str] = []
    for entry in entries(text):
        endpoint = parse_endpoint(entry)
        if endpoint is None:
            bad.append(entry)
        else:
            endpoints.append(endpoint)
    return endpoints, bad


def parse_map(text: Any) -> dict[str, str]:
    """``NAME:PROTOCOL,...`` as Kafka reads it (names and protocols upper case)."""
    result = {}
    for entry in entries(text):
        name, sep, protocol = entry.partition(":")
        if sep and name.strip() and protocol.strip():
            result[name.strip().upper()] = protocol.strip().upper()
    return result


def bracketed(host: str) -> str:
    """``host``, in brackets when it is an IPv6 address (as URLs and Kafka write them)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def endpoint(name: str, host: str, port: Any) -> str:
    """One listener entry, ``NAME://host:port``."""
    return f"{name}://{bracketed(host)}:{port}"


def address(host: str, port: Any) -> str:
    """One client address, ``host:port`` (``[v6]:port``)."""
    return f"{bracketed(host)}:{port}"


def split_address(entry: str) -> tuple[str, int | None]:
    """``host:port`` (``[v6]:port`` too) as Kafka's ``Utils.getHost`` / ``getPort`` read it:
    the host lower-cased without brackets, the port ``None`` when missing."""
    text = entry.strip()
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit():
        return text.strip("[]").lower(), None
    return host.strip("[]").lower(), int(port)


@dataclass(frozen=True)
class Voter:
    """One entry of ``controller.quorum.voters``: ``id@host:port``."""

    id: int
    host: str
    port: int


def parse_voters(text: Any) -> list[Voter]:
    """The voters of a ``controller.quorum.voters`` value, in the order written; entries Kafka
    cannot parse are left out (its validator refuses them: KL001)."""
    result = []
    for entry in entries(text):
        node, at, address = entry.partition("@")
        host, port = split_address(address)
        if at and node.strip().isdigit() and port is not None and host:
            result.append(Voter(int(node), host, port))
    return result


def _java_hash_order(ids: list[int]) -> list[int]:
    """``ids`` (distinct, as inserted) in the iteration order of a ``java.util.HashMap`` keyed by
    them: bucket ``(h ^ h >>> 16) & (capacity - 1)``, insertion order within a bucket."""
    capacity = 16
    while len(ids) > capacity * 3 // 4:
        capacity *= 2
    mask = 0xFFFFFFFF

    def bucket(value: int) -> int:
        h = value & mask
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(ids, key=bucket)  # sorted() is stable: insertion order within a bucket


def _scala_improve(value: int) -> int:
    """``scala.collection.Hashing.improve``, which orders Scala 2.13's immutable ``HashSet``."""
    mask = 0xFFFFFFFF
    h = value & mask
    h = (h + (~(h << 9) & mask)) & mask
    h ^= h >> 14
    h = (h + (h << 4)) & mask
    return h ^ (h >> 10)


def _scala_hash_set_order(ids: list[int], shift: int = 0) -> list[int]:
    """The iteration order of a Scala 2.13 immutable ``HashSet`` (a CHAMP trie): at each level
    the elements alone in their 5-bit slot first, by slot, then the sub-tries, by slot."""
    slots: dict[int, list[int]] = {}
    for value in ids:
        slots.setdefault((_scala_improve(value) >> shift) & 31, []).append(value)
    alone = [members[0] for _slot, members in sorted(slots.items()) if len(members) == 1]
    shared = [members for _slot, members in sorted(slots.items()) if len(members) > 1]
    result = alone
    for members in shared:
        result = result + (_scala_hash_set_order(members, shift + 5) if shift < 30 else members)
    return result


def voter_set(voters: list[Voter]) -> str:
    """The voter ids as Kafka's KRaft messages print them (``voterIds.asScala.toSet``): a Java
    hash set turned into a Scala ``Set(1, 2)`` (insertion order up to four) or ``HashSet(...)``."""
    ids = _java_hash_order(list(dict.fromkeys(voter.id for voter in voters)))
    if len(ids) <= 4:
        return f"Set({', '.join(map(str, ids))})"
    return f"HashSet({', '.join(map(str, _scala_hash_set_order(ids)))})"


def java_list(items: list[str]) -> str:
    """A ``java.util.List`` as its ``toString`` prints it: ``[a, b]``."""
    return f"[{', '.join(items)}]"


#: ZooKeeper's client port when a connect string or zoo.cfg does not say.
ZOOKEEPER_PORT = 2181


def _host_port(text: str, default_port: int) -> tuple[str, int] | None:
    text = text.strip()
    if not text:
        return None
    if text.startswith("["):  # [ipv6]:port
        host, _, rest = text[1:].partition("]")
        port_text = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    try:
        port = int(port_text) if port_text else default_port
    except ValueError:
        return None
    return host.strip().lower(), port


def zookeeper_connect(connect: str) -> tuple[list[tuple[str, int]], str]:
    """The ``(host, port)`` pairs and the chroot (``""`` for the root) of a ``zookeeper.connect``."""
    slash = connect.find("/")
    hosts, chroot = (connect[:slash], connect[slash:]) if slash >= 0 else (connect, "")
    pairs = [pair for part in hosts.split(",") if (pair := _host_port(part, ZOOKEEPER_PORT)) is not None]
    return list(dict.fromkeys(pairs)), chroot.rstrip("/")


def zookeeper_server(value: str, client_port: int) -> tuple[str, int] | None:
    """The client address a ``server.N`` line gives: its host on ``client_port``, or the
    ``;[clientHost:]clientPort`` it names."""
    server, _, client = value.partition(";")
    server = server.strip()
    host = server[1 : server.find("]")] if server.startswith("[") else server.split(":", 1)[0]
    if not host:
        return None
    port = client_port
    if client.strip():
        port_text = client.strip().rsplit(":", 1)[-1]
        if not port_text.isdigit():
            return None
        port = int(port_text)
    return host.lower(), port


def quorum_addresses(voters: Any, bootstrap: Any) -> set[tuple[str, int]]:
    """The ``(host, port)`` of a KRaft quorum: the voters (``id@host:port``) and the
    bootstrap servers a node names."""
    result: set[tuple[str, int]] = {(voter.host, voter.port) for voter in parse_voters(voters)}
    for entry in entries(bootstrap):
        host, port = split_address(entry)
        if port is not None:
            result.add((host, port))
    return result


def is_wildcard(host: str | None) -> bool:
    return (host or "") in WILDCARDS


def is_ip(host: str | None) -> bool:
    if not host:
        return False
    try:
        import ipaddress  # kept off the start-up path: few values are addresses

        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback(host: str | None) -> bool:
    """``localhost`` and its aliases, ``127.x``, ``::1``."""
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        import ipaddress  # kept off the start-up path: few values are addresses

        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- what a broker's config makes of them ---------------------------------------------------


#: Kafka's defaults of the keys read here, for a version no catalogue covers.
_FALLBACK: dict[str, str] = {
    LISTENERS: "PLAINTEXT://:9092",
    PROTOCOL_MAP: ",".join(f"{protocol}:{protocol}" for protocol in PROTOCOLS),
    INTER_BROKER_PROTOCOL: "PLAINTEXT",
}


def value(config: ConfigMap, key: str) -> Any:
    """The raw value of ``key``: explicit, else Kafka's default for the config's version."""
    setting = config.explicit(key)
    if setting is not None:
        return setting.raw
    return config.kafka_default(key, _FALLBACK.get(key))


def controller_names(config: ConfigMap) -> set[str]:
    """The names in ``controller.listener.names`` as written: Kafka compares them with the
    (upper-cased) listener names as they are, so ``controller`` names no ``CONTROLLER://``
    listener, and maps them to PLAINTEXT (when the map is unset) as they are."""
    return set(entries(value(config, CONTROLLER_NAMES)))


def is_kraft(config: ConfigMap) -> bool:
    """A KRaft node: ``process.roles`` is written (Kafka's ``requiresZookeeper`` is its absence)."""
    setting = config.explicit("process.roles")
    return setting is not None and bool(entries(setting.raw))


def protocol_map(config: ConfigMap) -> dict[str, str]:
    """The broker's effective ``listener.security.protocol.map`` (KafkaConfig's
    ``effectiveListenerSecurityProtocolMap``): the written map, else every protocol to itself;
    KRaft maps controller listeners to PLAINTEXT when the map is unset and nothing secure is
    in use."""
    mapping = parse_map(value(config, PROTOCOL_MAP))
    if is_kraft(config) and PROTOCOL_MAP not in config:
        controllers = controller_names(config)
        names = {endpoint.name for endpoint in parse(value(config, LISTENERS))[0]}
        if not SECURE & {*controllers, *names}:
            mapping.update(dict.fromkeys(controllers, "PLAINTEXT"))
    return mapping


def broker_endpoints(config: ConfigMap) -> tuple[list[Endpoint], list[Endpoint]]:
    """(bound, advertised) endpoints: ``listeners`` (Kafka's default when unset) and
    ``advertised.listeners``, which is ``listeners`` when unset. Entries that do not parse
    are left out (KL304 reports them)."""
    bound = parse(value(config, LISTENERS))[0]
    if ADVERTISED in config:
        return bound, parse(value(config, ADVERTISED))[0]
    return bound, bound


def inter_broker_listener(config: ConfigMap) -> tuple[str, str] | None:
    """The inter-broker listener name and its protocol (``inter.broker.listener.name``
    through the protocol map, else ``security.inter.broker.protocol``, PLAINTEXT by default);
    ``None`` when they cannot be known (KL304 reports the inconsistent cases)."""
    if INTER_BROKER_NAME in config:
        name = str(value(config, INTER_BROKER_NAME) or "").strip().upper()
        protocol = protocol_map(config).get(name)
        return (name, protocol) if name and protocol else None
    protocol = str(value(config, INTER_BROKER_PROTOCOL) or "PLAINTEXT").strip().upper()
    return protocol, protocol


def client_addresses(config: ConfigMap, names: set[str]) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """Where clients reach a broker: ``(host, port)`` pairs it advertises or binds by name,
    and the pairs reachable through a listener bound to every interface (any of ``names``,
    the broker's host names and addresses, or a host it advertises, on that port).
    Controller listeners do not count; without advertised broker listeners, the bound
    ones with a host are what Kafka advertises."""
    controllers = controller_names(config)
    bound = [item for item in parse(value(config, LISTENERS))[0] if item.name not in controllers]
    advertised = [item for item in parse(value(config, ADVERTISED))[0] if item.name not in controllers]
    if not advertised:
        advertised = [item for item in bound if not is_wildcard(item.host)]
    exact = {item.address for item in advertised}
    aliases = {name.lower() for name in names} | {host for host, _port in exact}
    aliases |= {item.address[0] for item in bound if not is_wildcard(item.host)}
    wildcard: set[tuple[str, int]] = set()
    for item in bound:
        if is_wildcard(item.host):
            wildcard |= {(alias, item.port) for alias in aliases}
        else:
            exact.add(item.address)
    return exact, wildcard


# -- how a listener authenticates -----------------------------------------------------------


@dataclass(frozen=True)
class ListenerSecurity:
    """One bound listener with what authenticates a client on it: its security protocol
    (``None`` when it has none: KL304), whether TLS client certificates are required
    (``ssl.client.auth=required``, per listener ``listener.name.<l>.ssl.client.auth``), and the
    SASL mechanisms it enables (``listener.name.<l>.sasl.enabled.mechanisms``, else
    ``sasl.enabled.mechanisms``, GSSAPI by default)."""

    endpoint: Endpoint
    protocol: str | None
    client_auth: str
    mechanisms: tuple[str, ...]

    @property
    def authenticates(self) -> bool:
        """Every client on it proves who it is (SASL, or TLS with client certificates)."""
        return self.protocol in ("SASL_PLAINTEXT", "SASL_SSL") or (
            self.protocol == "SSL" and self.client_auth == "required"
        )

    @property
    def encrypted(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    @property
    def network(self) -> bool:
        """Reachable from other hosts: bound to every interface or to an address that is no
        loopback."""
        return not is_loopback(self.endpoint.host)


def _per_listener(config: ConfigMap, name: str, key: str) -> Any:
    prefixed = f"listener.name.{name.lower()}.{key}"
    return value(config, prefixed) if config.explicit(prefixed) is not None else value(config, key)


def listener_security(config: ConfigMap) -> list[ListenerSecurity]:
    """The bound listeners of a node (``listeners``, Kafka's default when unset) and how each
    authenticates its clients."""
    mapping = protocol_map(config)
    result = []
    for item in parse(value(config, LISTENERS))[0]:
        client_auth = str(_per_listener(config, item.name, "ssl.client.auth") or "none").strip().lower()
        mechanisms = entries(_per_listener(config, item.name, "sasl.enabled.mechanisms") or "GSSAPI")
        result.append(ListenerSecurity(item, mapping.get(item.name), client_auth, tuple(m.upper() for m in mechanisms)))
    return result
