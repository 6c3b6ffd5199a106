"""The engine: runs every rule over a model and turns their findings into the report's list.

Steps, in order: the schema rules (KL001-KL003) run first, then every other rule of the
registry with its options from the configuration (rules set to ``off`` do not run); each
finding gets its rule's severity unless it set one, then the level the configuration gives
the rule; findings suppressed inline (with a reason) are dropped, identical findings (rule id,
location, message) kept once, baselined findings dropped, and the rest sorted by path, line
and rule id. The passes of one run share one index of the model (:mod:`kafkalint.facts`):
what the topics and profiles are configured with, and what helpers worked out, once.

A rule that raises is a bug in kafkalint, not in the input: the engine drops what that rule
yielded, finishes the other rules and reports the failure as a finding of its own, KL000
(error, ``<kafkalint>`` for a location, naming the rule, the exception and the line it failed
at), which no configuration, suppression or baseline removes; the CLI then exits 2 after the
report, so a report that lacks a rule's findings never passes for a complete one. A rule
module that cannot be imported is :class:`InternalError` (no rule runs).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kafkalint import facts, schema_pass, suppress
from kafkalint.config import Config
from kafkalint.findings import Finding, Severity
from kafkalint.model import Location, Model, Notice
from kafkalint.rules import INTERNAL_ERROR, Rule

SCHEMA_RULES = ("KL001", "KL002", "KL003", "KL005")
#: Where a KL000 finding points: no file of the input.
INTERNAL_LOCATION = Location("<kafkalint>")


@dataclass(frozen=True)
class RuleFailure:
    """One rule (or rule module) that raised instead of reporting."""

    rule: str
    error: BaseException

    def __str__(self) -> str:
        return f"rule {self.rule} failed: {describe(self.error)}"


def describe(error: BaseException) -> str:
    """``Type: message at file.py:42 in function``: where a bug struck, in one line."""
    import traceback  # only when a rule failed: kept off the start-up path

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.startswith("<")]
    where = ""
    if frames:
        frame = frames[-1]
        where = f" at {Path(frame.filename).name}:{frame.lineno} in {frame.name}"
    text = str(error)
    return (f"{type(error).__name__}: {text}" if text else type(error).__name__) + where


class InternalError(Exception):
    """One or more rules failed: a kafkalint bug. ``failures`` name them."""

    def __init__(self, failures: Sequence[RuleFailure]) -> None:
        super().__init__("; ".join(str(failure) for failure in failures))
        self.failures = list(failures)


@dataclass
class LintResult:
    """What one run found. ``findings`` is the report; ``baselined`` the findings the
    baseline absorbed (a rewritten baseline keeps them); ``files`` the source files read."""

    findings: list[Finding]
    suppressed: int = 0
    baselined: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    #: Rules that raised (each also a KL000 finding in ``findings``).
    failures: list[RuleFailure] = field(default_factory=list)

    @property
    def current(self) -> list[Finding]:
        """Every finding before the baseline: what ``--write-baseline`` records."""
        return sorted([*self.findings, *self.baselined], key=_order)


def load_rules() -> tuple[Rule, ...]:
    """The registry's rules, schema rules first. A rule module that cannot be imported or
    lacks ``ID``/``NAME``/``SEVERITY``/``check`` is an :class:`InternalError` naming it."""
    from kafkalint import rules as registry

    try:
        loaded = registry.all_rules()
    except Exception as exc:
        raise InternalError([_culprit(registry.MODULES, exc)]) from exc
    return order(loaded)


def _culprit(modules: Iterable[str], error: Exception) -> RuleFailure:
    """Which rule module broke the registry."""
    for name in modules:
        try:
            module = importlib.import_module(f"kafkalint.rules.{name}")
        except Exception as exc:
            return RuleFailure(f"module {name}", exc)
        missing = [attr for attr in ("ID", "NAME", "SEVERITY", "check") if not hasattr(module, attr)]
        if missing:
            return RuleFailure(f"module {name}", AttributeError(f"the rule module lacks {', '.join(missing)}"))
    return RuleFailure("registry", error)


def order(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Schema rules first (their findings explain why other rules stay silent), then the
    registry order."""
    ranked = sorted(enumerate(rules), key=lambda item: (item[1].id not in SCHEMA_RULES, item[0]))
    return tuple(rule for _, rule in ranked)


def _order(finding: Finding) -> tuple[Any, ...]:
    location = finding.location
    return (location.path, location.line or 0, location.column or 0, finding.rule_id, finding.message, finding.subject)


def internal_error(failure: RuleFailure) -> Finding:
    """The KL000 finding of a rule that raised."""
    return Finding(
        rule_id=INTERNAL_ERROR,
        message=(
            f"{failure}: this report lacks that rule's findings (a kafkalint bug, not a problem of the input); "
            f"report it with the input that caused it"
        ),
        location=INTERNAL_LOCATION,
        subject=failure.rule,
        hint="KAFKALINT_DEBUG=1 re-raises the error with its traceback",
        severity=Severity.ERROR,
    )


def _run_rule(rule: Rule, model: Model, config: Config) -> list[Finding]:
    found = list(rule.check(model, config.options(rule.id)))
    for item in found:
        if not isinstance(item, Finding):
            raise TypeError(f"check() yielded {type(item).__name__}, not a Finding")
    return found


def run(model: Model, config: Config | None = None, *, rules: Iterable[Rule] | None = None) -> LintResult:
    """Lint ``model``; ``rules`` defaults to the whole registry (tests pass a subset)."""
    config = config or Config()
    selected = order(rules) if rules is not None else load_rules()
    with facts.run():
        raw, failures = _run_rules(selected, model, config)
        files = suppress.model_paths(model)
    return _result(model, config, selected, raw=raw, failures=failures, files=files)


def _run_rules(selected: Sequence[Rule], model: Model, config: Config) -> tuple[list[Finding], list[RuleFailure]]:
    raw: list[Finding] = []
    failures: list[RuleFailure] = []
    for rule in selected:
        if not config.enabled(rule.id):
            continue
        try:
            raw.extend(_run_rule(rule, model, config))
        except Exception as exc:
            failures.append(RuleFailure(f"{rule.id} ({rule.name})", exc))
    return raw, failures


def _result(
    model: Model,
    config: Config,
    selected: Sequence[Rule],
    *,
    raw: list[Finding],
    failures: list[RuleFailure],
    files: list[str],
) -> LintResult:
    """The report's list from what the rules yielded: levels, suppressions, duplicates, baseline."""
    defaults = {rule.id: rule.severity for rule in selected}
    index = suppress.Index()
    seen: set[tuple[Any, ...]] = set()
    kept: list[Finding] = []
    suppressed = 0
    for found in raw:
        finding = found
        level = config.level(finding.rule_id)
        if level == "off":
            continue
        severity = Severity.parse(level) if level else finding.severity or defaults.get(finding.rule_id, Severity.ERROR)
        if severity != finding.severity:
            finding = replace(finding, severity=severity)
        identity = (finding.rule_id, finding.location, finding.message)
        if identity in seen:
            continue
        seen.add(identity)
        if index.suppressed(finding):
            suppressed += 1
            continue
        kept.append(finding)

    kept.sort(key=_order)
    baselined: list[Finding] = []
    if config.baseline is not None:
        kept, baselined = config.baseline.filter(kept)
    kept = [*(internal_error(failure) for failure in failures), *kept]
    notices = [*model.notices, *schema_pass.notices(model)]
    return LintResult(kept, suppressed, baselined, files, notices, failures)


def lint(model: Model, config: Config | None = None, *, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """The findings of ``model`` under ``config`` (see the module docstring for the steps)."""
    return run(model, config, rules=rules).findings


def load(paths: Sequence[str | Path], config: Config | None = None) -> Model:
    """Read ``paths`` with the loader, honouring the configuration's version, excludes and
    context (environment, broker count)."""
    from kafkalint import loaders
    from kafkalint.loaders.vault import from_options

    config = config or Config()
    return loaders.load(
        paths,
        kafka_version=config.kafka_version,
        exclude=config.exclude,
        environment=config.environment,
        brokers=config.brokers,
        render=config.render,
        vault=from_options(config.vault_password_file),
    )


def run_paths(
    paths: Sequence[str | Path], config: Config | None = None, *, rules: Iterable[Rule] | None = None
) -> LintResult:
    return run(load(paths, config), config, rules=rules)


def lint_paths(
    paths: Sequence[str | Path], config: Config | None = None, *, rules: Iterable[Rule] | None = None
) -> list[Finding]:
    """``kafkalint.loaders.load`` then :func:`lint`; raises
    :class:`kafkalint.errors.InputError` for unreadable input."""
    return run_paths(paths, config, rules=rules).findings
