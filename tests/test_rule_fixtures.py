"""The fixture test every rule relies on.

For each rule id, ``tests/fixtures/rules/<ID>/fail/`` must produce exactly the findings of that
rule listed in ``fail/expected.txt`` (one ``<ID> <severity> <relative path>:<line>:<column>``
per line, ``:<column>`` left out where the source has none (an INI inventory), ``:<line>`` too
where the finding has no line; blank lines and ``#`` comments ignored; only findings of the
rule's own id are compared) and ``tests/fixtures/rules/<ID>/pass/`` none of that rule.

The files linted are the fixture directory's ``.properties``, ``.cfg``, ``.yml`` / ``.yaml``
files and its subdirectories (inventory directories), read through the real loader with
``engine.lint_paths`` from inside the fixture directory, so paths in findings are relative to
it. An optional ``kafkalint-args.txt`` beside ``fail/`` and ``pass/`` (both cases) or inside
one of them passes lint options, e.g. ``--kafka-version 4.0``.
"""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import pytest

from kafkalint import cli, engine
from kafkalint.findings import Finding
from kafkalint.model import Location
from kafkalint.rules import MODULES, Rule

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
SUFFIXES = (".properties", ".cfg", ".yml", ".yaml")
ARGS_FILE = "kafkalint-args.txt"
EXPECTED_FILE = "expected.txt"
EXPECTED_LINE = re.compile(r"KL\d{3} (error|warning|info) \S+?(:\d+(:\d+)?)?")


def rule_of(module_name: str) -> Rule:
    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    return Rule(module.ID, module.NAME, module.SEVERITY, module.__doc__ or "", module)


def inputs(directory: Path) -> list[str]:
    """What to lint in a fixture directory, relative to it."""
    chosen = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or (entry.suffix in SUFFIXES and entry.name != ARGS_FILE):
            chosen.append(entry.name)
    return chosen


def options(directory: Path) -> list[str]:
    args: list[str] = []
    for candidate in (directory.parent / ARGS_FILE, directory / ARGS_FILE):
        if candidate.is_file():
            for line in candidate.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    args.extend(shlex.split(line))
    return args


def expected(directory: Path, rule_id: str) -> list[str]:
    path = directory / EXPECTED_FILE
    assert path.is_file(), f"{path} is missing: list the expected findings as '<ID> <severity> <path>:<line>:<column>'"
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(" ".join(line.split()))
    assert lines, f"{path} lists no finding: a failing fixture must fail"
    other = [line for line in lines if not line.startswith(f"{rule_id} ")]
    assert not other, f"{path} lists findings of other rules: {other}"
    malformed = [line for line in lines if not EXPECTED_LINE.fullmatch(line)]
    assert not malformed, f"{path}: not '<ID> <severity> <path>:<line>:<column>': {malformed}"
    return sorted(lines)


def actual(directory: Path, rule: Rule, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    assert directory.is_dir(), f"{directory} is missing: every rule needs a failing and a passing fixture"
    monkeypatch.chdir(directory)
    paths = inputs(directory)
    assert paths, f"{directory} holds nothing to lint"
    config = cli.config_from_options(options(directory))
    findings = engine.lint_paths(paths, config, rules=[rule])
    return sorted(describe(finding) for finding in findings if finding.rule_id == rule.id)


def describe(finding: Finding) -> str:
    """A finding as ``expected.txt`` lists it."""
    location = Location(Path(finding.location.path).as_posix(), finding.location.line, finding.location.column)
    return f"{finding.rule_id} {finding.severity} {location}"


def _id(module_name: str) -> str:
    return module_name.split("_", 1)[0].upper()


@pytest.mark.parametrize("module_name", MODULES, ids=_id)
def test_failing_fixture(module_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = rule_of(module_name)
    directory = FIXTURES / rule.id / "fail"
    assert actual(directory, rule, monkeypatch) == expected(directory, rule.id)


@pytest.mark.parametrize("module_name", MODULES, ids=_id)
def test_passing_fixture(module_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = rule_of(module_name)
    assert actual(FIXTURES / rule.id / "pass", rule, monkeypatch) == []


def test_every_fixture_lints_with_the_whole_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rule crashes on any other rule's fixtures (an InternalError would fail here)."""
    directories = sorted(path for path in FIXTURES.glob("*/*") if path.is_dir())
    assert directories
    for directory in directories:
        monkeypatch.chdir(directory)
        engine.lint_paths(inputs(directory), cli.config_from_options(options(directory)))
