"""Filters of the kafka_tls role: a host certificate's names and the principal it
authenticates as, from ``kafkalint.security`` (the broker and ZooKeeper configuration derive
``super.users`` and hostname checks from the same functions)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

try:
    from kafkalint import security
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import security


def kafka_tls_subject_alt_names(host: str, address: Any = None, extra: Sequence[str] | None = None) -> list[str]:
    """``DNS:``/``IP:`` SANs of ``host``'s certificate: its name, its address, then ``extra``."""
    return security.subject_alt_names(str(host), str(address or ""), [str(item) for item in extra or []])


def kafka_tls_principal(common_name: str) -> str:
    """``User:CN=<common_name>``: the principal of a certificate on a mutual-TLS listener."""
    return security.tls_principal(str(common_name))


class FilterModule:
    """Ansible's entry point for the filters above."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_tls_subject_alt_names": kafka_tls_subject_alt_names,
            "kafka_tls_principal": kafka_tls_principal,
        }
