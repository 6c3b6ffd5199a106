"""Baselines: write, read back, survive unrelated edits, reject broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import run

from kafkalint import baseline, cli

pytestmark = pytest.mark.usefixtures("fake_rules")


def test_round_trip(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, out, err = run(capsys, "--write-baseline", "baseline.json", "server.properties")
    assert (code, out) == (cli.EXIT_OK, "")
    assert err == "kafkalint: wrote 2 findings to the baseline baseline.json\n"
    document = json.loads((broker_file.parent / "baseline.json").read_text())
    assert document["kafkalint_baseline"] == 1
    assert {entry["rule_id"] for entry in document["findings"]} == {"KL101", "KL107"}
    assert all("line" not in entry for entry in document["findings"])

    code, out, err = run(capsys, "--baseline", "baseline.json", "server.properties")
    assert (code, out) == (cli.EXIT_OK, "")
    assert err == "no findings in 1 file; 2 in the baseline\n"


def test_unrelated_edits_keep_the_baseline_and_new_findings_show(
    capsys: pytest.CaptureFixture[str], broker_file: Path
) -> None:
    run(capsys, "--write-baseline", "baseline.json", "server.properties")
    broker_file.write_text("# a new comment shifts every line\nnum.network.threads=3\n" + broker_file.read_text())
    assert run(capsys, "--baseline", "baseline.json", "server.properties")[0] == cli.EXIT_OK
    (broker_file.parent / "other.properties").write_text(
        "# kafkalint: kind=broker\nbroker.id=2\nlog.dirs=/k\nmin.insync.replicas=3\n"
    )
    code, out, err = run(capsys, "--baseline", "baseline.json", "server.properties", "other.properties")
    assert code == cli.EXIT_FINDINGS
    assert out.startswith("other.properties:4:1: KL101 error:")
    assert err == "1 finding (1 error) in 2 files; 2 in the baseline\n"


def test_baseline_counts_identical_findings(broker_file: Path) -> None:
    from kafkalint import engine

    findings = engine.lint_paths(["server.properties"])
    accepted = baseline.Baseline(str(broker_file.parent))
    key = accepted.key(findings[0])
    accepted.entries[key] = 1
    new, known = accepted.filter([findings[0], findings[0]])
    assert (len(new), len(known)) == (1, 1)


def test_baseline_works_from_another_directory(
    capsys: pytest.CaptureFixture[str], broker_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "--write-baseline", "baseline.json", "server.properties")
    sub = broker_file.parent / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert run(capsys, "--baseline", "../baseline.json", "../server.properties")[0] == cli.EXIT_OK


def test_rewriting_keeps_baselined_findings(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    run(capsys, "--write-baseline", "baseline.json", "server.properties")
    run(capsys, "--baseline", "baseline.json", "--write-baseline", "baseline.json", "server.properties")
    assert len(json.loads((broker_file.parent / "baseline.json").read_text())["findings"]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "baseline.json:1:2: baseline is not valid JSON"),
        ('{"findings": []}', "baseline.json:1: not a kafkalint baseline"),
        ('{"kafkalint_baseline": 1}', 'baseline.json:1: baseline has no "findings" list'),
        ('{"kafkalint_baseline": 1, "findings": [{"rule_id": 1}]}', "baseline.json: baseline entry 1 needs"),
    ],
)
def test_broken_baseline_exits_2(
    capsys: pytest.CaptureFixture[str], broker_file: Path, text: str, expected: str
) -> None:
    (broker_file.parent / "baseline.json").write_text(text)
    code, out, err = run(capsys, "--baseline", "baseline.json", "server.properties")
    assert (code, out) == (cli.EXIT_ERROR, "")
    assert err.startswith(f"kafkalint: error: {expected}"), err


def test_missing_baseline_exits_2(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, _, err = run(capsys, "--baseline", "nope.json", "server.properties")
    assert code == cli.EXIT_ERROR
    assert err.startswith("kafkalint: error: nope.json: cannot read baseline")


def test_unwritable_baseline_exits_2(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, _, err = run(capsys, "--write-baseline", "no/dir/b.json", "server.properties")
    assert code == cli.EXIT_ERROR
    assert err.startswith("kafkalint: error: no/dir/b.json: cannot write baseline")
