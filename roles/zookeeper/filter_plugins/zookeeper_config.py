"""Filters that render ZooKeeper's configuration through ``kafkalint.effective``.

The linter judges the values ``kafkalint.effective.zookeeper_config`` computes from the
inventory; rendering ``zoo.cfg`` from the same function keeps the file on the host equal to
what the linter checked.
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


def zookeeper_zoo_cfg(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """The text of ``host``'s zoo.cfg (sorted ``key=value`` lines)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups, str(host))
    try:
        return effective.render(effective.zookeeper_config(str(host), plain_hostvars, plain_groups))
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def zookeeper_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """The value of a topology variable as the linter reads it: the inventory's, else the
    role default that ``kafkalint.effective.ROLE_DEFAULTS`` mirrors."""
    value = (hostvars.get(str(host)) or {}).get(name)
    return effective.plain(effective.ROLE_DEFAULTS.get(name) if value is None else value)


def zookeeper_sha512_digest(text: str, path: str = "the checksum file") -> str:
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
    """ZooKeeper configuration filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "zookeeper_zoo_cfg": zookeeper_zoo_cfg,
            "zookeeper_effective_var": zookeeper_effective_var,
            "zookeeper_sha512_digest": zookeeper_sha512_digest,
        }
