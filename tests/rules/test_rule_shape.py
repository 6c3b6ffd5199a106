"""Every rule has one shape: one docstring format, one message style, one set of helpers.

- The docstring (``kafkalint explain``, docs/rules.md): a one-line summary, then bold-headed
  paragraphs in this order: **What it checks.**, **Why.**, **Kafka rejects it** (with
  Kafka's own message, for every rule where Kafka refuses the configuration), **Where.**,
  **Options.**, ``Problematic::`` and ``Correct::`` examples, **Source.**, **Proof.** (for
  every rule a live-cluster proof backs); no definition lists.
- Every finding's message is the problem, what it does, Kafka's words where it refuses, then
  the change to make: ``<problem>: <effect>[ (Kafka: "...")]; <change>``, the change in lower
  case (:func:`kafkalint.rules._report.message`).
- Rules read configs only through :mod:`kafkalint.rules._values` and listeners only through
  :mod:`kafkalint.listeners`: no typed read or listener parsing of their own.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from rulekit import inventory, run

from kafkalint import cli, engine
from kafkalint.rules import INTERNAL_ERROR_MODULE, MODULES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"

#: The docstring's paragraphs, in order; the first of each pair is required.
HEADINGS = (
    ("What it checks", True),
    ("Why", True),
    ("Kafka rejects it", False),
    ("Where", False),
    ("Options", False),
    ("Problematic", True),
    ("Correct", True),
    ("Source", True),
    ("Proof", False),
)
_BOLD = re.compile(r"^\*\*(?P<name>[^*]+?)(?:\s*\([^)]*\))?\.?\*\*")
_EXAMPLE = re.compile(r"^(?P<name>Problematic|Correct)\b")

#: Where Kafka itself refuses the configuration (POLICY-CATALOGUE.md, "Kafka rejects?").
KAFKA_REJECTS = {
    "KL104", "KL109", "KL202", "KL203", "KL204", "KL205", "KL206",
    "KL302", "KL303", "KL304", "KL306", "KL308", "KL401", "KL402", "KL404",
}  # fmt: skip
#: Rules a live-cluster proof backs (docs/proofs.md).
PROVED = {"KL101", "KL102", "KL104", "KL106", "KL202", "KL203", "KL204", "KL205", "KL206", "KL207", "KL208", "KL211"}
SHAPED = [INTERNAL_ERROR_MODULE, *MODULES]
RULES = list(MODULES)


def _id(module_name: str) -> str:
    return module_name.split("_", 1)[0].upper()


def headings(doc: str) -> list[str]:
    """The paragraph headings of a docstring, in order."""
    found = []
    for line in doc.splitlines():
        bold = _BOLD.match(line)
        example = _EXAMPLE.match(line)
        if bold:
            found.append(bold["name"])
        elif example:
            found.append(example["name"])
    return found


def definition_terms(doc: str) -> list[str]:
    """Lines at the margin followed by an indented paragraph that is no literal block."""
    lines = doc.splitlines()
    terms = []
    for index, line in enumerate(lines[:-1]):
        following = lines[index + 1]
        bullet = re.match(r"^([-*+]|\d+\.)\s", line)
        if line.strip() and not line[0].isspace() and following.startswith("    ") and not line.endswith("::"):
            terms += [] if bullet else [line]
    return terms


@pytest.mark.parametrize("module_name", SHAPED, ids=_id)
def test_docstring_format(module_name: str) -> None:
    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    doc = inspect.cleandoc(module.__doc__ or "")
    lines = doc.splitlines()
    assert len(lines[0]) >= 20 and lines[0].endswith("."), "a one-line summary, ending with a full stop"
    assert not lines[1].strip(), "a blank line after the summary"
    found = headings(doc)
    names = [name for name, _ in HEADINGS]
    unknown = [name for name in found if name not in names]
    assert not unknown, f"headings not of the format: {unknown}"
    assert found == sorted(found, key=names.index), f"headings out of order: {found}"
    assert len(found) == len(set(found)), f"a heading twice: {found}"
    missing = [name for name, required in HEADINGS if required and name not in found]
    if module.ID in KAFKA_REJECTS:
        missing += [] if "Kafka rejects it" in found else ["Kafka rejects it"]
    if module.ID in PROVED:
        missing += [] if "Proof" in found else ["Proof"]
    assert not missing, f"the docstring lacks: {missing}"
    assert not definition_terms(doc), f"definition lists instead of bold headings: {definition_terms(doc)}"
    if "Kafka rejects it" in found:
        section = doc.split("**Kafka rejects it**", 1)[1]
        assert "::" in section.split("\n\n", 1)[0], "Kafka's message as a literal block (Kafka rejects it ...::)"


MESSAGE = re.compile(r'^(?P<problem>\S.*?): (?P<effect>.+?)(?: \(Kafka: ".+"\))?; (?P<change>[a-z].*)$')


def message_problems(text: str) -> list[str]:
    match = MESSAGE.match(text)
    if match is None:
        return [f"not '<problem>: <effect>; <change>': {text}"]
    if match["problem"][:1].isupper() and match["problem"].split()[0] in ("Set", "Remove", "Lower", "Make", "List"):
        return [f"starts with the change instead of the problem: {text}"]
    return []


def test_message_shape_rejects_the_old_style() -> None:
    assert message_problems("Set acks=all (not acks=1): the producer refuses to start")
    assert not message_problems(
        'acks=1 with enable.idempotence=true: the producer does not start (Kafka: "Must set acks to all"); set acks=all'
    )


@pytest.mark.parametrize("module_name", RULES, ids=_id)
def test_messages_say_the_problem_then_the_change(module_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding of the rule's failing fixture has the one message shape."""
    import test_rule_fixtures as fixtures  # tests/ is on the path of the top-level fixture test

    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    directory = FIXTURES / module.ID / "fail"
    monkeypatch.chdir(directory)
    config = cli.config_from_options(fixtures.options(directory))
    rule = fixtures.rule_of(module_name)
    findings = engine.lint_paths(fixtures.inputs(directory), config, rules=[rule])
    assert findings
    problems = [problem for finding in findings for problem in message_problems(finding.message)]
    assert not problems
    assert all(finding.subject and finding.hint for finding in findings)


#: Typed reads and listener parsing that belong to the shared helpers, not to a rule.
FORBIDDEN = {
    r"\bconfig\.get\(": "a typed read: use kafkalint.rules._values",
    r"\.kafka_default\(": "a default read: use kafkalint.rules._values.kafka_default",
    r"\bcoerce\(": "a typed read: use kafkalint.rules._values",
    r"ConfigMap\(": "a probe config for defaults: use kafkalint.rules._values.kafka_default",
    r"re\.compile\([^)]*://": "listener parsing: use kafkalint.listeners",
    r"[\"']://[\"']": "listener parsing: use kafkalint.listeners",
    r"\bdef as_(int|bool|list)\b": "a typed read of its own: use kafkalint.rules._values",
}


@pytest.mark.parametrize("module_name", RULES, ids=_id)
def test_rules_use_the_shared_helpers(module_name: str) -> None:
    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    source = inspect.getsource(module)
    code = source.split('"""', 2)[2]  # the docstring may show listeners
    used = [f"{pattern}: {why}" for pattern, why in FORBIDDEN.items() if re.search(pattern, code)]
    assert not used


def test_helpers_are_one_per_concern() -> None:
    """No rule imports from a helper module that is gone, and no helper module is unused."""
    rules_dir = Path(importlib.import_module("kafkalint.rules").__file__ or "").parent
    helpers = {path.stem for path in rules_dir.glob("_*.py") if path.stem != "__init__"}
    assert helpers == {"_values", "_report", "_cluster", "_replication", "_producer", "_logconfig"}
    sources = "\n".join(path.read_text(encoding="utf-8") for path in rules_dir.glob("kl*.py"))
    for helper in helpers:
        assert f"kafkalint.rules.{helper}" in sources or f"import {helper}" in sources, f"{helper} is unused"


@pytest.mark.parametrize("module_name", RULES, ids=_id)
def test_clean_cluster_has_no_findings(module_name: str) -> None:
    cluster = inventory(
        brokers=[{"broker.rack": rack} for rack in "abc"],
        common={
            "min.insync.replicas": 2,
            "default.replication.factor": 3,
            "auto.create.topics.enable": False,
            "offsets.topic.replication.factor": 3,
            "transaction.state.log.replication.factor": 3,
            "transaction.state.log.min.isr": 2,
            "num.partitions": 6,
        },
        topics=[{"name": "orders", "partitions": 6, "replication_factor": 3, "config": {"min.insync.replicas": 2}}],
        producers=[
            {
                "name": "orders-service",
                "topics": ["orders"],
                "config": {"acks": "all", "request.timeout.ms": 40000, "bootstrap.servers": "kafka1:9092,kafka2:9092"},
            }
        ],
    )
    assert run(_id(module_name), cluster) == []


@pytest.mark.parametrize("module_name", RULES, ids=_id)
def test_every_rule_has_its_test_module(module_name: str) -> None:
    path = Path(__file__).resolve().parent / f"test_{module_name.split('_', 1)[0]}.py"
    assert path.is_file(), f"{path.name} is missing: every rule has a test module of its own"
