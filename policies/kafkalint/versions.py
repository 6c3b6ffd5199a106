"""Kafka versions as comparable tuples (the linter is version-aware)."""

from __future__ import annotations

import re
from functools import total_ordering
from typing import Any

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


@total_ordering
class KafkaVersion:
    """A Kafka release, ``3.9`` or ``3.9.1``; compares by (major, minor, patch).

    Rules compare and hash versions hundreds of thousands of times on a big estate: the
    tuple and its hash are computed once, and equal versions read from one inventory or
    unpickled from a worker share one object (:meth:`__reduce__`), so most comparisons are
    an identity check."""

    __slots__ = ("_hash", "key", "major", "minor", "patch")

    #: ``(major, minor, patch)``: what the version compares and hashes by.
    key: tuple[int, int, int]

    def __init__(self, major: int, minor: int, patch: int = 0) -> None:
        self.major, self.minor, self.patch = major, minor, patch
        self.key = (major, minor, patch)
        self._hash = hash(self.key)

    @classmethod
    def parse(cls, text: str | float | int) -> KafkaVersion:
        match = _VERSION.match(str(text).strip())
        if not match:
            raise ValueError(f"not a Kafka version: {text!r} (expected e.g. 3.9 or 3.9.1)")
        major, minor, patch = match.groups()
        return cls(int(major), int(minor), int(patch or 0))

    def __reduce__(self) -> tuple[Any, tuple[int, int, int]]:
        return (_interned, self.key)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        return isinstance(other, KafkaVersion) and self.key == other.key

    def __lt__(self, other: KafkaVersion) -> bool:
        return self.key < other.key

    def __ge__(self, other: KafkaVersion) -> bool:
        return other is self or self.key >= other.key

    def __hash__(self) -> int:
        return self._hash

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


_INTERNED: dict[tuple[int, int, int], KafkaVersion] = {}


def _interned(major: int, minor: int, patch: int) -> KafkaVersion:
    """One object per release among unpickled versions (a worker's model holds thousands)."""
    key = (major, minor, patch)
    found = _INTERNED.get(key)
    if found is None:
        found = _INTERNED[key] = KafkaVersion(major, minor, patch)
    return found


DEFAULT_VERSION = KafkaVersion.parse("3.9.1")

#: The one list of catalogued releases: one per release line, the newest patch release Maven
#: Central serves (3.9.1 is the project's pinned release). ``scripts/gen_catalogue.py`` writes
#: ``catalogue/kafka-<line>.json`` for each, the JVM check tests each against its jars, and a
#: version older than the first gets a notice (its keys are judged by the oldest catalogue).
CATALOGUE_RELEASES: tuple[str, ...] = (
    "2.8.2",
    "3.0.2",
    "3.1.2",
    "3.2.3",
    "3.3.2",
    "3.4.1",
    "3.5.2",
    "3.6.2",
    "3.7.2",
    "3.8.1",
    "3.9.1",
    "4.0.2",
    "4.1.2",
    "4.2.2",
    "4.3.1",
    "4.4.0",
)

#: The catalogued release lines, oldest first.
CATALOGUE_LINES: tuple[KafkaVersion, ...] = tuple(
    KafkaVersion(KafkaVersion.parse(release).major, KafkaVersion.parse(release).minor) for release in CATALOGUE_RELEASES
)
OLDEST_CATALOGUE = CATALOGUE_LINES[0]


#: Defaults that changed between releases: (kind, key) -> ((first release, default), ...),
#: oldest first; the first entry holds for every older release. The one table of them: the
#: rules' typed reads (``kafkalint.rules._values``) answer from it, the catalogue applies it to
#: versions older than the oldest catalogue, and a test keeps it equal to every catalogue.
VERSIONED_DEFAULTS: dict[tuple[str, str], tuple[tuple[KafkaVersion, Any], ...]] = {
    # KIP-679 (3.0): the strongest delivery guarantee by default.
    ("producer", "acks"): ((KafkaVersion(0, 0), "1"), (KafkaVersion(3, 0), "all")),
    ("producer", "enable.idempotence"): ((KafkaVersion(0, 0), False), (KafkaVersion(3, 0), True)),
    # KIP-1030 (4.0): batch a little by default.
    ("producer", "linger.ms"): ((KafkaVersion(0, 0), 0), (KafkaVersion(4, 0), 5)),
    # KIP-91 (2.1): retry until delivery.timeout.ms.
    ("producer", "retries"): ((KafkaVersion(0, 0), 0), (KafkaVersion(2, 1), 2**31 - 1)),
    # KIP-537 (2.5): fewer spurious session expiries and ISR shrinks.
    ("broker", "zookeeper.session.timeout.ms"): ((KafkaVersion(0, 0), 6000), (KafkaVersion(2, 5), 18000)),
    ("broker", "replica.lag.time.max.ms"): ((KafkaVersion(0, 0), 10000), (KafkaVersion(2, 5), 30000)),
    # KIP-186 (2.0): committed offsets kept 7 days, not 1.
    ("broker", "offsets.retention.minutes"): ((KafkaVersion(0, 0), 1440), (KafkaVersion(2, 0), 10080)),
    # KIP-266 (2.0): the consumer's request timeout no longer covers a rebalance.
    ("consumer", "request.timeout.ms"): ((KafkaVersion(0, 0), 305000), (KafkaVersion(2, 0), 30000)),
    # KIP-106 (0.11): no unclean leader election by default.
    ("broker", "unclean.leader.election.enable"): ((KafkaVersion(0, 0), True), (KafkaVersion(0, 11), False)),
    ("topic", "unclean.leader.election.enable"): ((KafkaVersion(0, 0), True), (KafkaVersion(0, 11), False)),
}


def versioned_default(kind: str, key: str, version: KafkaVersion) -> tuple[bool, Any]:
    """(True, the default of ``key`` in ``version``) when :data:`VERSIONED_DEFAULTS` lists the
    key, else (False, None)."""
    steps = VERSIONED_DEFAULTS.get((kind, key))
    if steps is None:
        return False, None
    return True, next(value for since, value in reversed(steps) if version >= since)
