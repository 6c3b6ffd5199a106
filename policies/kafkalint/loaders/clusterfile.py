"""The plain YAML cluster file, for teams without Ansible.

One YAML mapping that uses exactly the inventory contract's variable names, so moving to an
Ansible inventory later is a matter of splitting the file::

    kafka_version: "3.9.1"
    kafka_cluster_environment: production      # or development
    zookeeper:                                 # group -> host -> host variables
      zk1: {zookeeper_id: 1, ansible_host: 10.0.0.1}
    kafka_broker:
      kafka1: {kafka_broker_id: 1, kafka_broker_rack: a, ansible_host: 10.0.0.11}
    kafka_client:                              # optional
      app1: {}
    kafka_broker_properties: {min.insync.replicas: 2}
    kafka_topics:
      - {name: orders, partitions: 6, replication_factor: 3, config: {min.insync.replicas: 2}}
    kafka_producer_profiles:
      - {name: orders-service, topics: [orders], config: {acks: all}}

Top-level variables apply to every host (like ``group_vars/all``); a host's own variables win.
An unknown top-level key, or an unknown host variable, is an input error with a did-you-mean:
a misspelt ``kafka_broker_propertes`` would otherwise drop every setting silently. Host
variables may also be any ``ansible_*`` connection variable.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kafkalint import contract
from kafkalint.errors import InputError
from kafkalint.loaders import yamlpos
from kafkalint.loaders.build import ClusterBuilder
from kafkalint.model import Cluster, Location
from kafkalint.versions import KafkaVersion

GROUPS = contract.GROUPS
#: Variables the cluster file may set at the top level (and hosts may override).
VARIABLES = frozenset(contract.CLUSTER_VARIABLES)
#: Variables only a host may set.
HOST_VARIABLES = frozenset(contract.HOST_VARIABLES)

#: Top-level keys that mark a YAML file as a cluster file.
MARKERS = frozenset({*GROUPS, *VARIABLES})


def looks_like_cluster_file(data: Any, *, strict: bool = False) -> bool:
    """A mapping whose keys include a group or contract variable and that is not an Ansible
    YAML inventory (whose groups hold ``hosts`` / ``children`` / ``vars``). ``strict`` (for
    files found by walking a directory) also wants a host group: a role's
    ``defaults/main.yml`` uses the same variable names but declares no hosts."""
    if not isinstance(data, Mapping) or not data:
        return False
    if looks_like_inventory(data):
        return False
    if strict:
        return any(isinstance(data.get(group), Mapping) for group in GROUPS)
    return any(key in MARKERS for key in data)


def looks_like_inventory(data: Any) -> bool:
    """An Ansible YAML inventory: every top-level value is a group (a mapping of ``hosts``,
    ``children`` and ``vars`` only, or empty)."""
    if not isinstance(data, Mapping) or not data:
        return False
    group_keys = {"hosts", "children", "vars"}
    for value in data.values():
        if value is None:
            continue
        if not isinstance(value, Mapping) or not value or not set(value) <= group_keys:
            return False
    return True


def _suggest(name: str, known: frozenset[str] | set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Locator:
    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path

    def host(self, host: str) -> Location:
        for group in GROUPS:
            members = self.data.get(group)
            if isinstance(members, Mapping) and host in members:
                where = yamlpos.key_location(members, host, self.path)
                if where is not None:
                    return where
        return Location(self.path)

    def var(self, host: str, name: str) -> Location | None:
        for group in GROUPS:
            members = self.data.get(group)
            if isinstance(members, Mapping) and isinstance(members.get(host), Mapping):
                where = yamlpos.key_location(members[host], name, self.path)
                if where is not None:
                    return where
        return yamlpos.key_location(self.data, name, self.path)

    def key(self, mapping: Any, key: Any) -> Location | None:
        return yamlpos.key_location(mapping, key, self.path)

    def item(self, sequence: Any, index: int) -> Location | None:
        return yamlpos.item_location(sequence, index, self.path)


def _check_keys(data: Mapping[str, Any], path: str) -> None:
    known = {*GROUPS, *VARIABLES}
    for key in data:
        if key not in known:
            raise InputError(
                f"unknown cluster file key {key!r}{_suggest(str(key), known)}",
                yamlpos.key_location(data, key, path) or Location(path),
            )
    host_known = {*VARIABLES, *HOST_VARIABLES}
    for group in GROUPS:
        members = data.get(group)
        if members is None:
            continue
        group_where = yamlpos.key_location(data, group, path) or Location(path)
        if not isinstance(members, Mapping):
            raise InputError(f"{group} must map host names to their variables", group_where)
        for host, host_vars in members.items():
            host_where = yamlpos.key_location(members, host, path) or group_where
            if host_vars is None:
                continue
            if not isinstance(host_vars, Mapping):
                raise InputError(f"host {host}: its variables must be a mapping", host_where)
            for name in host_vars:
                if name not in host_known and not str(name).startswith("ansible_"):
                    raise InputError(
                        f"host {host}: unknown variable {name!r}{_suggest(str(name), host_known)}",
                        yamlpos.key_location(host_vars, name, path) or host_where,
                    )


def build(
    data: Mapping[str, Any], path: str, kafka_version: KafkaVersion | None, environment: str | None = None
) -> Cluster:
    """The cluster described by loaded cluster-file ``data`` (read from ``path``)."""
    _check_keys(data, path)
    top = {key: value for key, value in data.items() if key in VARIABLES}
    groups: dict[str, list[str]] = {}
    hostvars: dict[str, dict[str, Any]] = {}
    for group in GROUPS:
        members = data.get(group) or {}
        groups[group] = [str(host) for host in members]
        for host, host_vars in members.items():
            merged = hostvars.setdefault(str(host), dict(top))
            merged.update(host_vars or {})
    name = Path(path).stem
    builder = ClusterBuilder(name, Location(path), hostvars, groups, _Locator(data, path), kafka_version, environment)
    return builder.build()


def load(
    path: Path, display: str, kafka_version: KafkaVersion | None, data: Any = None, environment: str | None = None
) -> Cluster:
    """Read the cluster file at ``path`` (``data`` when already parsed)."""
    if data is None:
        data = yamlpos.load_file(path, display)
    if not isinstance(data, Mapping):
        raise InputError("a cluster file must be a YAML mapping of inventory variables", Location(display, 1))
    return build(data, display, kafka_version, environment)
