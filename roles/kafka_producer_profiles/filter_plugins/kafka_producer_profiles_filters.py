"""Filters of the kafka_producer_profiles role.

A profile's ``.properties`` text comes from ``kafkalint.effective.producer_config`` and
``effective.render``: the linter judges the very same keys (``bootstrap.servers`` derived as
every broker of group ``kafka_broker``, the security keys from ``kafka_client_security`` and
the profile's ``user``), so the file an application reads is the one kafkalint checked.
Which keys hold secrets comes from ``kafkalint.security`` (the catalogues' PASSWORD keys).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import contract, effective, security
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import contract, effective, security

#: A profile name becomes a file name: no path separators, no leading dot.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def is_sensitive_key(key: str) -> bool:
    """Whether a producer key holds a secret (kafkalint.security: every catalogued release's
    PASSWORD keys, and third-party credential keys)."""
    return security.is_sensitive_key(key)


def _profile(profile: Any) -> dict[str, Any]:
    if not isinstance(profile, Mapping):
        raise AnsibleFilterError(f"kafka_producer_profiles: an entry is not a mapping: {profile!r}")
    plain: dict[str, Any] = effective.plain(profile)
    name = str(plain.get("name") or "")
    if not _NAME.match(name):
        raise AnsibleFilterError(
            f"kafka_producer_profiles: profile name {name!r} is not a usable file name "
            "(letters, digits, '.', '_', '-'; not starting with '.' or '-')"
        )
    if not isinstance(plain.get("config") or {}, Mapping):
        raise AnsibleFilterError(f"kafka_producer_profiles: profile {name!r}: config must be a mapping of Kafka keys")
    return plain


def kafka_producer_properties(
    profile: Any,
    hostvars: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, Any],
    client_security: Mapping[str, Any] | None = None,
    scram_users: Sequence[Any] | None = None,
) -> str:
    """The ``.properties`` text of one profile (sorted ``key=value`` lines); with
    ``client_security`` (``kafka_client_security``) and ``scram_users`` (``kafka_scram_users``)
    its security keys too (``sasl.jaas.config`` from its ``user``'s password)."""
    plain = _profile(profile)
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    try:
        config = effective.producer_config(
            plain,
            plain_hostvars,
            plain_groups,
            effective.plain(client_security) if client_security is not None else None,
            effective.plain(scram_users) if scram_users is not None else None,
        )
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None
    if not str(config["bootstrap.servers"].value):
        raise AnsibleFilterError(
            f"producer profile {plain['name']!r}: no host in group '{contract.BROKER_GROUP}' to derive "
            "bootstrap.servers from (add the brokers to the inventory, or set bootstrap.servers in the profile)"
        )
    return effective.render(config)


def kafka_producer_profile_is_sensitive(profile: Any) -> bool:
    """Whether a profile's file holds a secret (its task then runs under no_log): a secret key
    in its config, or a ``user`` whose password goes into ``sasl.jaas.config``."""
    plain = _profile(profile)
    return plain.get("user") is not None or any(is_sensitive_key(key) for key in plain.get("config") or {})


def kafka_producer_profiles_select(
    profiles: Sequence[Any] | None, names: Sequence[str] | None = None, sensitive: bool | None = None
) -> list[dict[str, Any]]:
    """The profiles to render: those in ``names`` (all when empty), with or without secrets
    (``sensitive`` True/False; None: both). Unknown names and duplicates are errors."""
    selected: list[dict[str, Any]] = []
    seen: set[str] = set()
    for profile in profiles or []:
        plain = _profile(profile)
        if plain["name"] in seen:
            raise AnsibleFilterError(f"kafka_producer_profiles: profile {plain['name']!r} is declared more than once")
        seen.add(plain["name"])
        selected.append(plain)
    wanted = [str(name) for name in names or []]
    unknown = sorted(set(wanted) - seen)
    if unknown:
        raise AnsibleFilterError(
            f"kafka_producer_profiles_names: no such profile(s): {', '.join(unknown)} "
            f"(declared: {', '.join(sorted(seen)) or 'none'})"
        )
    if wanted:
        selected = [profile for profile in selected if profile["name"] in wanted]
    if sensitive is not None:
        selected = [profile for profile in selected if kafka_producer_profile_is_sensitive(profile) == sensitive]
    return selected


class FilterModule:
    """Ansible's entry point for the filters above."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_producer_properties": kafka_producer_properties,
            "kafka_producer_profile_is_sensitive": kafka_producer_profile_is_sensitive,
            "kafka_producer_profiles_select": kafka_producer_profiles_select,
        }
