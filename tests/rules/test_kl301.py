"""Rule KL301 on models built in Python (its fixtures: tests/fixtures/rules/KL301/)."""

from __future__ import annotations

import pytest
from rulekit import (
    inventory,
    run,
    where,
)

from kafkalint.findings import Severity
from kafkalint.model import Cluster, ConfigMap, Location, ZooKeeperNode


@pytest.mark.parametrize(
    ("size", "production", "severities"),
    [
        (1, True, [Severity.ERROR]),
        (1, False, []),
        (2, True, [Severity.ERROR]),
        (2, False, [None]),
        (3, True, []),
        (4, True, [None]),
        (5, True, []),
        (6, False, [None]),
    ],
)
def test_kl301_sizes(size: int, production: bool, severities: list[Severity | None]) -> None:
    cluster = inventory(zookeepers=size, production=production)
    findings = run("KL301", cluster)
    assert [finding.severity for finding in findings] == severities
    assert where(findings) == [str(cluster.zookeepers[0].location)] * len(severities)


def test_kl301_loose_zoo_cfg_counts_server_lines() -> None:
    zk_config = ConfigMap("zookeeper", location=Location("zoo.cfg"))
    zk_config.set("tickTime", "2000", "file", Location("zoo.cfg", 1))
    zk_config.set("server.1", "zk1:2888:3888", "file", Location("zoo.cfg", 5))
    zk_config.set("server.2", "zk2:2888:3888", "file", Location("zoo.cfg", 6))
    cluster = Cluster(
        "loose", Location("zoo.cfg"), zookeepers=[ZooKeeperNode("zoo.cfg", None, zk_config, Location("zoo.cfg"))]
    )
    findings = run("KL301", cluster)
    assert where(findings) == ["zoo.cfg:5"]
    assert findings[0].severity is Severity.ERROR


def test_kl301_skipped_for_kraft_and_kafka_4() -> None:
    assert run("KL301", inventory(zookeepers=2, version="4.0.0")) == []
    kraft = inventory(zookeepers=2, brokers=[{"process.roles": "broker,controller", "node.id": n} for n in (1, 2, 3)])
    assert run("KL301", kraft) == []
