"""Filters of the kafka_controller role (the rest of a controller's work is kafka_broker's)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

try:
    from kafkalint import effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import effective


def kafka_controller_effective_var(host: str, name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> Any:
    """A topology variable as the linter reads it (the inventory's, else the role default)."""
    return effective.role_var(hostvars, str(host), name)


class FilterModule:
    """Controller filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"kafka_controller_effective_var": kafka_controller_effective_var}
