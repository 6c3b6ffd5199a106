"""``text``: one line per finding, the form editors and terminals link to::

    path:line:col: KL101 error: message [subject]
        hint: how to fix it

Colour (severity and rule id) only when the report asks for it (a terminal, no ``NO_COLOR``,
no ``--no-color``). Paths, messages, subjects and hints come from the input: their control
characters are written as escapes (``\r``, ``\x1b``), so no line break, terminal escape or
CI workflow command (``::add-mask::`` at the start of a line) can be smuggled into the
report, and a path that would start a line with ``:`` is written ``./:...``.
"""

from __future__ import annotations

from kafkalint.findings import Finding, Severity
from kafkalint.formatters import Report
from kafkalint.model import Location
from kafkalint.redact import printable

NAME = "text"

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def _path(report: Report, path: str) -> str:
    shown = printable(report.display_path(path))
    return f"./{shown}" if shown.startswith(":") else shown


def _line(report: Report, finding: Finding) -> str:
    location = str(Location(_path(report, finding.location.path), finding.location.line, finding.location.column))
    severity = finding.severity or Severity.ERROR
    subject = f" [{printable(finding.subject)}]" if finding.subject else ""
    if report.color:
        head = f"{_BOLD}{location}:{_RESET} {_BOLD}{finding.rule_id}{_RESET} {_COLOURS[severity]}{severity}:{_RESET}"
        subject = f"{_DIM}{subject}{_RESET}" if subject else ""
    else:
        head = f"{location}: {finding.rule_id} {severity}:"
    text = f"{head} {printable(finding.message)}{subject}"
    if finding.hint:
        text += f"\n    hint: {printable(finding.hint)}"
    return text


def render(report: Report) -> str:
    return "".join(_line(report, finding) + "\n" for finding in report.findings)
