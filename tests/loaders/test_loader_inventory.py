"""Ansible inventories through kafkalint's static reader: precedence, origins, INI and YAML, bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kafkalint.errors import InputError
from kafkalint.loaders import load
from kafkalint.model import Model
from kafkalint.versions import KafkaVersion

Writer = Callable[[str, str], Path]
Where = Callable[[Model, str, str], str]

HOSTS_YML = """
all:
  children:
    zookeeper:
      hosts:
        zk1: {zookeeper_id: 1, ansible_host: 10.0.0.1}
        zk2: {zookeeper_id: 2, ansible_host: 10.0.0.2}
        zk3: {zookeeper_id: 3, ansible_host: 10.0.0.3}
    kafka_broker:
      hosts:
        kafka1: {kafka_broker_id: 1, kafka_broker_rack: a, ansible_host: 10.0.0.11}
        kafka2: {kafka_broker_id: 2, kafka_broker_rack: b, ansible_host: 10.0.0.12}
"""

HOSTS_INI = """
[zookeeper]
zk1 zookeeper_id=1 ansible_host=10.0.0.1
zk2 zookeeper_id=2 ansible_host=10.0.0.2
zk3 zookeeper_id=3 ansible_host=10.0.0.3

[kafka_broker]
kafka1 kafka_broker_id=1 kafka_broker_rack=a ansible_host=10.0.0.11
kafka2 kafka_broker_id=2 kafka_broker_rack=b ansible_host=10.0.0.12

[kafka_broker:vars]
kafka_broker_port=9093
"""

ALL = """
kafka_version: "3.8.0"
kafka_cluster_name: inv
kafka_cluster_environment: development
"""

BROKERS = """
kafka_broker_properties:
  min.insync.replicas: 2
  num.partitions: 6
kafka_topics:
  - name: orders
    partitions: 6
    replication_factor: 2
    config:
      retention.ms: 86400000
kafka_producer_profiles:
  - name: app
    topics: [orders]
    config:
      acks: all
"""


@pytest.fixture
def yaml_inventory(write_file: Writer) -> Path:
    write_file("inv/hosts.yml", HOSTS_YML)
    write_file("inv/group_vars/all.yml", ALL)
    write_file("inv/group_vars/kafka_broker.yml", BROKERS)
    write_file("inv/group_vars/zookeeper.yml", "zookeeper_properties:\n  tickTime: 3000\n")
    return Path("inv")


@pytest.fixture
def ini_inventory(write_file: Writer) -> Path:
    write_file("ini/hosts", HOSTS_INI)
    write_file("ini/group_vars/all/main.yml", ALL)
    write_file("ini/group_vars/kafka_broker/properties.yml", BROKERS)
    write_file("ini/host_vars/kafka2/main.yml", "kafka_broker_properties:\n  num.partitions: 12\n")
    return Path("ini")


def test_yaml_inventory(yaml_inventory: Path, where: Where) -> None:
    model = load([yaml_inventory])
    (cluster,) = model.clusters
    assert (cluster.name, cluster.version, cluster.production, cluster.complete) == (
        "inv",
        KafkaVersion.parse("3.8.0"),
        False,
        True,
    )
    assert [broker.name for broker in cluster.brokers] == ["kafka1", "kafka2"]
    assert [node.myid for node in cluster.zookeepers] == [1, 2, 3]
    kafka1 = cluster.brokers[0].config
    assert kafka1.get("broker.id") == 1
    assert kafka1.get("min.insync.replicas") == 2
    assert kafka1.get("zookeeper.connect") == "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181"
    assert where(model, "broker kafka1", "num.partitions") == "inv/group_vars/kafka_broker.yml:3"
    assert where(model, "broker kafka2", "broker.id") == "inv/hosts.yml:11"
    assert where(model, "broker kafka2", "broker.rack") == "inv/hosts.yml:11"
    assert where(model, "broker kafka2", "default.replication.factor") == "inv/hosts.yml:11"
    assert where(model, "zookeeper zk1", "tickTime") == "inv/group_vars/zookeeper.yml:2"
    assert where(model, "zookeeper zk1", "server.2") == "inv/hosts.yml:6"
    (topic,) = cluster.topics
    assert (topic.partitions, topic.replication_factor) == (6, 2)
    assert str(topic.location) == "inv/group_vars/kafka_broker.yml:5:5"
    assert str(topic.replication_factor_location) == "inv/group_vars/kafka_broker.yml:7:5"
    assert where(model, "topic orders", "retention.ms") == "inv/group_vars/kafka_broker.yml:9"
    (profile,) = cluster.producers
    assert profile.config.get("bootstrap.servers") == ["10.0.0.11:9092", "10.0.0.12:9092"]
    assert where(model, "profile app", "acks") == "inv/group_vars/kafka_broker.yml:14"


def test_ini_inventory_with_group_vars_and_host_vars_directories(ini_inventory: Path, where: Where) -> None:
    model = load([ini_inventory])
    (cluster,) = model.clusters
    assert cluster.version == KafkaVersion.parse("3.8.0")
    kafka1, kafka2 = cluster.brokers
    # group vars of the INI file, then group_vars/, then host_vars/: Ansible's precedence
    assert kafka1.config.get("listeners") == "PLAINTEXT://0.0.0.0:9093"
    assert kafka1.config.get("num.partitions") == 6
    assert kafka2.config.get("num.partitions") == 12
    # host_vars replaces the whole mapping (Ansible's default hash_behaviour): the role's
    # default min.insync.replicas applies to kafka2 again
    setting = kafka2.config.explicit("min.insync.replicas")
    assert setting is not None and setting.layer == "role-default"
    assert where(model, "broker kafka2", "num.partitions") == "ini/host_vars/kafka2/main.yml:2"
    assert where(model, "broker kafka1", "num.partitions") == "ini/group_vars/kafka_broker/properties.yml:3"
    # INI values and host lines carry their line too
    assert where(model, "broker kafka2", "broker.id") == "ini/hosts:8"
    assert where(model, "broker kafka1", "listeners") == "ini/hosts:11"
    assert where(model, "broker kafka1", "auto.create.topics.enable") == "ini/hosts:7"
    assert kafka1.config.get("broker.id") == 1


def test_a_hosts_file_alone(write_file: Writer) -> None:
    write_file("solo/hosts.ini", HOSTS_INI)
    (cluster,) = load(["solo/hosts.ini"]).clusters
    assert [broker.name for broker in cluster.brokers] == ["kafka1", "kafka2"]


def test_a_yaml_inventory_file_alone(write_file: Writer) -> None:
    write_file("hosts.yml", HOSTS_YML)
    (cluster,) = load(["hosts.yml"]).clusters
    assert cluster.brokers[1].config.get("broker.rack") == "b"


def test_precedence_host_vars_over_group_vars_over_all(write_file: Writer) -> None:
    hosts = HOSTS_YML.replace("kafka_broker_rack: b, ", "kafka_broker_rack: b, kafka_version: '3.6.0', ")
    write_file("p/hosts.yml", hosts)
    write_file("p/group_vars/all.yml", "kafka_broker_port: 9000\nkafka_version: '3.9.0'\n")
    write_file("p/group_vars/kafka_broker.yml", "kafka_broker_port: 9100\n")
    write_file("p/host_vars/kafka2.yml", "kafka_broker_port: 9200\n")
    (cluster,) = load(["p"]).clusters
    assert [broker.config.get("advertised.listeners") for broker in cluster.brokers] == [
        "PLAINTEXT://10.0.0.11:9100",
        "PLAINTEXT://10.0.0.12:9200",
    ]
    # the cluster's version is read from its first host (group_vars/all)
    assert cluster.version == KafkaVersion.parse("3.9.0")


def test_explicit_version_wins_over_the_inventory(yaml_inventory: Path) -> None:
    (cluster,) = load([yaml_inventory], kafka_version=KafkaVersion.parse("4.0.0")).clusters
    assert cluster.version == KafkaVersion.parse("4.0.0")
    assert cluster.brokers[0].config.version == KafkaVersion.parse("4.0.0")


def test_jinja_values_are_rendered_as_the_roles_render_them(write_file: Writer, where: Where) -> None:
    write_file("j/hosts.yml", HOSTS_YML)
    write_file(
        "j/group_vars/kafka_broker.yml",
        """
        base_partitions: 4
        kafka_broker_properties:
          num.partitions: "{{ base_partitions * 3 }}"
          log.retention.hours: 24
        """,
    )
    model = load(["j"])
    assert model.clusters[0].brokers[0].config.get("num.partitions") == 12
    assert where(model, "broker kafka1", "num.partitions") == "j/group_vars/kafka_broker.yml:3"


@pytest.mark.parametrize(
    ("files", "message", "location"),
    [
        ({"b/hosts": "[kafka_broker]\nkafka1 kafka_broker_id\n"}, "cannot parse", "b/hosts:2"),
        ({"b/hosts.yml": HOSTS_YML, "b/group_vars/all.yml": "a: [1\n"}, "", "b/group_vars/all.yml:2"),
        (
            {"b/hosts.yml": HOSTS_YML.replace("kafka_broker_id: 2, ", "")},
            "kafka_broker_id is not set",
            "b/hosts.yml:11",
        ),
        ({"b/hosts.yml": "all:\n  hosts:\n    lonely: {}\n"}, "no hosts in the groups", "b"),
        (
            {"b/hosts.yml": HOSTS_YML, "b/group_vars/kafka_broker.yml": "kafka_topics: {orders: 1}\n"},
            "kafka_topics must be a list",
            "b/group_vars/kafka_broker.yml:1",
        ),
        (
            {"b/hosts.yml": HOSTS_YML, "b/group_vars/kafka_broker.yml": "kafka_broker_properties: '{{ nope }}'\n"},
            "kafka_broker_properties uses the undefined variable 'nope'",
            "b/group_vars/kafka_broker.yml:1",
        ),
    ],
)
def test_bad_inventories_are_input_errors_with_a_line(
    write_file: Writer, files: dict[str, str], message: str, location: str
) -> None:
    for name, text in files.items():
        write_file(name, text)
    with pytest.raises(InputError) as error:
        load(["b"])
    assert message in error.value.message
    assert error.value.location is not None
    shown = error.value.location.path + (f":{error.value.location.line}" if error.value.location.line else "")
    assert shown == location


def _summary(model: Model) -> list[tuple[str, list[tuple[str, object, str]]]]:
    return [
        (
            cluster.name,
            [
                (setting.key, setting.raw, str(setting.location))
                for broker in cluster.brokers
                for setting in broker.config
            ],
        )
        for cluster in model.clusters
    ]


def test_several_inventories_are_read_in_parallel_with_the_same_result(
    write_file: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two", "three"):
        write_file(f"estate/{name}/hosts.yml", HOSTS_YML)
        write_file(f"estate/{name}/group_vars/kafka_broker.yml", BROKERS)
    monkeypatch.setenv("KAFKALINT_JOBS", "2")
    parallel = load(["estate"])
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    sequential = load(["estate"])
    assert [cluster.name for cluster in parallel.clusters] == ["one", "three", "two"]
    assert _summary(parallel) == _summary(sequential)
    # the model holds plain Python values, not Ansible's tagged types
    raw = parallel.clusters[0].brokers[0].config.explicit("num.partitions")
    assert raw is not None and type(raw.raw) is int


def test_an_input_error_in_a_worker_keeps_its_location(write_file: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    write_file("estate/good/hosts.yml", HOSTS_YML)
    write_file("estate/bad/hosts.yml", HOSTS_YML)
    write_file("estate/bad/group_vars/all.yml", "kafka_version: [3\n")
    monkeypatch.setenv("KAFKALINT_JOBS", "2")
    with pytest.raises(InputError) as error:
        load(["estate"])
    assert str(error.value.location) == "estate/bad/group_vars/all.yml:2:1"
