"""What Kafka knows about each config key, per release line.

The catalogue files under ``catalogue/`` are generated from the real Kafka jars
(``ConfigDef`` of ``KafkaConfig``, ``LogConfig``, ``ProducerConfig`` and ``ConsumerConfig``)
by ``scripts/gen_catalogue.py``; ZooKeeper's keys are kept by hand. A key absent from a
line's catalogue is unknown to that version (KL002) or removed by it (KL003).

File format (``catalogue/kafka-<major>.<minor>.json``)::

    {"version": "3.9.1",
     "kinds": {"broker": {"min.insync.replicas": {"type": "INT", "default": 1,
                                                   "validator": "[1,...]"}, ...},
               "topic": {...}, "producer": {...}, "consumer": {...}}}

``zookeeper.json`` has the same ``kinds`` shape with the single kind ``zookeeper``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kafkalint.versions import KafkaVersion

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
    kind: str
    version: str
    keys: dict[str, KeySpec]

    def spec(self, key: str) -> KeySpec | None:
        return self.keys.get(key)


@cache
def _available_lines() -> list[KafkaVersion]:
    root = resources.files("kafkalint") / "catalogue"
    lines = []
    for entry in root.iterdir():
        name = entry.name
        if name.startswith("kafka-") and name.endswith(".json"):
            lines.append(KafkaVersion.parse(name[len("kafka-") : -len(".json")]))
    return sorted(lines)


@cache
def _load_file(name: str) -> dict[str, Any]:
    path = resources.files("kafkalint") / "catalogue" / name
    if not path.is_file():
        return {"version": "unknown", "kinds": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


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
    data = _load_file(name)
    raw = data.get("kinds", {}).get(kind, {})
    keys = {name: KeySpec(name, spec["type"], spec.get("default"), spec.get("validator")) for name, spec in raw.items()}
    return Catalogue(kind, str(data.get("version", "unknown")), keys)
