"""Rule KL309 on models built in Python (its fixtures: tests/fixtures/rules/KL309/)."""

from __future__ import annotations

import pytest
from rulekit import Builder, broker_location, inventory, run, where

from kafkalint.findings import Severity


@pytest.mark.parametrize(
    ("directories", "flagged"),
    [
        ("/tmp/kafka-logs", True),
        ("/tmp", True),
        ("/data/a,/tmp/b", True),
        ("/tmpfs/kafka", False),
        ("/var/tmp/k", False),
    ],
)
def test_kl309_what_is_under_tmp(directories: str, flagged: bool) -> None:
    cluster = inventory(common={"log.dirs": directories})
    findings = run("KL309", cluster)
    assert bool(findings) is flagged
    if flagged:
        assert where(findings) == [broker_location(cluster, "log.dirs")]  # one shared line, one finding
        assert findings[0].subject == "brokers kafka1, kafka2 and kafka3"


def test_kl309_environment_decides_the_severity() -> None:
    def severities(production: bool | None) -> list[Severity | None]:
        builder = Builder(production=True).broker("kafka1", log_dirs="/tmp/kafka-logs")
        builder.cluster.production = production
        return [finding.severity for finding in run("KL309", builder)]

    assert severities(True) == [None]  # the rule's own: error
    assert severities(None) == [Severity.WARNING]  # nobody said: no error without certainty
    assert severities(False) == []


def test_kl309_kafka_default_log_dir_points_where_log_dirs_belongs() -> None:
    builder = Builder().broker("kafka1", broker_id=1)
    (finding,) = run("KL309", builder)
    assert finding.location.line == builder.line("kafka1")
    assert "Kafka's default /tmp/kafka-logs" in finding.message


def test_kl309_controllers_and_zookeeper() -> None:
    builder = Builder()
    builder.broker("c1", process_roles="controller", log_dirs="/var/lib/kafka", metadata_log_dir="/tmp/meta")
    node = builder.cluster.brokers.pop()
    node.roles = frozenset({"controller"})
    builder.cluster.controllers.append(node)
    cluster = inventory(zookeepers=[{"dataDir": "/tmp/zookeeper"}, {"dataDir": "/var/lib/zookeeper"}])
    cluster.controllers.extend(builder.cluster.controllers)
    found = {finding.subject: finding.message for finding in run("KL309", cluster)}
    assert set(found) == {"broker c1", "zookeeper zk1"}
    assert "metadata.log.dir=/tmp/meta" in found["broker c1"]
