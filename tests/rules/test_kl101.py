"""Rule KL101 on models built in Python (its fixtures: tests/fixtures/rules/KL101/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    topic_location,
    where,
)

from kafkalint.model import Broker, Cluster, ConfigMap, Location


def test_kl101_topic_override_reported_once_at_its_line() -> None:
    cluster = inventory(
        common={"min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 3, "config": {"min.insync.replicas": 3}}],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "min.insync.replicas")]
    assert "set min.insync.replicas to 2" in findings[0].message
    assert findings[0].subject == "topic orders"
    assert run("KL102", cluster) == []


def test_kl101_shared_broker_setting_reported_once_naming_inheriting_topics() -> None:
    cluster = inventory(
        common={"min.insync.replicas": 3, "default.replication.factor": 3},
        topics=[
            {"name": "orders", "replication_factor": 3},
            {"name": "payments"},
            {"name": "audit", "replication_factor": 5},
        ],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic orders" in findings[0].message and "topic payments" in findings[0].message
    assert "audit" not in findings[0].message


def test_kl101_topic_rf_equal_to_inherited_min_isr_points_at_the_topic() -> None:
    cluster = inventory(
        common={"min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 2}],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "replication_factor")]
    assert "raise replication_factor to 3" in findings[0].message


def test_kl101_rf_one_is_kl105_business() -> None:
    cluster = inventory(common={"min.insync.replicas": 1, "default.replication.factor": 1})
    assert run("KL101", cluster) == []


def test_kl101_cluster_defaults_checked_without_topics() -> None:
    cluster = inventory(common={"min.insync.replicas": 2, "default.replication.factor": 2})
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "new topics (default.replication.factor)" in findings[0].message


def test_kl101_only_default_rf_written_points_at_it() -> None:
    cluster = inventory(common={"default.replication.factor": 2})
    for broker in cluster.brokers:  # the role's default, at the host line
        broker.config.set("min.insync.replicas", 2, "role-default", broker.location)
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert findings[0].message.startswith("default.replication.factor=2 equals")


def test_kl101_loose_server_properties() -> None:
    broker_config = ConfigMap("broker", location=Location("server.properties"))
    broker_config.set("min.insync.replicas", "3", "file", Location("server.properties", 4))
    broker_config.set("default.replication.factor", "3", "file", Location("server.properties", 5))
    broker = Broker("server.properties", broker_config, Location("server.properties"))
    cluster = Cluster("loose", Location("server.properties"), brokers=[broker])
    assert where(run("KL101", cluster)) == ["server.properties:4"]
