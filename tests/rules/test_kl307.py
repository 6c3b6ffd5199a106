"""Rule KL307 on models built in Python (its fixtures: tests/fixtures/rules/KL307/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)


def test_kl307_names_compacted_topics() -> None:
    cluster = inventory(
        common={"log.cleaner.enable": "false"},
        topics=[{"name": "state", "config": {"cleanup.policy": "compact,delete"}}, {"name": "logs"}],
    )
    findings = run("KL307", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "__consumer_offsets and state grow" in findings[0].message
    assert run("KL307", inventory(common={"log.cleaner.enable": True})) == []
