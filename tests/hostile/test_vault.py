"""Vault: a password only from --vault-password-file or the environment, read as a file and
never executed; without one, vault values are unresolved (not judged, not printed) and a
vault-encrypted file is an input error; a decrypted secret is never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import cli, limits, redact
from kafkalint.loaders import load
from kafkalint.loaders.vault import Vault, decrypt

from .conftest import VAULT_PASSWORD, audited, write

HOSTS = """
all:
  children:
    zookeeper: {hosts: {zk1: {zookeeper_id: 1}}}
    kafka_broker: {hosts: {kafka1: {kafka_broker_id: 1}}}
"""


def _encrypt(plaintext: str, password: str = VAULT_PASSWORD) -> str:
    from ansible.parsing.vault import VaultLib, VaultSecret

    encrypted: bytes = VaultLib([("default", VaultSecret(password.encode()))]).encrypt(plaintext)
    return encrypted.decode()


def _inline(plaintext: str) -> str:
    return "!vault |\n" + "\n".join("    " + line for line in _encrypt(plaintext).splitlines())


@pytest.fixture(autouse=True)
def _forget_secrets() -> None:
    redact.forget()


@pytest.fixture
def vaulted(tmp_path: Path) -> Path:
    write(tmp_path, "inv/hosts.yml", HOSTS)
    (tmp_path / "inv" / "group_vars").mkdir()
    (tmp_path / "inv" / "group_vars" / "kafka_broker.yml").write_text(
        "kafka_broker_properties:\n"
        f"  ssl.key.password: {_inline('hunter2-secret')}\n"
        f"  min.insync.replicas: {_inline('not-a-number-secret')}\n",
        encoding="utf-8",
    )
    write(tmp_path, "password.txt", VAULT_PASSWORD + "\n")
    return tmp_path


def test_kafkalints_decryption_equals_ansibles() -> None:
    assert decrypt(_encrypt("plain text é"), VAULT_PASSWORD.encode()) == "plain text é"


def test_without_a_password_vault_values_are_unresolved(vaulted: Path) -> None:
    (cluster,) = load([vaulted / "inv"]).clusters
    setting = cluster.brokers[0].config.explicit("ssl.key.password")
    assert setting.raw is None
    assert setting.unresolved == "is vault-encrypted, and no vault password was given (--vault-password-file)"


def test_with_the_password_file_values_are_decrypted_and_never_printed(
    vaulted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(vaulted)
    code = cli.main(["--no-config", "--vault-password-file", "password.txt", "--format", "json", "inv"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_FINDINGS, err
    assert "KL001" in out  # min.insync.replicas decrypted to a string that is not a number
    assert "not-a-number-secret" not in out + err and "hunter2-secret" not in out + err
    assert redact.REDACTED in out
    (cluster,) = load(["inv"], vault=Vault(VAULT_PASSWORD.encode())).clusters
    assert cluster.brokers[0].config.explicit("ssl.key.password").raw == "hunter2-secret"


def test_the_password_can_come_from_the_environment(vaulted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kafkalint.loaders import vault

    monkeypatch.setenv("KAFKALINT_VAULT_PASSWORD", VAULT_PASSWORD)
    (cluster,) = load([vaulted / "inv"], vault=vault.from_options(None)).clusters
    assert cluster.brokers[0].config.explicit("ssl.key.password").raw == "hunter2-secret"
    monkeypatch.delenv("KAFKALINT_VAULT_PASSWORD")
    monkeypatch.setenv("KAFKALINT_VAULT_PASSWORD_FILE", str(vaulted / "password.txt"))
    (cluster,) = load([vaulted / "inv"], vault=vault.from_options(None)).clusters
    assert cluster.brokers[0].config.explicit("ssl.key.password").raw == "hunter2-secret"


def test_an_executable_password_file_is_read_never_run(vaulted: Path) -> None:
    marker = vaulted / "ran"
    write(vaulted, "password.sh", f"#!/bin/sh\ntouch {marker}\necho {VAULT_PASSWORD}\n", executable=True)
    write(vaulted, "ansible.cfg", f"[defaults]\nvault_password_file = {vaulted / 'password.sh'}\n")
    env = {"ANSIBLE_VAULT_PASSWORD_FILE": str(vaulted / "password.sh"), "ANSIBLE_CONFIG": str(vaulted / "ansible.cfg")}
    run = audited(["--no-config", "--vault-password-file", "password.sh", "inv"], vaulted, env)
    assert not marker.exists() and run.executed() == []
    # the script's text is not the password: the values stay unresolved, and nothing is printed
    assert run.code in (cli.EXIT_OK, cli.EXIT_FINDINGS), run.stderr
    assert "hunter2-secret" not in run.output
    from kafkalint.loaders import vault

    (cluster,) = load([vaulted / "inv"], vault=vault.from_options(str(vaulted / "password.sh"))).clusters
    assert cluster.brokers[0].config.explicit("ssl.key.password").unresolved == (
        "cannot be decrypted: the vault password does not decrypt it"
    )


def test_ansibles_own_vault_settings_are_ignored(vaulted: Path) -> None:
    write(vaulted, "ansible.cfg", f"[defaults]\nvault_password_file = {vaulted / 'password.txt'}\n")
    env = {"ANSIBLE_VAULT_PASSWORD_FILE": str(vaulted / "password.txt"), "ANSIBLE_CONFIG": str(vaulted / "ansible.cfg")}
    run = audited(["--no-config", "--format", "json", "inv"], vaulted, env)
    assert "KL001" not in run.stdout  # never decrypted, so never judged
    assert str(vaulted / "password.txt") not in run.opened()


def test_a_vault_encrypted_file_needs_the_password(
    vaulted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(vaulted)
    (vaulted / "inv" / "group_vars" / "all.yml").write_text(_encrypt("kafka_cluster_name: vaulted-cluster\n"))
    code = cli.main(["--no-config", "inv"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert err == (
        "kafkalint: error: inv/group_vars/all.yml:1: "
        "the file is vault-encrypted: give --vault-password-file to read it\n"
    )
    (cluster,) = load(["inv"], vault=Vault(VAULT_PASSWORD.encode())).clusters
    assert cluster.name == "vaulted-cluster"
    assert "vaulted-cluster" in redact.secrets()  # a vault-encrypted file's strings are secrets too


def test_decryptions_are_bounded(vaulted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_VAULT_VALUES", 1)
    (cluster,) = load([vaulted / "inv"], vault=Vault(VAULT_PASSWORD.encode())).clusters
    reasons = {setting.key: setting.unresolved for setting in cluster.brokers[0].config.unresolved()}
    assert list(reasons.values()) == ["cannot be decrypted: more than 1 vault-encrypted values in one run"]
