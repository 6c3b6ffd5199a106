"""``github``: GitHub Actions workflow commands, shown as annotations on the pull request::

    ::error file=inventories/prod/group_vars/kafka_broker.yml,line=12,col=7,title=KL101::message

Info findings become ``notice``. Values are escaped as the runner expects (``%``, CR and LF
everywhere; ``:`` and ``,`` in properties too), and the input's other control characters are
written as visible escapes first, so every finding is exactly one command line.
"""

from __future__ import annotations

from kafkalint.findings import Finding, Severity
from kafkalint.formatters import Report
from kafkalint.redact import printable

NAME = "github"

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(report: Report, finding: Finding) -> str:
    properties = []
    if not finding.location.path.startswith("<"):
        properties.append(f"file={_property(printable(report.display_path(finding.location.path)))}")
        if finding.location.line is not None:
            properties.append(f"line={finding.location.line}")
            if finding.location.column is not None:
                properties.append(f"col={finding.location.column}")
    properties.append(f"title={_property(finding.rule_id)}")
    message = printable(finding.message)
    if finding.subject:
        message += f" [{printable(finding.subject)}]"
    if finding.hint:
        message += f"\nHint: {printable(finding.hint)}"
    command = _COMMANDS[finding.severity or Severity.ERROR]
    return f"::{command} {','.join(properties)}::{_data(message)}"


def render(report: Report) -> str:
    return "".join(_line(report, finding) + "\n" for finding in report.findings)
