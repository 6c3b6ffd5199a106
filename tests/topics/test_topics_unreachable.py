"""An unreachable cluster is one clear failure naming the bootstrap servers, never a traceback
(no broker needed: nothing listens on the port)."""

from __future__ import annotations

from pathlib import Path

import topics_helpers

import devkafka


def test_module_names_the_bootstrap_servers(tmp_path: Path) -> None:
    dead = f"127.0.0.1:{devkafka.free_port()}"
    rc, result = topics_helpers.run_module(
        {"bootstrap_servers": [dead], "topics": [{"name": "orders", "partitions": 1}], "connect_timeout": 2},
        tmp=tmp_path,
    )
    assert rc == 1
    assert result["msg"].startswith("kafka_topics: cannot reach the Kafka cluster")
    assert f"bootstrap servers {dead}" in result["msg"]
    assert "Connection refused" in result["msg"]
    assert "Traceback" not in str(result)


def test_playbook_names_the_bootstrap_servers(tmp_path: Path) -> None:
    port = devkafka.free_port()
    inventory = topics_helpers.write_inventory(
        tmp_path / "hosts.yml",
        {"kafka_broker": {"k1": {"ansible_host": "127.0.0.1", "kafka_broker_id": 1, "kafka_broker_port": port}}},
        {"kafka_broker": {"ansible_connection": "local", "kafka_topics": [{"name": "orders", "partitions": 1}]}},
    )
    rc, report, stderr = topics_helpers.run_playbook(
        topics_helpers.ROOT / "playbooks" / "topics.yml",
        inventory,
        "--skip-tags",
        "lint_gate",
        extra_vars={"kafka_topics_connect_timeout": 2},
    )
    assert rc == 2
    (result,) = topics_helpers.task_results(report, "Apply the declared topics through the Kafka admin API")
    assert result["failed"] is True
    assert f"bootstrap servers 127.0.0.1:{port}" in result["msg"]
    assert "Traceback" not in stderr and "Traceback" not in str(report)
