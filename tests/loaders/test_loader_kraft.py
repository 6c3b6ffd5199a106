"""KRaft inventories: controllers and combined nodes in the model, with exact locations."""

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

ROOT = Path(__file__).resolve().parents[2]

KRAFT = """
kafka_cluster_environment: development
kafka_controller:
  ctl1: {kafka_node_id: 1, ansible_host: 10.0.0.1}
  ctl2: {kafka_node_id: 2, ansible_host: 10.0.0.2}
  ctl3:
    kafka_node_id: 3
    ansible_host: 10.0.0.3
    kafka_controller_port: 9094
kafka_broker:
  ctl3: {}
  kafka1: {kafka_node_id: 11, kafka_broker_rack: a, ansible_host: 10.0.0.11}
kafka_controller_properties:
  min.insync.replicas: 2
kafka_broker_properties:
  num.partitions: 6
"""


def test_controllers_brokers_and_a_combined_node(write_file: Writer, where: Where) -> None:
    write_file("cluster.yml", KRAFT)
    model = load(["cluster.yml"])
    (cluster,) = model.clusters
    # Without kafka_version an inventory with controllers is a Kafka 4.4 cluster.
    assert cluster.version == KafkaVersion.parse("4.4.0")
    assert [node.name for node in cluster.controllers] == ["ctl1", "ctl2", "ctl3"]
    assert [node.name for node in cluster.brokers] == ["ctl3", "kafka1"]
    assert [node.name for node in cluster.nodes] == ["ctl3", "kafka1", "ctl1", "ctl2"]
    combined = cluster.controllers[2]
    assert combined is cluster.brokers[0] and combined.roles == {"broker", "controller"}
    assert combined.is_broker and combined.is_controller
    dedicated = cluster.controllers[0]
    assert dedicated.roles == {"controller"} and not dedicated.is_broker
    assert dedicated.config.get("process.roles") == ["controller"]
    assert dedicated.config.get("controller.quorum.bootstrap.servers") == [
        "10.0.0.1:9093",
        "10.0.0.2:9093",
        "10.0.0.3:9094",
    ]
    # A dedicated controller's settings are found in kafka_controller_properties; a broker's
    # node.id at its host line, the quorum at the variable it comes from.
    assert where(model, "controller ctl1", "min.insync.replicas") == "cluster.yml:13"
    assert where(model, "controller ctl1", "num.partitions") == "cluster.yml:12"
    assert where(model, "broker kafka1", "num.partitions") == "cluster.yml:15"
    assert where(model, "broker kafka1", "node.id") == "cluster.yml:11"
    assert where(model, "controller ctl3", "controller.quorum.bootstrap.servers") == "cluster.yml:8"


def test_a_kraft_inventory_without_controllers_is_an_input_error(write_file: Writer) -> None:
    write_file(
        "cluster.yml",
        """
        kafka_version: "3.9.1"
        kafka_metadata_mode: kraft
        kafka_broker:
          kafka1: {kafka_node_id: 1}
        """,
    )
    with pytest.raises(InputError, match=r"cluster\.yml:4:3: a KRaft cluster needs hosts in group 'kafka_controller'"):
        load(["cluster.yml"])


def test_a_controller_in_zookeeper_mode_is_an_input_error_naming_the_host(write_file: Writer) -> None:
    write_file(
        "cluster.yml",
        """
        kafka_version: "3.9.1"
        zookeeper:
          zk1: {zookeeper_id: 1}
        kafka_controller:
          ctl1: {kafka_node_id: 1}
        """,
    )
    with pytest.raises(
        InputError, match="host ctl1 is in group 'kafka_controller', but the cluster runs in ZooKeeper mode"
    ):
        load(["cluster.yml"])


def test_the_shipped_kraft_inventory_has_dedicated_controllers_and_brokers() -> None:
    (cluster,) = load([ROOT / "inventories" / "kraft"]).clusters
    assert cluster.version == KafkaVersion.parse("4.4.0")
    assert [node.roles for node in cluster.controllers] == [frozenset({"controller"})] * 3
    assert [node.roles for node in cluster.brokers] == [frozenset({"broker"})] * 3
    ids = [node.config.get("node.id") for node in cluster.nodes]
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]
