"""Filters of the kafka_topics role: the bootstrap servers, derived as the producer profiles
and kafkalint derive them (``kafkalint.effective.bootstrap_servers``: every broker of group
``kafka_broker`` at its ``ansible_host`` and ``kafka_broker_port``)."""

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

#: The host variables bootstrap_servers reads.
_READ = ("ansible_host", "kafka_broker_port")


def kafka_bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """``host:port`` of every broker, comma-separated; fails when the group is empty."""
    brokers = [str(host) for host in groups.get(contract.BROKER_GROUP) or []]
    if not brokers:
        raise AnsibleFilterError(
            f"no host in group '{contract.BROKER_GROUP}' to derive the bootstrap servers from "
            "(set kafka_topics_bootstrap_servers)"
        )
    plain: dict[str, dict[str, Any]] = {}
    for host in brokers:
        variables = hostvars.get(host) or {}
        plain[host] = {name: str(variables[name]) for name in _READ if variables.get(name) is not None}
    return effective.bootstrap_servers(plain, {contract.BROKER_GROUP: brokers})


class FilterModule:
    """Ansible's entry point for the filters above."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"kafka_bootstrap_servers": kafka_bootstrap_servers}
