"""The inventory loader says which values it decrypted from Ansible Vault (``Setting.from_vault``,
which KL608 reads): an inline ``!vault`` string, a value of an encrypted variables file, a
template that takes its value from either; not a value written in plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kafkalint import cli, redact
from kafkalint.loaders import load
from kafkalint.loaders.vault import Vault

Writer = Callable[[str, str], Path]
PASSWORD = "kafkalint-vault-origin"
HOSTS = """
all:
  children:
    zookeeper:
      hosts:
        zk1: {zookeeper_id: 1}
    kafka_broker:
      hosts:
        kafka1: {kafka_broker_id: 1}
"""


def _encrypt(plaintext: str) -> str:
    from ansible.parsing.vault import VaultLib, VaultSecret

    encrypted: bytes = VaultLib([("default", VaultSecret(PASSWORD.encode()))]).encrypt(plaintext)
    return encrypted.decode()


@pytest.fixture
def inventory(write_file: Writer) -> Path:
    write_file("inv/hosts.yml", HOSTS)
    write_file("inv/group_vars/all/vault.yml", _encrypt("vault_truststore_password: s3cret\n"))
    cipher = "\n".join("    " + line for line in _encrypt("hunter2").splitlines())
    write_file(
        "inv/group_vars/kafka_broker.yml",
        "kafka_broker_properties:\n"
        f"  ssl.key.password: !vault |\n{cipher}\n"
        "  ssl.truststore.password: '{{ vault_truststore_password }}'\n"
        "  ssl.keystore.password: changeit\n"
        "kafka_producer_profiles:\n"
        "  - {name: app, topics: [t], config: {ssl.truststore.password: '{{ vault_truststore_password }}'}}\n",
    )
    write_file("password", PASSWORD + "\n")
    return Path("inv")


@pytest.mark.parametrize("render", ["safe", "ansible"])
def test_settings_say_whether_they_came_from_the_vault(inventory: Path, render: str) -> None:
    cluster = load([inventory], render=render, vault=Vault(PASSWORD.encode())).clusters[0]
    config = cluster.brokers[0].config
    origin = {key: setting.from_vault for key, setting in config.settings.items() if "password" in key}
    assert origin == {"ssl.key.password": True, "ssl.truststore.password": True, "ssl.keystore.password": False}
    profile = cluster.producers[0].config.explicit("ssl.truststore.password")
    assert profile is not None and profile.from_vault


@pytest.mark.parametrize("render", ["safe", "ansible"])
def test_kl608_reports_only_the_plain_text_secret(
    inventory: Path, render: str, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["--no-config", "--format", "json", "--render", render, "--vault-password-file", "password"]
    code = cli.main([*arguments, str(inventory)])
    out = capsys.readouterr().out
    assert code == cli.EXIT_FINDINGS
    assert '"KL608"' in out and "ssl.keystore.password is written in plain text" in out
    assert "ssl.key.password is written" not in out and "ssl.truststore.password is written" not in out
    assert "changeit" not in out and "hunter2" not in out and "s3cret" not in out


@pytest.mark.parametrize("render", ["safe", "ansible"])
def test_a_short_value_of_an_encrypted_file_came_from_the_vault(write_file: Writer, render: str) -> None:
    # Only the values are secrets: the key names of the encrypted file stay printable.
    write_file("inv/hosts.yml", HOSTS)
    write_file("inv/group_vars/all/vault.yml", _encrypt("vault_key_password: pw1\n"))
    properties = "kafka_broker_properties: {ssl.key.password: '{{ vault_key_password }}'}\n"
    write_file("inv/group_vars/kafka_broker.yml", properties)
    cluster = load([Path("inv")], render=render, vault=Vault(PASSWORD.encode())).clusters[0]
    setting = cluster.brokers[0].config.settings["ssl.key.password"]
    assert setting.from_vault
    assert not redact.is_secret("vault_key_password")
