"""kafkalint.effective for KRaft: modes, the derived keys of controllers, brokers and combined
nodes, the quorum in both forms, listener specs, and the ids ``kafka-storage format`` needs."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kafkalint import contract, effective

CONTROLLERS = {f"c{i}": {"ansible_host": f"10.0.0.{i}", "kafka_node_id": i} for i in (1, 2, 3)}
BROKERS = {
    f"b{i}": {"ansible_host": f"10.0.1.{i}", "kafka_node_id": 10 + i, "kafka_broker_rack": "abc"[i - 1]}
    for i in (1, 2, 3)
}
GROUPS = {"kafka_controller": ["c1", "c2", "c3"], "kafka_broker": ["b1", "b2", "b3"]}


def hostvars(**common: Any) -> dict[str, dict[str, Any]]:
    return {host: {"kafka_version": "4.4.0", **values, **common} for host, values in {**CONTROLLERS, **BROKERS}.items()}


def rendered(host: str, variables: dict[str, dict[str, Any]], groups: dict[str, list[str]] = GROUPS) -> dict[str, str]:
    return {
        key: effective.render_value(item.value)
        for key, item in effective.broker_config(host, variables, groups).items()
    }


def test_a_dedicated_controller_runs_only_the_controller_listener() -> None:
    config = rendered("c1", hostvars())
    assert config["process.roles"] == "controller"
    assert config["node.id"] == "1"
    assert config["listeners"] == "CONTROLLER://0.0.0.0:9093"
    assert config["advertised.listeners"] == "CONTROLLER://10.0.0.1:9093"
    assert config["controller.listener.names"] == "CONTROLLER"
    assert config["listener.security.protocol.map"] == "CONTROLLER:PLAINTEXT"
    assert config["controller.quorum.bootstrap.servers"] == "10.0.0.1:9093,10.0.0.2:9093,10.0.0.3:9093"
    assert config["log.dirs"] == "/var/lib/kafka/metadata"
    assert "inter.broker.listener.name" not in config and "broker.id" not in config
    assert "zookeeper.connect" not in config and "controller.quorum.voters" not in config
    # In KRaft the controllers create topics and elect leaders: they get the safe defaults too.
    assert config["min.insync.replicas"] == "2" and config["unclean.leader.election.enable"] == "false"


def test_a_broker_connects_to_the_quorum_over_the_controllers_listener() -> None:
    config = rendered("b2", hostvars())
    assert config["process.roles"] == "broker"
    assert config["node.id"] == "12"
    assert config["listeners"] == "PLAINTEXT://0.0.0.0:9092"
    assert config["advertised.listeners"] == "PLAINTEXT://10.0.1.2:9092"
    assert config["controller.listener.names"] == "CONTROLLER"
    assert config["listener.security.protocol.map"] == "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    assert config["inter.broker.listener.name"] == "PLAINTEXT"
    assert config["controller.quorum.bootstrap.servers"] == "10.0.0.1:9093,10.0.0.2:9093,10.0.0.3:9093"
    assert config["broker.rack"] == "b"
    assert config["log.dirs"] == "/var/lib/kafka/data"
    assert config["share.coordinator.state.topic.replication.factor"] == "3"


def test_a_combined_node_has_both_roles_and_a_separate_metadata_directory() -> None:
    variables = {"n1": {"ansible_host": "10.0.2.1", "kafka_node_id": 1, "kafka_version": "4.4.0"}}
    config = rendered("n1", variables, {"kafka_controller": ["n1"], "kafka_broker": ["n1"]})
    assert config["process.roles"] == "broker,controller"
    assert config["listeners"] == "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093"
    assert config["advertised.listeners"] == "PLAINTEXT://10.0.2.1:9092,CONTROLLER://10.0.2.1:9093"
    assert config["log.dirs"] == "/var/lib/kafka/data"
    assert config["metadata.log.dir"] == "/var/lib/kafka/metadata"
    assert config["default.replication.factor"] == "1"
    assert effective.storage_dirs(
        effective.broker_config("n1", variables, {"kafka_controller": ["n1"], "kafka_broker": ["n1"]})
    ) == [
        "/var/lib/kafka/metadata",
        "/var/lib/kafka/data",
    ]


def test_static_voters_replace_the_bootstrap_servers_never_both() -> None:
    variables = hostvars(kafka_controller_quorum="static")
    for host in ("c1", "b1"):
        config = rendered(host, variables)
        assert config["controller.quorum.voters"] == "1@10.0.0.1:9093,2@10.0.0.2:9093,3@10.0.0.3:9093"
        assert "controller.quorum.bootstrap.servers" not in config


@pytest.mark.parametrize(
    ("variables", "groups", "mode"),
    [
        ({"kafka_version": "3.9.1"}, {"kafka_broker": ["h"]}, "zookeeper"),
        ({"kafka_version": "3.9.1", "kafka_metadata_mode": "kraft"}, GROUPS, "kraft"),
        ({"kafka_version": "4.0.0"}, GROUPS, "kraft"),
        ({}, GROUPS, "kraft"),
        ({}, {"kafka_broker": ["h"]}, "zookeeper"),
    ],
)
def test_the_mode_follows_the_version_and_the_explicit_choice(
    variables: dict[str, Any], groups: dict[str, list[str]], mode: str
) -> None:
    assert contract.metadata_mode(variables, groups) == mode


def test_without_a_version_a_kraft_inventory_runs_the_default_kraft_release() -> None:
    assert contract.kafka_version({}, GROUPS) == contract.DEFAULT_KRAFT_VERSION == "4.4.0"
    assert contract.kafka_version({}, {"kafka_broker": ["b"]}) == contract.DEFAULT_ZOOKEEPER_VERSION == "3.9.1"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"kafka_version": "4.4.0", "kafka_metadata_mode": "zookeeper"}, "Kafka 4.4.0 runs only in KRaft mode"),
        ({"kafka_version": "3.2.3", "kafka_metadata_mode": "kraft"}, "has no production KRaft"),
        (
            {"kafka_version": "3.9.1", "kafka_metadata_mode": "raft"},
            "kafka_metadata_mode must be one of kraft, zookeeper",
        ),
        (
            {"kafka_version": "3.8.1", "kafka_metadata_mode": "kraft", "kafka_controller_quorum": "dynamic"},
            "no dynamic quorum",
        ),
        ({"kafka_version": "4.4.0", "kafka_controller_quorum": "raft"}, "kafka_controller_quorum must be one of"),
    ],
)
def test_modes_kafka_cannot_run_are_refused_naming_the_reason(variables: dict[str, Any], message: str) -> None:
    with pytest.raises(effective.InventoryError, match=message):
        effective.broker_config("c1", {**hostvars(), "c1": {**CONTROLLERS["c1"], **variables}}, GROUPS)


def test_kraft_on_3_9_defaults_to_the_dynamic_quorum_and_older_lines_to_static_voters() -> None:
    assert contract.quorum_mode({"kafka_version": "3.9.1"}, GROUPS) == "dynamic"
    assert contract.quorum_mode({"kafka_version": "3.7.2"}, GROUPS) == "static"


def test_the_linter_judges_a_4x_inventory_left_in_the_zookeeper_layout_as_zookeeper_mode() -> None:
    variables = {"k1": {"kafka_version": "4.0.0", "kafka_broker_id": 1}, "zk1": {"zookeeper_id": 1}}
    groups = {"kafka_broker": ["k1"], "zookeeper": ["zk1"]}
    with pytest.raises(effective.InventoryError, match=r"needs hosts in group .kafka_controller."):
        effective.broker_config("k1", variables, groups)
    lenient = effective.broker_config("k1", variables, groups, lenient=True)
    assert lenient["zookeeper.connect"].value == "zk1:2181" and lenient["broker.id"].value == 1


def test_a_controller_host_in_zookeeper_mode_is_refused() -> None:
    with pytest.raises(effective.InventoryError, match="set kafka_metadata_mode: kraft"):
        effective.broker_config(
            "c1", {"c1": {"kafka_version": "3.9.1", "kafka_node_id": 1}}, {"kafka_controller": ["c1"]}
        )


def test_zookeeper_mode_with_the_default_listener_renders_what_it_always_did() -> None:
    variables = {"k1": {"ansible_host": "10.0.0.1", "kafka_broker_id": 1}, "zk1": {"ansible_host": "10.0.0.9"}}
    config = rendered("k1", variables, {"kafka_broker": ["k1"], "zookeeper": ["zk1"]})
    assert config == {
        "advertised.listeners": "PLAINTEXT://10.0.0.1:9092",
        "auto.create.topics.enable": "false",
        "broker.id": "1",
        "default.replication.factor": "1",
        "listeners": "PLAINTEXT://0.0.0.0:9092",
        "log.dirs": "/var/lib/kafka/data",
        "min.insync.replicas": "1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.replication.factor": "1",
        "unclean.leader.election.enable": "false",
        "zookeeper.connect": "10.0.0.9:2181",
    }


SECURE_LISTENERS = [
    {"name": "internal", "port": 9091, "protocol": "SSL", "inter_broker": True},
    {
        "name": "CLIENT",
        "port": 9094,
        "protocol": "SASL_SSL",
        "client": True,
        "advertised_host": "kafka.example.com",
        "config": {"sasl.enabled.mechanisms": "SCRAM-SHA-512"},
    },
]


def test_listener_specs_drive_every_listener_key() -> None:
    variables = hostvars()
    for broker in BROKERS:
        variables[broker]["kafka_broker_listeners"] = SECURE_LISTENERS
    for controller in CONTROLLERS:
        variables[controller]["kafka_controller_listeners"] = [{"name": "CONTROLLER", "port": 9095, "protocol": "SSL"}]
    config = rendered("b1", variables)
    assert config["listeners"] == "INTERNAL://0.0.0.0:9091,CLIENT://0.0.0.0:9094"
    assert config["advertised.listeners"] == "INTERNAL://10.0.1.1:9091,CLIENT://kafka.example.com:9094"
    assert config["listener.security.protocol.map"] == "INTERNAL:SSL,CLIENT:SASL_SSL,CONTROLLER:SSL"
    assert config["inter.broker.listener.name"] == "INTERNAL"
    assert config["listener.name.client.sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert config["controller.quorum.bootstrap.servers"] == "10.0.0.1:9095,10.0.0.2:9095,10.0.0.3:9095"
    assert (
        effective.bootstrap_servers(variables, GROUPS)
        == "kafka.example.com:9094,kafka.example.com:9094,kafka.example.com:9094"
    )
    settings = effective.broker_config("b1", variables, GROUPS)
    assert settings["listener.name.client.sasl.enabled.mechanisms"].source == "inventory"
    assert settings["listeners"].var == "kafka_broker_listeners"


def test_explicit_listeners_in_zookeeper_mode_add_the_protocol_map_and_inter_broker_listener() -> None:
    variables = {"k1": {"kafka_broker_id": 1, "kafka_broker_listeners": SECURE_LISTENERS}, "zk1": {}}
    config = rendered("k1", variables, {"kafka_broker": ["k1"], "zookeeper": ["zk1"]})
    assert config["listener.security.protocol.map"] == "INTERNAL:SSL,CLIENT:SASL_SSL"
    assert config["inter.broker.listener.name"] == "INTERNAL"


@pytest.mark.parametrize(
    ("listeners", "message"),
    [
        ("PLAINTEXT://:9092", "must be a list of listener specs"),
        ([{"name": "CLIENT", "port": 9092}], "protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"),
        ([{"name": "PLAINTEXT", "port": 70000}], "port must be an integer from 1 to 65535"),
        ([{"name": "PLAIN TEXT", "port": 9092}], "name must be a listener name"),
        ([{"name": "PLAINTEXT", "port": 9092, "tls": True}], "unknown field"),
        (
            [
                {"name": "A", "port": 1, "protocol": "SSL", "client": True},
                {"name": "B", "port": 2, "protocol": "SSL", "client": True},
            ],
            "only one listener may be client",
        ),
        ([{"name": "PLAINTEXT", "port": 9093}], "use the same port 9093"),
        ([{"name": "CONTROLLER", "port": 9094, "protocol": "SSL"}], "use the same name CONTROLLER"),
    ],
)
def test_bad_listener_specs_are_named(listeners: Any, message: str) -> None:
    variables = {"n1": {"kafka_node_id": 1, "kafka_broker_listeners": listeners}}
    with pytest.raises(effective.InventoryError, match=message):
        effective.broker_config("n1", variables, {"kafka_controller": ["n1"], "kafka_broker": ["n1"]})


def test_a_kraft_node_without_a_node_id_or_controllers_is_named() -> None:
    with pytest.raises(effective.InventoryError, match="host b1: kafka_node_id is not set"):
        effective.broker_config("b1", {**hostvars(), "b1": {"kafka_version": "4.4.0"}}, GROUPS)
    with pytest.raises(effective.InventoryError, match="needs hosts in group 'kafka_controller'"):
        effective.broker_config("b1", hostvars(), {"kafka_broker": ["b1"]})


def _decoded(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "==")


def test_kafka_uuids_are_valid_stable_and_never_reserved_or_option_like() -> None:
    ids = {effective.kafka_uuid(f"seed {n}") for n in range(500)}
    assert len(ids) == 500
    for text in ids:
        assert len(text) == 22 and not text.startswith("-") and len(_decoded(text)) == 16
    assert effective.kafka_uuid("same") == effective.kafka_uuid("same")


def test_initial_controllers_list_every_controller_with_a_directory_id_of_its_own() -> None:
    text = effective.initial_controllers(hostvars(), GROUPS, "gicDJhj8S8md9OPFcsZbow")
    entries = text.split(",")
    assert [entry.rsplit(":", 1)[0] for entry in entries] == ["1@10.0.0.1:9093", "2@10.0.0.2:9093", "3@10.0.0.3:9093"]
    directory_ids = [entry.rsplit(":", 1)[1] for entry in entries]
    assert len(set(directory_ids)) == 3
    assert directory_ids[0] == effective.controller_directory_id("gicDJhj8S8md9OPFcsZbow", 1)
    assert directory_ids[0] != effective.controller_directory_id("another-cluster-idAAAAA", 1)
