"""The effective configuration of a Kafka node or ZooKeeper server, computed from inventory data.

This is the one piece of Python that both halves call: the roles' filter plugins render
``server.properties`` and ``zoo.cfg`` from it, and kafkalint's inventory loader judges its
result, so the file on a host and the values the linter checked cannot differ.

Precedence, lowest first: Kafka's own default (not rendered), the role's safe defaults
(:func:`safe_broker_defaults`, sized to the cluster), the inventory (``kafka_controller_properties``
on controllers, then ``kafka_broker_properties`` on brokers; ``zookeeper_properties``), then the
keys derived from the topology, which cannot be overridden (ZooKeeper mode: ``broker.id``,
``zookeeper.connect``; KRaft: ``process.roles``, ``node.id``, ``controller.listener.names``, the
quorum; both: ``listeners``, ``advertised.listeners``, ``listener.security.protocol.map``,
``inter.broker.listener.name``, ``log.dirs``, ``broker.rack``; zoo.cfg: ``server.N``,
``dataDir``, ``clientPort``).

Listeners are data (:class:`Listener`, from ``kafka_broker_listeners`` /
``kafka_controller_listeners``, or one PLAINTEXT listener on the role's port by default): every
listener key and a profile's ``bootstrap.servers`` are derived from the same specs, so another
protocol or a second listener is an inventory change, not a code change.

Inputs are plain mappings: ``hostvars`` maps a host name to its inventory variables and
``groups`` maps a group name to its host names. Role variables that shape the derived keys are
read from the host's variables with the role's defaults as fallback
(:data:`kafkalint.contract.ROLE_DEFAULTS`, which a test keeps equal to the roles').
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kafkalint import contract, listeners
from kafkalint.contract import (
    BROKER_GROUP,
    CLIENT_SECURITY,
    CONTROLLER_GROUP,
    EFFECTIVE_VARIABLES,
    KAFKA_GROUPS,
    ROLE_DEFAULTS,
    ZOOKEEPER_GROUP,
)

_SHA512_HEX = re.compile(r"[0-9a-f]{128}")
#: The phases in which the KRaft controllers migrate (and write to ZooKeeper).
_CONTROLLERS_MIGRATING = (contract.PHASE_CONTROLLERS, contract.PHASE_DUAL_WRITE, contract.PHASE_KRAFT_BROKERS)

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
    the variables it reads, for the hosts of the ZooKeeper, controller and broker groups (and
    ``host``)."""
    plain_groups = {
        name: [str(member) for member in groups.get(name) or []] for name in (ZOOKEEPER_GROUP, *KAFKA_GROUPS)
    }
    hosts = {*(member for members in plain_groups.values() for member in members), *([host] if host else [])}
    names = EFFECTIVE_VARIABLES
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


def safe_broker_defaults(broker_count: int, *, share_coordinator: bool = False) -> dict[str, Any]:
    """The role's defaults, sized to the cluster: replicate to up to 3 brokers and require
    2 in-sync replicas only where a third can fail (RF 3), so one broker may be down.
    ``share_coordinator`` (Kafka 4) sizes the share-group state topic alike."""
    replication = max(1, min(3, broker_count))
    min_isr = 2 if replication >= 3 else 1
    defaults: dict[str, Any] = {
        "auto.create.topics.enable": False,
        "default.replication.factor": replication,
        "min.insync.replicas": min_isr,
        "offsets.topic.replication.factor": replication,
        "transaction.state.log.replication.factor": replication,
        "transaction.state.log.min.isr": min_isr,
        "unclean.leader.election.enable": False,
    }
    if share_coordinator:
        defaults["share.coordinator.state.topic.replication.factor"] = replication
        defaults["share.coordinator.state.topic.min.isr"] = min_isr
    return defaults


def zookeeper_connect(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], broker: str
) -> str:
    ensemble = list(groups.get(ZOOKEEPER_GROUP, []))
    if not ensemble:
        raise InventoryError(f"host {broker}: the inventory has no '{ZOOKEEPER_GROUP}' group to connect to")
    hosts = ",".join(f"{host_address(hostvars, zk)}:{_var(hostvars, zk, 'zookeeper_client_port')}" for zk in ensemble)
    return hosts + str(_var(hostvars, broker, "kafka_broker_zookeeper_chroot") or "")


# -- modes and roles -----------------------------------------------------------------------


def _contract(function: Any, hostvars: Mapping[str, Mapping[str, Any]], groups: Any, host: str) -> str:
    try:
        result: str = function(hostvars.get(host, {}), groups)
    except contract.ContractError as error:
        raise InventoryError(f"host {host}: {error}") from None
    return result


def metadata_mode(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], host: str, *, lenient: bool = False
) -> str:
    """``kraft`` or ``zookeeper`` for ``host`` (:func:`kafkalint.contract.metadata_mode`).

    The roles ask strictly: a mode Kafka cannot run is an :class:`InventoryError`. The linter
    asks ``lenient``: such an inventory is judged as the cluster its layout describes (ZooKeeper
    mode for a ``zookeeper`` group and no ``kafka_controller`` group), so an upgrade to 4.x that
    left the ZooKeeper layout behind is reported by rules (removed keys), not refused as
    unreadable."""
    zookeeper_layout = bool(groups.get(ZOOKEEPER_GROUP)) and not groups.get(CONTROLLER_GROUP)
    try:
        mode = contract.node_mode(hostvars.get(host, {}), groups, host)
        if contract.migration_phase(hostvars.get(host, {}), groups) is not None:
            return mode
    except contract.ContractError as error:
        if not lenient:
            raise InventoryError(f"host {host}: {error}") from None
        return contract.ZOOKEEPER if zookeeper_layout else contract.KRAFT
    if lenient and mode == contract.KRAFT and zookeeper_layout:
        return contract.ZOOKEEPER
    return mode


def quorum_mode(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], host: str) -> str:
    """``dynamic`` or ``static`` (:func:`kafkalint.contract.quorum_mode`)."""
    return _contract(contract.quorum_mode, hostvars, groups, host)


def process_roles(groups: Mapping[str, Sequence[str]], host: str) -> list[str]:
    """The KRaft ``process.roles`` of ``host`` from its groups, in Kafka's usual order."""
    return [
        role
        for role, group in (("broker", BROKER_GROUP), ("controller", CONTROLLER_GROUP))
        if host in groups.get(group, [])
    ]


# -- listeners -----------------------------------------------------------------------------

ListenerKind = Literal["broker", "controller"]
_LISTENER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Listener:
    """One listener of a node: ``NAME://bind_address:port`` in ``listeners``,
    ``NAME://advertised_host:port`` in ``advertised.listeners``, ``NAME:protocol`` in the
    protocol map, and ``config`` as ``listener.name.<name>.<key>`` settings. A broker's
    ``inter_broker`` listener is ``inter.broker.listener.name``; its ``client`` listener is the
    one profiles, the topics module and the tests bootstrap from. ``var`` is the inventory
    variable the spec comes from."""

    name: str
    port: int
    protocol: str
    bind_address: str
    advertised_host: str
    inter_broker: bool = False
    client: bool = False
    config: dict[str, Any] = field(default_factory=dict)
    var: str = "kafka_broker_listeners"

    @property
    def address(self) -> str:
        return listeners.address(self.advertised_host, self.port)

    @property
    def explicit(self) -> bool:
        """Written as a spec in the inventory (not the one default listener on the role's port)."""
        return self.var.endswith("_listeners")


def _port(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise InventoryError(f"{what}: port must be an integer from 1 to 65535, not {value!r}")
    try:
        port = int(str(value).strip())
    except ValueError:
        raise InventoryError(f"{what}: port must be an integer from 1 to 65535, not {value!r}") from None
    if not 1 <= port <= 65535:
        raise InventoryError(f"{what}: port must be an integer from 1 to 65535, not {value!r}")
    return port


def _flag(value: Any, what: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise InventoryError(f"{what} must be true or false, not {value!r}")


def listener_specs(hostvars: Mapping[str, Mapping[str, Any]], host: str, kind: ListenerKind) -> list[Listener]:
    """The ``kind`` listeners of ``host``: ``kafka_<kind>_listeners``, or by default one
    listener on ``kafka_<kind>_port`` (``PLAINTEXT`` for brokers, ``CONTROLLER`` over PLAINTEXT
    for controllers) bound to ``kafka_<kind>_listen_address`` and advertised at the host's
    address. The first broker listener is the inter-broker and client one unless an entry says
    ``inter_broker: true`` / ``client: true``."""
    var = f"kafka_{kind}_listeners"
    bind_default = str(_var(hostvars, host, f"kafka_{kind}_listen_address"))
    address = host_address(hostvars, host)
    raw = _var(hostvars, host, var)
    if not raw:
        name = "PLAINTEXT" if kind == "broker" else "CONTROLLER"
        port = _port(_var(hostvars, host, f"kafka_{kind}_port"), f"host {host}: kafka_{kind}_port")
        default = Listener(
            name, port, "PLAINTEXT", bind_default, address, kind == "broker", kind == "broker", var=f"kafka_{kind}_port"
        )
        return [default]
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise InventoryError(f"host {host}: {var} must be a list of listener specs (name, port, protocol, ...)")
    specs: list[Listener] = []
    for index, entry in enumerate(raw):
        what = f"host {host}: {var}[{index}]"
        if not isinstance(entry, Mapping):
            raise InventoryError(f"{what} must be a mapping with a name and a port")
        unknown = sorted(set(map(str, entry)) - set(contract.LISTENER_FIELDS))
        if unknown:
            raise InventoryError(
                f"{what}: unknown field(s) {', '.join(unknown)} (known: {', '.join(contract.LISTENER_FIELDS)})"
            )
        name = str(entry.get("name") or "").strip()
        if not _LISTENER_NAME.match(name):
            raise InventoryError(
                f"{what}: name must be a listener name such as CLIENT or INTERNAL, not {entry.get('name')!r}"
            )
        name = name.upper()
        protocol = str(entry.get("protocol") or (name if name in contract.SECURITY_PROTOCOLS else "")).upper()
        if protocol not in contract.SECURITY_PROTOCOLS:
            raise InventoryError(
                f"{what}: protocol must be one of {', '.join(contract.SECURITY_PROTOCOLS)}"
                + (f", not {entry.get('protocol')!r}" if entry.get("protocol") else f" (listener {name} names none)")
            )
        config = entry.get("config") or {}
        if not isinstance(config, Mapping):
            raise InventoryError(f"{what}: config must be a mapping of listener settings")
        specs.append(
            Listener(
                name=name,
                port=_port(entry.get("port"), what),
                protocol=protocol,
                bind_address=str(entry.get("bind_address") or bind_default),
                advertised_host=str(entry.get("advertised_host") or address),
                inter_broker=_flag(entry.get("inter_broker"), f"{what}: inter_broker"),
                client=_flag(entry.get("client"), f"{what}: client"),
                config={str(key): value for key, value in config.items()},
                var=var,
            )
        )
    for flag in ("inter_broker", "client"):
        marked = [spec for spec in specs if getattr(spec, flag)]
        if len(marked) > 1:
            raise InventoryError(
                f"host {host}: {var}: only one listener may be {flag} ({', '.join(s.name for s in marked)})"
            )
        if kind == "broker" and not marked:
            specs[0] = Listener(**{**specs[0].__dict__, flag: True})
    return specs


def _node_listeners(
    hostvars: Mapping[str, Mapping[str, Any]], host: str, roles: Sequence[str]
) -> tuple[list[Listener], list[Listener]]:
    """(broker listeners, controller listeners) of a node; names and ports must not repeat."""
    broker = listener_specs(hostvars, host, "broker") if "broker" in roles or not roles else []
    controller = listener_specs(hostvars, host, "controller") if "controller" in roles else []
    for attribute, what in (("name", "name"), ("port", "port")):
        seen: dict[Any, Listener] = {}
        for spec in (*broker, *controller):
            value = getattr(spec, attribute)
            if value in seen:
                raise InventoryError(
                    f"host {host}: listeners {seen[value].name} ({seen[value].var}) and {spec.name} ({spec.var}) "
                    f"use the same {what} {value}"
                )
            seen[value] = spec
    return broker, controller


def client_listener(hostvars: Mapping[str, Mapping[str, Any]], host: str) -> Listener:
    """The listener clients of broker ``host`` bootstrap from."""
    return next(spec for spec in listener_specs(hostvars, host, "broker") if spec.client)


def _controllers(groups: Mapping[str, Sequence[str]]) -> list[str]:
    return list(groups.get(CONTROLLER_GROUP, []))


def migration_phase(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], host: str) -> str:
    """The host's ``kafka_migration_phase`` (:func:`kafkalint.contract.migration_phase`), ``""``
    when the cluster is not migrating."""
    try:
        return contract.migration_phase(hostvars.get(host, {}), groups) or ""
    except contract.ContractError as error:
        raise InventoryError(f"host {host}: {error}") from None


def _node_id(hostvars: Mapping[str, Mapping[str, Any]], host: str) -> Any:
    variables = hostvars.get(host, {})
    node_id = variables.get("kafka_node_id")
    broker_id = variables.get("kafka_broker_id")
    if variables.get("kafka_migration_phase") is not None and broker_id is not None:
        # A migrated broker keeps its identity: its KRaft node.id is its ZooKeeper-mode broker.id.
        if node_id is not None and str(node_id) != str(broker_id):
            raise InventoryError(
                f"host {host}: kafka_node_id {node_id} is not its kafka_broker_id {broker_id}: a broker migrated "
                "from ZooKeeper keeps its broker.id as node.id"
            )
        return broker_id
    if node_id is None:
        hint = (
            " (kafka_broker_id is the ZooKeeper-mode broker.id)"
            if hostvars.get(host, {}).get("kafka_broker_id") is not None
            else ""
        )
        raise InventoryError(
            f"host {host}: kafka_node_id is not set (every KRaft broker and controller needs a unique node id){hint}"
        )
    return node_id


def quorum_endpoints(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]]
) -> list[tuple[Any, str]]:
    """(node id, ``host:port``) of every controller's first controller listener, as advertised."""
    controllers = _controllers(groups)
    if not controllers:
        raise InventoryError(f"a KRaft cluster needs hosts in group '{CONTROLLER_GROUP}' (its controller quorum)")
    return [(_node_id(hostvars, c), listener_specs(hostvars, c, "controller")[0].address) for c in controllers]


def controller_bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]]) -> str:
    """``controller.quorum.bootstrap.servers``: every controller's ``host:port`` (also what
    ``kafka-metadata-quorum --bootstrap-controller`` takes)."""
    return ",".join(address for _, address in quorum_endpoints(hostvars, groups))


def kafka_uuid(seed: str) -> str:
    """A Kafka ``Uuid`` (16 bytes, URL-safe base64 without padding) derived from ``seed``:
    never one of Kafka's reserved ids (most significant bits 0, least below 100) and never
    starting with ``-`` (which a command line would read as an option), as ``Uuid.randomUuid``."""
    import base64
    import hashlib  # kept off the start-up path (OpenSSL's import is a noticeable part of it)

    counter = 0
    while True:
        digest = hashlib.sha256(f"{seed}\0{counter}".encode()).digest()[:16]
        reserved = int.from_bytes(digest[:8], "big") == 0 and int.from_bytes(digest[8:], "big") < 100
        text = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
        if not reserved and not text.startswith("-"):
            return text
        counter += 1


def controller_directory_id(cluster_id: str, node_id: Any) -> str:
    """The metadata directory id a controller is formatted with (KIP-853): derived from the
    cluster id and the node id, so every host computes the same ``--initial-controllers``."""
    return kafka_uuid(f"kafka-iac controller directory {cluster_id} {node_id}")


def initial_controllers(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], cluster_id: str
) -> str:
    """``kafka-storage format --initial-controllers``: ``id@host:port:directory-id`` of every
    controller, the same on every node formatted at the cluster's bootstrap."""
    return ",".join(
        f"{node_id}@{address}:{controller_directory_id(cluster_id, node_id)}"
        for node_id, address in quorum_endpoints(hostvars, groups)
    )


def _listener_keys(
    broker: Sequence[Listener], controller: Sequence[Listener], extra_map: Sequence[Listener], kraft: bool
) -> dict[str, tuple[Any, str]]:
    """The listener keys of a node; ``extra_map`` are listeners it only connects to (a
    broker-only node's controller listeners)."""
    own = [*broker, *controller]
    keys: dict[str, tuple[Any, str]] = {
        "listeners": (
            ",".join(listeners.endpoint(spec.name, spec.bind_address, spec.port) for spec in own),
            own[0].var,
        ),
        "advertised.listeners": (
            ",".join(listeners.endpoint(spec.name, spec.advertised_host, spec.port) for spec in own),
            own[0].var if own[0].explicit else "ansible_host",
        ),
    }
    if kraft or any(spec.explicit for spec in (*own, *extra_map)):
        mapped = list({spec.name: spec for spec in (*own, *extra_map)}.values())
        keys["listener.security.protocol.map"] = (
            ",".join(f"{spec.name}:{spec.protocol}" for spec in mapped),
            own[0].var,
        )
        if broker:
            inter = next(spec for spec in broker if spec.inter_broker)
            keys["inter.broker.listener.name"] = (inter.name, inter.var)
    return keys


def _listener_settings(specs: Sequence[Listener]) -> dict[str, Value]:
    return {
        f"listener.name.{spec.name.lower()}.{key}": Value(value, "inventory", spec.var)
        for spec in specs
        for key, value in spec.config.items()
    }


def _properties(hostvars: Mapping[str, Mapping[str, Any]], host: str, var: str) -> dict[str, Value]:
    properties = _var(hostvars, host, var) or {}
    if not isinstance(properties, Mapping):
        raise InventoryError(f"host {host}: {var} must be a mapping of Kafka keys")
    return {str(key): Value(value, "inventory", var) for key, value in properties.items()}


def broker_config(
    host: str,
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
    *,
    lenient: bool = False,
) -> dict[str, Value]:
    """The rendered part of Kafka node ``host``'s server.properties, sorted by key: a
    ZooKeeper-mode broker, or a KRaft broker, controller or combined node (``lenient``: see
    :func:`metadata_mode`)."""
    if metadata_mode(hostvars, groups, host, lenient=lenient) == contract.KRAFT:
        return _kraft_config(host, hostvars, groups)
    phase = migration_phase(hostvars, groups, host)
    if host in groups.get(CONTROLLER_GROUP, []) and phase:
        raise InventoryError(
            f"host {host} is in group '{CONTROLLER_GROUP}', but kafka_migration_phase is {phase}: "
            "the controllers are provisioned from the phase controllers on"
        )
    if host in groups.get(CONTROLLER_GROUP, []):
        raise InventoryError(
            f"host {host} is in group '{CONTROLLER_GROUP}', but the cluster runs in ZooKeeper mode "
            "(set kafka_metadata_mode: kraft, or Kafka 4)"
        )
    broker_id = hostvars.get(host, {}).get("kafka_broker_id")
    if broker_id is None:
        raise InventoryError(f"host {host}: kafka_broker_id is not set (every broker needs a unique id)")
    brokers = list(groups.get(BROKER_GROUP, [])) or [host]
    result: dict[str, Value] = {
        key: Value(value, "role-default") for key, value in safe_broker_defaults(len(brokers)).items()
    }
    result.update(_properties(hostvars, host, "kafka_broker_properties"))
    broker_specs, _ = _node_listeners(hostvars, host, [])
    result.update(_listener_settings(broker_specs))
    derived: dict[str, tuple[Any, str]] = {
        "broker.id": (broker_id, "kafka_broker_id"),
        "zookeeper.connect": (zookeeper_connect(hostvars, groups, host), "kafka_broker_zookeeper_chroot"),
        **_listener_keys(broker_specs, [], [], kraft=False),
        "log.dirs": (render_value(_var(hostvars, host, "kafka_broker_data_dirs")), "kafka_broker_data_dirs"),
    }
    if phase == contract.PHASE_DUAL_WRITE:
        derived.update(_migrating_broker_keys(hostvars, groups, broker_specs))
    rack = hostvars.get(host, {}).get("kafka_broker_rack")
    if rack is not None:
        derived["broker.rack"] = (rack, "kafka_broker_rack")
    for key, (value, var) in derived.items():
        result[key] = Value(value, "derived", var)
    return dict(sorted(result.items()))


MIGRATION_KEY = "zookeeper.metadata.migration.enable"


def _migrating_broker_keys(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], broker_specs: Sequence[Listener]
) -> dict[str, tuple[Any, str]]:
    """What a ZooKeeper-mode broker adds in the migration's dual-write phase (Kafka's "Enabling
    the migration on the brokers"): the migration flag, the controllers' listener and quorum."""
    controllers = _controllers(groups)
    if not controllers:
        raise InventoryError(f"the migration needs the KRaft controllers in group '{CONTROLLER_GROUP}'")
    quorum_specs = listener_specs(hostvars, controllers[0], "controller")
    keys = _listener_keys(broker_specs, [], quorum_specs, kraft=True)
    keys.pop("listeners")
    keys.pop("advertised.listeners")
    endpoints = quorum_endpoints(hostvars, groups)
    return {
        MIGRATION_KEY: (True, "kafka_migration_phase"),
        "controller.listener.names": (",".join(spec.name for spec in quorum_specs), quorum_specs[0].var),
        "controller.quorum.voters": (",".join(f"{i}@{a}" for i, a in endpoints), quorum_specs[0].var),
        **keys,
    }


def _migrating_controller_keys(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]], host: str
) -> dict[str, tuple[Any, str | None]]:
    """What a KRaft controller adds while it migrates (phases controllers to kraft-brokers): the
    migration flag, the ZooKeeper ensemble, and the brokers' inter-broker listener, over which it
    sends the ZooKeeper-mode brokers their metadata."""
    brokers = list(groups.get(BROKER_GROUP, []))
    if not brokers:
        raise InventoryError(f"the migration needs the brokers in group '{BROKER_GROUP}'")
    broker_specs = listener_specs(hostvars, brokers[0], "broker")
    inter = next(spec for spec in broker_specs if spec.inter_broker)
    return {
        MIGRATION_KEY: (True, "kafka_migration_phase"),
        "zookeeper.connect": (zookeeper_connect(hostvars, groups, host), "kafka_broker_zookeeper_chroot"),
        "inter.broker.listener.name": (inter.name, inter.var),
    }


def _kraft_config(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]]
) -> dict[str, Value]:
    roles = process_roles(groups, host)
    if not roles:
        raise InventoryError(f"host {host} is in neither '{CONTROLLER_GROUP}' nor '{BROKER_GROUP}'")
    brokers = list(groups.get(BROKER_GROUP, []))
    version = contract.kafka_version(hostvars.get(host, {}), groups)
    share = contract.version_tuple(version) >= contract.KRAFT_ONLY_FROM
    result: dict[str, Value] = {
        key: Value(value, "role-default")
        for key, value in safe_broker_defaults(len(brokers) or 1, share_coordinator=share).items()
    }
    if "controller" in roles:
        result.update(_properties(hostvars, host, "kafka_controller_properties"))
    if "broker" in roles:
        result.update(_properties(hostvars, host, "kafka_broker_properties"))
    broker_specs, controller_specs = _node_listeners(hostvars, host, roles)
    endpoints = quorum_endpoints(hostvars, groups)
    # A broker-only node connects to the controllers over their listener: it needs its name
    # and protocol too (the first controller's spec; every controller should use the same).
    quorum_specs = controller_specs or listener_specs(hostvars, _controllers(groups)[0], "controller")
    result.update(_listener_settings([*broker_specs, *controller_specs]))
    derived: dict[str, tuple[Any, str | None]] = {
        "process.roles": (",".join(roles), None),
        "node.id": (_node_id(hostvars, host), "kafka_node_id"),
        **_listener_keys(broker_specs, controller_specs, quorum_specs, kraft=True),
        "controller.listener.names": (
            ",".join(spec.name for spec in quorum_specs),
            quorum_specs[0].var if quorum_specs else None,
        ),
    }
    if quorum_mode(hostvars, groups, host) == contract.DYNAMIC:
        derived["controller.quorum.bootstrap.servers"] = (",".join(a for _, a in endpoints), quorum_specs[0].var)
    else:
        derived["controller.quorum.voters"] = (",".join(f"{i}@{a}" for i, a in endpoints), quorum_specs[0].var)
    metadata_dir = str(_var(hostvars, host, "kafka_controller_metadata_dir"))
    if "broker" in roles:
        derived["log.dirs"] = (render_value(_var(hostvars, host, "kafka_broker_data_dirs")), "kafka_broker_data_dirs")
        if "controller" in roles:
            derived["metadata.log.dir"] = (metadata_dir, "kafka_controller_metadata_dir")
        rack = hostvars.get(host, {}).get("kafka_broker_rack")
        if rack is not None:
            derived["broker.rack"] = (rack, "kafka_broker_rack")
    else:
        derived["log.dirs"] = (metadata_dir, "kafka_controller_metadata_dir")
    if "controller" in roles and migration_phase(hostvars, groups, host) in _CONTROLLERS_MIGRATING:
        migrating = _migrating_controller_keys(hostvars, groups, host)
        inter = migrating["inter.broker.listener.name"][0]
        protocols = render_value(derived["listener.security.protocol.map"][0])
        if inter not in {entry.split(":", 1)[0] for entry in protocols.split(",")}:
            spec = next(s for s in listener_specs(hostvars, groups[BROKER_GROUP][0], "broker") if s.name == inter)
            derived["listener.security.protocol.map"] = (f"{protocols},{inter}:{spec.protocol}", spec.var)
        derived.update(migrating)
    for key, (value, var) in derived.items():
        result[key] = Value(value, "derived", var)
    return dict(sorted(result.items()))


def storage_dirs(config: Mapping[str, Value]) -> list[str]:
    """The directories ``kafka-storage format`` formats for a rendered config: the metadata
    directory (``metadata.log.dir``, else the first of ``log.dirs``) first, then the others."""
    dirs = [item.strip() for item in render_value(config["log.dirs"].value).split(",") if item.strip()]
    metadata = config.get("metadata.log.dir")
    if metadata is not None:
        dirs = [str(metadata.value), *(d for d in dirs if d != str(metadata.value))]
    return dirs


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
    """Every broker's advertised client listener: the seeds advise listing them all, so a
    client still connects when one is down."""
    return ",".join(client_listener(hostvars, broker).address for broker in groups.get(BROKER_GROUP, []))


def producer_config(
    profile: Mapping[str, Any],
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
    client_security: Mapping[str, Any] | None = None,
    scram_users: Sequence[Any] | None = None,
    *,
    bootstrap: Callable[[], str] | None = None,
) -> dict[str, Value]:
    """The rendered client .properties of a ``kafka_producer_profiles`` entry, sorted by
    key; ``bootstrap.servers`` is derived unless the profile sets it, and so are the security
    keys (``security.protocol``, the trust store, ``sasl.mechanism``, ``sasl.jaas.config``
    with the credentials of the profile's ``user``) from ``client_security``
    (``kafka_client_security``) and ``scram_users`` (``kafka_scram_users``) when
    ``client_security`` is given (the role always gives it; kafkalint's loader does not yet).
    ``bootstrap`` gives :func:`bootstrap_servers` of these ``hostvars`` and ``groups`` for a
    caller that renders many profiles of one cluster and keeps it (called only when needed)."""
    config = profile.get("config") or {}
    if not isinstance(config, Mapping):
        raise InventoryError(f"producer profile {profile.get('name')!r}: config must be a mapping")
    result = {str(key): Value(value, "inventory", "kafka_producer_profiles") for key, value in config.items()}
    if "bootstrap.servers" not in result:
        servers = bootstrap() if bootstrap is not None else bootstrap_servers(hostvars, groups)
        result["bootstrap.servers"] = Value(servers, "derived", "kafka_broker_listeners")
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
