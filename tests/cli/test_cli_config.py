"""Configuration files: discovery, levels, options, and errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from clikit import run

from kafkalint import cli, config, engine
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules import Rule
from kafkalint.versions import KafkaVersion

pytestmark = pytest.mark.usefixtures("fake_rules")


def test_discovered_upward_from_the_working_directory(
    capsys: pytest.CaptureFixture[str], broker_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text("rules:\n  KL101: off\n")
    sub = broker_file.parent / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, err = run(capsys, "../server.properties")
    assert code == cli.EXIT_OK
    assert "KL101" not in out
    assert err == "1 finding (1 warning) in 1 file\n"


def test_level_changes_severity_and_exit_code(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text("rules:\n  KL101: {level: warning}\n  KL107: error\n")
    code, out, _ = run(capsys, "server.properties")
    assert code == cli.EXIT_FINDINGS
    assert "KL101 warning:" in out
    assert "KL107 error:" in out


def test_options_reach_the_rule(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text("rules:\n  KL101:\n    options: {forbidden: 4}\n")
    _, out, _ = run(capsys, "server.properties")
    assert "KL101" not in out  # min.insync.replicas is 3, the rule now looks for 4


def test_off_rules_do_not_run(rule_set: tuple[Rule, ...], make_rule: Any) -> None:
    calls: list[str] = []

    def counting(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
        calls.append("run")
        return iter(())

    rule = make_rule("KL101", "min-isr-equals-rf", Severity.ERROR, counting)
    cfg = config.Config(rules={"KL101": config.RuleSettings(level="off")})
    engine.lint(Model(), cfg, rules=[rule])
    assert calls == []


def test_fail_on_and_kafka_version_from_the_file_and_flags_win(
    capsys: pytest.CaptureFixture[str], broker_file: Path
) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text('fail_on: warning\nkafka_version: "4.0"\nrules: {KL101: off}\n')
    assert run(capsys, "server.properties")[0] == cli.EXIT_FINDINGS  # the KL107 warning fails
    assert run(capsys, "--fail-on", "error", "server.properties")[0] == cli.EXIT_OK
    loaded = config.load(".kafkalint.yaml")
    assert loaded.kafka_version == KafkaVersion.parse("4.0")
    assert loaded.fail_on is Severity.WARNING


def test_pyproject_table(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    (broker_file.parent / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.kafkalint]\nfail_on = "warning"\n\n[tool.kafkalint.rules]\nKL107 = "off"\n'
    )
    code, out, _ = run(capsys, "server.properties")
    assert code == cli.EXIT_FINDINGS
    assert "KL107" not in out


def test_yaml_file_wins_over_pyproject_in_the_same_directory(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[tool.kafkalint]\nfail_on = 'info'\n")
    (workdir / ".kafkalint.yaml").write_text("fail_on: warning\n")
    assert config.find() == workdir / ".kafkalint.yaml"


def test_pyproject_without_the_table_is_skipped(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    found = config.find()
    assert found is None or found.parent != workdir


def test_explicit_config_and_no_config(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text("rules: {KL101: off, KL107: off}\n")
    (broker_file.parent / "strict.yaml").write_text("fail_on: info\n")
    assert run(capsys, "server.properties")[0] == cli.EXIT_OK
    assert run(capsys, "--config", "strict.yaml", "server.properties")[0] == cli.EXIT_FINDINGS
    assert run(capsys, "--no-config", "server.properties")[0] == cli.EXIT_FINDINGS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "fail_on: warning\nexclud: [x]\n",
            ".kafkalint.yaml:2: unknown key 'exclud' in the configuration (did you mean 'exclude'?)",
        ),
        (
            "rules:\n  KL101: loud\n",
            ".kafkalint.yaml:2: rules.KL101: 'loud' is not a level (error, warning, info, off) or a mapping",
        ),
        (
            "rules:\n  KL101:\n    level: loud\n",
            ".kafkalint.yaml:3: rules.KL101.level: 'loud' is not one of error, warning, info, off",
        ),
        ("rules:\n  KL101:\n    severity: info\n", ".kafkalint.yaml:3: unknown key 'severity' in rules.KL101"),
        ("rules:\n  KL1O1: off\n", ".kafkalint.yaml:2: 'KL1O1' is not a rule id (expected the form KL101)"),
        ("rules:\n  KL999: off\n", ".kafkalint.yaml:2: unknown rule KL999"),
        ("fail_on: fatal\n", ".kafkalint.yaml:1: fail_on: 'fatal' is not one of error, warning, info"),
        (
            "kafka_version: three\n",
            ".kafkalint.yaml:1: kafka_version: 'three' is not a Kafka version (e.g. 3.9 or 3.9.1)",
        ),
        ("exclude: '*.example'\n", ".kafkalint.yaml:1: exclude: expected a list, got '*.example'"),
        ("- a\n- b\n", ".kafkalint.yaml:1: the configuration: expected a mapping, got a list"),
        ("rules:\n  KL101: off\n  KL101: warning\n", ".kafkalint.yaml:3:3: invalid YAML: found duplicate key 'KL101'"),
        ("rules: [\n", ".kafkalint.yaml:2:1: invalid YAML:"),
    ],
)
def test_config_errors_name_file_and_line(
    capsys: pytest.CaptureFixture[str], broker_file: Path, text: str, expected: str
) -> None:
    (broker_file.parent / ".kafkalint.yaml").write_text(text)
    code, out, err = run(capsys, "server.properties")
    assert code == cli.EXIT_ERROR
    assert out == ""
    assert err.startswith(f"kafkalint: error: {expected}"), err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.kafkalint]\nfail_on = 'warning'\nexclud = []\n", "pyproject.toml:3: unknown key 'exclud'"),
        ("[tool.kafkalint.rules]\nKL101 = 'loud'\n", "pyproject.toml:2: rules.KL101:"),
        ("[tool.kafkalint]\nfail_on = \n", "pyproject.toml:2:11: invalid TOML: Invalid value"),
    ],
)
def test_pyproject_errors_name_file_and_line(
    capsys: pytest.CaptureFixture[str], broker_file: Path, text: str, expected: str
) -> None:
    (broker_file.parent / "pyproject.toml").write_text(text)
    code, _, err = run(capsys, "server.properties")
    assert code == cli.EXIT_ERROR
    assert err.startswith(f"kafkalint: error: {expected}"), err


def test_missing_explicit_config(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    code, _, err = run(capsys, "--config", "nope.yaml", "server.properties")
    assert code == cli.EXIT_ERROR
    assert err == "kafkalint: error: nope.yaml: configuration file not found\n"


def test_empty_file_is_the_defaults(workdir: Path) -> None:
    (workdir / ".kafkalint.yaml").write_text("# nothing yet\n")
    loaded = config.load()
    assert loaded.rules == {}
    assert loaded.fail_on is Severity.ERROR
    assert loaded.path == ".kafkalint.yaml"


def test_yaml_off_and_numbers_read_as_meant(workdir: Path) -> None:
    (workdir / ".kafkalint.yaml").write_text("kafka_version: 3.9\nrules:\n  KL101: off\n  KL107: {level: off}\n")
    loaded = config.load()
    assert loaded.kafka_version == KafkaVersion.parse("3.9")
    assert loaded.level("KL101") == "off"
    assert loaded.level("KL107") == "off"


def test_exclude_reaches_the_loader(capsys: pytest.CaptureFixture[str], broker_file: Path, clean_file: Path) -> None:
    assert run(capsys, ".")[2] == "2 findings (1 error, 1 warning) in 2 files\n"
    (broker_file.parent / ".kafkalint.yaml").write_text("exclude: ['clean']\n")
    assert run(capsys, ".")[2] == "2 findings (1 error, 1 warning) in 1 file\n"
    (broker_file.parent / ".kafkalint.yaml").write_text("exclude: ['server.properties']\n")
    code, _, err = run(capsys, ".")
    assert code == cli.EXIT_ERROR  # a run that lints nothing says so: a CI job cannot pass on nothing
    assert err.startswith("kafkalint: error: nothing was linted")


def test_shipped_schema_is_valid_json_schema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(config.schema())
    assert set(config.schema()["properties"]) == {
        "kafka_version",
        "fail_on",
        "environment",
        "brokers",
        "exclude",
        "rules",
    }


def test_known_rule_ids_come_from_the_registry() -> None:
    ids = config.known_rule_ids()
    assert "KL101" in ids
    assert "KL004" in ids
