"""Rule KL302 on models built in Python (its fixtures: tests/fixtures/rules/KL302/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    broker_location,
    inventory,
    run,
    where,
)


def test_kl302_missing_server_and_chroot_split() -> None:
    cluster = inventory(
        brokers=[
            {"zookeeper.connect": "zk1:2181,zk2:2181,zk3:2181/kafka"},
            {"zookeeper.connect": "zk1:2181/kafka"},
            {"zookeeper.connect": "ZK1:2181,zk2,zk3:2181/other/"},
        ],
        derived=False,
    )
    findings = run("KL302", cluster)
    assert where(findings) == [
        broker_location(cluster, "zookeeper.connect", 1),
        broker_location(cluster, "zookeeper.connect", 2),
    ]
    assert "leaves out ZooKeeper server(s) zk2:2181,zk3:2181" in findings[0].message
    assert "chroot '/other' while brokers kafka1 and kafka2 use '/kafka'" in findings[1].message


def test_kl302_missing_key_with_kafka_text() -> None:
    cluster = inventory(brokers=1, zookeepers=0, derived=False)
    findings = run("KL302", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "Missing required configuration `zookeeper.connect` which has no default value." in findings[0].message
    assert run("KL302", inventory(brokers=1, zookeepers=0, derived=False, version="4.0.0")) == []


def test_kl302_server_lines_with_client_port_suffix() -> None:
    cluster = inventory(
        brokers=[{"zookeeper.connect": "zk1:2181,zk2:2181"}],
        zookeepers=[{"server.1": "zk1:2888:3888;2181", "server.2": "zk2:2888:3888;0.0.0.0:2182"}],
        derived=False,
    )
    findings = run("KL302", cluster)
    assert "zk2:2182" in findings[0].message
