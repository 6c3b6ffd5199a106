"""Rule KL608 on models built in Python (its fixtures: tests/fixtures/rules/KL608/); the
loader's ``Setting.from_vault`` is tested with a real vault in tests/loaders/test_vault_origin.py."""

from __future__ import annotations

from rulekit import Builder, run

from kafkalint.catalogue import password_keys
from kafkalint.findings import Severity
from kafkalint.model import Location
from kafkalint.security import is_sensitive_key


def test_kl608_password_keys_come_from_the_catalogues() -> None:
    keys = password_keys()
    assert {"ssl.keystore.password", "sasl.jaas.config", "ssl.key.password", "password.encoder.secret"} <= keys
    assert is_sensitive_key("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config")
    assert not is_sensitive_key("ssl.keystore.location")


def test_kl608_plain_text_in_an_inventory_but_not_from_the_vault() -> None:
    builder = Builder().broker_config("kafka1", {"ssl.keystore.password": "changeit", "ssl.key.password": "x"})
    builder.cluster.brokers[0].config.set("ssl.key.password", "x", "inventory", Location("v.yml", 3), from_vault=True)
    findings = run("KL608", builder)
    assert [finding.message.split(" ")[0] for finding in findings] == ["ssl.keystore.password"]
    assert "changeit" not in findings[0].message
    assert findings[0].severity is None  # production: the rule's error


def test_kl608_warning_outside_production_and_files_are_not_inventories() -> None:
    development = Builder(production=False).broker_config("kafka1", {"ssl.keystore.password": "changeit"})
    assert [finding.severity for finding in run("KL608", development)] == [Severity.WARNING]
    builder = Builder().broker_config("kafka1", {})
    builder.cluster.brokers[0].config.set("ssl.keystore.password", "changeit", "file", Location("server.properties", 4))
    assert run("KL608", builder) == []


def test_kl608_placeholders_and_empty_values_are_not_secrets_in_plain_text() -> None:
    builder = Builder().broker_config(
        "kafka1", {"ssl.keystore.password": "{{ vault_keystore_password }}", "ssl.key.password": ""}
    )
    assert run("KL608", builder) == []
