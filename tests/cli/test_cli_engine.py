"""The engine on models built in Python: severities, levels, options, order, dedupe, crashes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kafkalint import engine
from kafkalint.config import Config, RuleSettings
from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Model, Notice


def _model() -> Model:
    config = ConfigMap("broker", location=Location("b.properties", 1))
    config.set("min.insync.replicas", "3", "file", Location("b.properties", 4, 1))
    cluster = Cluster("c", Location("b.properties"), brokers=[Broker("b", config, Location("b.properties"))])
    return Model([cluster])


def _emit(*findings: Finding) -> Any:
    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        yield from findings

    return check


def test_severity_defaults_to_the_rule_unless_the_finding_sets_one(make_rule: Any) -> None:
    rule = make_rule(
        "KL107",
        "auto-create-topics",
        Severity.WARNING,
        _emit(
            Finding("KL107", "a", Location("x", 1)), Finding("KL107", "b", Location("x", 2), severity=Severity.ERROR)
        ),
    )
    found = engine.lint(_model(), rules=[rule])
    assert [finding.severity for finding in found] == [Severity.WARNING, Severity.ERROR]


def test_config_level_overrides_every_finding_of_the_rule(make_rule: Any) -> None:
    rule = make_rule(
        "KL107",
        "auto-create-topics",
        Severity.WARNING,
        _emit(
            Finding("KL107", "a", Location("x", 1)), Finding("KL107", "b", Location("x", 2), severity=Severity.ERROR)
        ),
    )
    config = Config(rules={"KL107": RuleSettings(level="info")})
    assert {finding.severity for finding in engine.lint(_model(), config, rules=[rule])} == {Severity.INFO}


def test_options_are_passed_to_check(make_rule: Any) -> None:
    seen: list[Mapping[str, Any]] = []

    def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        seen.append(options)
        return iter(())

    rule = make_rule("KL105", "rf-one", Severity.WARNING, check)
    engine.lint(_model(), Config(rules={"KL105": RuleSettings(options={"production_only": False})}), rules=[rule])
    engine.lint(_model(), rules=[rule])
    assert seen == [{"production_only": False}, {}]


def test_identical_findings_are_reported_once_and_sorted(make_rule: Any) -> None:
    same = Finding("KL101", "m", Location("b.yml", 3, 1))
    rule_a = make_rule(
        "KL101",
        "min-isr-equals-rf",
        Severity.ERROR,
        _emit(same, same, Finding("KL101", "m", Location("a.yml", 9)), Finding("KL101", "m", Location("b.yml", 2))),
    )
    rule_b = make_rule("KL002", "unknown-key", Severity.ERROR, _emit(Finding("KL002", "k", Location("b.yml", 3, 1))))
    found = engine.lint(_model(), rules=[rule_a, rule_b])
    assert [(f.location.path, f.location.line, f.rule_id) for f in found] == [
        ("a.yml", 9, "KL101"),
        ("b.yml", 2, "KL101"),
        ("b.yml", 3, "KL002"),
        ("b.yml", 3, "KL101"),
    ]


def test_schema_rules_run_first(make_rule: Any) -> None:
    order: list[str] = []

    def recording(rule_id: str) -> Any:
        def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
            order.append(rule_id)
            return iter(())

        return check

    rules = [
        make_rule(rule_id, rule_id.lower(), Severity.ERROR, recording(rule_id))
        for rule_id in ("KL101", "KL004", "KL002", "KL201", "KL001", "KL003")
    ]
    engine.lint(_model(), rules=rules)
    assert order == ["KL002", "KL001", "KL003", "KL101", "KL004", "KL201"]


def test_registry_order_puts_schema_rules_first() -> None:
    from kafkalint import rules as registry

    ids = [name.split("_", 1)[0].upper() for name in registry.MODULES]
    assert ids[:3] == ["KL001", "KL002", "KL003"]


def test_a_failing_rule_names_itself_after_the_others_ran(make_rule: Any) -> None:
    ran: list[str] = []

    def fine(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        ran.append("fine")
        return iter(())

    def broken(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        yield Finding("KL102", "m", Location("x", 1))
        raise KeyError("min.insync.replicas")

    rules = [
        make_rule("KL102", "min-isr-above-rf", Severity.ERROR, broken),
        make_rule("KL103", "x", Severity.ERROR, fine),
    ]
    result = engine.run(_model(), rules=rules)
    assert ran == ["fine"]
    (failure,) = result.failures
    assert str(failure).startswith("rule KL102 (min-isr-above-rf) failed: KeyError: 'min.insync.replicas' at ")
    assert "in broken" in str(failure)
    # What the broken rule yielded before it raised is dropped; KL000 says why.
    (finding,) = result.findings
    assert (finding.rule_id, finding.severity, str(finding.location)) == ("KL000", Severity.ERROR, "<kafkalint>")
    assert finding.message.startswith(str(failure) + ": this report lacks that rule's findings")


def test_internal_errors_survive_levels_suppressions_and_baselines(make_rule: Any, tmp_path: Path) -> None:
    from kafkalint import baseline
    from kafkalint.config import RuleSettings

    def broken(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        raise RuntimeError("bug")

    accepted = baseline.Baseline(str(tmp_path))
    config = Config(rules={"KL000": RuleSettings(level="off")}, baseline=accepted)
    result = engine.run(_model(), config, rules=[make_rule("KL103", "x", Severity.WARNING, broken)])
    assert [finding.rule_id for finding in result.findings] == ["KL000"]
    assert result.baselined == []


def test_yielding_something_else_than_a_finding_is_a_rule_failure(make_rule: Any) -> None:
    rule = make_rule("KL103", "x", Severity.ERROR, lambda model, options: iter(["not a finding"]))
    (failure,) = engine.run(_model(), rules=[rule]).failures
    assert "yielded str, not a Finding" in str(failure)


def test_a_rule_module_that_cannot_be_imported_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from kafkalint import rules as registry

    monkeypatch.setattr(registry, "MODULES", ("kl004_suppression_without_reason", "kl999_missing"))
    registry.all_rules.cache_clear()
    try:
        with pytest.raises(engine.InternalError, match="rule module kl999_missing failed: ModuleNotFoundError"):
            engine.load_rules()
    finally:
        monkeypatch.undo()
        registry.all_rules.cache_clear()


def test_suppression_and_baseline_in_the_engine(tmp_path: Path, make_rule: Any) -> None:
    from kafkalint import baseline

    path = tmp_path / "server.properties"
    path.write_text("a=1\n# kafkalint: disable=KL101 -- ok here\nmin.insync.replicas=3\nb=2\n")
    findings = (
        Finding("KL101", "suppressed", Location(str(path), 3)),
        Finding("KL101", "kept", Location(str(path), 4)),
        Finding("KL102", "other rule", Location(str(path), 3)),
    )
    rules = [
        make_rule("KL101", "a", Severity.ERROR, _emit(*findings[:2])),
        make_rule("KL102", "b", Severity.ERROR, _emit(findings[2])),
    ]
    result = engine.run(_model(), rules=rules)
    assert [f.message for f in result.findings] == ["other rule", "kept"]
    assert result.suppressed == 1

    accepted = baseline.Baseline(str(tmp_path))
    accepted.entries[accepted.key(findings[1])] = 1
    result = engine.run(_model(), Config(baseline=accepted), rules=rules)
    assert [f.message for f in result.findings] == ["other rule"]
    assert [f.message for f in result.baselined] == ["kept"]
    assert [f.message for f in result.current] == ["other rule", "kept"]


def test_notices_pass_through_the_run_without_changing_findings() -> None:
    model = _model()
    model.notices.append(Notice("assumed a production cluster", Location("b.properties", 1)))
    result = engine.run(model, rules=[])
    assert [str(notice) for notice in result.notices] == ["b.properties:1: assumed a production cluster"]
    assert result.findings == []
