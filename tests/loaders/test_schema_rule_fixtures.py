"""KL001-KL003 on their fixture pairs: exact findings (id and line) through the loaders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kafkalint import engine
from kafkalint.loaders import load
from kafkalint.rules import by_id

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
RULES = ("KL001", "KL002", "KL003")


def _findings(directory: Path, rule_id: str) -> list[str]:
    previous = Path.cwd()
    os.chdir(directory)
    try:
        model = load(["."])
        result = engine.run(model, rules=[by_id()[rule_id]])
    finally:
        os.chdir(previous)
    return [f"{finding.rule_id} {finding.location.path}:{finding.location.line}" for finding in result.findings]


@pytest.mark.parametrize("rule_id", RULES)
def test_failing_fixture_gives_exactly_the_expected_findings(rule_id: str) -> None:
    directory = FIXTURES / rule_id / "fail"
    expected = (directory / "expected.txt").read_text(encoding="utf-8").split("\n")
    assert _findings(directory, rule_id) == [line for line in expected if line.strip()]


@pytest.mark.parametrize("rule_id", RULES)
def test_passing_fixture_is_clean(rule_id: str) -> None:
    assert _findings(FIXTURES / rule_id / "pass", rule_id) == []
