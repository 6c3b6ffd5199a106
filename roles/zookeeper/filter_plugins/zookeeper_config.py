"""Filters that render ZooKeeper's configuration through ``kafkalint.effective``.

The linter judges the values ``kafkalint.effective.zookeeper_config`` computes from the
inventory; rendering ``zoo.cfg`` from the same function keeps the file on the host equal to
what the linter checked.
"""

from __future__ import annotations

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


def zookeeper_zoo_cfg(host: str, hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """The text of ``host``'s zoo.cfg (sorted ``key=value`` lines)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups, str(host))
    try:
        return effective.render(effective.zookeeper_config(str(host), plain_hostvars, plain_groups))
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def zookeeper_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """A topology variable as the linter reads it (the inventory's, else the role default)."""
    return effective.role_var(hostvars, str(host), name)


class FilterModule:
    """ZooKeeper configuration filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "zookeeper_zoo_cfg": zookeeper_zoo_cfg,
            "zookeeper_effective_var": zookeeper_effective_var,
        }
