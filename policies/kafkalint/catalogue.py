"""What Kafka knows about each config key, per release line.

The catalogue files under ``catalogue/`` are generated from the real Kafka jars
(``ConfigDef`` of ``KafkaConfig``, ``LogConfig``, ``ProducerConfig`` and ``ConsumerConfig``)
by ``scripts/gen_catalogue.py`` for each release of
:data:`kafkalint.versions.CATALOGUE_RELEASES` (2.8 to 4.4), and checked against the same jars in
the JVM (``make jvm``); ZooKeeper's keys are kept by hand. A key absent from a line's catalogue
is unknown to that version (KL002) or removed by it (KL003). A version older than the oldest
catalogue is read with the oldest one and the defaults that differed then
(:data:`kafkalint.versions.VERSIONED_DEFAULTS`); the run says so in a notice.

File format (``catalogue/kafka-<major>.<minor>.json``)::

    {"version": "3.9.1",
     "kinds": {"broker": {"min.insync.replicas": {"type": "INT", "default": 1,
                                                   "validator": "[1,...]", "validator_kind": "Range",
                                                   "range": [1, null], "importance": "high"}, ...},
               "topic": {...}, "producer": {...}, "consumer": {...}}}

``zookeeper.json`` has the same ``kinds`` shape with the single kind ``zookeeper``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kafkalint.versions import CATALOGUE_LINES, OLDEST_CATALOGUE, KafkaVersion, versioned_default

KINDS = ("broker", "topic", "producer", "consumer", "zookeeper")


@dataclass(frozen=True)
class KeySpec:
    """One config key: its Kafka type (INT, LONG, SHORT, DOUBLE, BOOLEAN, STRING, LIST,
    CLASS, PASSWORD), its default (already typed; ``None`` when Kafka has none) and
    Kafka's validator text (``[1,...]``, ``[none, gzip, ...]``) when it has one."""

    name: str
    type: str
    default: Any = None
    validator: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """The keys of one config ``kind`` in one release line's catalogue (``version``: the
    release it was generated from)."""

    kind: str
    version: str
    keys: dict[str, KeySpec]

    def spec(self, key: str) -> KeySpec | None:
        return self.keys.get(key)


def _available_lines() -> list[KafkaVersion]:
    """The catalogued release lines (:data:`kafkalint.versions.CATALOGUE_RELEASES`)."""
    return list(CATALOGUE_LINES)


#: The catalogue files, beside this module (found by path, not ``importlib.resources``, whose
#: import alone costs a tenth of the start-up time of linting one file).
DIRECTORY = Path(__file__).resolve().parent / "catalogue"


@cache
def data(name: str) -> dict[str, Any]:
    """The parsed catalogue file ``name`` (``kafka-3.9.json``, ``zookeeper.json``), read once;
    shared by every reader, so never changed. A missing file reads as an empty catalogue."""
    path = DIRECTORY / name
    if not path.is_file():
        return {"version": "unknown", "kinds": {}}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def catalogue_line(version: KafkaVersion) -> str:
    """The newest catalogued release line not newer than ``version`` (else the oldest)."""
    lines = _available_lines()
    if not lines:
        return version.line
    eligible = [line for line in lines if line <= KafkaVersion(version.major, version.minor)]
    return (eligible[-1] if eligible else lines[0]).line


@cache
def load(kind: str, version: KafkaVersion) -> Catalogue:
    """The catalogue of ``kind`` for ``version``; empty when no file covers it."""
    if kind not in KINDS:
        raise ValueError(f"unknown config kind {kind!r}")
    name = "zookeeper.json" if kind == "zookeeper" else f"kafka-{catalogue_line(version)}.json"
    loaded = data(name)
    raw = loaded.get("kinds", {}).get(kind, {})
    keys = {name: KeySpec(name, spec["type"], spec.get("default"), spec.get("validator")) for name, spec in raw.items()}
    if kind != "zookeeper" and KafkaVersion(version.major, version.minor) < OLDEST_CATALOGUE:
        # older than every catalogue: the oldest one, with the defaults that were different then
        for name, spec in keys.items():
            listed, value = versioned_default(kind, name, version)
            if listed:
                keys[name] = KeySpec(name, spec.type, value, spec.validator)
    return Catalogue(kind, str(loaded.get("version", "unknown")), keys)


@cache
def password_keys(kinds: tuple[str, ...] = ("broker", "producer", "consumer")) -> frozenset[str]:
    """Every key Kafka types PASSWORD in any catalogued release line, for ``kinds``: the
    values that must never reach a log, a diff or a finding. Derived from the catalogues
    (generated from the jars), so a secret key a new release adds is covered when its
    catalogue is."""
    keys: set[str] = set()
    for line in _available_lines():
        loaded = data(f"kafka-{line.line}.json")
        for kind in kinds:
            keys.update(
                name for name, spec in loaded.get("kinds", {}).get(kind, {}).items() if spec["type"] == "PASSWORD"
            )
    return frozenset(keys)
