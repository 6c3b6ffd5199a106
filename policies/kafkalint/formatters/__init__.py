"""Report formatters: one module per format, all with the same interface.

A formatter module defines ``NAME`` (the ``--format`` value) and
``render(report: Report) -> str``, the whole report as text. The engine knows nothing about
formats; the CLI builds one :class:`Report` and hands it to :func:`render`, which imports the
chosen module only then (a text run never pays for the JSON or XML machinery).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol

from kafkalint.findings import Finding, Severity
from kafkalint.model import Notice
from kafkalint.rules import Rule

#: ``--format`` values, in the order ``--help`` lists them.
FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github", "junit")

#: Where the generated rule reference lives; SARIF's ``helpUri`` points at its anchors.
RULES_DOC_URL = "https://github.com/kafka-iac/kafka-iac/blob/main/docs/rules.md"


class Formatter(Protocol):  # pragma: no cover - typing only
    NAME: str

    def render(self, report: Report) -> str: ...


@dataclass(frozen=True)
class Report:
    """Everything a formatter may show. ``findings`` are final (suppressed and baselined
    ones removed, sorted); ``rules`` is the registry (SARIF lists every rule's metadata);
    ``files`` the source files the run read; ``notices`` what the run assumed or skipped
    (never findings); paths are shown relative to ``cwd``."""

    findings: Sequence[Finding]
    rules: Sequence[Rule] = ()
    files: Sequence[str] = ()
    fail_on: Severity = Severity.ERROR
    cwd: str = field(default_factory=os.getcwd)
    color: bool = False
    suppressed: int = 0
    baselined: int = 0
    notices: Sequence[Notice] = ()

    def display_path(self, path: str) -> str:
        return display_path(path, self.cwd)

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def display_path(path: str, cwd: str) -> str:
    """``path`` relative to ``cwd`` with forward slashes when it lies below ``cwd``, else
    absolute; pseudo paths (``<unknown>``) unchanged."""
    if path.startswith("<"):
        return path
    absolute = os.path.normpath(Path(cwd, path))
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return PurePath(absolute).as_posix()
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return PurePath(absolute).as_posix()
    return PurePath(relative).as_posix()


def docs_anchor(rule_id: str, name: str) -> str:
    """The anchor GitHub gives the heading ``## KL101 min-isr-equals-rf`` in docs/rules.md."""
    return re.sub(r"[^a-z0-9 _-]", "", f"{rule_id} {name}".lower()).replace(" ", "-")


def help_uri(rule_id: str, name: str) -> str:
    return f"{RULES_DOC_URL}#{docs_anchor(rule_id, name)}"


def severity_counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity or Severity.ERROR] += 1
    return counts


def render(name: str, report: Report) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (expected one of {', '.join(FORMATS)})")
    module: Formatter = importlib.import_module(f"kafkalint.formatters.{name}")
    return module.render(report)
