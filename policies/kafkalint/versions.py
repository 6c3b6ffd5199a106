"""Kafka versions as comparable tuples (the linter is version-aware)."""

from __future__ import annotations

import re
from functools import total_ordering

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


@total_ordering
class KafkaVersion:
    """A Kafka release, ``3.9`` or ``3.9.1``; compares by (major, minor, patch)."""

    __slots__ = ("major", "minor", "patch")

    def __init__(self, major: int, minor: int, patch: int = 0) -> None:
        self.major, self.minor, self.patch = major, minor, patch

    @classmethod
    def parse(cls, text: str | float | int) -> KafkaVersion:
        match = _VERSION.match(str(text).strip())
        if not match:
            raise ValueError(f"not a Kafka version: {text!r} (expected e.g. 3.9 or 3.9.1)")
        major, minor, patch = match.groups()
        return cls(int(major), int(minor), int(patch or 0))

    def _key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KafkaVersion) and self._key() == other._key()

    def __lt__(self, other: KafkaVersion) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def at_least(self, text: str) -> bool:
        return self >= KafkaVersion.parse(text)

    @property
    def line(self) -> str:
        """The release line, ``3.9``: catalogues are kept per line."""
        return f"{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def __repr__(self) -> str:
        return f"KafkaVersion({self})"


DEFAULT_VERSION = KafkaVersion.parse("3.9.1")
