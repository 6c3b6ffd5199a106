"""Filters for bootstrapping SCRAM users before any broker can authenticate anyone, from
``kafkalint.security`` (the same validation the module applies):

- ``kafka_users | kafka_scram_format_arguments``: the ``kafka-storage format`` arguments
  (``--add-scram ...`` pairs) that write the present users into a KRaft cluster's first
  metadata. They carry salted passwords: the task that runs the format is ``no_log``.
- ``kafka_users | kafka_scram_bootstrap_properties('admin')``: the ``--add-config-file`` of
  ``kafka-configs.sh --zookeeper ... --entity-type users --entity-name admin --alter``, which
  creates the admin user in ZooKeeper mode (write it 0600, ``no_log``, and remove it after).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import effective, security
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import effective, security


def kafka_scram_format_arguments(users: Sequence[Any] | None) -> list[str]:
    """``--add-scram`` arguments for every present user of ``kafka_scram_users``."""
    try:
        return security.scram_format_arguments(effective.plain(list(users or [])))
    except security.SecurityError as error:
        raise AnsibleFilterError(str(error)) from None


def kafka_scram_bootstrap_properties(users: Sequence[Any] | None, name: str) -> str:
    """The ConfigCommand ``--add-config-file`` text that creates user ``name`` in ZooKeeper."""
    try:
        return security.scram_bootstrap_properties(security.scram_user(effective.plain(list(users or [])), str(name)))
    except security.SecurityError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    """Ansible's entry point for the filters above."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_scram_format_arguments": kafka_scram_format_arguments,
            "kafka_scram_bootstrap_properties": kafka_scram_bootstrap_properties,
        }
