"""The plain YAML cluster file: effective configs as the roles render them, exact lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kafkalint import effective
from kafkalint.errors import InputError
from kafkalint.loaders import load
from kafkalint.model import Model
from kafkalint.versions import DEFAULT_VERSION, KafkaVersion

Writer = Callable[[str, str], Path]
Where = Callable[[Model, str, str], str]

CLUSTER = """
kafka_version: "3.7.1"
kafka_cluster_name: demo
zookeeper:
  zk1: {zookeeper_id: 1, ansible_host: 10.0.0.1}
  zk2: {zookeeper_id: 2, ansible_host: 10.0.0.2}
  zk3: {zookeeper_id: 3, ansible_host: 10.0.0.3}
kafka_broker:
  kafka1: {kafka_broker_id: 1, kafka_broker_rack: a, ansible_host: 10.0.0.11}
  kafka2:
    kafka_broker_id: 2
    ansible_host: 10.0.0.12
    kafka_broker_port: 9093
kafka_broker_properties:
  min.insync.replicas: 2
  num.partitions: 6
zookeeper_properties:
  tickTime: 3000
kafka_topics:
  - name: orders
    partitions: 6
    replication_factor: 3
    config:
      min.insync.replicas: 2
  - name: audit
kafka_producer_profiles:
  - name: app
    topics: [orders]
    config:
      acks: all
"""


@pytest.fixture
def cluster_file(write_file: Writer) -> Path:
    return write_file("cluster.yml", CLUSTER)


def test_the_model_matches_the_roles_rendering(cluster_file: Path) -> None:
    model = load(["cluster.yml"])
    (cluster,) = model.clusters
    assert cluster.name == "demo"
    assert cluster.complete and cluster.production
    assert cluster.version == KafkaVersion.parse("3.7.1")
    assert [broker.name for broker in cluster.brokers] == ["kafka1", "kafka2"]
    assert [node.myid for node in cluster.zookeepers] == [1, 2, 3]
    assert [node.address for node in cluster.zookeepers] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    hostvars: dict[str, dict[str, Any]] = {
        "kafka2": {
            "kafka_broker_id": 2,
            "ansible_host": "10.0.0.12",
            "kafka_broker_port": 9093,
            "kafka_broker_properties": {"min.insync.replicas": 2, "num.partitions": 6},
        },
        **{f"zk{n}": {"zookeeper_id": n, "ansible_host": f"10.0.0.{n}"} for n in (1, 2, 3)},
    }
    groups = {"zookeeper": ["zk1", "zk2", "zk3"], "kafka_broker": ["kafka1", "kafka2"]}
    expected = effective.broker_config("kafka2", hostvars, groups)
    broker = cluster.brokers[1]
    assert {setting.key: setting.raw for setting in broker.config} == {k: v.value for k, v in expected.items()}
    assert broker.config.get("advertised.listeners") == "PLAINTEXT://10.0.0.12:9093"
    assert broker.config.get("zookeeper.connect") == "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181"


def test_locations_point_at_the_line_to_change(cluster_file: Path, where: Where) -> None:
    model = load(["cluster.yml"])
    # inventory layer: the key inside kafka_broker_properties / zookeeper_properties
    assert where(model, "broker kafka1", "min.insync.replicas") == "cluster.yml:14"
    assert where(model, "zookeeper zk2", "tickTime") == "cluster.yml:17"
    # derived: the variable it comes from
    assert where(model, "broker kafka1", "broker.id") == "cluster.yml:8"
    assert where(model, "broker kafka2", "broker.id") == "cluster.yml:10"
    assert where(model, "broker kafka1", "broker.rack") == "cluster.yml:8"
    assert where(model, "broker kafka2", "listeners") == "cluster.yml:12"
    assert where(model, "zookeeper zk1", "server.3") == "cluster.yml:6"
    # role defaults and derived keys whose variable is left at its default: the host
    assert where(model, "broker kafka2", "auto.create.topics.enable") == "cluster.yml:9"
    assert where(model, "broker kafka1", "listeners") == "cluster.yml:8"
    # topic and profile configs
    assert where(model, "topic orders", "min.insync.replicas") == "cluster.yml:23"
    assert where(model, "profile app", "acks") == "cluster.yml:29"
    # a key the config lacks: where it would be added
    assert where(model, "broker kafka1", "log.retention.ms") == "cluster.yml:13"
    assert where(model, "topic audit", "retention.ms") == "cluster.yml:24"


def test_layers(cluster_file: Path) -> None:
    broker = load(["cluster.yml"]).clusters[0].brokers[0]
    layers = {setting.key: setting.layer for setting in broker.config}
    assert layers["min.insync.replicas"] == "inventory"
    assert layers["broker.id"] == "derived"
    assert layers["unclean.leader.election.enable"] == "role-default"


def test_topics_keep_their_own_lines(cluster_file: Path) -> None:
    cluster = load(["cluster.yml"]).clusters[0]
    orders, audit = cluster.topics
    assert (orders.partitions, orders.replication_factor) == (6, 3)
    assert str(orders.location) == "cluster.yml:19:5"
    assert str(orders.partitions_location) == "cluster.yml:20:5"
    assert str(orders.replication_factor_location) == "cluster.yml:21:5"
    assert audit.partitions is None and audit.partitions_location is None
    assert str(audit.location) == "cluster.yml:24:5"


def test_profiles_get_every_broker_as_bootstrap_servers(cluster_file: Path) -> None:
    (profile,) = load(["cluster.yml"]).clusters[0].producers
    assert profile.topics == ["orders"]
    assert profile.config.get("bootstrap.servers") == ["10.0.0.11:9092", "10.0.0.12:9093"]
    bootstrap = profile.config.explicit("bootstrap.servers")
    assert bootstrap is not None and bootstrap.layer == "derived"
    assert str(bootstrap.location) == "cluster.yml:26:5"


def test_version_precedence(cluster_file: Path, write_file: Writer) -> None:
    assert load(["cluster.yml"], kafka_version=KafkaVersion.parse("4.0.0")).clusters[0].version.line == "4.0"
    assert load(["cluster.yml"]).clusters[0].version == KafkaVersion.parse("3.7.1")
    write_file("plain.yml", CLUSTER.replace('kafka_version: "3.7.1"\n', ""))
    assert load(["plain.yml"]).clusters[0].version == DEFAULT_VERSION


def test_the_version_sets_the_catalogue_of_every_config(write_file: Writer) -> None:
    write_file("c.yml", CLUSTER.replace('"3.7.1"', '"4.0.0"'))
    (profile,) = load(["c.yml"]).clusters[0].producers
    assert profile.config.get("linger.ms") == 5
    write_file("d.yml", CLUSTER)
    (profile,) = load(["d.yml"]).clusters[0].producers
    assert profile.config.get("linger.ms") == 0


@pytest.mark.parametrize(("environment", "production"), [("production", True), ("development", False)])
def test_environment(write_file: Writer, environment: str, production: bool) -> None:
    write_file("c.yml", f"kafka_cluster_environment: {environment}\n" + CLUSTER)
    assert load(["c.yml"]).clusters[0].production is production


@pytest.mark.parametrize(
    ("change", "message", "line"),
    [
        (("kafka_cluster_name: demo", "kafka_cluster_nmae: demo"), "did you mean 'kafka_cluster_name'?", 2),
        (("  num.partitions: 6", "  num.partitions: 6\nkafka_broker_propertes: {}"), "kafka_broker_properties", 16),
        (("    kafka_broker_port: 9093", "    kafka_broker_prot: 9093"), "host kafka2: unknown variable", 12),
        (("kafka_cluster_name: demo", "kafka_cluster_environment: staging"), "production, development", 2),
        (('"3.7.1"', '"three"'), "not a Kafka version", 1),
        (("  - name: audit", "  - name: audit\n    partitions: many"), "partitions must be an integer", 25),
        (("    kafka_broker_id: 2\n", ""), "kafka_broker_id is not set", 9),
        (("  num.partitions: 6", "  num.partitions: 6\n  num.partitions: 7"), "duplicate key", 16),
        (("    topics: [orders]", "    topics: [orders"), "invalid YAML", 28),
        (("  - name: audit", "  - partitions: 3"), "has no name", 24),
    ],
)
def test_bad_input_names_file_and_line(write_file: Writer, change: tuple[str, str], message: str, line: int) -> None:
    assert change[0] in CLUSTER
    write_file("bad.yml", CLUSTER.replace(change[0], change[1], 1))
    with pytest.raises(InputError) as error:
        load(["bad.yml"])
    assert message in error.value.message
    assert error.value.location is not None
    assert (error.value.location.path, error.value.location.line) == ("bad.yml", line)


def test_a_yaml_file_that_is_neither_cluster_file_nor_inventory(write_file: Writer) -> None:
    write_file("play.yml", "- hosts: all\n  tasks: []\n")
    with pytest.raises(InputError, match="neither a kafkalint cluster file"):
        load(["play.yml"])


def test_absolute_paths_stay_absolute(cluster_file: Path) -> None:
    model = load([str(cluster_file)])
    assert model.clusters[0].brokers[0].config.location_of("num.partitions").path == str(cluster_file)
