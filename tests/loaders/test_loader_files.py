"""Standalone config files: kind detection, joining clusters, directories, bad paths."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kafkalint.errors import InputError
from kafkalint.loaders import load
from kafkalint.model import Model

Writer = Callable[[str, str], Path]
Where = Callable[[Model, str, str], str]

CLUSTER = """
zookeeper:
  zk1: {zookeeper_id: 1, ansible_host: 10.0.0.1}
kafka_broker:
  kafka1: {kafka_broker_id: 1, ansible_host: 10.0.0.11}
  kafka2: {kafka_broker_id: 2, ansible_host: 10.0.0.12}
"""


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("server.properties", "", "brokers"),
        ("broker.properties", "x=1", "brokers"),
        ("zoo.cfg", "", "zookeepers"),
        ("zookeeper.properties", "", "zookeepers"),
        ("orders-producer.properties", "", "producers"),
        ("consumer.properties", "", "consumers"),
        ("kafka.properties", "broker.id=1\nlog.dirs=/data\n", "brokers"),
        ("app.properties", "bootstrap.servers=a:9092\nacks=all\n", "producers"),
        ("app.properties", "bootstrap.servers=a:9092\ngroup.id=g\n", "consumers"),
        ("ensemble.conf", "tickTime=2000\nserver.1=a:2888:3888\n", "zookeepers"),
        ("app.properties", "# kafkalint: kind=consumer\nbootstrap.servers=a:9092\n", "consumers"),
        ("client.properties", "key.serializer=x.Y\nvalue.serializer=x.Y\nnum.partitions=3\n", "producers"),
    ],
)
def test_kind_of_a_file(write_file: Writer, name: str, text: str, kind: str) -> None:
    write_file(name, text)
    (cluster,) = load([name]).clusters
    assert not cluster.complete
    assert [item.name for item in getattr(cluster, kind)] == [name]


@pytest.mark.parametrize(
    ("text", "line"),
    [("bootstrap.servers=a:9092\n", None), ("acks=all\ngroup.id=g\n", None), ("# kafkalint: kind=queue\n", 1)],
)
def test_an_undecidable_file_is_an_input_error(write_file: Writer, text: str, line: int | None) -> None:
    write_file("app.properties", text)
    with pytest.raises(InputError) as error:
        load(["app.properties"])
    assert error.value.location is not None
    assert (error.value.location.path, error.value.location.line) == ("app.properties", line)


def test_settings_of_a_file_keep_their_lines(write_file: Writer, where: Where) -> None:
    write_file("server.properties", "# broker\nbroker.id=1\nlog.dirs = /data\nnum.partitions \\\n  =6\n")
    model = load(["server.properties"])
    broker = model.clusters[0].brokers[0]
    assert broker.config.get("num.partitions") == 6
    assert {setting.layer for setting in broker.config} == {"file"}
    assert where(model, "broker server.properties", "num.partitions") == "server.properties:4"
    assert where(model, "broker server.properties", "log.retention.ms") == "server.properties:None"


def test_bad_escape_and_binary_files(write_file: Writer) -> None:
    write_file("server.properties", "broker.id=1\nlog.dirs=\\u12x4\n")
    with pytest.raises(InputError, match="uxxxx") as error:
        load(["server.properties"])
    assert str(error.value.location) == "server.properties:2"
    Path("zoo.cfg").write_bytes(b"tickTime=2000\n\x00\x01")
    with pytest.raises(InputError, match="NUL") as error:
        load(["zoo.cfg"])
    assert str(error.value.location) == "zoo.cfg:2"


def test_missing_and_unreadable_paths(in_tmp: Path) -> None:
    with pytest.raises(InputError, match="no such file") as error:
        load(["nope/server.properties"])
    assert str(error.value.location) == "nope/server.properties"
    Path("dir.properties").mkdir()
    (Path("dir.properties") / "x.txt").write_text("", encoding="utf-8")
    assert load(["dir.properties"]).clusters == []


def test_loose_files_join_the_one_cluster_of_the_run(write_file: Writer) -> None:
    write_file("cluster.yml", CLUSTER)
    write_file("app-producer.properties", "bootstrap.servers=elsewhere:9092\nacks=all\n")
    write_file("zoo.cfg", "tickTime=2000\n")
    (cluster,) = load(["cluster.yml", "app-producer.properties", "zoo.cfg"]).clusters
    assert cluster.complete
    assert [profile.name for profile in cluster.producers] == ["app-producer.properties"]
    assert [node.name for node in cluster.zookeepers] == ["zk1", "zoo.cfg"]


def test_with_several_clusters_a_producer_joins_the_one_it_bootstraps_from(write_file: Writer) -> None:
    write_file("a.yml", CLUSTER)
    write_file("b.yml", CLUSTER.replace("10.0.0.1", "10.9.0.1"))
    write_file("to-b-producer.properties", "bootstrap.servers=10.9.0.12:9092\n")
    write_file("lost-producer.properties", "bootstrap.servers=10.5.5.5:9092\n")
    write_file("server.properties", "broker.id=7\n")
    paths = ["a.yml", "b.yml", "to-b-producer.properties", "lost-producer.properties", "server.properties"]
    a, b, alone, rest = load(paths).clusters
    assert [profile.name for profile in b.producers] == ["to-b-producer.properties"]
    assert a.producers == []
    # A broker file that names no ZooKeeper ensemble or quorum belongs to no other file.
    assert ([broker.name for broker in alone.brokers], alone.complete) == (["server.properties"], False)
    assert not rest.complete
    assert [profile.name for profile in rest.producers] == ["lost-producer.properties"]
    assert rest.brokers == []


def test_a_directory_is_walked_for_config_files(write_file: Writer) -> None:
    write_file("conf/server.properties", "broker.id=1\n")
    write_file("conf/log4j.properties", "log4j.rootLogger=INFO\n")  # no kind: skipped
    write_file("conf/notes.txt", "hello")
    write_file("conf/.hidden/server.properties", "broker.id=2\n")
    write_file("conf/zk/zoo.cfg", "tickTime=2000\n")
    write_file("conf/playbook.yml", "- hosts: all\n")  # not a cluster file: skipped
    write_file("conf/roles/kafka/defaults/main.yml", "kafka_broker_port: 9092\nkafka_broker_heap: 1g\n")
    write_file("conf/prod/cluster.yml", CLUSTER)
    write_file("conf/inv/hosts", "[kafka_broker]\nk1 kafka_broker_id=1\n[zookeeper]\nz1 zookeeper_id=1\n")
    clusters = load(["conf"]).clusters
    assert [(cluster.name, cluster.complete) for cluster in clusters] == [
        ("inv", True),
        ("cluster", True),
        ("files conf/server.properties", False),
        ("files conf/zk/zoo.cfg", False),
    ]
    assert [broker.name for broker in clusters[2].brokers] == ["conf/server.properties"]
    # The standalone zoo.cfg serves no broker of the run (none connects to it).
    assert [node.name for node in clusters[3].zookeepers] == ["conf/zk/zoo.cfg"]


def test_exclude_patterns(write_file: Writer) -> None:
    write_file("conf/server.properties", "broker.id=1\n")
    write_file("conf/old/server.properties", "broker.id=2\n")
    write_file("conf/producer.properties", "acks=all\n")
    model = load(["conf"], exclude=["old", "*producer*"])
    (cluster,) = model.clusters
    assert [broker.name for broker in cluster.brokers] == ["conf/server.properties"]
    assert cluster.producers == []
    assert load(["conf/server.properties"], exclude=["conf/*"]).clusters == []


def test_linting_a_properties_file_does_not_import_ansible(write_file: Writer) -> None:
    write_file("server.properties", "broker.id=1\n")
    code = (
        "import sys\n"
        "from kafkalint.loaders import load\n"
        "from kafkalint.rules import all_rules\n"
        "load(['server.properties'])\n"
        "assert not [m for m in sys.modules if m == 'ansible' or m.startswith('ansible.')], 'ansible imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
