"""A file name or a value cannot inject a line into the report: control characters are
escaped in the text, JUnit and github formats and on stderr, and no line kafkalint prints
starts a CI workflow command (``::error::``, ``::add-mask::``) of its own making."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kafkalint import cli

EVIL_NAMES = [
    "a\r\n::warning::injected\r\nproducer.properties",
    "::error::x-producer.properties",
    "esc\x1b[31mred\x1b]0;title\x07-producer.properties",
    "bidi\u202e-producer.properties",
]
EVIL_KEY = "evil\r\n::add-mask::secret\x1b[2J.key"


@pytest.fixture
def evil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in EVIL_NAMES:
        (tmp_path / name).write_bytes(b"acks=0\nretries=3\n")
    escaped_key = EVIL_KEY.replace("\r", "\\r").replace("\n", "\\n").replace("\x1b", "\\u001b")
    (tmp_path / "server.properties").write_text(f"broker.id=1\n{escaped_key}=1\nlog.dirs=/a\\r::error::b\n")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], output_format: str) -> tuple[str, str]:
    code = cli.main(["--no-config", "--format", output_format, "."])
    assert code == cli.EXIT_FINDINGS
    return capsys.readouterr()


@pytest.mark.parametrize("output_format", ["text", "junit", "github"])
def test_no_control_character_and_no_injected_command(
    evil: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    out, err = _run(capsys, output_format)
    for stream in (out, err):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", stream), repr(stream)
    commands = [line for line in out.splitlines() if line.lstrip().startswith("::")]
    if output_format == "github":
        assert len(commands) == len(out.splitlines())  # one command per finding, each on its own line
        assert all(re.match(r"^::(error|warning|notice) ", line) for line in commands)
        assert not any("::add-mask::" in line.split("::", 2)[1] for line in commands)
    else:
        assert commands == []
    assert not [line for line in err.splitlines() if line.lstrip().startswith("::")]


def test_the_text_report_shows_the_escaped_names(evil: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, "text")
    assert "a\\r\\n::warning::injected\\r\\nproducer.properties:1:1: KL201" in out
    assert "\n./::error::x-producer.properties:1:1: KL201" in "\n" + out
    assert "esc\\x1b[31mred\\x1b]0;title\\x07-producer.properties" in out


def test_json_and_sarif_keep_the_names_exactly(evil: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, "json")
    paths = {finding["path"] for finding in json.loads(out)["findings"]}
    assert set(EVIL_NAMES) <= paths  # JSON escapes what it must; the data stays exact


def test_notices_and_errors_on_stderr_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "x\n::error::pwned.yml"
    (tmp_path / name).write_text("kafka_broker: [\n")
    assert cli.main(["--no-config", name]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kafkalint: error: x\\n::error::pwned.yml:")
