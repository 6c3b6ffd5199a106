"""Which loose files form one cluster (kafkalint.loaders.grouping), and their context."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kafkalint.errors import InputError
from kafkalint.loaders import load

Writer = Callable[[str, str], Path]

KRAFT_SERVER = """
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
"""
KRAFT_BROKER = """
process.roles=broker
node.id=2
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
"""
KRAFT_CONTROLLER = """
process.roles=controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=CONTROLLER://:9093
controller.listener.names=CONTROLLER
"""


def zk_broker(broker_id: int, connect: str = "zk1:2181,zk2:2181,zk3:2181/kafka") -> str:
    return f"broker.id={broker_id}\nzookeeper.connect={connect}\nlisteners=PLAINTEXT://:9092\n"


def test_a_broker_and_its_controller_are_one_cluster_with_roles(write_file: Writer) -> None:
    write_file("broker.properties", KRAFT_BROKER)
    write_file("controller.properties", KRAFT_CONTROLLER)
    (cluster,) = load(["broker.properties", "controller.properties"]).clusters
    assert [node.name for node in cluster.brokers] == ["broker.properties"]
    assert [node.name for node in cluster.controllers] == ["controller.properties"]
    assert cluster.controllers[0].roles == frozenset({"controller"})
    assert (cluster.complete, cluster.production, cluster.stated_brokers) == (False, None, None)


def test_alternative_configs_of_one_node_are_judged_apart(write_file: Writer) -> None:
    """Apache's config/kraft: server.properties and controller.properties are both node 1."""
    for name, text in (
        ("server.properties", KRAFT_SERVER),
        ("b.properties", KRAFT_BROKER),
        ("c.properties", KRAFT_CONTROLLER),
    ):
        write_file(f"kraft/{name}", text)
    model = load(["kraft"])
    assert [[node.name for node in cluster.nodes] for cluster in model.clusters] == [
        ["kraft/b.properties"],
        ["kraft/c.properties"],
        ["kraft/server.properties"],
    ]
    alternatives = [notice for notice in model.notices if "alternative configurations" in notice.message]
    assert len(alternatives) == 1
    assert "describe node 1 on the same port" in alternatives[0].message


def test_zookeeper_mode_brokers_group_by_ensemble_and_chroot(write_file: Writer) -> None:
    write_file("a.properties", zk_broker(1))
    write_file("b.properties", zk_broker(2, "zk1:2181/kafka"))  # a partial list: the same ensemble
    write_file("c.properties", zk_broker(3, "zk1:2181,zk2:2181,zk3:2181/other"))  # another chroot
    write_file("d.properties", zk_broker(4, "elsewhere:2181/kafka"))
    write_file("zoo.cfg", "tickTime=2000\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n")
    clusters = load(["a.properties", "b.properties", "c.properties", "d.properties", "zoo.cfg"]).clusters
    assert [([b.name for b in c.brokers], [z.name for z in c.zookeepers]) for c in clusters] == [
        (["a.properties", "b.properties"], ["zoo.cfg"]),
        (["c.properties"], ["zoo.cfg"]),  # one ensemble may serve two chroots
        (["d.properties"], []),
    ]


def test_a_standalone_zookeeper_joins_the_one_cluster_connecting_to_a_single_server(write_file: Writer) -> None:
    write_file("server.properties", zk_broker(0, "localhost:2181"))
    write_file("zookeeper.properties", "dataDir=/var/lib/zookeeper\nclientPort=2181\n")
    (cluster,) = load(["server.properties", "zookeeper.properties"]).clusters
    assert [node.name for node in cluster.zookeepers] == ["zookeeper.properties"]
    write_file("other.properties", zk_broker(1, "otherhost:2181"))
    clusters = load(["server.properties", "other.properties", "zookeeper.properties"]).clusters
    assert [[node.name for node in cluster.zookeepers] for cluster in clusters] == [[], [], ["zookeeper.properties"]]


def test_a_producer_joins_the_cluster_it_bootstraps_from(write_file: Writer) -> None:
    write_file("a.properties", zk_broker(1) + "advertised.listeners=PLAINTEXT://kafka-a:9092\n")
    write_file("b.properties", zk_broker(1, "zkb:2181") + "advertised.listeners=PLAINTEXT://kafka-b:9092\n")
    write_file("app-producer.properties", "bootstrap.servers=kafka-b:9092\nacks=all\n")
    a, b = load(["a.properties", "b.properties", "app-producer.properties"]).clusters
    assert (a.producers, [profile.name for profile in b.producers]) == ([], ["app-producer.properties"])


def test_files_state_their_context(write_file: Writer) -> None:
    write_file("a.properties", "# kafkalint: environment=production\n# kafkalint: brokers=5\n" + zk_broker(1))
    write_file("b.properties", zk_broker(2))
    model = load(["a.properties", "b.properties"])
    (cluster,) = model.clusters
    assert (cluster.production, cluster.stated_brokers) == (True, 5)
    assert model.notices == []
    # The run's context applies where no file says; a file's own statement wins.
    (cluster,) = load(["b.properties"], environment="development", brokers=3).clusters
    assert (cluster.production, cluster.stated_brokers) == (False, 3)
    (cluster,) = load(["a.properties"], environment="development").clusters
    assert cluster.production is True


def test_files_of_one_cluster_must_agree(write_file: Writer) -> None:
    write_file("a.properties", "# kafkalint: environment=production\n" + zk_broker(1))
    write_file("b.properties", "# kafkalint: environment=development\n" + zk_broker(2))
    with pytest.raises(InputError, match="state different environment") as error:
        load(["a.properties", "b.properties"])
    assert str(error.value.location) == "b.properties:1"


@pytest.mark.parametrize(
    ("line", "message"),
    [("# kafkalint: environment=prod", "environment must be one of"), ("# kafkalint: brokers=0", "brokers must be")],
)
def test_bad_directives_are_input_errors(write_file: Writer, line: str, message: str) -> None:
    write_file("server.properties", line + "\n" + zk_broker(1))
    with pytest.raises(InputError, match=message) as error:
        load(["server.properties"])
    assert str(error.value.location) == "server.properties:1"


def test_one_notice_says_what_was_assumed(write_file: Writer) -> None:
    write_file("server.properties", zk_broker(1))
    write_file("zoo.cfg", "tickTime=2000\n")
    (notice,) = load(["server.properties", "zoo.cfg"]).notices
    assert notice.message.startswith("not stated: the environment of server.properties and zoo.cfg")
    assert "the broker count of server.properties" in notice.message
    assert "--environment / --brokers" in notice.message


def test_inventories_take_the_runs_environment_only_when_they_do_not_say(write_file: Writer) -> None:
    cluster_file = "zookeeper:\n  zk1: {zookeeper_id: 1}\nkafka_broker:\n  kafka1: {kafka_broker_id: 1}\n"
    write_file("plain.yml", cluster_file)
    write_file("dev.yml", "kafka_cluster_environment: development\n" + cluster_file)
    assert load(["plain.yml"]).clusters[0].production is True  # the contract's default
    assert load(["plain.yml"], environment="development").clusters[0].production is False
    assert load(["dev.yml"], environment="production").clusters[0].production is False
