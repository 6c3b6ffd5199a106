"""The roles' filter plugins: inventory conversion, rendering through kafkalint.effective,
and the .sha512 parser used for archives copied from the controller."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ansible.errors import AnsibleFilterError

from kafkalint import effective

ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"


def _plugin(role: str, name: str) -> ModuleType:
    path = ROLES_DIR / role / "filter_plugins" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"kafka_iac_test_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BROKER = _plugin("kafka_broker", "kafka_broker_config")
ZOOKEEPER = _plugin("zookeeper", "zookeeper_config")
JVM = _plugin("jvm_service", "jvm_service_filters")

HOSTVARS: dict[str, dict[str, Any]] = {
    "k1": {
        "ansible_host": "10.0.0.1",
        "zookeeper_id": 1,
        "kafka_broker_id": 1,
        "kafka_broker_rack": "a",
        "unrelated": "{{ undefined_thing }}",
    },
    "k2": {
        "ansible_host": "10.0.0.2",
        "zookeeper_id": 2,
        "kafka_broker_id": 2,
        "kafka_broker_properties": {"min.insync.replicas": 2, "log.retention.hours": 24},
    },
    "k3": {"ansible_host": "10.0.0.3", "zookeeper_id": 3, "kafka_broker_id": 3, "kafka_broker_port": 9093},
}
GROUPS = {"all": ["k1", "k2", "k3"], "zookeeper": ["k1", "k2", "k3"], "kafka_broker": ["k1", "k2", "k3"]}
DIGEST = hashlib.sha512(b"archive").hexdigest()


def test_plain_inventory_keeps_only_the_variables_effective_reads() -> None:
    hostvars, groups = effective.plain_inventory(HOSTVARS, GROUPS, "k1")
    assert groups == {"zookeeper": ["k1", "k2", "k3"], "kafka_controller": [], "kafka_broker": ["k1", "k2", "k3"]}
    assert "unrelated" not in hostvars["k1"]
    assert hostvars["k3"]["kafka_broker_port"] == 9093


@pytest.mark.parametrize("host", ["k1", "k2", "k3"])
def test_server_properties_are_effective_render(host: str) -> None:
    text = BROKER.kafka_broker_server_properties(host, HOSTVARS, GROUPS)
    assert text == effective.render(effective.broker_config(host, HOSTVARS, GROUPS))


def test_server_properties_derive_the_topology() -> None:
    lines = BROKER.kafka_broker_server_properties("k3", HOSTVARS, GROUPS).splitlines()
    assert "broker.id=3" in lines
    assert "advertised.listeners=PLAINTEXT://10.0.0.3:9093" in lines
    assert "zookeeper.connect=10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181" in lines
    assert "min.insync.replicas=2" in lines
    assert "auto.create.topics.enable=false" in lines


def test_zoo_cfg_is_effective_render_with_every_server() -> None:
    text = ZOOKEEPER.zookeeper_zoo_cfg("k2", HOSTVARS, GROUPS)
    assert text == effective.render(effective.zookeeper_config("k2", HOSTVARS, GROUPS))
    assert "server.3=10.0.0.3:2888:3888" in text.splitlines()
    assert "4lw.commands.whitelist=srvr,ruok,mntr,stat" in text.splitlines()


def test_a_missing_id_is_a_filter_error_naming_the_host() -> None:
    hostvars = {**HOSTVARS, "k2": {"ansible_host": "10.0.0.2"}}
    with pytest.raises(AnsibleFilterError, match="host k2: kafka_broker_id is not set"):
        BROKER.kafka_broker_server_properties("k2", hostvars, GROUPS)
    with pytest.raises(AnsibleFilterError, match="host k2: zookeeper_id is not set"):
        ZOOKEEPER.zookeeper_zoo_cfg("k1", hostvars, GROUPS)


def test_zookeeper_connect_includes_the_chroot() -> None:
    hostvars = {name: {**values, "kafka_broker_zookeeper_chroot": "/kafka"} for name, values in HOSTVARS.items()}
    assert BROKER.kafka_broker_setting("k1", "zookeeper.connect", hostvars, GROUPS) == (
        "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/kafka"
    )


def test_effective_var_falls_back_to_the_mirrored_role_default() -> None:
    assert BROKER.kafka_broker_effective_var("k1", "kafka_broker_port", HOSTVARS) == 9092
    assert BROKER.kafka_broker_effective_var("k3", "kafka_broker_port", HOSTVARS) == 9093
    assert ZOOKEEPER.zookeeper_effective_var("k1", "zookeeper_data_dir", HOSTVARS) == "/var/lib/zookeeper"


@pytest.mark.parametrize(
    "text",
    [
        f"{DIGEST}  kafka_2.13-3.9.1.tgz\n",
        f"{DIGEST.upper()} *kafka_2.13-3.9.1.tgz",
        # Apache's `gpg --print-md SHA512` form: upper case groups of 8 over several lines.
        "kafka_2.13-3.9.1.tgz: "
        + " ".join(DIGEST.upper()[i : i + 8] for i in range(0, 64, 8))
        + "\n                      "
        + " ".join(DIGEST.upper()[i : i + 8] for i in range(64, 128, 8))
        + "\n",
    ],
)
def test_sha512_files_of_both_formats_parse(text: str) -> None:
    assert JVM.jvm_service_sha512_digest(text, "x.sha512") == DIGEST


@pytest.mark.parametrize("text", ["", "not a digest", DIGEST[:-1] + "  short.tgz", "name: ABCD"])
def test_a_malformed_sha512_file_is_a_clear_error(text: str) -> None:
    with pytest.raises(AnsibleFilterError, match=r"^x\.sha512: no SHA-512 digest found"):
        JVM.jvm_service_sha512_digest(text, "x.sha512")


# -- KRaft topology -----------------------------------------------------------------------

KRAFT_HOSTVARS: dict[str, dict[str, Any]] = {
    **{f"c{i}": {"ansible_host": f"10.0.0.{i}", "kafka_node_id": i, "kafka_version": "4.4.0"} for i in (1, 2, 3)},
    **{f"b{i}": {"ansible_host": f"10.0.1.{i}", "kafka_node_id": 3 + i, "kafka_version": "4.4.0"} for i in (1, 2)},
}
KRAFT_GROUPS = {"all": list(KRAFT_HOSTVARS), "kafka_controller": ["c1", "c2", "c3"], "kafka_broker": ["b1", "b2"]}


def test_the_kraft_topology_filters_agree_with_effective() -> None:
    assert BROKER.kafka_broker_metadata_mode("c1", KRAFT_HOSTVARS, KRAFT_GROUPS) == "kraft"
    assert BROKER.kafka_broker_metadata_mode("k1", HOSTVARS, GROUPS) == "zookeeper"
    assert BROKER.kafka_broker_quorum_mode("b1", KRAFT_HOSTVARS, KRAFT_GROUPS) == "dynamic"
    assert BROKER.kafka_broker_storage_dirs("c1", KRAFT_HOSTVARS, KRAFT_GROUPS) == ["/var/lib/kafka/metadata"]
    assert BROKER.kafka_broker_storage_dirs("b1", KRAFT_HOSTVARS, KRAFT_GROUPS) == ["/var/lib/kafka/data"]
    assert BROKER.kafka_broker_client_address("b2", KRAFT_HOSTVARS) == "10.0.1.2:9092"
    assert BROKER.kafka_broker_bootstrap_servers(KRAFT_HOSTVARS, KRAFT_GROUPS) == "10.0.1.1:9092,10.0.1.2:9092"
    assert BROKER.kafka_broker_controller_bootstrap(KRAFT_HOSTVARS, KRAFT_GROUPS) == (
        "10.0.0.1:9093,10.0.0.2:9093,10.0.0.3:9093"
    )
    cluster_id = "gicDJhj8S8md9OPFcsZbow"
    assert BROKER.kafka_broker_initial_controllers(KRAFT_HOSTVARS, KRAFT_GROUPS, cluster_id) == (
        effective.initial_controllers(KRAFT_HOSTVARS, KRAFT_GROUPS, cluster_id)
    )


def test_a_mode_kafka_cannot_run_is_a_filter_error() -> None:
    hostvars = {**KRAFT_HOSTVARS, "c1": {**KRAFT_HOSTVARS["c1"], "kafka_metadata_mode": "zookeeper"}}
    with pytest.raises(
        AnsibleFilterError, match=r"host c1: kafka_metadata_mode is zookeeper, but Kafka 4\.4\.0 runs only in KRaft"
    ):
        BROKER.kafka_broker_metadata_mode("c1", hostvars, KRAFT_GROUPS)


def _info(host: str, *cluster_ids: str) -> dict[str, Any]:
    return {"item": host, "cluster_ids": list(cluster_ids), "changed": False}


def test_the_cluster_id_is_pinned_read_back_or_new_and_never_two() -> None:
    fresh = [_info("c1"), _info("c2")]
    new = BROKER.kafka_broker_cluster_id(fresh, "", "seed")
    assert len(new) == 22 and new == BROKER.kafka_broker_cluster_id(fresh, "", "seed")
    assert BROKER.kafka_broker_cluster_id(fresh, "", "other seed") != new
    formatted = [_info("c1", "gicDJhj8S8md9OPFcsZbow"), _info("c2")]
    assert BROKER.kafka_broker_cluster_id(formatted, "", "seed") == "gicDJhj8S8md9OPFcsZbow"
    assert BROKER.kafka_broker_cluster_id(formatted, "gicDJhj8S8md9OPFcsZbow", "seed") == "gicDJhj8S8md9OPFcsZbow"
    with pytest.raises(AnsibleFilterError, match="kafka_cluster_id is AAAAAAAAAAAAAAAAAAAAAw, but nodes are formatted"):
        BROKER.kafka_broker_cluster_id(formatted, "AAAAAAAAAAAAAAAAAAAAAw", "seed")
    with pytest.raises(AnsibleFilterError, match=r"different clusters .AAAAAAAAAAAAAAAAAAAAAw on c2; gic"):
        BROKER.kafka_broker_cluster_id([*formatted[:1], _info("c2", "AAAAAAAAAAAAAAAAAAAAAw")], "", "seed")
    with pytest.raises(AnsibleFilterError, match="is not a Kafka cluster id"):
        BROKER.kafka_broker_cluster_id(fresh, "short", "seed")
    with pytest.raises(AnsibleFilterError, match="cannot read the log directories of c2: boom"):
        BROKER.kafka_broker_cluster_id([_info("c1"), {"item": "c2", "failed": True, "msg": "boom"}], "", "seed")


# Real output of Kafka 4.4's kafka-topics --describe (tabs as the tool prints them).
DESCRIBE = (
    "Topic: orders\tTopicId: mbMFXpD_SxSCbjdqK4H84w\tPartitionCount: 3\tReplicationFactor: 3\t"
    "Configs: cleanup.policy=compact,delete,min.insync.replicas=2,retention.ms=604800000\n"
    "\tTopic: orders\tPartition: 0\tLeader: 6\tReplicas: 6,4,5\tIsr: 6,4,5\tElr: \tLastKnownElr: \n"
    "\tTopic: orders\tPartition: 1\tLeader: 4\tReplicas: 4,5,6\tIsr: 4,6\tElr: \tLastKnownElr: \n"
    "\tTopic: orders\tPartition: 2\tLeader: none\tReplicas: 5,6,4\tIsr: \tElr: \tLastKnownElr: \n"
    "Topic: clicks\tTopicId: x\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: \n"
    "\tTopic: clicks\tPartition: 0\tLeader: 5\tReplicas: 5,6,4\tIsr: 5,6\tElr: \tLastKnownElr: \n"
    "Topic: local\tTopicId: y\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n"
    "\tTopic: local\tPartition: 0\tLeader: 4\tReplicas: 4\tIsr: 4\tElr: \tLastKnownElr: \n"
)


def test_describe_output_is_read_partition_by_partition() -> None:
    partitions = BROKER.kafka_broker_partitions(DESCRIBE)
    assert [(p["topic"], p["partition"], p["leader"], p["replicas"], p["isr"], p["min_isr"]) for p in partitions] == [
        ("orders", 0, 6, [6, 4, 5], [6, 4, 5], 2),
        ("orders", 1, 4, [4, 5, 6], [4, 6], 2),
        ("orders", 2, None, [5, 6, 4], [], 2),
        ("clicks", 0, 5, [5, 6, 4], [5, 6], None),
        ("local", 0, 4, [4], [4], None),
    ]
    assert partitions[1]["line"] == "Topic: orders Partition: 1 Leader: 4 Replicas: 4,5,6 Isr: 4,6 Elr: LastKnownElr:"


def test_unhealthy_partitions_are_named_by_kind() -> None:
    problems = BROKER.kafka_broker_partition_problems(DESCRIBE, 2)
    assert [line.split(" Leader")[0] for line in problems["under-replicated-partitions"]] == [
        "Topic: orders Partition: 1",
        "Topic: orders Partition: 2",
        "Topic: clicks Partition: 0",
    ]
    assert [line.split(" Leader")[0] for line in problems["under-min-isr-partitions"]] == ["Topic: orders Partition: 2"]
    assert [line.split(" Leader")[0] for line in problems["unavailable-partitions"]] == ["Topic: orders Partition: 2"]
    assert BROKER.kafka_broker_partition_problems("", 2) == {key: [] for key in problems}


def test_restart_risk_counts_the_partitions_a_stop_would_take_below_min_isr() -> None:
    # Broker 6 is in sync for orders-0 (3 of 3: 2 left), orders-1 (2 of 3: 1 left, below 2) and
    # clicks-0 (2 of 3, min ISR 1 there: 1 left, fine with the brokers' default 1).
    assert [line.split(" Leader")[0] for line in BROKER.kafka_broker_restart_risk(DESCRIBE, 6, 1)] == [
        "Topic: orders Partition: 1"
    ]
    assert len(BROKER.kafka_broker_restart_risk(DESCRIBE, 6, 2)) == 2
    # The only replica of topic "local" cannot be kept available by any order: not counted.
    assert BROKER.kafka_broker_restart_risk(DESCRIBE, 4, 1) == [BROKER.kafka_broker_partitions(DESCRIBE)[1]["line"]]


def test_out_of_sync_lists_the_partitions_a_broker_has_not_caught_up_on() -> None:
    assert [line.split(" Leader")[0] for line in BROKER.kafka_broker_out_of_sync(DESCRIBE, 5)] == [
        "Topic: orders Partition: 1",
        "Topic: orders Partition: 2",
    ]
    assert BROKER.kafka_broker_out_of_sync(DESCRIBE, 7) == []


def test_registered_brokers_are_read_from_api_versions() -> None:
    output = (
        "172.30.3.14:9092 (id: 4 rack: a isFenced: false) -> (\n\tProduce(0): 3 to 12 [usable: 12],\n)\n"
        "172.30.3.15:9092 (id: 5 rack: b isFenced: false) -> (\n)\n"
        "172.30.0.11:9092 (id: 1 rack: null) -> (\n)\n"
    )
    assert BROKER.kafka_broker_registered_ids(output) == [1, 4, 5]


QUORUM = (
    "NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t\n"
    "3     \tYgcjDAif_V0h-rUepX5vqw\t2004        \t0  \t1796164559409     \t1796164559409        \tLeader  \t\n"
    "1     \t5jsQsXcmK9z9N4EDcoS24g\t2004        \t0  \t1796164559178     \t1796164559178        \tFollower\t\n"
    "2     \tEzujX6BFYoyw7mDMtEM6fw\t1960        \t44 \t1796164559174     \t1796164559174        \tFollower\t\n"
    "4     \tcagqtjSpFP0WMKdGmFjsKA\t2004        \t0  \t1796164559183     \t1796164559183        \tObserver\t\n"
)


def test_the_quorum_is_read_from_describe_replication() -> None:
    quorum = BROKER.kafka_broker_quorum(QUORUM)
    assert quorum["leader"] == 3
    assert quorum["nodes"][2] == {"status": "Follower", "lag": 44}
    assert quorum["nodes"][4]["status"] == "Observer"


def test_lagging_voters_observers_and_a_missing_leader_are_named() -> None:
    assert BROKER.kafka_broker_quorum_lagging(QUORUM, [1, 3], 20) == []
    assert BROKER.kafka_broker_quorum_lagging(QUORUM, [1, 2, 3], 20) == ["controller 2 trails the leader by 44 records"]
    assert BROKER.kafka_broker_quorum_lagging(QUORUM, [1, 2, 3], 50) == []
    assert BROKER.kafka_broker_quorum_lagging(QUORUM, [4, 9], 20) == [
        "controller 4 is not a voter (Observer)",
        "controller 9 is not a voter (not listed)",
    ]
    no_leader = QUORUM.replace("Leader  ", "Follower")
    assert BROKER.kafka_broker_quorum_lagging(no_leader, [1], 20) == ["the quorum has no leader"]
    assert BROKER.kafka_broker_quorum_lagging("", [1], 20) == ["the quorum has no leader"]


def test_the_topology_fact_holds_what_the_tasks_read() -> None:
    topology = BROKER.kafka_broker_topology("b1", KRAFT_HOSTVARS, KRAFT_GROUPS)
    assert topology["mode"] == "kraft" and topology["quorum"] == "dynamic"
    assert topology["roles"] == ["broker"] and topology["is_broker"] and not topology["is_controller"]
    assert topology["node_id"] == 4 and topology["nodes"] == ["c1", "c2", "c3", "b1", "b2"]
    assert topology["storage_dirs"]["c2"] == ["/var/lib/kafka/metadata"]
    assert topology["client_address"] == "10.0.1.1:9092"
    assert topology["bootstrap_servers"] == "10.0.1.1:9092,10.0.1.2:9092"
    assert topology["controller_bootstrap"] == "10.0.0.1:9093,10.0.0.2:9093,10.0.0.3:9093"
    assert topology["min_isr"] == 1
    zookeeper_mode = BROKER.kafka_broker_topology("k1", HOSTVARS, GROUPS)
    assert zookeeper_mode["mode"] == "zookeeper" and zookeeper_mode["node_id"] == 1
    assert zookeeper_mode["nodes"] == ["k1", "k2", "k3"] and zookeeper_mode["controller_bootstrap"] == ""
    assert zookeeper_mode["min_isr"] == 2
