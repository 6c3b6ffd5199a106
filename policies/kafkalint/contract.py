"""The inventory contract: the one place that names what the roles and kafkalint both read.

An inventory describes a cluster with groups (which service runs where) and variables (how it
is configured). The roles render hosts from it; kafkalint's loaders read the same names, so
both halves agree on what a cluster is. Anything the roles derive from the topology
(``broker.id``, ``zookeeper.connect``, listeners, ``server.N``, ...) is computed in
:mod:`kafkalint.effective` from the names below, never written by hand.

- :data:`GROUPS`: the inventory groups, by the service they run.
- :data:`HOST_VARIABLES`: variables that only make sense per host (ids, rack, address).
- :data:`CLUSTER_VARIABLES`: cluster-wide variables (``group_vars``).
- :data:`ROLE_DEFAULTS`: the role variables that shape derived keys, with the defaults of
  ``roles/*/defaults/main.yml`` (a test keeps the two equal).

The README's "The inventory" section documents these names; a test keeps it in step.
"""

from __future__ import annotations

from typing import Any

ZOOKEEPER_GROUP = "zookeeper"
BROKER_GROUP = "kafka_broker"
CLIENT_GROUP = "kafka_client"

#: Every group of the contract, in the order a run reads them.
GROUPS: tuple[str, ...] = (ZOOKEEPER_GROUP, BROKER_GROUP, CLIENT_GROUP)

#: ``kafka_cluster_environment`` values; production gets the stricter severities.
ENVIRONMENTS: tuple[str, ...] = ("production", "development")

#: Defaults of the role variables that shape the derived keys (mirrors the roles' defaults).
ROLE_DEFAULTS: dict[str, Any] = {
    "kafka_broker_port": 9092,
    "kafka_broker_listen_address": "0.0.0.0",
    "kafka_broker_data_dirs": ["/var/lib/kafka/data"],
    "kafka_broker_zookeeper_chroot": "",
    "kafka_broker_properties": {},
    "zookeeper_client_port": 2181,
    "zookeeper_peer_port": 2888,
    "zookeeper_election_port": 3888,
    "zookeeper_data_dir": "/var/lib/zookeeper",
    "zookeeper_properties": {},
    "zookeeper_4lw_commands_whitelist": ["srvr", "ruok", "mntr", "stat"],
}

#: Variables only a host sets: its ids, its rack, the address the cluster uses for it.
HOST_VARIABLES: tuple[str, ...] = ("ansible_host", "zookeeper_id", "kafka_broker_id", "kafka_broker_rack")

#: Cluster-wide variables (and the role variables above, which hosts may override).
CLUSTER_VARIABLES: tuple[str, ...] = (
    "kafka_version",
    "zookeeper_version",
    "kafka_cluster_name",
    "kafka_cluster_environment",
    "kafka_topics",
    "kafka_producer_profiles",
    *ROLE_DEFAULTS,
)

#: The variable each group's hosts are numbered by (a ZooKeeper ensemble of one needs none).
ID_VARIABLES: dict[str, str] = {BROKER_GROUP: "kafka_broker_id", ZOOKEEPER_GROUP: "zookeeper_id"}

#: Every variable kafkalint reads from a host.
READ_VARIABLES: tuple[str, ...] = (*CLUSTER_VARIABLES, *HOST_VARIABLES)
