"""A secret is written in plain text in an inventory instead of Ansible Vault.

**What it checks.** Every key of a broker's ``kafka_broker_properties``, a topic's or a
producer profile's ``config`` in an inventory or cluster file whose Kafka type is PASSWORD in
any catalogued release (``ssl.keystore.password``, ``ssl.key.password``, ``sasl.jaas.config``,
``ssl.keystore.key``, ``password.encoder.secret``, ..., also in their
``listener.name.<listener>.`` forms; the list comes from the catalogues, generated from Kafka's
jars, through ``kafkalint.security.is_sensitive_key``, which also knows third-party credential
keys such as a schema registry's ``basic.auth.user.info``) and whose value is written in plain
text: not an inline ``!vault`` string, not from a vault-encrypted variables file, not a
template that takes it from one. The inventory loader says which values it decrypted
(``Setting.from_vault``). An error in a cluster known to be production, a warning otherwise.
The secret is never printed.

**Why.** A plain-text secret in an inventory is in the repository's history for good: every
clone, fork, CI log and backup has it, and rotating it means rewriting history or accepting
that it leaked. Ansible Vault keeps the repository free of it while the roles still render it.
Kafka cannot tell.

**Where.** The line of the key.

Problematic::

    kafka_broker_properties:
      ssl.keystore.password: changeit

Correct::

    kafka_broker_properties:
      ssl.keystore.password: "{{ vault_kafka_keystore_password }}"   # group_vars/all/vault.yml, encrypted

**Source.** Ansible documentation, "Protecting sensitive data with Ansible vault" and "Keep
vaulted variables safely visible"; Kafka's PASSWORD config type (``ConfigDef.Type.PASSWORD``:
values Kafka itself masks in its logs).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import placeholders
from kafkalint.facts import producers_where, topics_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model, ProducerProfile, Topic
from kafkalint.rules._cluster import production
from kafkalint.rules._report import Collector, message, names
from kafkalint.security import is_sensitive_key

ID = "KL608"
NAME = "plaintext-secret"
SEVERITY = Severity.ERROR

HINT = "keep secrets in Ansible Vault (ansible-vault encrypt_string, or an encrypted vars file) and reference them"


def _plaintext(config: ConfigMap) -> Iterator[str]:
    for setting in config:
        if (
            setting.layer == "inventory"
            and not setting.from_vault
            and is_sensitive_key(setting.key)
            and setting.raw not in (None, "")
            and placeholders.unresolved(setting) is None
        ):
            yield setting.key


def _holds_secret(item: Topic | ProducerProfile) -> bool:
    return any(_plaintext(item.config))


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        severity = None if production(cluster) is True else Severity.WARNING
        owners: list[tuple[str, ConfigMap]] = [
            *((f"broker {node.name}", node.config) for node in cluster.nodes),
            *((f"topic {topic.name}", topic.config) for topic in topics_where(cluster, _holds_secret)),
            *((f"profile {profile.name}", profile.config) for profile in producers_where(cluster, _holds_secret)),
        ]
        found: Collector[str] = Collector()
        for owner, config in owners:
            for key in _plaintext(config):
                found.add(config.location_of(key), key, owner)
        for group in found:
            text = message(
                f"{group.kind} is written in plain text (value not shown)",
                "the secret lives in the repository and its history, in every clone and CI log",
                "move it to Ansible Vault and reference it",
            )
            yield Finding(ID, text, group.location, names(group.items), HINT, severity)
