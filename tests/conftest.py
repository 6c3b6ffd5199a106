"""Session-wide reporting: the corpus figures (tests/test_corpus.py) are printed at the end
of every run that includes that test, passed or failed."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, text in getattr(report, "user_properties", ()):
                if name == "corpus" and getattr(report, "when", "") == "call":
                    terminalreporter.section("kafkalint on the shared corpus")
                    terminalreporter.write_line(str(text))
