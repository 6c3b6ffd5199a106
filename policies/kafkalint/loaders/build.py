"""Build a :class:`~kafkalint.model.Cluster` from inventory-shaped data.

Both the plain YAML cluster file and the Ansible inventory end up as ``hostvars`` (host ->
variables) and ``groups`` (group -> hosts), exactly what the roles see; this module runs them
through :mod:`kafkalint.effective`, so the linter judges what the roles render. The two sources
differ only in how they know where a value was written, which a :class:`Locator` answers.

Locations, per the layer of a setting:

- ``inventory``: the line of the key inside ``kafka_broker_properties`` /
  ``kafka_controller_properties`` / ``zookeeper_properties`` (or of the listener spec it comes
  from), or inside the topic's or profile's ``config``;
- ``derived``: the line of the variable it comes from (``kafka_broker_id``, ...), or the host's
  declaration when that variable is left at the role's default;
- ``role-default``: the host's declaration.

A config as a whole (for findings about a key that is absent) points at the variable where
the key would be added (``kafka_broker_properties``, ``kafka_controller_properties`` on a
dedicated controller, the topic's ``config``), else at the host, topic or profile.

KRaft nodes (hosts of ``kafka_controller`` and ``kafka_broker``) are built once each, with
their ``process.roles``: brokers go to ``Cluster.brokers``, controllers to
``Cluster.controllers``, and a combined node is the same object in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from kafkalint import contract, effective, listeners, redact
from kafkalint.errors import InputError
from kafkalint.loaders.templating import reason
from kafkalint.model import Broker, Cluster, ConfigMap, Location, ProducerProfile, Topic, ZooKeeperNode
from kafkalint.versions import DEFAULT_VERSION, KafkaVersion


class Locator(Protocol):
    """Answers where things were written in one source."""

    def host(self, host: str) -> Location:
        """Where ``host`` is declared."""

    def var(self, host: str, name: str) -> Location | None:
        """Where variable ``name`` of ``host`` is set, ``None`` when it is not."""

    def key(self, mapping: Any, key: Any) -> Location | None:
        """Where ``key`` is written inside a loaded ``mapping``."""

    def item(self, sequence: Any, index: int) -> Location | None:
        """Where item ``index`` of a loaded ``sequence`` is written."""

    def from_vault(self, mapping: Any, key: Any) -> bool:
        """Whether the value of ``key`` in a loaded ``mapping`` was decrypted from Ansible Vault."""


def _fallback(*candidates: Location | None) -> Location:
    for candidate in candidates:
        if candidate is not None:
            return candidate
    raise AssertionError("no location")  # pragma: no cover - the last candidate is never None


#: What an unresolved value that the cluster's shape depends on is refused with.
_LITERAL = (
    "kafkalint renders literal values and a safe subset of Jinja only: write the value, or lint "
    "your own inventory with --render=ansible"
)


def refuse_unresolved(value: Any, what: str, where: Location) -> None:
    """An input error when ``value`` (something the cluster's shape depends on: an id, a
    topic's name or partitions, the version) is unresolved."""
    why = reason(value)
    if why is not None:
        raise InputError(f"{what} {why}: {_LITERAL}", where)


def _int_or_error(value: Any, what: str, where: Location) -> int | None:
    if value is None:
        return None
    refuse_unresolved(value, what, where)
    if isinstance(value, bool):
        raise InputError(f"{what} must be an integer, not {redact.quote(value)}", where)
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputError(f"{what} must be an integer, not {redact.quote(value)}", where) from None


#: Variables that must be a mapping or list as a whole (an unresolved one leaves nothing to judge).
_CONTAINERS = ("kafka_broker_properties", "zookeeper_properties", "kafka_topics", "kafka_producer_profiles")

#: Marks of inventories written for other tools: (tool, host variables, groups) that only it uses.
FOREIGN_MARKERS: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    (
        "cp-ansible, whose variables kafkalint does not read",
        frozenset({"broker_id", "kafka_broker_custom_properties", "kafka_controller_custom_properties",
                   "zookeeper_custom_properties", "confluent_server_enabled", "kafka_broker_principal"}),
        frozenset({"schema_registry", "kafka_connect", "ksql", "kafka_rest", "control_center",
                   "control_center_next_gen", "kafka_connect_replicator"}),
    ),
)  # fmt: skip


def _foreign(hostvars: Mapping[str, Mapping[str, Any]], groups: Sequence[str]) -> str:
    names = {str(name) for variables in hostvars.values() for name in variables}
    for tool, variables, tool_groups in FOREIGN_MARKERS:
        seen = sorted(names & variables) + sorted(set(groups) & tool_groups)
        if seen:
            return f"; this one looks written for {tool}: {', '.join(seen[:4])}"
    return ""


def check_contract(  # noqa: PLR0917 - one call per inventory reader
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Sequence[str]],
    locator: Locator,
    base: Path,
    base_shown: str,
    all_groups: Sequence[str] = (),
) -> None:
    """An input error, in one line, when the inventory is not written for kafka-iac's
    inventory contract at all: no host of a group sets the id variable the group needs
    (:data:`kafkalint.contract.ID_VARIABLES`). It says which contract kafkalint
    reads and what is missing, and names what it recognises: another tool's variables, or a
    playbook's ``host_vars/`` / ``group_vars/`` beside the inventory's directory (``base``),
    which Ansible reads for a play and kafkalint does not (only whether they exist is looked
    at). A host that alone lacks its id is the builder's error."""
    every_id = dict.fromkeys(name for names in contract.ID_VARIABLES.values() for name in names)
    for group, variables in contract.ID_VARIABLES.items():
        members = list(groups.get(group, []))
        if group == contract.ZOOKEEPER_GROUP and len(members) < 2:
            continue
        if not members or any(hostvars.get(host, {}).get(name) is not None for host in members for name in variables):
            continue
        hint = _foreign(hostvars, all_groups)
        parent = base.parent
        found = [name for name in ("host_vars", "group_vars") if parent != base and (parent / name).is_dir()]
        if not hint and found:
            shown_parent = str(Path(base_shown).parent)
            written = " and ".join(f"{shown_parent}/{name}/" for name in found)
            are, them = ("are", "them") if len(found) > 1 else ("is", "it")
            hint = f"; {written} beside the inventory's directory {are} a playbook's: move {them} beside the inventory"
        hosts = f"{len(members)} host" + ("s" if len(members) != 1 else "")
        raise InputError(
            f"no host of group '{group}' sets {' or '.join(variables)} ({hosts}): kafkalint reads the kafka-iac "
            f"inventory contract (groups {', '.join(contract.GROUPS)}; "
            f"{', '.join(every_id)} per host; the README's 'The inventory'), with "
            f"group_vars/ and host_vars/ beside the inventory only{hint}",
            locator.host(members[0]),
        )


class ClusterBuilder:
    """Turns ``hostvars`` / ``groups`` plus a :class:`Locator` into a :class:`Cluster`."""

    def __init__(  # noqa: PLR0917 - one call site per source; keywords add nothing
        self,
        name: str,
        source: Location,
        hostvars: Mapping[str, Mapping[str, Any]],
        groups: Mapping[str, Sequence[str]],
        locator: Locator,
        kafka_version: KafkaVersion | None,
        environment: str | None = None,
    ) -> None:
        #: The run's environment, for an inventory that does not set kafka_cluster_environment.
        self.environment = environment
        self.hostvars = hostvars
        self.groups = groups
        self.locator = locator
        self._bootstrap_servers: str | None = None
        self.brokers = list(groups.get(contract.BROKER_GROUP, []))
        self.controllers = list(groups.get(contract.CONTROLLER_GROUP, []))
        self.zookeepers = list(groups.get(contract.ZOOKEEPER_GROUP, []))
        self.clients = list(groups.get(contract.CLIENT_GROUP, []))
        every = [*self.brokers, *self.controllers, *self.zookeepers, *self.clients]
        self.first = every[0] if every else None
        self.cluster = Cluster(name=name, source=source, complete=True)
        self.cluster.version = kafka_version or self._version()
        self.controllers = self.controllers if self._controllers_provisioned() else []
        self.cluster.production = self._production()
        name_var = self._cluster_var("kafka_cluster_name")
        if name_var is not None and reason(name_var) is None:
            self.cluster.name = str(name_var)
        self._check_containers()

    def _check_containers(self) -> None:
        for host in dict.fromkeys([*self.brokers, *self.zookeepers, *self.clients]):
            for name in _CONTAINERS:
                value = self.hostvars.get(host, {}).get(name)
                if isinstance(value, str):
                    refuse_unresolved(value, name, _fallback(self.locator.var(host, name), self.locator.host(host)))

    # -- cluster-wide variables ------------------------------------------------------------

    def _cluster_var(self, name: str) -> Any:
        if self.first is None:
            return None
        return self.hostvars.get(self.first, {}).get(name)

    def _cluster_var_location(self, name: str) -> Location:
        if self.first is None:
            return self.cluster.source
        return _fallback(self.locator.var(self.first, name), self.locator.host(self.first))

    def _version(self) -> KafkaVersion:
        if self.first is None:
            return DEFAULT_VERSION
        where = self._cluster_var_location("kafka_version")
        refuse_unresolved(self._cluster_var("kafka_version"), "kafka_version", where)
        raw = contract.kafka_version(self.hostvars.get(self.first, {}), self.groups)
        try:
            return KafkaVersion.parse(raw)
        except ValueError as error:
            raise InputError(str(error), self._cluster_var_location("kafka_version")) from None

    def _controllers_provisioned(self) -> bool:
        """Before the migration's ``controllers`` phase the controller hosts run nothing to judge."""
        if not self.controllers:
            return False
        try:
            return contract.controllers_provisioned(self.hostvars.get(self.first or "", {}), self.groups)
        except contract.ContractError as error:
            raise InputError(str(error), self._cluster_var_location("kafka_migration_phase")) from None

    def _production(self) -> bool:
        raw = self._cluster_var("kafka_cluster_environment")
        if raw is None:  # the contract's default: production, unless the run says otherwise
            return self.environment != "development"
        refuse_unresolved(raw, "kafka_cluster_environment", self._cluster_var_location("kafka_cluster_environment"))
        if str(raw) not in contract.ENVIRONMENTS:
            raise InputError(
                f"kafka_cluster_environment must be one of {', '.join(contract.ENVIRONMENTS)}, not {redact.quote(raw)}",
                self._cluster_var_location("kafka_cluster_environment"),
            )
        return str(raw) == "production"

    # -- per host --------------------------------------------------------------------------

    def _effective(self, function: Any, host: str) -> dict[str, effective.Value]:
        try:
            result: dict[str, effective.Value] = function(host, self.hostvars, self.groups)
        except effective.InventoryError as error:
            raise InputError(str(error), self.locator.host(host)) from None
        except (TypeError, ValueError) as error:
            raise InputError(
                f"host {host}: cannot derive its configuration: {error}", self.locator.host(host)
            ) from None
        return result

    def _fill(self, config: ConfigMap, rendered: Mapping[str, effective.Value], host: str, properties_var: str) -> None:
        host_location = self.locator.host(host)
        variables = self.hostvars.get(host, {})
        for key, item in rendered.items():
            why = reason(item.value)
            if item.source == "inventory":
                var = item.var or properties_var
                where = _fallback(self.locator.key(variables.get(var), key), self.locator.var(host, var), host_location)
                vaulted = self.locator.from_vault(variables.get(var), key)
                config.set(key, item.value, "inventory", where, why, from_vault=vaulted)
            elif item.source == "derived":
                owner = self._server_owner(key) or host
                where = _fallback(self.locator.var(owner, item.var) if item.var else None, self.locator.host(owner))
                config.set(key, item.value, "derived", where, why)
            else:
                config.set(key, item.value, "role-default", host_location)

    def _server_owner(self, key: str) -> str | None:
        """The ensemble member a zoo.cfg ``server.N`` line describes (its zookeeper_id is N)."""
        if not key.startswith("server."):
            return None
        for member in self.zookeepers:
            if str(self.hostvars.get(member, {}).get("zookeeper_id")) == key[len("server.") :]:
                return member
        return None

    def _kafka_node(self, host: str) -> Broker:
        """A broker, a controller or a combined node (its KRaft roles from its groups)."""
        version = self.cluster.version
        where = self.locator.host(host)
        rendered = self._effective(partial(effective.broker_config, lenient=True), host)
        # A KRaft node's roles are its process.roles, read as for a loose server.properties.
        process_roles = rendered["process.roles"].value if "process.roles" in rendered else None
        roles = frozenset(role.lower() for role in listeners.entries(process_roles))
        properties_var = "kafka_controller_properties" if roles == {"controller"} else "kafka_broker_properties"
        config = ConfigMap("broker", version, location=_fallback(self.locator.var(host, properties_var), where))
        self._fill(config, rendered, host, properties_var)
        return Broker(host, config, where, roles)

    def _zookeeper(self, host: str) -> ZooKeeperNode:
        where = self.locator.host(host)
        for member in self.zookeepers:
            identity = self.hostvars.get(member, {}).get("zookeeper_id")
            refuse_unresolved(
                identity, f"host {member}: zookeeper_id", _fallback(self.locator.var(member, "zookeeper_id"), where)
            )
        config = ConfigMap(
            "zookeeper", self.cluster.version, location=_fallback(self.locator.var(host, "zookeeper_properties"), where)
        )
        self._fill(config, self._effective(effective.zookeeper_config, host), host, "zookeeper_properties")
        myid_where = _fallback(self.locator.var(host, "zookeeper_id"), where)
        myid = _int_or_error(self.hostvars.get(host, {}).get("zookeeper_id"), f"host {host}: zookeeper_id", myid_where)
        return ZooKeeperNode(host, myid, config, where, effective.host_address(self.hostvars, host))

    # -- topics and profiles ---------------------------------------------------------------

    def _declared_lists(self, var: str, hosts: Sequence[str]) -> list[tuple[str, Any, int, Location]]:
        """Entries of list variable ``var`` over ``hosts``, each once: (host, entry, index,
        location). The same entry reached through a group is read once."""
        seen: set[tuple[str, Location]] = set()
        seen_lists: set[Location] = set()
        result = []
        for host in hosts:
            entries = self.hostvars.get(host, {}).get(var)
            if entries is None:
                continue
            var_where = _fallback(self.locator.var(host, var), self.locator.host(host))
            # hosts of one group share the group's list: read it once
            if var_where.line is not None:
                if var_where in seen_lists:
                    continue
                seen_lists.add(var_where)
            if isinstance(entries, str):
                refuse_unresolved(entries, var, var_where)
            if not isinstance(entries, list):
                raise InputError(f"{var} must be a list", var_where)
            for index, entry in enumerate(entries):
                where = _fallback(self.locator.item(entries, index), var_where)
                if isinstance(entry, str):
                    refuse_unresolved(entry, f"an entry of {var}", where)
                if not isinstance(entry, Mapping):
                    raise InputError(f"each entry of {var} must be a mapping with a name", where)
                name = entry.get("name")
                if name is None or isinstance(name, (Mapping, list)):
                    raise InputError(f"an entry of {var} has no name", where)
                refuse_unresolved(
                    name, f"the name of an entry of {var}", _fallback(self.locator.key(entry, "name"), where)
                )
                identity = (str(name), where)
                if identity in seen:
                    continue
                seen.add(identity)
                result.append((host, entry, index, where))
        return result

    def _config_map(self, kind: str, entry: Mapping[str, Any], where: Location, what: str) -> ConfigMap:
        raw = entry.get("config")
        config = ConfigMap(kind, self.cluster.version, location=_fallback(self.locator.key(entry, "config"), where))
        if raw is None:
            return config
        if isinstance(raw, str):
            refuse_unresolved(raw, f"{what}: config", config.location)
        if not isinstance(raw, Mapping):
            raise InputError(f"{what}: config must be a mapping of Kafka keys", config.location)
        for key, value in raw.items():
            where = _fallback(self.locator.key(raw, key), config.location)
            config.set(str(key), value, "inventory", where, reason(value), from_vault=self.locator.from_vault(raw, key))
        return config

    def _topics(self) -> list[Topic]:
        topics: dict[str, Topic] = {}
        for _host, entry, _index, where in self._declared_lists("kafka_topics", self.brokers or self.clients):
            name = str(entry["name"])
            if name in topics:
                continue
            partitions_where = self.locator.key(entry, "partitions")
            rf_where = self.locator.key(entry, "replication_factor")
            topics[name] = Topic(
                name=name,
                partitions=_int_or_error(
                    entry.get("partitions"), f"topic {name}: partitions", partitions_where or where
                ),
                replication_factor=_int_or_error(
                    entry.get("replication_factor"), f"topic {name}: replication_factor", rf_where or where
                ),
                config=self._config_map("topic", entry, where, f"topic {name}"),
                location=where,
                partitions_location=partitions_where,
                replication_factor_location=rf_where,
            )
        return list(topics.values())

    def _producers(self) -> list[ProducerProfile]:
        profiles = []
        for _host, entry, _index, where in self._declared_lists(
            "kafka_producer_profiles", [*self.brokers, *self.clients]
        ):
            name = str(entry["name"])
            topics = entry.get("topics") or []
            refuse_unresolved(
                topics, f"producer profile {name}: topics", _fallback(self.locator.key(entry, "topics"), where)
            )
            if isinstance(topics, str):
                topics = [topics]
            if not isinstance(topics, list):
                raise InputError(
                    f"producer profile {name}: topics must be a list of topic names",
                    _fallback(self.locator.key(entry, "topics"), where),
                )
            config = self._config_map("producer", entry, where, f"producer profile {name}")
            try:
                rendered = effective.producer_config(entry, self.hostvars, self.groups, bootstrap=self._bootstrap)
            except effective.InventoryError as error:
                raise InputError(str(error), where) from None
            derived = rendered["bootstrap.servers"]
            if derived.source == "derived":
                config.set("bootstrap.servers", derived.value, "derived", where, reason(derived.value))
            profiles.append(ProducerProfile(name, [str(topic) for topic in topics], config, where))
        return profiles

    def _bootstrap(self) -> str:
        # every profile that does not set bootstrap.servers derives the same one from the
        # brokers' listeners: worked out at the first such profile (so an error still points
        # at it), then kept for the cluster's thousands of others
        if self._bootstrap_servers is None:
            self._bootstrap_servers = effective.bootstrap_servers(self.hostvars, self.groups)
        return self._bootstrap_servers

    def build(self) -> Cluster:
        cluster = self.cluster
        cluster.zookeepers = [self._zookeeper(host) for host in self.zookeepers]
        nodes = {host: self._kafka_node(host) for host in dict.fromkeys([*self.brokers, *self.controllers])}
        cluster.brokers = [nodes[host] for host in self.brokers]
        cluster.controllers = [nodes[host] for host in self.controllers]
        cluster.topics = self._topics()
        cluster.producers = self._producers()
        return cluster
