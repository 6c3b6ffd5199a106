"""Filters that render a broker's configuration through ``kafkalint.effective``.

The linter judges the values ``kafkalint.effective.broker_config`` computes from the
inventory; rendering ``server.properties`` from the same function keeps the file on the host
equal to what the linter checked.
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
    """A topology variable as the linter reads it (the inventory's, else the role default)."""
    return effective.role_var(hostvars, str(host), name)


def kafka_broker_sha512_digest(text: str, path: str = "the checksum file") -> str:
    """The SHA-512 digest of a ``.sha512`` file (``sha512sum`` or Apache's form)."""
    try:
        return effective.sha512_digest(text, path)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    """Broker configuration filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_broker_server_properties": kafka_broker_server_properties,
            "kafka_broker_zookeeper_connect": kafka_broker_zookeeper_connect,
            "kafka_broker_effective_var": kafka_broker_effective_var,
            "kafka_broker_sha512_digest": kafka_broker_sha512_digest,
        }
