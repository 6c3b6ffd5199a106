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
- :data:`SECURITY_VARIABLES`: who may connect and what they may do (SCRAM users, ACLs, how
  clients connect), with the keys of their entries. They hold secrets, so kafkalint's loaders
  do not decrypt them as they do :data:`READ_VARIABLES`.

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
