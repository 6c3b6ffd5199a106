"""Rule KL004 on files written here (its fixtures: tests/fixtures/rules/KL004/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rulekit import rule

from kafkalint.findings import Finding
from kafkalint.loaders import load


def findings(directory: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    monkeypatch.chdir(directory)
    Path("server.properties").write_text(text, encoding="utf-8")
    return list(rule("KL004").check(load(["server.properties"]), {}))


def test_kl004_line_and_file_suppressions_need_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "# kafkalint: disable-file=KL107\n"
        "broker.id=1\n"
        "# kafkalint: disable=KL101,KL212\n"
        "min.insync.replicas=3\n"
        "# kafkalint: disable=KL102 -- reviewed in PLAT-42\n"
        "default.replication.factor=2\n"
    )
    found = findings(tmp_path, text, monkeypatch)
    assert [(finding.location.line, finding.location.column) for finding in found] == [(1, 1), (3, 1)]
    assert found[0].message.startswith("suppression of KL107 gives no reason: it does not apply")
    assert "disable-file=KL107 -- <reason>" in found[0].hint
    assert "disable=KL101,KL212 -- <reason>" in found[1].hint


def test_kl004_quiet_with_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# kafkalint: disable-file=KL107 -- a lab broker\nbroker.id=1\n"
    assert findings(tmp_path, text, monkeypatch) == []
