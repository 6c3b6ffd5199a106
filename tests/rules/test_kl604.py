"""Rule KL604 on models built in Python (its fixtures: tests/fixtures/rules/KL604/)."""

from __future__ import annotations

import pytest
from rulekit import Builder, run


@pytest.mark.parametrize(("value", "count"), [("true", 1), ("TRUE", 1), (True, 1), ("false", 0), (False, 0)])
def test_kl604_allow_everyone(value: object, count: int) -> None:
    builder = Builder().broker_config("kafka1", {"allow.everyone.if.no.acl.found": value})
    assert len(run("KL604", builder)) == count


def test_kl604_unset_is_fine() -> None:
    assert run("KL604", Builder().broker_config("kafka1", {})) == []
