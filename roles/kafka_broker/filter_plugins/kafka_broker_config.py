"""Filters that render a broker's configuration through ``kafkalint.effective``.

The linter judges the values ``kafkalint.effective.broker_config`` computes from the
inventory; rendering ``server.properties`` from the same function keeps the file on the host
equal to what the linter checked.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import effective

_SHA512_HEX = re.compile(r"[0-9a-f]{128}")


def kafka_broker_server_properties(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> str:
    """The text of ``host``'s server.properties (sorted ``key=value`` lines)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups, str(host))
    try:
        return effective.render(effective.broker_config(str(host), plain_hostvars, plain_groups))
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def kafka_broker_zookeeper_connect(
    host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]
) -> str:
    """The ``zookeeper.connect`` string of ``host`` (the ensemble plus the chroot)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups, str(host))
    try:
        return effective.zookeeper_connect(plain_hostvars, plain_groups, str(host))
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def kafka_broker_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """The value of a topology variable as the linter reads it: the inventory's, else the
    role default that ``kafkalint.effective.ROLE_DEFAULTS`` mirrors."""
    value = (hostvars.get(str(host)) or {}).get(name)
    return effective.plain(effective.ROLE_DEFAULTS.get(name) if value is None else value)


def kafka_broker_sha512_digest(text: str, path: str = "the checksum file") -> str:
    """The SHA-512 digest in a ``.sha512`` file: ``sha512sum`` output (``<hex>  <name>``) or
    Apache's ``gpg --print-md`` form (``<name>: 3F1C4B5E 1D0A...`` over several lines)."""
    content = str(text).strip()
    words = content.split()
    if words and _SHA512_HEX.fullmatch(words[0].lower()):
        digest = words[0].lower()
    else:
        digest = "".join(content.partition(":")[2].split()).lower()
    if not _SHA512_HEX.fullmatch(digest):
        raise AnsibleFilterError(f"{path}: no SHA-512 digest found (expected 128 hex digits)")
    return digest


class FilterModule:
    """Broker configuration filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_broker_server_properties": kafka_broker_server_properties,
            "kafka_broker_zookeeper_connect": kafka_broker_zookeeper_connect,
            "kafka_broker_effective_var": kafka_broker_effective_var,
            "kafka_broker_sha512_digest": kafka_broker_sha512_digest,
        }
