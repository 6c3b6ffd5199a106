"""The effective configuration of a broker or ZooKeeper server, computed from inventory data.

This is the one piece of Python that both halves call: the roles' filter plugins render
``server.properties`` and ``zoo.cfg`` from it, and kafkalint's inventory loader judges its
result, so the file on a host and the values the linter checked cannot differ.

Precedence, lowest first: Kafka's own default (not rendered), the role's safe defaults
(:func:`safe_broker_defaults`, sized to the cluster), the inventory (``kafka_broker_properties``
/ ``zookeeper_properties``), then the keys derived from the topology, which cannot be
overridden (``broker.id``, ``zookeeper.connect``, ``listeners``, ``advertised.listeners``,
``log.dirs``, ``broker.rack``; ``server.N``, ``dataDir``, ``clientPort``).

Inputs are plain mappings: ``hostvars`` maps a host name to its inventory variables and
``groups`` maps a group name to its host names. Role variables that shape the derived keys are
read from the host's variables with the role's defaults as fallback
(:data:`kafkalint.contract.ROLE_DEFAULTS`, which a test keeps equal to the roles').
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kafkalint import listeners
from kafkalint.contract import BROKER_GROUP, CLIENT_SECURITY, HOST_VARIABLES, ROLE_DEFAULTS, ZOOKEEPER_GROUP

_SHA512_HEX = re.compile(r"[0-9a-f]{128}")

Source = Literal["role-default", "inventory", "derived"]


@dataclass(frozen=True)
class Value:
    """An effective value and where it comes from. ``var`` is the inventory variable that
    set it (``kafka_broker_properties``, ``kafka_broker_id``, ...) or ``None``."""

    value: Any
    source: Source
    var: str | None = None


class InventoryError(ValueError):
    """The inventory lacks something the configuration cannot be derived without."""


def plain(value: Any) -> Any:
    """Builtin types for Ansible's tagged strings and lazy containers (filter plugins hand
    them over), so what is computed here does not depend on who calls."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def plain_inventory(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any], host: str | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The plain mappings this module takes, from Ansible's ``hostvars`` and ``groups``: only
    the variables it reads, for the hosts of the ZooKeeper and broker groups (and ``host``)."""
    plain_groups = {
        name: [str(member) for member in groups.get(name) or []] for name in (ZOOKEEPER_GROUP, BROKER_GROUP)
    }
    hosts = {*plain_groups[ZOOKEEPER_GROUP], *plain_groups[BROKER_GROUP], *([host] if host else [])}
    names = (*HOST_VARIABLES, *ROLE_DEFAULTS)
    plain_hostvars: dict[str, dict[str, Any]] = {}
    for name in sorted(hosts):
        variables = hostvars.get(name) or {}
        plain_hostvars[name] = {var: plain(variables.get(var)) for var in names if variables.get(var) is not None}
    return plain_hostvars, plain_groups


def role_var(hostvars: Mapping[str, Mapping[str, Any]], host: str, name: str) -> Any:
    """A role variable as this module reads it: the inventory's value, else the role default
    :data:`ROLE_DEFAULTS` mirrors (roles use it to agree with the linter on ports and paths)."""
    return plain(_var(hostvars, host, name))


def sha512_digest(text: str, path: str = "the checksum file") -> str:
    """The SHA-512 digest in a ``.sha512`` file: ``sha512sum`` output (``<hex>  <name>``) or
    Apache's ``gpg --print-md`` form (``<name>: 3F1C4B5E 1D0A...`` over several lines).
    Raises ``ValueError`` naming ``path`` when there is none."""
    content = str(text).strip()
    words = content.split()
    if words and _SHA512_HEX.fullmatch(words[0].lower()):
        digest = words[0].lower()
    else:
        digest = "".join(content.partition(":")[2].split()).lower()
    if not _SHA512_HEX.fullmatch(digest):
        raise ValueError(f"{path}: no SHA-512 digest found (expected 128 hex digits)")
    return digest


def _var(hostvars: Mapping[str, Mapping[str, Any]], host: str, name: str) -> Any:
    value = hostvars.get(host, {}).get(name)
    return ROLE_DEFAULTS.get(name) if value is None else value


def host_address(hostvars: Mapping[str, Mapping[str, Any]], host: str) -> str:
    """The address cluster members and clients use for ``host``: ``ansible_host``, else
    the inventory name (as Ansible itself connects)."""
    return str(hostvars.get(host, {}).get("ansible_host") or host)


def render_value(value: Any) -> str:
    """A value as Java properties want it: booleans lower case, lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(render_value(item) for item in value)
    return str(value)


def safe_broker_defaults(broker_count: int) -> dict[str, Any]:
    """The role's defaults, sized to the cluster: replicate to up to 3 brokers and require
    2 in-sync replicas only where a third can fail (RF 3), so one broker may be down."""
    replication = max(1, min(3, broker_count))
    min_isr = 2 if replication >= 3 else 1
    return {
        "auto.create.topics.enable": False,
        "default.replication.factor": replication,
        "min.insync.replicas": min_isr,
        "offsets.topic.replication.factor": replication,
        "transaction.state.log.replication.factor": replication,
        "transaction.state.log.min.isr": min_isr,
        "unclean.leader.election.enable": False,
    }


def zookeeper_connect(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], broker: str
) -> str:
    ensemble = list(groups.get(ZOOKEEPER_GROUP, []))
    if not ensemble:
        raise InventoryError(f"host {broker}: the inventory has no '{ZOOKEEPER_GROUP}' group to connect to")
    hosts = ",".join(f"{host_address(hostvars, zk)}:{_var(hostvars, zk, 'zookeeper_client_port')}" for zk in ensemble)
    return hosts + str(_var(hostvars, broker, "kafka_broker_zookeeper_chroot") or "")


def broker_config(
    host: str,
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
) -> dict[str, Value]:
    """The rendered part of ``host``'s server.properties, sorted by key."""
    broker_id = hostvars.get(host, {}).get("kafka_broker_id")
    if broker_id is None:
        raise InventoryError(f"host {host}: kafka_broker_id is not set (every broker needs a unique id)")
    brokers = list(groups.get(BROKER_GROUP, [])) or [host]
    result: dict[str, Value] = {
        key: Value(value, "role-default") for key, value in safe_broker_defaults(len(brokers)).items()
    }
    properties = _var(hostvars, host, "kafka_broker_properties") or {}
    if not isinstance(properties, Mapping):
        raise InventoryError(f"host {host}: kafka_broker_properties must be a mapping of Kafka keys")
    for key, value in properties.items():
        result[str(key)] = Value(value, "inventory", "kafka_broker_properties")
    port = _var(hostvars, host, "kafka_broker_port")
    derived: dict[str, tuple[Any, str]] = {
        "broker.id": (broker_id, "kafka_broker_id"),
        "zookeeper.connect": (zookeeper_connect(hostvars, groups, host), "kafka_broker_zookeeper_chroot"),
        "listeners": (
            listeners.endpoint("PLAINTEXT", str(_var(hostvars, host, "kafka_broker_listen_address")), port),
            "kafka_broker_port",
        ),
        "advertised.listeners": (listeners.endpoint("PLAINTEXT", host_address(hostvars, host), port), "ansible_host"),
        "log.dirs": (render_value(_var(hostvars, host, "kafka_broker_data_dirs")), "kafka_broker_data_dirs"),
    }
    rack = hostvars.get(host, {}).get("kafka_broker_rack")
    if rack is not None:
        derived["broker.rack"] = (rack, "kafka_broker_rack")
    for key, (value, var) in derived.items():
        result[key] = Value(value, "derived", var)
    return dict(sorted(result.items()))


def zookeeper_config(
    host: str,
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
) -> dict[str, Value]:
    """The rendered zoo.cfg of ``host``, sorted by key (``server.N`` lines derived)."""
    ensemble = list(groups.get(ZOOKEEPER_GROUP, [])) or [host]
    defaults: dict[str, Any] = {
        "tickTime": 2000,
        "initLimit": 10,
        "syncLimit": 5,
        "maxClientCnxns": 60,
        "autopurge.snapRetainCount": 3,
        "autopurge.purgeInterval": 24,
        "admin.enableServer": False,
    }
    result = {key: Value(value, "role-default") for key, value in defaults.items()}
    # A role variable of its own, because the roles' health checks need these words
    # (``zookeeper_properties`` can still override the key).
    whitelist = hostvars.get(host, {}).get("zookeeper_4lw_commands_whitelist")
    result["4lw.commands.whitelist"] = (
        Value(render_value(ROLE_DEFAULTS["zookeeper_4lw_commands_whitelist"]), "role-default")
        if whitelist is None
        else Value(render_value(whitelist), "inventory", "zookeeper_4lw_commands_whitelist")
    )
    properties = _var(hostvars, host, "zookeeper_properties") or {}
    if not isinstance(properties, Mapping):
        raise InventoryError(f"host {host}: zookeeper_properties must be a mapping of zoo.cfg keys")
    for key, value in properties.items():
        result[str(key)] = Value(value, "inventory", "zookeeper_properties")
    result["dataDir"] = Value(_var(hostvars, host, "zookeeper_data_dir"), "derived", "zookeeper_data_dir")
    result["clientPort"] = Value(_var(hostvars, host, "zookeeper_client_port"), "derived", "zookeeper_client_port")
    if len(ensemble) > 1:
        for member in ensemble:
            myid = hostvars.get(member, {}).get("zookeeper_id")
            if myid is None:
                raise InventoryError(f"host {member}: zookeeper_id is not set (every ensemble member needs one)")
            address = host_address(hostvars, member)
            peer = _var(hostvars, member, "zookeeper_peer_port")
            election = _var(hostvars, member, "zookeeper_election_port")
            result[f"server.{myid}"] = Value(f"{address}:{peer}:{election}", "derived", "zookeeper_id")
    return dict(sorted(result.items()))


def bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]]) -> str:
    """Every broker's advertised address: the seeds advise listing them all, so a client
    still connects when one is down."""
    return ",".join(
        listeners.address(host_address(hostvars, broker), _var(hostvars, broker, "kafka_broker_port"))
        for broker in groups.get(BROKER_GROUP, [])
    )


def producer_config(
    profile: Mapping[str, Any],
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
    client_security: Mapping[str, Any] | None = None,
    scram_users: Sequence[Any] | None = None,
) -> dict[str, Value]:
    """The rendered client .properties of a ``kafka_producer_profiles`` entry, sorted by
    key; ``bootstrap.servers`` is derived unless the profile sets it, and so are the security
    keys (``security.protocol``, the trust store, ``sasl.mechanism``, ``sasl.jaas.config``
    with the credentials of the profile's ``user``) from ``client_security``
    (``kafka_client_security``) and ``scram_users`` (``kafka_scram_users``) when
    ``client_security`` is given (the role always gives it; kafkalint's loader does not yet)."""
    config = profile.get("config") or {}
    if not isinstance(config, Mapping):
        raise InventoryError(f"producer profile {profile.get('name')!r}: config must be a mapping")
    result = {str(key): Value(value, "inventory", "kafka_producer_profiles") for key, value in config.items()}
    if "bootstrap.servers" not in result:
        result["bootstrap.servers"] = Value(bootstrap_servers(hostvars, groups), "derived", "kafka_broker_port")
    if client_security is not None:
        for key, value in _client_security_keys(profile, client_security, scram_users).items():
            result.setdefault(key, Value(value, "derived", CLIENT_SECURITY))
    return dict(sorted(result.items()))


def _client_security_keys(
    profile: Mapping[str, Any], client_security: Mapping[str, Any] | None, scram_users: Sequence[Any] | None
) -> dict[str, Any]:
    # kafkalint.security renders values with this module's properties_value, so it is imported
    # here rather than at the top (each module needs the other).
    from kafkalint import security

    name = profile.get("name")
    try:
        user = security.scram_user(scram_users, str(profile["user"])) if profile.get("user") is not None else None
        return security.client_properties(client_security, user)
    except security.SecurityError as error:
        raise InventoryError(f"producer profile {name!r}: {error}") from None


_STORE_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}
_KEY_SPECIAL = re.compile(r"[\\\t\n\r\f =:]|^[#!]|[^\x20-\x7e]")
_VALUE_SPECIAL = re.compile(r"[\\\t\n\r\f]|^[ ]|[^\x20-\x7e]")


def _store_escape(match: re.Match[str]) -> str:
    char = match.group()
    known = _STORE_ESCAPES.get(char)
    if known is not None:
        return known
    if char in " =:#!":
        return "\\" + char
    # outside printable ASCII: \uXXXX per UTF-16 unit, as Properties.store(OutputStream) writes
    # it (brokers read server.properties and zoo.cfg as ISO-8859-1)
    data = char.encode("utf-16-be", errors="surrogatepass")
    return "".join(f"\\u{data[index]:02X}{data[index + 1]:02X}" for index in range(0, len(data), 2))


def escape_key(key: str) -> str:
    """``key`` as ``java.util.Properties.store`` writes a key: backslash, whitespace, ``=``,
    ``:``, a leading ``#`` or ``!`` and every character outside printable ASCII escaped."""
    return _KEY_SPECIAL.sub(_store_escape, key)


def escape_value(value: str) -> str:
    """``value`` as ``java.util.Properties.store`` writes a value: backslash, tab, line
    breaks, form feed, a leading space and every character outside printable ASCII escaped
    (``=``, ``:``, ``#`` and ``!`` need no escape after the separator)."""
    return _VALUE_SPECIAL.sub(_store_escape, value)


def unwritable(key: str, value: Any) -> str | None:
    """Why ``key=value`` cannot be written as the one property it means, ``None`` when it
    can: a key that is empty or holds whitespace, ``=``, ``:``, a leading ``#`` / ``!`` or
    a control character, or a value that holds a control character (a carriage return or a
    line feed would be a second line of the file if it were not escaped, and no Kafka or
    ZooKeeper setting takes one). Rule KL006 reports these; :func:`render` escapes them
    all the same, so the file still holds one property per line."""
    if not key:
        return "the key is empty"
    bad_key = re.search(r"[\x00-\x20\x7f-\x9f=:\u2028\u2029]|^[#!]", key)
    if bad_key:
        return f"the key holds {_describe(bad_key.group())}"
    text = render_value(value)
    bad_value = re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", text)
    if bad_value:
        return f"the value holds {_describe(bad_value.group())}"
    return None


_NAMES = {"\r": "a carriage return", "\n": "a line feed", "\t": "a tab", "\f": "a form feed", " ": "a space",
          "=": "'='", ":": "':'", "#": "a leading '#'", "!": "a leading '!'"}  # fmt: skip


def _describe(char: str) -> str:
    return _NAMES.get(char) or f"the control character U+{ord(char):04X}"


def properties_value(text: str) -> str:
    """``text`` as the value of a ``key=value`` line that ``java.util.Properties.load`` reads
    back unchanged (:func:`escape_value`; kafkalint.security renders values with it)."""
    return escape_value(text)


def render(config: Mapping[str, Value]) -> str:
    """``key=value`` lines as the roles write them, escaped as ``java.util.Properties.store``
    escapes them, so whatever a key or value holds, Kafka and ZooKeeper read back exactly
    that key and value, one per line."""
    lines = [f"{escape_key(str(key))}={escape_value(render_value(item.value))}" for key, item in config.items()]
    return "\n".join(lines) + "\n"
