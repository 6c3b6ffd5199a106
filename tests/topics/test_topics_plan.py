"""The kafka_topics module's planning, without a cluster: what it would do for each
declared/current pair, and that it never plans anything destructive without the flag."""

from __future__ import annotations

from typing import Any

import pytest
import topics_helpers

from kafkalint import effective

mod = topics_helpers.load(topics_helpers.MODULE_PATH, "kafka_topics_module")


def desired(**entry: Any) -> Any:
    parsed, errors = mod.parse_entry({"name": "orders", **entry})
    assert not errors, errors
    return parsed


def current(partitions: int = 3, rf: int = 3, **overrides: str) -> Any:
    return mod.Current(partitions, rf, {key.replace("_", "."): value for key, value in overrides.items()})


def test_missing_topic_is_created_with_its_config() -> None:
    plan = mod.plan_topic(desired(partitions=6, replication_factor=3, config={"min.insync.replicas": 2}), None)
    assert plan.action == "create"
    assert (plan.partitions, plan.replication_factor) == (6, 3)
    assert plan.set_config == {"min.insync.replicas": "2"}
    assert plan.before == {"state": "absent"}
    assert plan.after == {
        "state": "present",
        "partitions": 6,
        "replication_factor": 3,
        "config": {"min.insync.replicas": "2"},
    }


def test_omitted_counts_create_with_broker_defaults() -> None:
    plan = mod.plan_topic(desired(), None)
    assert plan.action == "create"
    assert plan.partitions is None and plan.replication_factor is None
    assert plan.changes == ["create the topic (partitions default, replication factor default)"]


def test_equal_topic_plans_nothing() -> None:
    plan = mod.plan_topic(
        desired(partitions=3, replication_factor=3, config={"min.insync.replicas": 2, "cleanup.policy": "delete"}),
        current(min_insync_replicas="2", cleanup_policy="delete"),
    )
    assert plan.action == "none" and not plan.changed and plan.changes == [] and plan.errors == []
    assert plan.before == plan.after


def test_more_partitions_are_added() -> None:
    plan = mod.plan_topic(desired(partitions=12), current(partitions=6))
    assert plan.action == "update" and plan.partitions == 12
    assert plan.changes == ["partitions 6 -> 12"]
    assert (plan.before["partitions"], plan.after["partitions"]) == (6, 12)


def test_fewer_partitions_fail_naming_the_topic() -> None:
    plan = mod.plan_topic(desired(partitions=2, config={"retention.ms": 1}), current(partitions=6))
    assert plan.action == "none" and plan.changes == []
    assert len(plan.errors) == 1
    assert "topic 'orders': cannot lower partitions from 6 to 2" in plan.errors[0]


def test_fewer_partitions_fail_even_with_allow_destructive() -> None:
    plan = mod.plan_topic(desired(partitions=2, allow_destructive=True), current(partitions=6))
    assert plan.errors and plan.action == "none"


@pytest.mark.parametrize(("mode", "errors", "warnings"), [("fail", 1, 0), ("warn", 0, 1)])
def test_replication_factor_change_is_not_done(mode: str, errors: int, warnings: int) -> None:
    plan = mod.plan_topic(desired(replication_factor=3), current(rf=1), mode)
    assert (len(plan.errors), len(plan.warnings)) == (errors, warnings)
    message = (plan.errors + plan.warnings)[0]
    assert "topic 'orders': replication factor is 1 on the cluster but 3 in the inventory" in message
    assert plan.action == "none"


def test_config_values_are_set_when_they_differ_or_are_missing() -> None:
    plan = mod.plan_topic(
        desired(config={"retention.ms": 86400000, "min.insync.replicas": 2}), current(min_insync_replicas="1")
    )
    assert plan.action == "update"
    assert plan.set_config == {"min.insync.replicas": "2", "retention.ms": "86400000"}
    assert plan.changes == ["config min.insync.replicas: 1 -> 2", "config retention.ms: (default) -> 86400000"]


def test_unlisted_override_is_kept_with_a_warning() -> None:
    plan = mod.plan_topic(desired(config={}), current(retention_ms="1000"))
    assert plan.action == "none" and plan.delete_config == []
    assert plan.after["config"] == {"retention.ms": "1000"}
    assert "left as they are: retention.ms" in plan.warnings[0]


def test_unlisted_override_is_removed_with_allow_destructive() -> None:
    plan = mod.plan_topic(desired(config={}, allow_destructive=True), current(retention_ms="1000"))
    assert plan.action == "update" and plan.delete_config == ["retention.ms"]
    assert plan.after["config"] == {}
    assert plan.changes == ["config retention.ms: 1000 -> (default)"]


def test_absent_topic_is_deleted_only_with_allow_destructive() -> None:
    refused = mod.plan_topic(desired(state="absent"), current())
    assert refused.action == "none"
    assert "set allow_destructive: true on this entry to delete it" in refused.errors[0]
    allowed = mod.plan_topic(desired(state="absent", allow_destructive=True), current())
    assert allowed.action == "delete" and allowed.after == {"state": "absent"}


def test_absent_topic_that_does_not_exist_is_fine() -> None:
    plan = mod.plan_topic(desired(state="absent"), None)
    assert plan.action == "none" and not plan.errors


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": ""}, "'name' is required"),
        ({"name": "t", "partitions": 0}, "partitions must be a whole number of at least 1"),
        ({"name": "t", "replication_factor": True}, "replication_factor must be a whole number"),
        ({"name": "t", "config": ["a"]}, "config must be a mapping"),
        ({"name": "t", "config": {"retention.ms": None}}, "config retention.ms has no value"),
        ({"name": "t", "state": "gone"}, "state must be present or absent"),
    ],
)
def test_bad_entries_are_named(entry: dict[str, Any], message: str) -> None:
    parsed, errors = mod.parse_entry(entry)
    assert parsed is None
    assert any(message in error for error in errors), errors


def test_duplicates_stop_the_plan() -> None:
    _, errors = mod.plan_all([{"name": "a"}, {"name": "a"}], {})
    assert errors == ["topic 'a': declared more than once"]


@pytest.mark.parametrize("value", [True, False, 3, 0.5, "compact", ["compact", "delete"], [1, True]])
def test_config_text_matches_the_rendered_properties(value: Any) -> None:
    # The module may not import kafkalint (it runs on any controller Python), so it keeps its
    # own copy of the rule; this keeps the two equal.
    assert mod.config_text(value) == effective.render_value(value)


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("k1:9093", ("k1", 9093)),
        ("k1", ("k1", 9092)),
        ("[::1]:29092", ("::1", 29092)),
        ("[fe80::1]", ("fe80::1", 9092)),
    ],
)
def test_split_server(server: str, expected: tuple[str, int]) -> None:
    assert mod.split_server(server) == expected
