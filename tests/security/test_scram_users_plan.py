"""The kafka_scram_users module's planning, without a cluster."""

from __future__ import annotations

from typing import Any

import pytest
import security_helpers

mod = security_helpers.load(security_helpers.SCRAM_MODULE)


def desired(**entry: Any) -> Any:
    parsed, errors = mod.parse_entry({"name": "orders-app", "password": "s3cret-value", **entry}, 0)
    assert not errors, errors
    return parsed


def test_missing_credential_is_created() -> None:
    plan = mod.plan_user(desired(), None, None, "on_mismatch")
    assert (plan.action, plan.iterations) == ("create", 8192)
    assert plan.before == {"state": "absent"}
    assert plan.after == {"state": "present", "iterations": 8192, "password": "(set)"}
    assert plan.changes == ["create the SCRAM-SHA-512 credential (8192 iterations)"]


def test_same_credential_plans_nothing() -> None:
    plan = mod.plan_user(desired(), 8192, True, "on_mismatch")
    assert plan.action == "none" and not plan.changes
    assert plan.before == plan.after


def test_a_password_that_does_not_authenticate_is_replaced() -> None:
    plan = mod.plan_user(desired(), 8192, False, "on_mismatch")
    assert plan.action == "update"
    assert plan.after["password"] == "(changed)"
    assert plan.changes == ["SCRAM-SHA-512 password replaced (the declared one did not authenticate)"]


def test_other_iterations_are_updated() -> None:
    plan = mod.plan_user(desired(iterations=16384), 4096, True, "on_mismatch")
    assert plan.action == "update"
    assert (plan.before["iterations"], plan.after["iterations"]) == (4096, 16384)


def test_on_create_never_replaces_an_existing_credential() -> None:
    assert mod.plan_user(desired(iterations=16384), 4096, None, "on_create").action == "none"
    assert mod.plan_user(desired(), None, None, "on_create").action == "create"
    assert not mod.needs_password_check(desired(), 8192, "on_create")
    assert mod.needs_password_check(desired(), 8192, "on_mismatch")
    assert not mod.needs_password_check(desired(), None, "on_mismatch")


def test_absent_deletes_only_an_existing_credential() -> None:
    gone = desired(state="absent", password=None)
    assert mod.plan_user(gone, None, None, "on_mismatch").action == "none"
    plan = mod.plan_user(gone, 8192, None, "on_mismatch")
    assert plan.action == "delete"
    assert (plan.before, plan.after) == ({"state": "present", "iterations": 8192}, {"state": "absent"})


def test_plans_and_diffs_never_hold_the_password() -> None:
    wanted = [desired(), desired(name="b", password="other-s3cret-value")]
    current = {("b", "SCRAM-SHA-512"): 8192}
    plans = mod.plan_all(wanted, current, {"b": False}, "on_mismatch")
    text = repr(plans) + repr(mod._diff(plans)) + repr(mod._summary(plans))
    assert "s3cret" not in text
    assert [p.action for p in plans] == ["create", "update"]


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ({"name": "CN=kafka1", "password": "x"}, "a name like CN=kafka1"),
        ({"name": "a,b", "password": "x"}, "the name must be"),
        ({"name": "", "password": "x"}, "the name must be"),
        ({"name": "ok"}, "a password is required"),
        ({"name": "ok", "password": "x", "iterations": 4095}, "from 4096 to 16384"),
        ({"name": "ok", "password": "x", "iterations": True}, "from 4096 to 16384"),
        ({"name": "ok", "password": "x", "mechanism": "PLAIN"}, "mechanism must be one of"),
        ({"name": "ok", "password": "x", "state": "gone"}, "state must be present or absent"),
    ],
)
def test_unusable_entries_are_refused_without_the_password(entry: dict[str, Any], fragment: str) -> None:
    parsed, errors = mod.parse_entry(entry, 3)
    assert parsed is None
    assert any(fragment in error for error in errors), errors
    assert "'x'" not in " ".join(errors)


def test_a_user_and_mechanism_declared_twice_is_an_error() -> None:
    entries = [
        {"name": "a", "password": "x"},
        {"name": "a", "password": "y"},
        {"name": "a", "password": "z", "mechanism": "SCRAM-SHA-256"},
    ]
    parsed, errors = mod.parse_all(entries)
    assert [d.mechanism for d in parsed] == ["SCRAM-SHA-512", "SCRAM-SHA-256"]
    assert errors == ["user 'a': SCRAM-SHA-512 is declared more than once"]


def test_the_module_refuses_bad_entries_before_connecting(tmp_path: Any) -> None:
    rc, result, output = security_helpers.run_module(
        security_helpers.SCRAM_MODULE,
        {"bootstrap_servers": ["127.0.0.1:1"], "users": [{"name": "a=b", "password": "hunter2-value"}]},
        tmp=tmp_path,
    )
    assert rc == 1
    assert result["msg"].startswith("kafka_scram_users: 1 problem(s), nothing was changed: user 'a=b'")
    assert "hunter2-value" not in output
