"""Rule KL306 on models built in Python (its fixtures: tests/fixtures/rules/KL306/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)


def test_kl306_boundaries() -> None:
    assert run("KL306", inventory(common={"queued.max.request.bytes": 104857600})) == []
    assert run("KL306", inventory(common={"queued.max.request.bytes": -1})) == []
    findings = run("KL306", inventory(common={"queued.max.request.bytes": 104857599}))
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert '"queued.max.request.bytes must be larger or equal to socket.request.max.bytes"' in findings[0].message
    raised = inventory(common={"queued.max.request.bytes": 1000, "socket.request.max.bytes": 999})
    assert run("KL306", raised) == []
