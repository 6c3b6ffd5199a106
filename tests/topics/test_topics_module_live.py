"""The kafka_topics module against a real broker: run as Ansible runs a module (a process that
reads its arguments and answers JSON), then checked through Kafka's admin API."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import topics_helpers
from kafka.admin import ConfigResource, ConfigResourceType

pytestmark = pytest.mark.devbroker


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def apply(dev: Any, tmp_path: Path, topics: list[dict[str, Any]], **options: Any) -> tuple[int, dict[str, Any]]:
    check = options.pop("check", False)
    args = {"bootstrap_servers": dev.bootstrap_servers, "topics": topics, **options}
    return topics_helpers.run_module(args, tmp=tmp_path, check=check)


def shape(admin: Any, name: str) -> tuple[int, int] | None:
    """(partitions, replication factor) of a topic, or None when it does not exist."""
    (topic,) = admin.describe_topics([name])
    if topic["error_code"]:
        return None
    partitions = topic["partitions"]
    return len(partitions), max(len(p["replica_nodes"]) for p in partitions)


def overrides(admin: Any, name: str) -> dict[str, str]:
    described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])["topic"][name]
    return {k: v["value"] for k, v in described.items() if v["config_source"] == "DYNAMIC_TOPIC_CONFIG"}


def test_creates_missing_topics_and_a_rerun_changes_nothing(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    a, b = unique("orders"), unique("defaults")
    topics: list[dict[str, Any]] = [
        {
            "name": a,
            "partitions": 3,
            "replication_factor": 1,
            "config": {"retention.ms": 86400000, "cleanup.policy": "delete"},
        },
        {"name": b},
    ]
    rc, result = apply(dev_kafka, tmp_path, topics)
    assert rc == 0, result.get("msg", result)
    assert result["changed"] is True
    assert result["created"] == [a, b]
    assert shape(admin, a) == (3, 1)
    assert shape(admin, b) == (1, 1)  # the dev broker's num.partitions / default RF
    assert overrides(admin, a) == {"retention.ms": "86400000", "cleanup.policy": "delete"}

    rc, again = apply(dev_kafka, tmp_path, topics)
    assert rc == 0
    assert again["changed"] is False
    assert [t["action"] for t in again["topics"]] == ["none", "none"]
    assert again["diff"] == []


def test_raises_partitions_and_sets_configs(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    name = unique("grow")
    apply(dev_kafka, tmp_path, [{"name": name, "partitions": 2, "replication_factor": 1}])
    rc, result = apply(
        dev_kafka,
        tmp_path,
        [{"name": name, "partitions": 5, "replication_factor": 1, "config": {"retention.ms": 3600000}}],
    )
    assert rc == 0 and result["changed"] is True
    assert result["updated"] == [name]
    assert result["topics"][0]["changes"] == ["partitions 2 -> 5", "config retention.ms: (default) -> 3600000"]
    assert shape(admin, name) == (5, 1)
    assert overrides(admin, name) == {"retention.ms": "3600000"}


def test_check_mode_changes_nothing_but_reports_it(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    existing, missing = unique("checked"), unique("never")
    apply(dev_kafka, tmp_path, [{"name": existing, "partitions": 1, "replication_factor": 1}])
    wanted = [
        {"name": existing, "partitions": 4, "replication_factor": 1, "config": {"retention.ms": 1000}},
        {"name": missing, "partitions": 1, "replication_factor": 1},
    ]
    rc, result = apply(dev_kafka, tmp_path, wanted, check=True)
    assert rc == 0 and result["changed"] is True
    assert result["updated"] == [existing] and result["created"] == [missing]
    assert shape(admin, existing) == (1, 1)
    assert overrides(admin, existing) == {}
    assert shape(admin, missing) is None


def test_check_mode_reports_what_kafka_would_refuse(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    name = unique("toowide")
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "partitions": 1, "replication_factor": 3}], check=True)
    assert rc == 1
    assert "Replication factor: 3 larger than available brokers: 1." in result["msg"]
    assert shape(admin, name) is None


def test_diff_shows_before_and_after_per_topic(dev_kafka: Any, tmp_path: Path) -> None:
    name, new = unique("diffed"), unique("created")
    apply(
        dev_kafka,
        tmp_path,
        [{"name": name, "partitions": 1, "replication_factor": 1, "config": {"retention.ms": 1000}}],
    )
    rc, result = apply(
        dev_kafka,
        tmp_path,
        [
            {"name": name, "partitions": 2, "replication_factor": 1, "config": {"retention.ms": 2000}},
            {"name": new, "partitions": 1, "replication_factor": 1},
        ],
        check=True,
    )
    assert rc == 0
    diffs = {d["before_header"]: d for d in result["diff"]}
    assert diffs[f"topic {name} (before)"]["before"] == {
        "state": "present",
        "partitions": 1,
        "replication_factor": 1,
        "config": {"retention.ms": "1000"},
    }
    assert diffs[f"topic {name} (before)"]["after"] == {
        "state": "present",
        "partitions": 2,
        "replication_factor": 1,
        "config": {"retention.ms": "2000"},
    }
    assert diffs[f"topic {new} (before)"]["before"] == {"state": "absent"}
    assert diffs[f"topic {new} (before)"]["after"]["partitions"] == 1


def test_replication_factor_larger_than_brokers_fails_with_kafkas_message(
    dev_kafka: Any, admin: Any, tmp_path: Path
) -> None:
    fine, wide = unique("fine"), unique("wide")
    rc, result = apply(
        dev_kafka,
        tmp_path,
        [
            {"name": fine, "partitions": 1, "replication_factor": 1},
            {"name": wide, "partitions": 1, "replication_factor": 2},
        ],
    )
    assert rc == 1 and result["failed"] is True
    assert (
        f"topic '{wide}': Kafka refused to create it: Replication factor: 2 larger than available brokers: 1."
        in result["msg"]
    )
    assert "INVALID_REPLICATION_FACTOR" in result["msg"]
    # Kafka validated every change first: the good topic was not created either.
    assert "nothing was changed" in result["msg"]
    assert shape(admin, fine) is None
    assert result["changed"] is False


def test_bad_config_value_fails_naming_the_topic(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    name = unique("badcfg")
    apply(dev_kafka, tmp_path, [{"name": name, "partitions": 1, "replication_factor": 1}])
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "config": {"retention.ms": "a week"}}])
    assert rc == 1
    assert f"topic '{name}': Kafka refused the config change:" in result["msg"]
    assert "Invalid value a week for configuration retention.ms" in result["msg"]
    rc, result = apply(dev_kafka, tmp_path, [{"name": unique("newbad"), "config": {"retention.msec": 1}}])
    assert rc == 1
    assert "Unknown topic config name: retention.msec" in result["msg"]
    assert overrides(admin, name) == {}


def test_lower_partitions_and_replication_factor_changes_fail(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    name = unique("shrink")
    apply(dev_kafka, tmp_path, [{"name": name, "partitions": 3, "replication_factor": 1}])
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "partitions": 2, "allow_destructive": True}])
    assert rc == 1
    assert f"topic '{name}': cannot lower partitions from 3 to 2" in result["msg"]
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "replication_factor": 3}])
    assert rc == 1
    assert f"topic '{name}': replication factor is 1 on the cluster but 3 in the inventory" in result["msg"]
    rc, result = apply(
        dev_kafka, tmp_path, [{"name": name, "replication_factor": 3}], replication_factor_mismatch="warn"
    )
    assert rc == 0 and result["changed"] is False
    assert any("replication factor is 1" in str(w) for w in result["warnings"])
    assert shape(admin, name) == (3, 1)


def test_deletes_and_removes_overrides_only_with_allow_destructive(dev_kafka: Any, admin: Any, tmp_path: Path) -> None:
    name = unique("doomed")
    apply(
        dev_kafka,
        tmp_path,
        [{"name": name, "partitions": 1, "replication_factor": 1, "config": {"retention.ms": 1000}}],
    )

    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "config": {}}])
    assert rc == 0 and result["changed"] is False
    assert any("left as they are: retention.ms" in str(w) for w in result["warnings"])
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "config": {}, "allow_destructive": True}])
    assert rc == 0 and result["changed"] is True
    assert overrides(admin, name) == {}

    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "state": "absent"}])
    assert rc == 1
    assert f"topic '{name}': state is absent but the topic exists" in result["msg"]
    assert shape(admin, name) == (1, 1)
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "state": "absent", "allow_destructive": True}])
    assert rc == 0 and result["deleted"] == [name]
    rc, result = apply(dev_kafka, tmp_path, [{"name": name, "state": "absent", "allow_destructive": True}])
    assert rc == 0 and result["changed"] is False


def test_invalid_topic_name_is_named(dev_kafka: Any, tmp_path: Path) -> None:
    rc, result = apply(dev_kafka, tmp_path, [{"name": "bad name!", "partitions": 1}])
    assert rc == 1
    assert "topic 'bad name!': not a valid topic name" in result["msg"]
