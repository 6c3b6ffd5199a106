"""The kafka_acls module's planning, without a cluster."""

from __future__ import annotations

from typing import Any

import pytest
import security_helpers

mod = security_helpers.load(security_helpers.ACL_MODULE)


def entry(**fields: Any) -> dict[str, Any]:
    base = {
        "principal": "User:orders-app",
        "resource_type": "topic",
        "resource_name": "orders",
        "operations": ["write"],
    }
    return {**base, **fields}


def parsed(*entries: dict[str, Any]) -> list[Any]:
    result, errors = mod.parse_all(list(entries))
    assert not errors, errors
    return result


def binding(operation: str = "write", principal: str = "User:orders-app", name: str = "orders", **fields: str) -> Any:
    values = {"resource_type": "topic", "pattern_type": "literal", "host": "*", "permission": "allow", **fields}
    return mod.Binding(
        values["resource_type"],
        name,
        values["pattern_type"],
        principal,
        values["host"],
        operation,
        values["permission"],
    )


def test_an_entry_expands_into_one_binding_per_operation() -> None:
    (result,) = parsed(entry(operations=["WRITE", "describe", "write"]))
    assert result.bindings == [binding("write"), binding("describe")]
    assert result.state == "present" and result.allow_destructive is False


def test_missing_bindings_are_created_and_a_rerun_plans_nothing() -> None:
    entries = parsed(entry(operations=["write", "describe"]))
    plan = mod.plan_acls(entries, set())
    assert plan.create == [binding("describe"), binding("write")]
    assert plan.delete == [] and plan.changed
    assert plan.diffs == [
        {
            "before_header": "topic orders (literal) ACLs (before)",
            "after_header": "topic orders (literal) ACLs (after)",
            "before": "",
            "after": "allow User:orders-app describe from *\nallow User:orders-app write from *\n",
        }
    ]
    again = mod.plan_acls(entries, {binding("write"), binding("describe")})
    assert not again.changed and again.diffs == []


def test_undeclared_bindings_are_kept_and_reported() -> None:
    intruder = binding("read", principal="User:someone")
    elsewhere = binding("read", name="other-topic")
    plan = mod.plan_acls(parsed(entry()), {binding("write"), intruder, elsewhere})
    assert not plan.changed
    assert plan.unmanaged == [intruder], "only on the resource patterns the list names"


def test_allow_destructive_removes_the_undeclared_bindings_of_its_resource() -> None:
    intruder = binding("read", principal="User:someone")
    elsewhere = binding("read", name="other-topic")
    plan = mod.plan_acls(parsed(entry(allow_destructive=True)), {binding("write"), intruder, elsewhere})
    assert plan.create == [] and plan.delete == [intruder]
    assert plan.diffs[0]["before"] == "allow User:orders-app write from *\nallow User:someone read from *\n"
    assert plan.diffs[0]["after"] == "allow User:orders-app write from *\n"


def test_absent_removes_exactly_its_bindings() -> None:
    plan = mod.plan_acls(parsed(entry(state="absent")), {binding("write"), binding("describe")})
    assert plan.delete == [binding("write")]
    assert plan.unmanaged == [binding("describe")]
    assert not mod.plan_acls(parsed(entry(state="absent")), set()).changed


def test_prefixed_and_literal_patterns_are_different_resources() -> None:
    plan = mod.plan_acls(parsed(entry(pattern_type="prefixed")), {binding("write")})
    assert plan.create == [binding("write", pattern_type="prefixed")]
    assert plan.unmanaged == [], "the literal binding is another resource pattern"


def test_present_and_absent_for_one_binding_is_an_error() -> None:
    _, errors = mod.parse_all([entry(), entry(state="absent")])
    assert errors == ["topic 'orders' (literal): allow User:orders-app write from *: declared both present and absent"]


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"principal": "orders-app"}, "principal must be '<Type>:<name>'"),
        ({"principal": "User:a;User:b"}, "principal must be"),
        ({"resource_type": "table"}, "resource_type must be one of"),
        ({"resource_name": ""}, "resource_name is required"),
        ({"resource_type": "cluster", "resource_name": "prod", "operations": ["alter"]}, "named 'kafka-cluster'"),
        ({"pattern_type": "match"}, "pattern_type must be literal or prefixed"),
        ({"pattern_type": "prefixed", "resource_name": "*"}, "only with pattern_type literal"),
        ({"permission": "maybe"}, "permission must be allow or deny"),
        ({"host": "app1.example"}, "host must be an IP address"),
        ({"operations": []}, "operations must be a non-empty list"),
        ({"operations": ["idempotent_write"]}, "topic has no operation(s) idempotent_write"),
        ({"resource_type": "group", "operations": ["write"]}, "group has no operation(s) write"),
        ({"state": "gone"}, "state must be present or absent"),
    ],
)
def test_what_kafka_would_refuse_is_refused_first(fields: dict[str, Any], fragment: str) -> None:
    result, errors = mod.parse_entry(entry(**fields), 2)
    assert result is None
    assert any(fragment in error for error in errors), errors


def test_cluster_and_wildcard_entries_are_accepted() -> None:
    (cluster, wildcard) = parsed(
        entry(resource_type="cluster", resource_name="kafka-cluster", operations=["idempotent_write", "describe"]),
        entry(resource_name="*", operations=["describe"], host="10.0.0.7", permission="deny"),
    )
    assert [b.operation for b in cluster.bindings] == ["idempotent_write", "describe"]
    assert wildcard.bindings == [binding("describe", name="*", host="10.0.0.7", permission="deny")]


def test_the_module_refuses_bad_entries_before_connecting(tmp_path: Any) -> None:
    rc, result, _ = security_helpers.run_module(
        security_helpers.ACL_MODULE,
        {"bootstrap_servers": ["127.0.0.1:1"], "acls": [entry(operations=["fly"])]},
        tmp=tmp_path,
    )
    assert rc == 1
    assert "topic has no operation(s) fly" in result["msg"]
    assert result["msg"].startswith("kafka_acls: 1 problem(s), nothing was changed")
