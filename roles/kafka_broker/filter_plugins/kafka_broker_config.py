"""Filters that render a Kafka node's configuration through ``kafkalint.effective``, and read
what Kafka's tools print about the cluster.

The linter judges the values ``kafkalint.effective.broker_config`` computes from the
inventory; rendering ``server.properties`` from the same function keeps the file on the host
equal to what the linter checked. The topology the roles need besides (the metadata mode, the
log directories, the KRaft quorum, every broker's client listener) comes from the same module.

The readers of tool output (``kafka-topics --describe``, ``kafka-broker-api-versions``) are
the safe-restart checks: which partitions are unhealthy, which would fall below their
``min.insync.replicas`` if a broker stopped, which a broker is not in sync for.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import effective

_CLUSTER_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
_FIELD = re.compile(r"(\w+):\s*([^\t]*)")
_MIN_ISR = re.compile(r"(?:^|,)min\.insync\.replicas=(\d+)")
_REGISTERED = re.compile(r"\(id: (\d+) ")


def _call(function: Callable[..., Any], *args: Any) -> Any:
    try:
        return function(*args)
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def _plain(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> Any:
    return effective.plain_inventory(hostvars, groups, str(host))


def kafka_broker_server_properties(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> str:
    """The text of ``host``'s server.properties (sorted ``key=value`` lines)."""
    plain_hostvars, plain_groups = _plain(host, hostvars, groups)
    return str(_call(lambda: effective.render(effective.broker_config(str(host), plain_hostvars, plain_groups))))


def kafka_broker_setting(
    host: str, key: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> Any:
    """One key of ``host``'s server.properties as rendered (``None`` when not rendered)."""
    plain_hostvars, plain_groups = _plain(host, hostvars, groups)
    config = _call(effective.broker_config, str(host), plain_hostvars, plain_groups)
    item = config.get(key)
    return None if item is None else item.value


def kafka_broker_topology(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything the role's tasks need about the cluster's topology, from one reading of the
    inventory: the metadata mode and quorum mode (failing with the contract's reason for a mode
    Kafka cannot run), this node's roles and id, every node with its log directories, this
    broker's client listener, the brokers' and controllers' bootstrap lists, the cluster-wide
    ``min.insync.replicas``."""
    name = str(host)
    plain_hostvars, plain_groups = _plain(name, hostvars, groups)

    def derive() -> dict[str, Any]:
        mode = effective.metadata_mode(plain_hostvars, plain_groups, name)
        kraft = mode == "kraft"
        roles = effective.process_roles(plain_groups, name) if kraft else ["broker"]
        nodes = (
            list(dict.fromkeys([*plain_groups["kafka_controller"], *plain_groups["kafka_broker"]]))
            if kraft
            else list(plain_groups["kafka_broker"] or [name])
        )
        config = effective.broker_config(name, plain_hostvars, plain_groups)
        brokers = plain_groups["kafka_broker"]
        return {
            "mode": mode,
            "quorum": effective.quorum_mode(plain_hostvars, plain_groups, name) if kraft else "",
            "roles": roles,
            "is_broker": "broker" in roles and name in brokers,
            "is_controller": "controller" in roles,
            "node_id": config["node.id" if kraft else "broker.id"].value,
            "nodes": nodes,
            "storage_dirs": {
                node: effective.storage_dirs(effective.broker_config(node, plain_hostvars, plain_groups))
                for node in dict.fromkeys([*nodes, name])
            },
            "client_address": effective.client_listener(plain_hostvars, name).address if name in brokers else "",
            "bootstrap_servers": effective.bootstrap_servers(plain_hostvars, plain_groups),
            "controller_bootstrap": effective.controller_bootstrap_servers(plain_hostvars, plain_groups)
            if kraft
            else "",
            "min_isr": config["min.insync.replicas"].value if "min.insync.replicas" in config else 1,
        }

    result: dict[str, Any] = _call(derive)
    return result


def kafka_broker_metadata_mode(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """``kraft`` or ``zookeeper``; fails with the contract's reason for a mode Kafka cannot run."""
    plain_hostvars, plain_groups = _plain(host, hostvars, groups)
    return str(_call(effective.metadata_mode, plain_hostvars, plain_groups, str(host)))


def kafka_broker_quorum_mode(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """``dynamic`` or ``static`` (KRaft)."""
    plain_hostvars, plain_groups = _plain(host, hostvars, groups)
    return str(_call(effective.quorum_mode, plain_hostvars, plain_groups, str(host)))


def kafka_broker_storage_dirs(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> list[str]:
    """``host``'s log directories as server.properties names them, the metadata directory first."""
    plain_hostvars, plain_groups = _plain(host, hostvars, groups)
    config = _call(effective.broker_config, str(host), plain_hostvars, plain_groups)
    return list(effective.storage_dirs(config))


def kafka_broker_client_address(host: str, hostvars: Mapping[str, Mapping[str, Any]]) -> str:
    """``host:port`` of the broker's advertised client listener."""
    plain_hostvars, _ = effective.plain_inventory(hostvars, {}, str(host))
    return str(_call(lambda: effective.client_listener(plain_hostvars, str(host)).address))


def kafka_broker_bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """Every broker's advertised client listener, comma-separated."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    return str(_call(effective.bootstrap_servers, plain_hostvars, plain_groups))


def kafka_broker_controller_bootstrap(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """Every controller's ``host:port`` (``--bootstrap-controller`` of the KRaft tools)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    return str(_call(effective.controller_bootstrap_servers, plain_hostvars, plain_groups))


def kafka_broker_initial_controllers(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any], cluster_id: str
) -> str:
    """``--initial-controllers`` of ``kafka-storage format`` for ``cluster_id``."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    return str(_call(effective.initial_controllers, plain_hostvars, plain_groups, str(cluster_id)))


def kafka_broker_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """A topology variable as the linter reads it (the inventory's, else the role default)."""
    return effective.role_var(hostvars, str(host), name)


def kafka_broker_cluster_id(results: Sequence[Mapping[str, Any]], pinned: str, seed: str) -> str:
    """The cluster id, from the ``kafka_storage state=info`` results of every node: the pinned
    ``kafka_cluster_id``, else the one formatted nodes carry, else a new one from ``seed``.
    Nodes formatted for different clusters, or for another id than the pinned one, fail."""
    found: dict[str, list[str]] = {}
    for result in results:
        host = str(result.get("item"))
        if result.get("failed") or result.get("unreachable"):
            raise AnsibleFilterError(f"cannot read the log directories of {host}: {result.get('msg', 'failed')}")
        for cluster_id in result.get("cluster_ids") or []:
            found.setdefault(str(cluster_id), []).append(host)
    described = "; ".join(f"{cluster_id} on {', '.join(hosts)}" for cluster_id, hosts in sorted(found.items()))
    if pinned:
        if not _CLUSTER_ID.match(str(pinned)):
            raise AnsibleFilterError(
                f"kafka_cluster_id {pinned!r} is not a Kafka cluster id (22 URL-safe base64 characters)"
            )
        if set(found) - {str(pinned)}:
            raise AnsibleFilterError(
                f"kafka_cluster_id is {pinned}, but nodes are formatted for another cluster ({described}): "
                "nothing was changed"
            )
        return str(pinned)
    if len(found) > 1:
        raise AnsibleFilterError(f"the nodes are formatted for different clusters ({described}): nothing was changed")
    if found:
        return next(iter(found))
    return effective.kafka_uuid(f"kafka-iac cluster {seed}")


def _ids(text: str) -> list[int]:
    return [int(item) for item in text.replace(" ", "").split(",") if item.lstrip("-").isdigit()]


def kafka_broker_partitions(describe: str) -> list[dict[str, Any]]:
    """The partitions of a ``kafka-topics --describe`` output: topic, partition, leader (``None``
    when there is none), replicas, isr, the topic's ``min.insync.replicas`` override (or
    ``None``) and the line itself with its whitespace collapsed."""
    partitions: list[dict[str, Any]] = []
    overrides: dict[str, int] = {}
    for line in str(describe).splitlines():
        fields = dict(_FIELD.findall(line))
        topic = fields.get("Topic", "").strip()
        if not topic:
            continue
        if "Partition" not in fields:
            match = _MIN_ISR.search(fields.get("Configs", "").strip())
            if match:
                overrides[topic] = int(match.group(1))
            continue
        leader = fields.get("Leader", "").strip()
        partitions.append(
            {
                "topic": topic,
                "partition": int(fields["Partition"].strip()),
                "leader": int(leader) if leader.lstrip("-").isdigit() and int(leader) >= 0 else None,
                "replicas": _ids(fields.get("Replicas", "")),
                "isr": _ids(fields.get("Isr", "")),
                "min_isr": overrides.get(topic),
                "line": " ".join(line.split()),
            }
        )
    return partitions


def _min_isr(partition: Mapping[str, Any], default: Any) -> int:
    """The partition's effective min ISR: the topic's, else the brokers'; a value above the
    replication factor acts as the replication factor (Kafka caps it, see KL102)."""
    configured = partition["min_isr"] if partition["min_isr"] is not None else int(default or 1)
    return max(1, min(configured, len(partition["replicas"]) or 1))


def kafka_broker_partition_problems(describe: str, default_min_isr: Any) -> dict[str, list[str]]:
    """Unhealthy partitions by kind, as Kafka's ``--under-replicated-partitions``,
    ``--under-min-isr-partitions`` and ``--unavailable-partitions`` name them."""
    problems: dict[str, list[str]] = {
        "under-replicated-partitions": [],
        "under-min-isr-partitions": [],
        "unavailable-partitions": [],
    }
    for partition in kafka_broker_partitions(describe):
        if len(partition["isr"]) < len(partition["replicas"]):
            problems["under-replicated-partitions"].append(partition["line"])
        if len(partition["isr"]) < _min_isr(partition, default_min_isr):
            problems["under-min-isr-partitions"].append(partition["line"])
        if partition["leader"] is None:
            problems["unavailable-partitions"].append(partition["line"])
    return problems


def kafka_broker_restart_risk(describe: str, node_id: Any, default_min_isr: Any) -> list[str]:
    """Partitions that would fall below their min ISR (or lose their last in-sync replica) if
    broker ``node_id`` stopped now. A partition whose only replica is that broker is not
    counted: no restart order keeps it available (kafkalint's KL105 reports RF 1)."""
    node = int(node_id)
    risky = []
    for partition in kafka_broker_partitions(describe):
        if node not in partition["isr"] or partition["replicas"] == [node]:
            continue
        if len(partition["isr"]) - 1 < _min_isr(partition, default_min_isr):
            risky.append(partition["line"])
    return risky


def kafka_broker_out_of_sync(describe: str, node_id: Any) -> list[str]:
    """Partitions broker ``node_id`` is a replica of but not in sync for (or without a leader)."""
    node = int(node_id)
    return [
        partition["line"]
        for partition in kafka_broker_partitions(describe)
        if node in partition["replicas"] and (node not in partition["isr"] or partition["leader"] is None)
    ]


def kafka_broker_quorum(replication: str) -> dict[str, Any]:
    """The rows of ``kafka-metadata-quorum describe --replication``: the leader's id (``None``
    without one), and per node id its status (Leader, Follower, Observer) and lag."""
    nodes: dict[int, dict[str, Any]] = {}
    leader = None
    for line in str(replication).splitlines():
        columns = line.split()
        # NodeId DirectoryId LogEndOffset Lag LastFetchTimestamp LastCaughtUpTimestamp Status
        if len(columns) < 7 or not columns[0].lstrip("-").isdigit():
            continue
        node, status = int(columns[0]), columns[-1]
        lag = int(columns[3]) if columns[3].lstrip("-").isdigit() else None
        nodes[node] = {"status": status, "lag": lag}
        if status == "Leader":
            leader = node
    return {"leader": leader, "nodes": nodes}


def kafka_broker_quorum_lagging(replication: str, node_ids: Sequence[Any], max_lag: Any) -> list[str]:
    """Why the quorum is not healthy for ``node_ids``: no leader, a node that is not a voter,
    or a voter more than ``max_lag`` records behind the leader. Empty when healthy."""
    quorum = kafka_broker_quorum(replication)
    if quorum["leader"] is None:
        return ["the quorum has no leader"]
    problems = []
    for node_id in node_ids:
        row = quorum["nodes"].get(int(node_id))
        if row is None or row["status"] not in ("Leader", "Follower"):
            problems.append(f"controller {node_id} is not a voter ({row['status'] if row else 'not listed'})")
        elif row["lag"] is None or row["lag"] > int(max_lag):
            problems.append(f"controller {node_id} trails the leader by {row['lag']} records")
    return problems


def kafka_broker_registered_ids(api_versions: str) -> list[int]:
    """Broker ids a ``kafka-broker-api-versions`` output lists (registered, and in KRaft unfenced)."""
    return sorted({int(match) for match in _REGISTERED.findall(str(api_versions))})


class FilterModule:
    """Kafka node configuration and cluster-state filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_broker_server_properties": kafka_broker_server_properties,
            "kafka_broker_topology": kafka_broker_topology,
            "kafka_broker_setting": kafka_broker_setting,
            "kafka_broker_metadata_mode": kafka_broker_metadata_mode,
            "kafka_broker_quorum_mode": kafka_broker_quorum_mode,
            "kafka_broker_storage_dirs": kafka_broker_storage_dirs,
            "kafka_broker_client_address": kafka_broker_client_address,
            "kafka_broker_bootstrap_servers": kafka_broker_bootstrap_servers,
            "kafka_broker_controller_bootstrap": kafka_broker_controller_bootstrap,
            "kafka_broker_initial_controllers": kafka_broker_initial_controllers,
            "kafka_broker_effective_var": kafka_broker_effective_var,
            "kafka_broker_cluster_id": kafka_broker_cluster_id,
            "kafka_broker_partitions": kafka_broker_partitions,
            "kafka_broker_partition_problems": kafka_broker_partition_problems,
            "kafka_broker_restart_risk": kafka_broker_restart_risk,
            "kafka_broker_out_of_sync": kafka_broker_out_of_sync,
            "kafka_broker_registered_ids": kafka_broker_registered_ids,
            "kafka_broker_quorum": kafka_broker_quorum,
            "kafka_broker_quorum_lagging": kafka_broker_quorum_lagging,
        }
