"""``kafkalint rules``, ``kafkalint explain`` and how paths are gathered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import run

from kafkalint import cli


@pytest.mark.usefixtures("fake_rules")
def test_rules_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == cli.EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "NAME", "SUMMARY"]
    assert lines[1].split()[:3] == ["KL000", "error", "internal-error"]
    assert lines[2].startswith("KL004  warning   suppression-without-reason  A `kafkalint: disable=` comment")
    assert lines[3].split()[:4] == ["KL101", "error", "min-isr-equals-rf", "Stand-in"]


@pytest.mark.usefixtures("fake_rules")
def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "rules", "--format", "json")[1])
    assert data[0]["id"] == "KL000"
    assert data[1] == {
        "id": "KL101",
        "name": "min-isr-equals-rf",
        "severity": "error",
        "summary": "Stand-in KL101 for the CLI tests.",
    }


@pytest.mark.usefixtures("fake_rules")
@pytest.mark.parametrize("wanted", ["KL004", "kl004", "suppression-without-reason"])
def test_explain(capsys: pytest.CaptureFixture[str], wanted: str) -> None:
    code, out, _ = run(capsys, "explain", wanted)
    assert code == cli.EXIT_OK
    assert out.startswith("KL004 suppression-without-reason (warning)\n\nA ``kafkalint: disable=``")
    assert "Problematic::" in out


@pytest.mark.usefixtures("fake_rules")
def test_explain_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "KL10")
    assert (code, out) == (cli.EXIT_ERROR, "")
    assert err.startswith("kafkalint: error: unknown rule 'KL10'; did you mean KL")


def test_rules_lists_the_whole_registry(capsys: pytest.CaptureFixture[str]) -> None:
    """The real registry (fails while rule modules are missing), with KL000 and a header."""
    from kafkalint.rules import MODULES

    code, out, err = run(capsys, "rules")
    assert code == cli.EXIT_OK, err
    assert len(out.splitlines()) == len(MODULES) + 2


def test_explain_kl101_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "KL101")
    assert code == cli.EXIT_OK, err
    assert out.startswith("KL101 min-isr-equals-rf (error)\n")


def test_inventory_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inventory = tmp_path / "inventories" / "prod"
    (inventory / "group_vars" / "kafka_broker").mkdir(parents=True)
    (inventory / "host_vars").mkdir()
    assert cli.inventory_roots(
        [
            "inventories/prod/group_vars/all.yml",
            "inventories/prod/group_vars/kafka_broker/topics.yml",
            "inventories/prod/host_vars/kafka1.yml",
            "inventories/prod/hosts.yml",
            "server.properties",
        ]
    ) == [str(Path("inventories/prod")), "server.properties"]
    assert cli.inventory_roots(["inventories", "inventories/prod/hosts.yml"]) == ["inventories"]
    assert cli.inventory_roots([str(inventory / "group_vars" / "all.yml")]) == [str(inventory)]
