"""Filters of the jvm_service role: the SHA-512 digest of an archive's ``.sha512`` file,
parsed by the same code kafkalint's tooling uses (``sha512sum`` or Apache's format)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import effective


def jvm_service_sha512_digest(text: str, path: str = "the checksum file") -> str:
    """The SHA-512 digest of a ``.sha512`` file (``sha512sum`` or Apache's form)."""
    try:
        return effective.sha512_digest(text, path)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    """JVM service filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"jvm_service_sha512_digest": jvm_service_sha512_digest}
