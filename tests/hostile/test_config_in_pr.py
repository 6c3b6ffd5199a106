"""Configuration in a pull request: the search for .kafkalint.yaml stops at the repository
root, nothing in the file can make kafkalint run or decrypt anything, and a run that lints no
file fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import cli, config

from .conftest import write


def test_the_search_stops_at_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, ".kafkalint.yaml", "rules: {KL107: off}\n")  # above the checkout
    repository = tmp_path / "checkout"
    (repository / ".git").mkdir(parents=True)
    (repository / "sub").mkdir()
    monkeypatch.chdir(repository / "sub")
    assert config.find() is None
    write(repository, "pyproject.toml", "[tool.kafkalint]\nfail_on = 'warning'\n")
    assert config.find() == (repository / "pyproject.toml").resolve()


def test_a_git_worktree_file_is_a_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, ".kafkalint.yaml", "rules: {KL107: off}\n")
    write(tmp_path, "checkout/.git", "gitdir: /elsewhere/.git/worktrees/checkout\n")
    monkeypatch.chdir(tmp_path / "checkout")
    assert config.find() is None


@pytest.mark.parametrize("key", ["render: ansible", "vault_password_file: /etc/shadow"])
def test_reading_modes_and_secrets_are_not_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".kafkalint.yaml", key + "\n")
    write(tmp_path, "server.properties", "broker.id=1\n")
    assert cli.main(["server.properties"]) == cli.EXIT_ERROR
    assert "unknown key" in capsys.readouterr().err


@pytest.mark.parametrize(
    "paths",
    [
        ["empty"],  # a directory without any file kafkalint reads
        ["empty", "--no-config"],
    ],
)
def test_a_run_that_lints_no_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], paths: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "empty/README.md", "nothing to lint\n")
    write(tmp_path, "empty/playbook.yml", "- hosts: all\n  tasks: []\n")
    assert cli.main(paths) == cli.EXIT_ERROR
    assert "nothing was linted" in capsys.readouterr().err


def test_excluding_everything_fails_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".kafkalint.yaml", "exclude: ['inventories']\n")  # what a pull request could add
    write(tmp_path, "inventories/server.properties", "broker.id=1\n")
    assert cli.main(["inventories"]) == cli.EXIT_ERROR
    assert "nothing was linted" in capsys.readouterr().err
    # pinned to the base branch's file (the README's CI recipe), the same run lints
    write(tmp_path, "base.kafkalint.yaml", "{}\n")
    assert cli.main(["--config", "base.kafkalint.yaml", "inventories"]) in (cli.EXIT_OK, cli.EXIT_FINDINGS)
