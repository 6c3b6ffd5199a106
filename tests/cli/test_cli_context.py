"""The context of a run: what a loose file cannot say (production? how many brokers?),
stated on the command line, in .kafkalint.yaml or in the file, and told when assumed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import NOTICE, run_with_notices

from kafkalint import cli

BROKER = "broker.id=1\nzookeeper.connect=zk1:2181\nlog.dirs=/var/lib/kafka\n"
STANDALONE_ZOOKEEPER = "tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2181\n"


def levels(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, set[str]], list[str]]:
    """Rule id -> severities reported, and the notices printed."""
    code, out, err = run_with_notices(capsys, "--no-config", "--format", "json", *argv)
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS), err
    found: dict[str, set[str]] = {}
    for finding in json.loads(out)["findings"]:
        found.setdefault(finding["rule_id"], set()).add(finding["severity"])
    return found, [line for line in err.splitlines() if line.startswith(NOTICE)]


def test_a_lone_broker_file_does_not_escalate_and_says_why(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(BROKER)
    found, notices = levels(capsys, "server.properties")
    assert found["KL107"] == {"warning"}  # an error only where the environment or size is known
    (notice,) = notices
    assert "not stated: the environment of server.properties" in notice
    found, notices = levels(capsys, "--environment", "production", "--brokers", "3", "server.properties")
    assert found["KL107"] == {"error"}
    assert found["KL105"] == {"warning"}  # default.replication.factor 1 in a cluster of 3
    assert notices == []


def test_a_standalone_zookeeper_is_a_warning_unless_production(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    (workdir / "zoo.cfg").write_text(STANDALONE_ZOOKEEPER)
    assert levels(capsys, "zoo.cfg")[0] == {"KL301": {"warning"}}
    assert levels(capsys, "--environment", "development", "zoo.cfg")[0] == {}
    assert levels(capsys, "--environment", "production", "zoo.cfg")[0] == {"KL301": {"error"}}


def test_the_configuration_file_and_the_file_itself_state_it(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "zoo.cfg").write_text(STANDALONE_ZOOKEEPER)
    (workdir / ".kafkalint.yaml").write_text("environment: production\n")
    code, out, _ = run_with_notices(capsys, "--format", "json", "zoo.cfg")
    assert [finding["severity"] for finding in json.loads(out)["findings"]] == ["error"]
    (workdir / "zoo.cfg").write_text("# kafkalint: environment=development\n" + STANDALONE_ZOOKEEPER)
    code, out, _ = run_with_notices(capsys, "--format", "json", "zoo.cfg")
    assert (code, json.loads(out)["findings"]) == (cli.EXIT_OK, [])  # the file knows best


def test_bad_context_options_are_usage_errors(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(BROKER)
    assert run_with_notices(capsys, "--brokers", "0", "server.properties")[0] == cli.EXIT_ERROR
    assert run_with_notices(capsys, "--environment", "prod", "server.properties")[0] == cli.EXIT_ERROR
    (workdir / ".kafkalint.yaml").write_text("brokers: many\n")
    code, _, err = run_with_notices(capsys, "server.properties")
    assert code == cli.EXIT_ERROR
    assert ".kafkalint.yaml:1" in err and "brokers" in err
