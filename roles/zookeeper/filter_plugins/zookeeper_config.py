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

#: Host variables the effective configuration reads besides the role defaults it mirrors.
_TOPOLOGY_VARS = ("ansible_host", "zookeeper_id", "kafka_broker_id", "kafka_broker_rack")

_SHA512_HEX = re.compile(r"[0-9a-f]{128}")


def _plain(value: Any) -> Any:
    """Ansible's tagged strings and lazy containers as builtin types, for code outside Ansible."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def plain_inventory(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any], host: str
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The plain per-host mappings ``kafkalint.effective`` takes: only the variables it reads,
    for the hosts of the ZooKeeper and broker groups (and ``host``)."""
    plain_groups = {
        name: [str(member) for member in groups.get(name) or []]
        for name in (effective.ZOOKEEPER_GROUP, effective.BROKER_GROUP)
    }
    hosts = {host, *plain_groups[effective.ZOOKEEPER_GROUP], *plain_groups[effective.BROKER_GROUP]}
    names = (*_TOPOLOGY_VARS, *effective.ROLE_DEFAULTS)
    plain_hostvars: dict[str, dict[str, Any]] = {}
    for name in sorted(hosts):
        variables = hostvars.get(name) or {}
        plain_hostvars[name] = {var: _plain(variables.get(var)) for var in names if variables.get(var) is not None}
    return plain_hostvars, plain_groups


def zookeeper_zoo_cfg(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """The text of ``host``'s zoo.cfg (sorted ``key=value`` lines)."""
    plain_hostvars, plain_groups = plain_inventory(hostvars, groups, str(host))
    try:
        return effective.render(effective.zookeeper_config(str(host), plain_hostvars, plain_groups))
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def zookeeper_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """The value of a topology variable as the linter reads it: the inventory's, else the
    role default that ``kafkalint.effective.ROLE_DEFAULTS`` mirrors."""
    value = (hostvars.get(str(host)) or {}).get(name)
    return _plain(effective.ROLE_DEFAULTS.get(name) if value is None else value)


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
