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
- A voter is ``id@host:port`` (``QuorumConfig.parseVoterConnections``).

Pure functions of text, plus the few reads of a broker's config that decide what it listens
on (:func:`protocol_map`, :func:`broker_endpoints`); nothing here imports Ansible.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kafkalint.model import ConfigMap

LISTENERS = "listeners"
ADVERTISED = "advertised.listeners"
PROTOCOL_MAP = "listener.security.protocol.map"
CONTROLLER_NAMES = "controller.listener.names"
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
    result: set[tuple[str, int]] = set()
    for entry in entries(voters):
        host, port = split_address(entry.partition("@")[2])
        if port is not None:
            result.add((host, port))
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
    """The names in ``controller.listener.names``, upper-cased."""
    return {name.upper() for name in entries(value(config, CONTROLLER_NAMES))}


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
