"""Exit codes, the summary on stderr, and bad input: one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clikit import run

from kafkalint import cli, engine
from kafkalint.findings import Severity
from kafkalint.rules import Rule


def test_exit_code_constants() -> None:
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_ERROR) == (0, 1, 2)


@pytest.mark.usefixtures("fake_rules")
def test_clean_file_exits_0_with_summary(capsys: pytest.CaptureFixture[str], clean_file: Path) -> None:
    code, out, err = run(capsys, str(clean_file))
    assert code == cli.EXIT_OK
    assert out == ""
    assert err == "no findings in 1 file\n"


@pytest.mark.usefixtures("fake_rules")
def test_error_finding_exits_1(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, out, err = run(capsys, "server.properties")
    assert code == cli.EXIT_FINDINGS
    assert "server.properties:4:1: KL101 error: min.insync.replicas is 3 [broker " in out
    assert err == "2 findings (1 error, 1 warning) in 1 file\n"


@pytest.mark.usefixtures("fake_rules")
def test_lint_is_the_default_command(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    assert run(capsys, "lint", "server.properties")[:2] == run(capsys, "server.properties")[:2]


@pytest.mark.usefixtures("fake_rules")
@pytest.mark.parametrize(
    ("text", "fail_on", "expected"),
    [
        ("auto.create.topics.enable=true\n", "error", cli.EXIT_OK),  # a warning only
        ("auto.create.topics.enable=true\n", "warning", cli.EXIT_FINDINGS),
        ("auto.create.topics.enable=true\n", "info", cli.EXIT_FINDINGS),
        ("min.insync.replicas=2\n", "info", cli.EXIT_OK),
    ],
)
def test_fail_on_threshold(
    capsys: pytest.CaptureFixture[str], workdir: Path, text: str, fail_on: str, expected: int
) -> None:
    (workdir / "server.properties").write_text("broker.id=1\nlog.dirs=/k\n" + text)
    assert run(capsys, "--fail-on", fail_on, "server.properties")[0] == expected


@pytest.mark.usefixtures("fake_rules")
def test_info_finding_fails_only_with_fail_on_info(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "producer.properties").write_text("bootstrap.servers=k:9092\nrequest.timeout.ms=1000\n")
    code, _, err = run(capsys, "producer.properties")
    assert code == cli.EXIT_OK
    assert err == "1 finding (1 info) in 1 file\n"
    assert run(capsys, "--fail-on", "info", "producer.properties")[0] == cli.EXIT_FINDINGS


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--format", "xml", "x.properties"],
        ["--fail-on", "fatal", "x.properties"],
        ["--kafka-version", "three", "x.properties"],
        ["--no-such-option", "x.properties"],
        ["--config", "a.yaml", "--no-config", "x.properties"],
        ["explain"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], workdir: Path, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == cli.EXIT_ERROR
    assert out == ""
    assert "error:" in err
    assert "Traceback" not in err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == cli.EXIT_OK
    assert "explain" in out
    assert "Exit codes" in out
    code, out, _ = run(capsys, "--version")
    assert code == cli.EXIT_OK
    assert out.startswith("kafkalint ")
    code, out, _ = run(capsys, "lint", "--help")
    assert code == cli.EXIT_OK
    assert "--write-baseline" in out


@pytest.mark.usefixtures("fake_rules")
def test_missing_path_names_it(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, err = run(capsys, "missing/server.properties")
    assert code == cli.EXIT_ERROR
    assert out == ""
    assert err == "kafkalint: error: missing/server.properties: no such file or directory\n"


@pytest.mark.usefixtures("fake_rules")
def test_unparsable_yaml_names_file_and_line(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "cluster.yml").write_text("kafka_broker:\n  kafka1: {kafka_broker_id: 1\nkafka_topics: []\n")
    code, _, err = run(capsys, "cluster.yml")
    assert code == cli.EXIT_ERROR
    assert err.startswith("kafkalint: error: cluster.yml:3:")
    assert err.count("\n") == 1


@pytest.mark.usefixtures("fake_rules")
def test_input_the_loader_rejects_exits_2(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "app.properties").write_text("some.key=1\n")  # neither broker, client nor zookeeper
    code, _, err = run(capsys, "app.properties")
    assert code == cli.EXIT_ERROR
    assert err.startswith("kafkalint: error: app.properties")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_crashing_rule_is_an_internal_error_naming_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    broker_file: Path,
    rule_set: tuple[Rule, ...],
    make_rule: Any,
) -> None:
    def boom(model: object, options: object) -> list[object]:
        raise ZeroDivisionError("division by zero")

    broken: tuple[Rule, ...] = (*rule_set, make_rule("KL306", "queued-max-request-bytes", Severity.ERROR, boom))
    monkeypatch.setattr(engine, "load_rules", lambda: broken)
    code, out, err = run(capsys, "server.properties")
    assert code == cli.EXIT_ERROR  # whatever --fail-on says: the report is incomplete
    # The report holds the other rules' findings and says which rule is missing (KL000).
    assert "KL000 error: rule KL306 (queued-max-request-bytes) failed: ZeroDivisionError" in out
    assert "KL101" in out
    (line,) = [line for line in err.splitlines() if line.startswith("kafkalint: error:")]
    assert line.startswith(
        "kafkalint: error: internal error: rule KL306 (queued-max-request-bytes) failed: "
        "ZeroDivisionError: division by zero at test_cli_exit_codes.py:"
    )
    assert "in boom" in err
    assert "Traceback" not in err


def test_unexpected_exception_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, broker_file: Path
) -> None:
    def broken_loader(*args: object, **kwargs: object) -> None:
        raise RuntimeError("loader bug")

    monkeypatch.setattr(engine, "load", broken_loader)
    code, _, err = run(capsys, "server.properties")
    assert code == cli.EXIT_ERROR
    assert err.startswith("kafkalint: error: internal error: RuntimeError: loader bug at test_cli_exit_codes.py:")
    assert err.count("\n") == 1


def test_debug_variable_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, broker_file: Path) -> None:
    def broken_loader(*args: object, **kwargs: object) -> None:
        raise RuntimeError("loader bug")

    monkeypatch.setattr(engine, "load", broken_loader)
    monkeypatch.setenv("KAFKALINT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="loader bug"):
        cli.main(["server.properties"])


def test_keyboard_interrupt_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, broker_file: Path
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "load", interrupted)
    code, _, err = run(capsys, "server.properties")
    assert code == cli.EXIT_ERROR
    assert err == "kafkalint: error: interrupted\n"


class _ClosedPipe:
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.usefixtures("fake_rules")
def test_broken_pipe_exits_2_without_a_word(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, broker_file: Path
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = cli.main(["server.properties"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert err == ""  # quiet, like other Unix tools behind `| head`


@pytest.mark.usefixtures("fake_rules")
def test_unwritable_output_exits_2(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, out, err = run(capsys, "--output", "no/such/dir/report.txt", "server.properties")
    assert code == cli.EXIT_ERROR
    assert out == ""
    assert err.startswith("kafkalint: error: no/such/dir/report.txt: cannot write the report: ")


def test_python_dash_m_runs_the_cli(workdir: Path) -> None:
    (workdir / "broken.properties").write_text("# kafkalint: kind=nonsense\nx=1\n")
    done = subprocess.run(
        [sys.executable, "-m", "kafkalint", "broken.properties"], capture_output=True, text=True, check=False
    )
    assert done.returncode == cli.EXIT_ERROR
    assert done.stderr.startswith("kafkalint: error: broken.properties")
    assert "Traceback" not in done.stderr
    usage = subprocess.run([sys.executable, "-m", "kafkalint"], capture_output=True, text=True, check=False)
    assert usage.returncode == cli.EXIT_ERROR
    assert "PATH" in usage.stderr
