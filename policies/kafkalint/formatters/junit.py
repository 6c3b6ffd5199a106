"""``junit``: JUnit XML for CI systems that show test reports.

One ``<testsuite name="kafkalint">``; one failing ``<testcase>`` per finding (``classname``
the file, ``name`` the rule id and name with the line, ``<failure type="KL101">`` carrying
severity, message, subject and hint) and one passing ``<testcase>`` per file without
findings, so a clean run still shows what was checked. Control characters of the input
(paths, messages, subjects, hints) are written as visible escapes (``\r``, ``\x1b``), so a
CI system that echoes the report cannot be given a line break or a workflow command, and
any input yields well-formed XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from kafkalint.findings import Finding, Severity
from kafkalint.formatters import Report
from kafkalint.redact import printable

NAME = "junit"

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(text))


def _case(report: Report, finding: Finding) -> ET.Element:
    rule = report.rule(finding.rule_id)
    label = f"{finding.rule_id} {rule.name}" if rule else finding.rule_id
    where = f" line {finding.location.line}" if finding.location.line is not None else ""
    subject = f" [{finding.subject}]" if finding.subject else ""
    case = ET.Element(
        "testcase",
        classname=_clean(report.display_path(finding.location.path)),
        name=_clean(f"{label}{where}{subject}"),
    )
    severity = finding.severity or Severity.ERROR
    failure = ET.SubElement(case, "failure", type=finding.rule_id, message=_clean(f"{severity}: {finding.message}"))
    body = [f"{report.display_path(finding.location.path)}:{finding.location.line or ''}: {finding.message}"]
    if finding.subject:
        body.append(f"subject: {finding.subject}")
    if finding.hint:
        body.append(f"hint: {finding.hint}")
    failure.text = "\n".join(_clean(line) for line in body)
    return case


def _clean_files(report: Report, findings: Sequence[Finding]) -> list[str]:
    dirty = {report.display_path(finding.location.path) for finding in findings}
    shown = sorted({report.display_path(path) for path in report.files})
    return [path for path in shown if path not in dirty]


def render(report: Report) -> str:
    suite = ET.Element("testsuite", name="kafkalint")
    cases = [_case(report, finding) for finding in report.findings]
    for path in _clean_files(report, report.findings):
        cases.append(ET.Element("testcase", classname=_clean(path), name="kafkalint"))
    suite.extend(cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(len(report.findings)))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="kafkalint", tests=str(len(cases)), failures=str(len(report.findings)))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
