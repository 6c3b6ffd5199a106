"""``json``: a stable, documented document for scripts.

Top level (``version`` changes only when a field changes meaning or disappears; new fields
may be added)::

    {
      "version": 1,
      "tool": {"name": "kafkalint", "version": "0.1.0"},
      "summary": {"findings": 3, "error": 1, "warning": 2, "info": 0,
                  "files": 14, "suppressed": 0, "baselined": 0, "fail_on": "error"},
      "findings": [
        {"rule_id": "KL101", "rule_name": "min-isr-equals-rf", "severity": "error",
         "message": "...", "hint": "...", "subject": "topic orders",
         "path": "inventories/prod/group_vars/kafka_broker.yml", "line": 12, "column": 7,
         "fingerprint": "5f0c..."}
      ],
      "notices": [
        {"message": "Kafka 2.5.0 is older than the oldest catalogue ...", "path": "server.properties",
         "line": null}
      ]
    }

``path`` is relative to the working directory when the file lies below it; ``line`` and
``column`` are 1-based or ``null``; ``fingerprint`` is the baseline fingerprint (rule id,
path, subject, message; no line numbers), stable across unrelated edits.
"""

from __future__ import annotations

import json
from typing import Any

from kafkalint import __version__
from kafkalint.baseline import fingerprint
from kafkalint.findings import Severity
from kafkalint.formatters import Report, severity_counts

NAME = "json"
SCHEMA_VERSION = 1


def document(report: Report) -> dict[str, Any]:
    counts = severity_counts(report.findings)
    findings = []
    for finding in report.findings:
        rule = report.rule(finding.rule_id)
        path = report.display_path(finding.location.path)
        findings.append(
            {
                "rule_id": finding.rule_id,
                "rule_name": rule.name if rule else None,
                "severity": str(finding.severity or Severity.ERROR),
                "message": finding.message,
                "hint": finding.hint,
                "subject": finding.subject,
                "path": path,
                "line": finding.location.line,
                "column": finding.location.column,
                "fingerprint": fingerprint(finding, path),
            }
        )
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "kafkalint", "version": __version__},
        "summary": {
            "findings": len(report.findings),
            **{str(severity): counts[severity] for severity in sorted(Severity, reverse=True)},
            "files": len(report.files),
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "fail_on": str(report.fail_on),
        },
        "findings": findings,
        "notices": [
            {
                "message": notice.message,
                "path": report.display_path(notice.location.path) if notice.location else None,
                "line": notice.location.line if notice.location else None,
            }
            for notice in report.notices
        ],
    }


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
