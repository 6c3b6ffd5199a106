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


#: Defaults that changed before the oldest catalogue, for versions older than it: (kind, key) ->
#: ((the first release with the catalogue's default, the default before it), ...), newest
#: change first. Sources: KIP-91 (producer retries 0 -> MAX_INT, delivery.timeout.ms, 2.1),
#: KIP-537 (zookeeper.session.timeout.ms 6 s -> 18 s, replica.lag.time.max.ms 10 s -> 30 s, 2.5),
#: KIP-186 (offsets.retention.minutes 1 day -> 7 days, 2.0), KIP-266 (consumer
#: request.timeout.ms 305 s -> 30 s, 2.0), KIP-106 (unclean.leader.election.enable true ->
#: false, 0.11).
EARLIER_DEFAULTS: dict[tuple[str, str], tuple[tuple[str, object], ...]] = {
    ("producer", "retries"): (("2.1", 0),),
    ("broker", "zookeeper.session.timeout.ms"): (("2.5", 6000),),
    ("broker", "replica.lag.time.max.ms"): (("2.5", 10000),),
    ("broker", "offsets.retention.minutes"): (("2.0", 1440),),
    ("consumer", "request.timeout.ms"): (("2.0", 305000),),
    ("broker", "unclean.leader.election.enable"): (("0.11", True),),
    ("topic", "unclean.leader.election.enable"): (("0.11", True),),
}


def earlier_default(kind: str, key: str, version: KafkaVersion) -> tuple[bool, object]:
    """(True, the default) when ``key``'s default in ``version`` differs from the oldest
    catalogue's (``version`` predates a change listed in :data:`EARLIER_DEFAULTS`)."""
    found: tuple[bool, object] = (False, None)
    for since, value in EARLIER_DEFAULTS.get((kind, key), ()):
        if version < KafkaVersion.parse(since):
            found = (True, value)
    return found
