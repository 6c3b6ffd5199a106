"""Filters of the kafka_topics role: the bootstrap servers, derived as the producer profiles
and kafkalint derive them (``kafkalint.effective.bootstrap_servers``: every broker of group
``kafka_broker`` at its advertised client listener)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import contract, effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import contract, effective


def kafka_bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """``host:port`` of every broker, comma-separated; fails when the group is empty."""
    brokers = [str(host) for host in groups.get(contract.BROKER_GROUP) or []]
    if not brokers:
        raise AnsibleFilterError(
            f"no host in group '{contract.BROKER_GROUP}' to derive the bootstrap servers from "
            "(set kafka_topics_bootstrap_servers)"
        )
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    try:
        return effective.bootstrap_servers(plain_hostvars, plain_groups)
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    """Ansible's entry point for the filters above."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"kafka_bootstrap_servers": kafka_bootstrap_servers}
