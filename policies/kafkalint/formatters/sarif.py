"""``sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

One run whose ``tool.driver`` lists every rule (id, name, summary, full documentation, a
``helpUri`` into docs/rules.md, default level) and one result per finding: ``ruleId``,
``ruleIndex``, ``level`` (``error``, ``warning``, ``note`` for info), the message with its
subject and hint, and a physical location whose ``artifactLocation.uri`` is relative to the
working directory (``uriBaseId`` ``%SRCROOT%``) with ``region.startLine``. The baseline
fingerprint goes into ``partialFingerprints`` so code scanning tracks a finding across edits.
The run's notices (what it assumed or skipped) are the invocation's
``toolExecutionNotifications``, at level ``note``.
The tests validate this output against the official SARIF 2.1.0 schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kafkalint import __version__
from kafkalint.baseline import fingerprint
from kafkalint.findings import Finding, Severity
from kafkalint.formatters import Report, help_uri
from kafkalint.model import Notice

NAME = "sarif"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kafka-iac/kafka-iac"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(report: Report, path: str) -> dict[str, Any] | None:
    if path.startswith("<"):  # a pseudo path (no file): no location to show
        return None
    shown = report.display_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown), "uriBaseId": "%SRCROOT%"}


def _message(finding: Finding) -> str:
    text = finding.message
    if finding.subject:
        text += f" [{finding.subject}]"
    if finding.hint:
        text += f"\nHint: {finding.hint}"
    return text


def _result(report: Report, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": _LEVELS[finding.severity or Severity.ERROR],
        "message": {"text": _message(finding)},
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    artifact = _artifact(report, finding.location.path)
    if artifact is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if finding.location.line is not None and finding.location.line >= 1:
            region: dict[str, Any] = {"startLine": finding.location.line}
            if finding.location.column is not None and finding.location.column >= 1:
                region["startColumn"] = finding.location.column
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    result["partialFingerprints"] = {"kafkalint/v1": fingerprint(finding, report.display_path(finding.location.path))}
    return result


def document(report: Report) -> dict[str, Any]:
    rules = []
    index: dict[str, int] = {}
    for position, rule in enumerate(report.rules):
        index[rule.id] = position
        doc = rule.doc.strip() or rule.name
        rules.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": doc},
                "help": {"text": doc, "markdown": doc},
                "helpUri": help_uri(rule.id, rule.name),
                "defaultConfiguration": {"level": _LEVELS[rule.severity]},
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kafkalint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(report.cwd).resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, finding, index) for finding in report.findings],
    }
    if report.notices:
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(report, n) for n in report.notices],
            }
        ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _notification(report: Report, notice: Notice) -> dict[str, Any]:
    found: dict[str, Any] = {"level": "note", "message": {"text": notice.message}}
    artifact = _artifact(report, notice.location.path) if notice.location is not None else None
    if artifact is not None and notice.location is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if notice.location.line is not None and notice.location.line >= 1:
            physical["region"] = {"startLine": notice.location.line}
        found["locations"] = [{"physicalLocation": physical}]
    return found


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
