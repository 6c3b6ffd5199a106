"""Rule KL201 on models built in Python (its fixtures: tests/fixtures/rules/KL201/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    lines,
    producer_findings,
)


def test_kl201_acks0_with_written_retries() -> None:
    findings, builder = producer_findings("KL201", {"acks": 0, "retries": 3})
    assert lines(findings) == [builder.line("app", "acks")]
    assert findings[0].severity is None
    assert "retries=3" in findings[0].message


@pytest.mark.parametrize("values", [{"acks": "0"}, {"acks": "0", "retries": 0}, {"acks": "1", "retries": 3}])
def test_kl201_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL201", values)[0] == []
