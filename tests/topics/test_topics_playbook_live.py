"""playbooks/topics.yml (the kafka_topics role) through ansible-playbook against the dev broker:
the module runs delegated to the controller with the playbook's Python, once for the group."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import topics_helpers

pytestmark = pytest.mark.devbroker

PLAYBOOK = topics_helpers.ROOT / "playbooks" / "topics.yml"
TASK = "Apply the declared topics through the Kafka admin API"


def inventory(tmp_path: Path, dev: Any, topics: list[dict[str, Any]]) -> Path:
    port = dev.kafka_ports[0]
    return topics_helpers.write_inventory(
        tmp_path / "hosts.yml",
        {
            # Two inventory hosts for the one dev broker: the role must still run once.
            "kafka_broker": {
                "dev1": {"ansible_host": "127.0.0.1", "kafka_broker_id": 1, "kafka_broker_port": port},
                "dev2": {"ansible_host": "127.0.0.1", "kafka_broker_id": 2, "kafka_broker_port": port},
            },
            # An explicit localhost whose Python lacks kafka-python: the role must use the
            # playbook's Python for the module anyway.
            "ungrouped": {
                "localhost": {"ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"}
            },
        },
        {"kafka_broker": {"ansible_connection": "local", "kafka_topics": topics}},
    )


def play(inv: Path, *options: str) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    rc, report, _ = topics_helpers.run_playbook(PLAYBOOK, inv, "--skip-tags", "lint_gate", *options)
    return rc, topics_helpers.task_results(report, TASK), report["stats"]


def test_apply_rerun_check_and_diff(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    names = [f"pb-{uuid.uuid4().hex[:6]}-{i}" for i in range(3)]
    topics = [{"name": n, "partitions": 2, "replication_factor": 1, "config": {"retention.ms": 600000}} for n in names]
    inv = inventory(tmp_path, dev_kafka, topics)

    rc, results, stats = play(inv)
    assert rc == 0, results
    assert len(results) == 1, "run_once: one module run for the whole group"
    assert results[0]["changed"] is True and results[0]["created"] == names
    assert set(admin.list_topics()) >= set(names)

    rc, results, stats = play(inv)
    assert rc == 0
    assert results[0]["changed"] is False
    assert sum(host["changed"] for host in stats.values()) == 0

    grown = [dict(t, partitions=4, config={"retention.ms": 1200000}) for t in topics]
    inv = inventory(tmp_path, dev_kafka, grown)
    rc, results, _ = play(inv, "--check", "--diff")
    assert rc == 0
    assert results[0]["changed"] is True and results[0]["updated"] == names
    diff = results[0]["diff"][0]
    assert diff["before"]["partitions"] == 2 and diff["after"]["partitions"] == 4
    assert diff["before"]["config"] == {"retention.ms": "600000"}
    assert diff["after"]["config"] == {"retention.ms": "1200000"}
    described = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(names)}
    assert described == dict.fromkeys(names, 2), "check mode changed the cluster"

    rc, results, _ = play(inv, "--diff")
    assert rc == 0 and results[0]["changed"] is True
    rc, results, _ = play(inv, "--diff")
    assert rc == 0 and results[0]["changed"] is False


def test_kafka_refusal_stops_every_broker_host(dev_kafka: Any, tmp_path: Path) -> None:
    name = f"pb-wide-{uuid.uuid4().hex[:6]}"
    inv = inventory(tmp_path, dev_kafka, [{"name": name, "partitions": 1, "replication_factor": 3}])
    # As in site.yml, more plays follow the topics: none may run for any broker host.
    site = tmp_path / "site.yml"
    site.write_text(
        f"- ansible.builtin.import_playbook: {PLAYBOOK}\n"
        "- name: Later play\n"
        "  hosts: kafka_broker\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: After the topics\n"
        "      ansible.builtin.debug:\n"
        "        msg: must not run\n",
        encoding="utf-8",
    )
    rc, report, _ = topics_helpers.run_playbook(site, inv, "--skip-tags", "lint_gate")
    assert rc == 2
    (result,) = topics_helpers.task_results(report, TASK)
    assert (
        f"topic '{name}': Kafka refused to create it: Replication factor: 3 larger than available brokers: 1."
        in (result["msg"])
    )
    assert topics_helpers.task_results(report, "After the topics") == []
