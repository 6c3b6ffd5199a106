"""The inventory contract: the one place that names what the roles and kafkalint both read.

An inventory describes a cluster with groups (which service runs where) and variables (how it
is configured). The roles render hosts from it; kafkalint's loaders read the same names, so
both halves agree on what a cluster is. Anything the roles derive from the topology
(``broker.id``, ``node.id``, ``zookeeper.connect``, listeners, the KRaft quorum, ``server.N``,
...) is computed in :mod:`kafkalint.effective` from the names below, never written by hand.

- :data:`GROUPS`: the inventory groups, by the service they run. A host in both
  ``kafka_controller`` and ``kafka_broker`` is a combined KRaft node (one process, both roles).
- :data:`HOST_VARIABLES`: variables that only make sense per host (ids, rack, address).
- :data:`CLUSTER_VARIABLES`: cluster-wide variables (``group_vars``).
- :data:`ROLE_DEFAULTS`: the role variables that shape derived keys, with the defaults of
  ``roles/*/defaults/main.yml`` (a test keeps the two equal).
- :data:`SECURITY_VARIABLES`: who may connect and what they may do (SCRAM users, ACLs, how
  clients connect), with the keys of their entries. They hold secrets, so kafkalint's loaders
  do not decrypt them as they do :data:`READ_VARIABLES`.

The metadata mode is a function of two cluster variables (:func:`metadata_mode`): Kafka 4.x is
KRaft only; 3.x runs ZooKeeper mode unless ``kafka_metadata_mode: kraft`` chooses KRaft, or
``kafka_migration_phase`` names a phase of the ZooKeeper to KRaft migration (:data:`MIGRATION_PHASES`,
:func:`migration_phase`; each node's mode in it is :func:`node_mode`). Without
``kafka_version``, an inventory with a ``kafka_controller`` group is a Kafka
:data:`DEFAULT_KRAFT_VERSION` cluster, any other one Kafka :data:`DEFAULT_ZOOKEEPER_VERSION`.

The README's "The inventory contract" section documents these names; a test keeps it in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ZOOKEEPER_GROUP = "zookeeper"
CONTROLLER_GROUP = "kafka_controller"
BROKER_GROUP = "kafka_broker"
CLIENT_GROUP = "kafka_client"

#: Every group of the contract, in the order a run reads them.
GROUPS: tuple[str, ...] = (ZOOKEEPER_GROUP, CONTROLLER_GROUP, BROKER_GROUP, CLIENT_GROUP)
#: The groups whose hosts run a Kafka process (broker, controller or both).
KAFKA_GROUPS: tuple[str, ...] = (CONTROLLER_GROUP, BROKER_GROUP)

#: ``kafka_cluster_environment`` values; production gets the stricter severities.
ENVIRONMENTS: tuple[str, ...] = ("production", "development")

#: ``kafka_metadata_mode`` values (3.x only; 4.x is KRaft).
KRAFT, ZOOKEEPER = "kraft", "zookeeper"
METADATA_MODES: tuple[str, ...] = (KRAFT, ZOOKEEPER)
#: ``kafka_controller_quorum`` values: KIP-853's dynamic quorum (``controller.quorum.bootstrap.servers``,
#: Kafka 3.9 and later, the default there) or static voters (``controller.quorum.voters``).
DYNAMIC, STATIC = "dynamic", "static"
QUORUM_MODES: tuple[str, ...] = (DYNAMIC, STATIC)

#: The release a cluster runs when the inventory does not say (the roles' defaults agree).
DEFAULT_ZOOKEEPER_VERSION = "3.9.1"
DEFAULT_KRAFT_VERSION = "4.4.0"
#: The first release without ZooKeeper mode, the first with KRaft, the first with KIP-853.
KRAFT_ONLY_FROM = (4, 0)
KRAFT_FROM = (3, 3)
DYNAMIC_QUORUM_FROM = (3, 9)

#: ``kafka_migration_phase`` values, in the order of the ZooKeeper to KRaft migration (KIP-866, Kafka's
#: "ZooKeeper to KRaft Migration"): the cluster the inventory describes is in that phase.
#:
#: - ``zookeeper``: brokers in ZooKeeper mode; the ``kafka_controller`` hosts are not provisioned
#:   (before the migration, and after a rollback);
#: - ``controllers``: the KRaft controllers run in migration mode (``zookeeper.metadata.migration.enable``,
#:   ``zookeeper.connect``), formatted with the ZooKeeper cluster's id; the brokers are unchanged;
#: - ``dual-write``: the brokers run in ZooKeeper mode with migration enabled and the controller
#:   quorum; the active controller migrated the metadata and writes it to ZooKeeper as well;
#: - ``kraft-brokers``: the brokers run in KRaft mode; the controllers still write to ZooKeeper, so a
#:   rollback is still possible (the soak);
#: - ``finalised``: the controllers run without ZooKeeper; no rollback. ZooKeeper can be retired.
PHASE_ZOOKEEPER, PHASE_CONTROLLERS, PHASE_DUAL_WRITE, PHASE_KRAFT_BROKERS, PHASE_FINALISED = (
    "zookeeper",
    "controllers",
    "dual-write",
    "kraft-brokers",
    "finalised",
)
MIGRATION_PHASES: tuple[str, ...] = (
    PHASE_ZOOKEEPER,
    PHASE_CONTROLLERS,
    PHASE_DUAL_WRITE,
    PHASE_KRAFT_BROKERS,
    PHASE_FINALISED,
)
#: The first release with the migration (KIP-866).
MIGRATION_FROM = (3, 4)

#: Security protocols a listener spec may name (Kafka's ``SecurityProtocol``).
SECURITY_PROTOCOLS: tuple[str, ...] = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
#: The fields of a listener spec (``kafka_broker_listeners`` / ``kafka_controller_listeners``
#: entries); see :func:`kafkalint.effective.listener_specs`.
LISTENER_FIELDS: tuple[str, ...] = (
    "name",
    "port",
    "protocol",
    "bind_address",
    "advertised_host",
    "inter_broker",
    "client",
    "config",
)

#: Defaults of the role variables that shape the derived keys (mirrors the roles' defaults).
ROLE_DEFAULTS: dict[str, Any] = {
    "kafka_broker_port": 9092,
    "kafka_broker_listen_address": "0.0.0.0",
    "kafka_broker_listeners": [],
    "kafka_broker_data_dirs": ["/var/lib/kafka/data"],
    "kafka_broker_zookeeper_chroot": "",
    "kafka_broker_properties": {},
    "kafka_controller_port": 9093,
    "kafka_controller_listen_address": "0.0.0.0",
    "kafka_controller_listeners": [],
    "kafka_controller_metadata_dir": "/var/lib/kafka/metadata",
    "kafka_controller_properties": {},
    "zookeeper_client_port": 2181,
    "zookeeper_peer_port": 2888,
    "zookeeper_election_port": 3888,
    "zookeeper_data_dir": "/var/lib/zookeeper",
    "zookeeper_properties": {},
    "zookeeper_4lw_commands_whitelist": ["srvr", "ruok", "mntr", "stat"],
}

#: Variables only a host sets: its ids, its rack, the address the cluster uses for it.
#: ``kafka_broker_id`` is a ZooKeeper-mode broker's ``broker.id``; ``kafka_node_id`` is a KRaft
#: node's ``node.id``, one id space over brokers and controllers.
HOST_VARIABLES: tuple[str, ...] = (
    "ansible_host",
    "zookeeper_id",
    "kafka_broker_id",
    "kafka_node_id",
    "kafka_broker_rack",
)

#: Cluster-wide variables that shape the configuration (and the role variables above, which
#: hosts may override). ``kafka_cluster_id`` pins the KRaft cluster id; without it the id is
#: generated at the first format and read back from the formatted hosts ever after.
TOPOLOGY_VARIABLES: tuple[str, ...] = (
    "kafka_version",
    "kafka_metadata_mode",
    "kafka_controller_quorum",
    "kafka_cluster_id",
    "kafka_migration_phase",
)

#: Cluster-wide variables.
CLUSTER_VARIABLES: tuple[str, ...] = (
    *TOPOLOGY_VARIABLES,
    "zookeeper_version",
    "kafka_cluster_name",
    "kafka_cluster_environment",
    "kafka_topics",
    "kafka_producer_profiles",
    *ROLE_DEFAULTS,
)

#: The variables each group's hosts are numbered by (a ZooKeeper ensemble of one needs none):
#: ZooKeeper-mode brokers by ``kafka_broker_id``, KRaft nodes by ``kafka_node_id``.
ID_VARIABLES: dict[str, tuple[str, ...]] = {
    BROKER_GROUP: ("kafka_broker_id", "kafka_node_id"),
    CONTROLLER_GROUP: ("kafka_node_id",),
    ZOOKEEPER_GROUP: ("zookeeper_id",),
}

#: Every variable kafkalint reads from a host.
READ_VARIABLES: tuple[str, ...] = (*CLUSTER_VARIABLES, *HOST_VARIABLES)
#: The variables :mod:`kafkalint.effective` reads (the roles hand it only these).
EFFECTIVE_VARIABLES: tuple[str, ...] = (*HOST_VARIABLES, *TOPOLOGY_VARIABLES, *ROLE_DEFAULTS)


class ContractError(ValueError):
    """A cluster variable has a value the contract does not allow."""


def version_tuple(text: Any) -> tuple[int, int]:
    """(major, minor) of a release such as ``3.9.1``."""
    parts = str(text).strip().split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        raise ContractError(f"kafka_version must be a release such as 3.9.1 or 4.4.0, not {text!r}") from None


def kafka_version(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> str:
    """The release the cluster runs: ``kafka_version``, else the default for its layout."""
    version = variables.get("kafka_version")
    if version is not None:
        return str(version).strip()
    return DEFAULT_KRAFT_VERSION if groups.get(CONTROLLER_GROUP) else DEFAULT_ZOOKEEPER_VERSION


def migration_phase(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> str | None:
    """The ``kafka_migration_phase`` of the cluster (``None``: not migrating); raises
    :class:`ContractError` for a phase the release cannot be in."""
    chosen = variables.get("kafka_migration_phase")
    if chosen is None:
        return None
    phase = str(chosen)
    if phase not in MIGRATION_PHASES:
        raise ContractError(f"kafka_migration_phase must be one of {', '.join(MIGRATION_PHASES)}, not {chosen!r}")
    version = kafka_version(variables, groups)
    line = version_tuple(version)
    if variables.get("kafka_metadata_mode") is not None:
        raise ContractError("set kafka_migration_phase or kafka_metadata_mode, not both: the phase says the mode")
    if line < MIGRATION_FROM:
        raise ContractError(f"kafka_migration_phase is {phase}, but Kafka {version} has no ZooKeeper migration (3.4+)")
    if line >= KRAFT_ONLY_FROM and phase != PHASE_FINALISED:
        raise ContractError(
            f"kafka_migration_phase is {phase}, but Kafka {version} has no ZooKeeper: "
            "finalise the migration on 3.9 first"
        )
    return phase


def controllers_provisioned(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> bool:
    """Whether the ``kafka_controller`` hosts run Kafka (not before the migration's controllers phase)."""
    return migration_phase(variables, groups) != PHASE_ZOOKEEPER


def node_mode(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]], host: str) -> str:
    """``kraft`` or ``zookeeper`` for one node: during the migration the controllers run KRaft
    while the brokers are still in ZooKeeper mode (phases ``controllers`` and ``dual-write``)."""
    phase = migration_phase(variables, groups)
    if phase in (PHASE_CONTROLLERS, PHASE_DUAL_WRITE) and host in groups.get(CONTROLLER_GROUP, []):
        return KRAFT
    return metadata_mode(variables, groups)


def metadata_mode(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> str:
    """``kraft`` or ``zookeeper`` (the brokers' mode), from ``kafka_version``, ``kafka_metadata_mode``
    and ``kafka_migration_phase``; raises :class:`ContractError` for a combination Kafka cannot run."""
    phase = migration_phase(variables, groups)
    if phase is not None:
        return KRAFT if phase in (PHASE_KRAFT_BROKERS, PHASE_FINALISED) else ZOOKEEPER
    version = kafka_version(variables, groups)
    line = version_tuple(version)
    chosen = variables.get("kafka_metadata_mode")
    if chosen is not None and str(chosen) not in METADATA_MODES:
        raise ContractError(f"kafka_metadata_mode must be one of {', '.join(METADATA_MODES)}, not {chosen!r}")
    if line >= KRAFT_ONLY_FROM:
        if chosen == ZOOKEEPER:
            raise ContractError(f"kafka_metadata_mode is zookeeper, but Kafka {version} runs only in KRaft mode")
        return KRAFT
    if chosen == KRAFT:
        if line < KRAFT_FROM:
            raise ContractError(f"kafka_metadata_mode is kraft, but Kafka {version} has no production KRaft (3.3+)")
        return KRAFT
    return ZOOKEEPER


def quorum_mode(variables: Mapping[str, Any], groups: Mapping[str, Sequence[str]]) -> str:
    """``dynamic`` or ``static`` for a KRaft cluster (``kafka_controller_quorum``, else
    dynamic where the release has KIP-853)."""
    version = kafka_version(variables, groups)
    line = version_tuple(version)
    chosen = variables.get("kafka_controller_quorum")
    phase = migration_phase(variables, groups)
    if phase is not None:
        # Kafka 3.9 migrates to a static quorum only; the quorum stays what it was formatted as.
        if chosen is not None and str(chosen) != STATIC:
            raise ContractError(
                f"kafka_controller_quorum is {chosen}, but a cluster migrated from ZooKeeper has a static quorum "
                "(kafka_migration_phase is set)"
            )
        return STATIC
    if chosen is None:
        return DYNAMIC if line >= DYNAMIC_QUORUM_FROM else STATIC
    if str(chosen) not in QUORUM_MODES:
        raise ContractError(f"kafka_controller_quorum must be one of {', '.join(QUORUM_MODES)}, not {chosen!r}")
    if chosen == DYNAMIC and line < DYNAMIC_QUORUM_FROM:
        raise ContractError(f"kafka_controller_quorum is dynamic, but Kafka {version} has no dynamic quorum (3.9+)")
    return str(chosen)


# ---- security (issue 13) ----------------------------------------------------------------------
# Declared in group_vars/all (every host and the controller see them), passwords from Ansible
# Vault. The roles kafka_scram_users, kafka_acls and kafka_producer_profiles read them; the
# broker and controller roles derive super.users and the KRaft format-time SCRAM records from
# them (kafkalint.security).

#: SCRAM users: ``[{name, password, mechanism, iterations, state}]``.
SCRAM_USERS = "kafka_scram_users"
#: ACLs: ``[{principal, resource_type, resource_name, pattern_type, operations, permission,
#: host, state, allow_destructive}]``.
ACLS = "kafka_acls"
#: How clients (producer profiles, the admin tools, the smoke test) connect:
#: ``{protocol, sasl_mechanism, truststore_location, truststore_type}``.
CLIENT_SECURITY = "kafka_client_security"
#: How the automation on the controller (the topics, users and ACLs modules) connects:
#: ``{protocol, sasl_mechanism, username, password, ca_file, check_hostname, cert_file,
#: key_file, key_password}``; ``username`` is a super user, declared in ``kafka_scram_users``.
ADMIN_SECURITY = "kafka_admin_security"

SECURITY_VARIABLES: tuple[str, ...] = (SCRAM_USERS, ACLS, CLIENT_SECURITY, ADMIN_SECURITY)

#: A ``kafka_scram_users`` entry: its keys and their defaults (``None``: required).
SCRAM_USER_KEYS: dict[str, Any] = {
    "name": None,
    "password": None,
    "mechanism": "SCRAM-SHA-512",
    "iterations": 8192,
    "state": "present",
}

#: A ``kafka_acls`` entry: its keys and their defaults (``None``: required). ``operations`` is
#: a list; each operation is one ACL binding. ``allow_destructive`` lets the module remove the
#: bindings of that resource pattern that no entry declares.
ACL_KEYS: dict[str, Any] = {
    "principal": None,
    "resource_type": None,
    "resource_name": None,
    "pattern_type": "literal",
    "operations": None,
    "permission": "allow",
    "host": "*",
    "state": "present",
    "allow_destructive": False,
}

#: ``kafka_client_security`` keys and their defaults. PLAINTEXT until the brokers' secured
#: listeners are wired in (issue 13, phase 2), which makes SASL_SSL the default. The trust
#: store is where client hosts find the cluster CA (a PEM bundle needs no password).
CLIENT_SECURITY_DEFAULTS: dict[str, Any] = {
    "protocol": "PLAINTEXT",
    "sasl_mechanism": "SCRAM-SHA-512",
    "truststore_location": "",
    "truststore_type": "PEM",
    "truststore_password": "",
}

#: ``kafka_admin_security`` keys and their defaults (the admin modules' ``security`` option).
ADMIN_SECURITY_DEFAULTS: dict[str, Any] = {
    "protocol": "PLAINTEXT",
    "sasl_mechanism": "SCRAM-SHA-512",
    "username": None,
    "password": None,
    "ca_file": None,
    "check_hostname": True,
    "cert_file": None,
    "key_file": None,
    "key_password": None,
}
