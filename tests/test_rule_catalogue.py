"""The rule registry against the policy catalogue (POLICY-CATALOGUE.md) and its own rules:
ids unique and well formed, module names matching, documentation complete, severities as
catalogued, a failing and a passing fixture for every rule, docs/rules.md up to date."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kafkalint.findings import Severity
from kafkalint.rules import MODULES, Rule, all_rules, documented

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rules"

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - the catalogue's letters
#: Each id with its catalogued severity (KL107 and KL301 raise some findings to error; the
#: rule's SEVERITY is the catalogue's base level). KL004 (suppressions), KL005 (values that
#: cannot be judged), KL006 (properties that cannot be written as one line) and KL309 (data
#: under /tmp, the issue's addition at the end of the KL3xx block) are kafkalint's own.
CATALOGUE: dict[str, Severity] = {
    "KL001": E, "KL002": E, "KL003": E, "KL004": W, "KL005": W, "KL006": E,
    "KL101": E, "KL102": E, "KL103": W, "KL104": E, "KL105": W, "KL106": E, "KL107": W, "KL108": E, "KL109": W,
    "KL201": W, "KL202": E, "KL203": E, "KL204": E, "KL205": E, "KL206": E, "KL207": W, "KL208": E, "KL209": W,
    "KL210": E, "KL211": W, "KL212": W, "KL213": E, "KL214": I,
    "KL301": W, "KL302": E, "KL303": E, "KL304": E, "KL305": W, "KL306": E, "KL307": E, "KL308": E, "KL309": E,
    "KL401": E, "KL402": E, "KL403": W, "KL404": E,
    "KL501": W, "KL502": E, "KL503": E, "KL504": E, "KL505": E, "KL506": E, "KL507": W,
    "KL601": E, "KL602": E, "KL603": W, "KL604": E, "KL605": E, "KL606": W, "KL607": W, "KL608": E,
}  # fmt: skip

#: What a rule's docstring must contain, as a line that starts with one of the words
#: (plain, **bold**, a definition-list term or an underlined title).
SECTIONS = {
    "rationale": r"why|rationale",
    "problematic example": r"problematic|bad|incorrect|unsafe",
    "correct example": r"correct|good|safe|fixed",
    "source": r"sources?|references?",
}


def _id(module_name: str) -> str:
    return module_name.split("_", 1)[0].upper()


def _module(module_name: str) -> ModuleType:
    return importlib.import_module(f"kafkalint.rules.{module_name}")


def test_module_names_are_unique_and_numbered() -> None:
    assert len(set(MODULES)) == len(MODULES)
    for name in MODULES:
        assert re.fullmatch(r"kl\d{3}_[a-z0-9]+(_[a-z0-9]+)*", name), name


def test_registry_holds_exactly_the_catalogue() -> None:
    ids = [_id(name) for name in MODULES]
    assert len(set(ids)) == len(ids), "duplicate rule ids"
    assert sorted(ids) == sorted(CATALOGUE)


def test_registry_loads() -> None:
    rules = all_rules()
    assert [rule.id for rule in rules] == [_id(name) for name in MODULES]


@pytest.mark.parametrize("module_name", MODULES, ids=_id)
def test_module_contract(module_name: str) -> None:
    module = _module(module_name)
    rule_id = _id(module_name)
    assert rule_id == module.ID
    assert re.fullmatch(r"KL\d{3}", module.ID)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", module.NAME), "NAME is kebab-case"
    assert module_name == f"{rule_id.lower()}_{module.NAME.replace('-', '_')}", "module name = id + NAME"
    assert isinstance(module.SEVERITY, Severity)
    assert module.SEVERITY is CATALOGUE[rule_id], "SEVERITY differs from POLICY-CATALOGUE.md"
    parameters = list(inspect.signature(module.check).parameters)
    assert parameters == ["model", "options"], "check(model, options)"


@pytest.mark.parametrize("module_name", MODULES, ids=_id)
def test_docstring_is_the_documentation(module_name: str) -> None:
    doc = inspect.cleandoc(_module(module_name).__doc__ or "")
    lines = doc.splitlines()
    assert lines and len(lines[0]) >= 20, "a one-line summary first"
    assert len(lines) > 1 and not lines[1].strip(), "a blank line after the summary"
    missing = []
    for section, words in SECTIONS.items():
        pattern = re.compile(rf"^\s*(\*\*)?({words})\b", re.IGNORECASE | re.MULTILINE)
        if not pattern.search("\n".join(lines[1:])):
            missing.append(section)
    assert not missing, f"the docstring lacks: {', '.join(missing)}"
    assert "::" in doc, "examples as literal blocks (Problematic:: / Correct::)"


@pytest.mark.parametrize("module_name", MODULES, ids=_id)
def test_fixture_pair_exists(module_name: str) -> None:
    rule_id = _id(module_name)
    for case in ("fail", "pass"):
        directory = FIXTURES / rule_id / case
        assert directory.is_dir(), f"{directory.relative_to(ROOT)} is missing"
        assert any(entry.name != "expected.txt" for entry in directory.iterdir()), f"{directory} is empty"
    assert (FIXTURES / rule_id / "fail" / "expected.txt").is_file()


def test_no_fixtures_for_unknown_rules() -> None:
    known = {_id(name) for name in MODULES}
    present = {path.name for path in FIXTURES.iterdir() if path.is_dir()} if FIXTURES.is_dir() else set()
    assert present <= known, f"fixtures without a rule: {sorted(present - known)}"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_rule_docs", module)
    spec.loader.exec_module(module)
    return module


def test_rule_docs_are_up_to_date() -> None:
    generator = _generator()
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == generator.render(documented()), "docs/rules.md is stale: run python scripts/gen_rule_docs.py"


def test_rule_docs_anchor_every_rule() -> None:
    from kafkalint.formatters import docs_anchor

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rule: Rule
    for rule in documented():
        assert f"\n## {rule.id} {rule.name}\n" in text
        assert f"(#{docs_anchor(rule.id, rule.name)})" in text
