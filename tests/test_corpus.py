"""kafkalint on configurations others wrote: the shared corpus and its expected verdicts.

``../shared/corpus`` (beside the checkout, as in CI) holds about 55 real files from public
repositories and ``EXPECTED.tsv``: per run, the files linted together, the Kafka version, the
rule ids a correct linter reports (``must_report``) and the ids that must not be errors there
(``must_not_error``). This test lints every run through the command line and counts, per run
and in total:

- **false errors**: a ``must_not_error`` id reported at error level;
- **misses**: a ``must_report`` id not reported at all;
- **refused valid inputs**: exit code 2 where a correct linter reads the input.

The target is 0, 0, 0. Runs that wait on another branch's work are listed in
:data:`WAITING` (with the branch); inputs kafkalint rightly refuses in :data:`NOT_INPUTS`;
verdicts this project disagrees with in :data:`DISAGREEMENTS`, each with its reason and
source. Nothing else is excused: a waiting run that passes must leave the list, and a missing
corpus fails the test instead of skipping it. The figures are printed at the end of the run
(``pytest tests/test_corpus.py``).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kafkalint import cli

CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared" / "corpus"

#: Runs whose verdicts need another branch's work: run -> (branch, what it needs).
WAITING: dict[str, tuple[str, str]] = {}  # wip/untrusted closed sleighzy-template, stupnikov-root, strimzi-dir

#: Inputs that are not configurations kafkalint reads: exit 2 with one clear line is right.
NOT_INPUTS: dict[str, str] = {
    "strimzi-cr": (
        "a Strimzi Kafka custom resource (Kubernetes YAML), neither a kafkalint cluster file nor an Ansible "
        "inventory; named explicitly, it is refused with that line (its derived server.properties is linted in "
        "strimzi038-server)"
    ),
    "cpansible-head": (
        "a cp-ansible inventory: another tool's contract (no kafka_broker_id); issue 10 item 7 asks for one line "
        "saying which contract kafkalint reads and what is missing, which is a refusal (wording: wip/untrusted)"
    ),
    "cpansible-798": ("a cp-ansible inventory, as cpansible-head"),
    "stupnikov-inventory": (
        "an inventory whose ids live in playbook-level host_vars (../host_vars beside the playbook, which "
        "ansible-inventory does not read for this path): item 7, a refusal naming what is missing"
    ),
}

#: Verdicts of EXPECTED.tsv this project disagrees with: run -> {rule id: reason and source}.
DISAGREEMENTS: dict[str, dict[str, str]] = {}


@dataclass
class Outcome:
    run: str
    code: int
    reported: dict[str, set[str]] = field(default_factory=dict)
    false_errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    refused: bool = False

    @property
    def clean(self) -> bool:
        return not (self.false_errors or self.misses or self.refused)

    def line(self) -> str:
        parts = []
        if self.false_errors:
            parts.append(f"false errors {','.join(self.false_errors)}")
        if self.misses:
            parts.append(f"misses {','.join(self.misses)}")
        if self.refused:
            parts.append("refused (exit 2)")
        waiting = WAITING.get(self.run)
        note = f"  [waits on {waiting[0]}]" if waiting else ("  [not an input]" if self.run in NOT_INPUTS else "")
        return f"{self.run:24} exit {self.code}  {'; '.join(parts) or 'ok'}{note}"


def _ids(text: str) -> list[str]:
    return [item for item in text.split(",") if item and item != "-"]


def runs() -> list[dict[str, str]]:
    expected = CORPUS / "EXPECTED.tsv"
    if not expected.is_file():
        pytest.fail(
            f"the corpus is missing: {expected.resolve()} not found. It lives in ../shared/corpus beside the "
            f"checkout (as in CI); this test never skips",
            pytrace=False,
        )
    with expected.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def lint(row: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Outcome:
    report = tmp_path / f"{row['run']}.json"
    argv = ["--no-config", "--kafka-version", row["kafka_version"], "--format", "json", "--output", str(report)]
    code = cli.main([*argv, *row["paths"].split()])
    _, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, f"{row['run']}: {err}"
    outcome = Outcome(row["run"], code)
    if report.is_file():
        for finding in json.loads(report.read_text(encoding="utf-8"))["findings"]:
            outcome.reported.setdefault(finding["rule_id"], set()).add(finding["severity"])
    disagreed = DISAGREEMENTS.get(row["run"], {})
    outcome.false_errors = [
        rule
        for rule in _ids(row["must_not_error"])
        if "error" in outcome.reported.get(rule, ()) and rule not in disagreed
    ]
    outcome.misses = [
        rule for rule in _ids(row["must_report"]) if rule not in outcome.reported and rule not in disagreed
    ]
    outcome.refused = code == cli.EXIT_ERROR and row["run"] not in NOT_INPUTS
    return outcome


def test_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    rows = runs()
    monkeypatch.chdir(CORPUS)
    outcomes = [lint(row, tmp_path, capsys) for row in rows]
    counted = [outcome for outcome in outcomes if outcome.run not in WAITING]
    totals = (
        sum(len(outcome.false_errors) for outcome in outcomes),
        sum(len(outcome.misses) for outcome in outcomes),
        sum(outcome.refused for outcome in outcomes),
    )
    mine = (
        sum(len(outcome.false_errors) for outcome in counted),
        sum(len(outcome.misses) for outcome in counted),
        sum(outcome.refused for outcome in counted),
    )
    lines = [outcome.line() for outcome in outcomes]
    lines.append(
        f"corpus: {len(outcomes)} runs: {totals[0]} false errors, {totals[1]} misses, {totals[2]} refused valid "
        f"inputs in total; {mine[0]}, {mine[1]}, {mine[2]} outside the {len(WAITING)} runs waiting on other branches"
    )
    # tests/conftest.py prints these at the end of every run that includes this test.
    request.node.user_properties.append(("corpus", "\n".join(lines)))

    known = {row["run"] for row in rows}
    stale = sorted((set(WAITING) | set(NOT_INPUTS) | set(DISAGREEMENTS)) - known)
    assert not stale, f"lists name runs the corpus does not have: {stale}"
    failing = [outcome.line() for outcome in counted if not outcome.clean]
    assert not failing, "\n".join(failing)
    passing_waits = [outcome.run for outcome in outcomes if outcome.run in WAITING and outcome.clean]
    assert not passing_waits, f"these runs pass now: take them out of WAITING: {passing_waits}"
    wrongly_excused = [
        outcome.run for outcome in outcomes if outcome.run in NOT_INPUTS and outcome.code != cli.EXIT_ERROR
    ]
    assert not wrongly_excused, f"read now, so no longer 'not an input': {wrongly_excused}"
