"""bench/compare.py: findings made comparable, the five-rule configuration, the check that
conftest and kafkalint-5 agree (the logic; the bench runs it on the real estate each time)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import compare
import lint_estate
import measure
from kafkalint import config as kafkalint_config


def test_grouped_subjects_split_into_one_per_item() -> None:
    assert compare.split_subjects("topic a") == ["topic a"]
    assert compare.split_subjects("topic a and topic b") == ["topic a", "topic b"]
    assert compare.split_subjects("new topics (default.replication.factor), topic a and topic b") == [
        "new topics (default.replication.factor)",
        "topic a",
        "topic b",
    ]
    assert compare.split_subjects("profile app-1") == ["profile app-1"]
    # A name that merely contains "and" stays whole.
    assert compare.split_subjects("topic brand and topic sandbox") == ["topic brand", "topic sandbox"]
    assert compare.split_subjects("") == []


def _kafkalint_report(root: Path, cwd: Path) -> dict[str, object]:
    # A relative path in kafkalint's report is relative to where it ran.
    relative = os.path.relpath(root / "c-01/group_vars/kafka_broker.yml", cwd)
    return {
        "findings": [
            {"rule_id": "KL101", "path": str(root / "c-00/group_vars/kafka_broker.yml"), "subject": "topic a"},
            {"rule_id": "KL105", "path": relative, "subject": "topic b and topic c"},
            {"rule_id": "KL212", "path": str(root / "c-00/group_vars/kafka_broker.yml"), "subject": "profile p"},
        ]
    }


def _conftest_report(root: Path, extra: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    def item(rule: str, inventory: str, subject: str) -> dict[str, object]:
        return {"msg": "...", "metadata": {"rule": rule, "inventory": str(root / inventory), "subject": subject}}

    return [
        {
            "filename": "Combined",
            "failures": [item("KL101", "c-00", "topic a"), *(extra or [])],
            "warnings": [item("KL105", "c-01", "topic b"), item("KL105", "c-01", "topic c")],
        }
    ]


def test_both_reports_become_the_same_keys(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    expected = {("KL101", "c-00", "topic a"), ("KL105", "c-01", "topic b"), ("KL105", "c-01", "topic c")}
    assert compare.kafkalint_keys(_kafkalint_report(root, tmp_path), root, tmp_path) == expected
    assert compare.conftest_keys(_conftest_report(root)) == expected
    assert compare.count_by_rule(expected) == {"KL101": 1, "KL105": 2}


def _write_reports(scratch: Path, root: Path, conftest: list[dict[str, object]]) -> None:
    (scratch / "out").mkdir(parents=True)
    (scratch / "cwd").mkdir()
    report = _kafkalint_report(root, scratch / "cwd")
    for name in ("kafkalint.json", "kafkalint-5.json"):
        (scratch / "out" / name).write_text(json.dumps(report), encoding="utf-8")
    (scratch / "out" / "conftest-report.json").write_text(json.dumps(conftest), encoding="utf-8")


def test_equivalence_reports_a_difference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "estate"
    monkeypatch.setattr(compare, "COMPARED_RULES", ("KL101", "KL105"))
    _write_reports(tmp_path / "same", root, _conftest_report(root))
    same, lines = compare.equivalence(root, tmp_path / "same")
    assert same, lines
    extra = [{"msg": "...", "metadata": {"rule": "KL101", "inventory": str(root / "c-02"), "subject": "topic z"}}]
    _write_reports(tmp_path / "differ", root, _conftest_report(root, extra))
    same, lines = compare.equivalence(root, tmp_path / "differ")
    assert not same
    assert any("only conftest:    KL101 | c-02 | topic z" in line for line in lines)


def test_equivalence_needs_a_finding_of_every_compared_rule(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    _write_reports(tmp_path / "s", root, _conftest_report(root))
    same, lines = compare.equivalence(root, tmp_path / "s")  # no KL104, KL202, KL207 in these reports
    assert not same
    assert any("no finding of KL104, KL202, KL207" in line for line in lines)


def test_five_rule_config_is_a_kafkalint_configuration_that_keeps_five_rules(tmp_path: Path) -> None:
    ids = compare.rule_ids()
    assert set(compare.COMPARED_RULES) <= set(ids)
    loaded = kafkalint_config.load(compare.five_rule_config(tmp_path, ids))
    enabled = [rule for rule in ids if loaded.enabled(rule) and rule not in compare.ALWAYS_ON]
    assert enabled == list(compare.COMPARED_RULES)


def test_the_contenders_run_in_empty_directories_and_keep_their_reports(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    lint_estate.generate(root, 2, 20, 5, lint_estate.SEED)
    plan = compare.contenders(root, tmp_path / "scratch", Path("/nonexistent/conftest"))
    names = [item.name for item in plan]
    assert names == ["kafkalint", "kafkalint-5", "conftest", "parse-floor", "ansible-inventory"]
    assert all(item.cwd == tmp_path / "scratch" / "cwd" and not any(item.cwd.iterdir()) for item in plan)
    conftest = plan[2]
    assert conftest.command[:3] == ["/nonexistent/conftest", "test", "--combine"]
    assert str(compare.REGO) in conftest.command
    inventories = (tmp_path / "scratch" / "out" / "inventories.txt").read_text(encoding="utf-8").split()
    assert inventories == [str(path) for path in lint_estate.inventories_under(root)]
    with_before = compare.contenders(root, tmp_path / "before", None, tmp_path / "tree")
    assert [item.name for item in with_before][:3] == ["kafkalint", "kafkalint-before", "kafkalint-5"]
    assert with_before[1].env["PYTHONPATH"] == str(tmp_path / "tree" / "policies")
    assert with_before[1].command == [
        *with_before[0].command[:5],
        str(tmp_path / "before" / "out" / "kafkalint-before.json"),
        str(root),
    ]
    assert [item.name for item in compare.contenders(root, tmp_path / "other", None)] == [
        "kafkalint",
        "kafkalint-5",
        "parse-floor",
        "ansible-inventory",
    ]


def test_a_run_without_its_report_stops_the_bench(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    contender = compare.Contender("conftest", ["true"], {"PATH": "/usr/bin:/bin"}, tmp_path, report=report)
    with pytest.raises(SystemExit, match="left no JSON report"):
        compare.starter(contender)(0)
    report.write_text("[]", encoding="utf-8")
    broken = compare.Contender("conftest", ["false"], {"PATH": "/usr/bin:/bin"}, tmp_path)
    assert compare.starter(broken)(0).returncode == 1  # conftest may exit 1 (findings)
    failing = compare.Contender("parse-floor", ["false"], {"PATH": "/usr/bin:/bin"}, tmp_path)
    with pytest.raises(SystemExit, match="parse-floor failed"):
        compare.starter(failing)(0)


def _summary(name: str, wall: float, cpu: float, rss: int) -> measure.Summary:
    return measure.Summary(name=name, wall=wall, cpu=cpu, peak_rss=rss, runs=1, peak_pss=rss // 2)


def test_goals_say_met_or_not_from_the_figures() -> None:
    summaries = {
        "kafkalint": _summary("kafkalint", 10.0, 12.0, 200_000_000),
        "conftest": _summary("conftest", 20.0, 10.0, 500_000_000),
        "parse-floor": _summary("parse-floor", 5.0, 5.0, 50_000_000),
    }
    phases = {"topics": 100_000, "rules_wall": 0.5, "rules_cpu": 0.5, "load_wall": 7.0, "load_cpu": 6.0}
    lines = compare.goals(summaries, phases, {"wall": 140.0, "cpu": 130.0})
    text = "\n".join(lines)
    assert "wall 0.50x, CPU 1.20x" in text
    verdicts = [line.rsplit("  ", 1)[-1].strip() for line in lines[1:-1]]
    # Faster wall but not CPU; rule pass met; loading 1.4x wall, 1.2x CPU; memory met; cold start met.
    assert verdicts == ["met on wall only", "met", "met on CPU only", "met", "met"]
    slow = dict(phases, rules_wall=1.5, rules_cpu=1.2)
    assert "NOT met" in compare.goals(summaries, slow, {"wall": 140.0, "cpu": 130.0})[2]
    ratios = compare.ratios_table(summaries)
    assert ratios[1].split() == [
        "kafkalint",
        "(every",
        "rule)",
        "/",
        "conftest",
        "(five",
        "policies)",
        "0.5",
        "1.2",
        "0.4",
    ]


def test_kafkalint_before_and_after_must_report_the_same_findings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    findings = [{"rule_id": "KL101", "path": "a.yml", "line": 3, "message": "m", "subject": "topic a"}]
    for name in ("kafkalint.json", "kafkalint-before.json"):
        (out / name).write_text(json.dumps({"findings": findings}), encoding="utf-8")
    same, lines = compare.same_findings(tmp_path)
    assert same and "the same 1 findings" in lines[0]
    changed = [dict(findings[0], line=4)]
    (out / "kafkalint.json").write_text(json.dumps({"findings": changed}), encoding="utf-8")
    same, lines = compare.same_findings(tmp_path)
    assert not same
    assert any('"line": 4' in line for line in lines) and any('"line": 3' in line for line in lines)
    (out / "kafkalint.json").write_text(json.dumps({"findings": findings + findings}), encoding="utf-8")
    assert not compare.same_findings(tmp_path)[0]


def test_before_is_a_git_revisions_tree(tmp_path: Path) -> None:
    tree, commit = compare.git_tree("HEAD", tmp_path / "tree")
    assert (tree / "policies" / "kafkalint" / "__init__.py").is_file()
    assert commit and len(commit) >= 7
    with pytest.raises(SystemExit, match="not a revision"):
        compare.git_tree("no-such-revision-here", tmp_path / "other")
