"""JSON Schemas of the config kinds, generated from the catalogue.

One schema per kind (broker, topic, producer, consumer, zookeeper) describes a mapping of
config keys to values as Kafka parses them: each key's type (INT -> integer within 32 bits,
LIST -> array of strings, ...), its range and allowed values (read from Kafka's own validator
objects by ``scripts/gen_catalogue.py``, or parsed from the validator text), and which keys
exist at all (``additionalProperties: false``, with ``patternProperties`` for prefixed and
well-known third-party keys: see :data:`EXTRA_KEYS`).

The schemas of the default Kafka version are shipped under ``policies/kafkalint/schemas/``
so editors can validate ``kafka_broker_properties`` and friends; kafkalint builds the same
schema in memory for any other version. Regenerate the shipped files with::

    .venv/bin/python -m kafkalint.schema_gen --write

(a test fails while they are out of date).
"""

from __future__ import annotations

import argparse
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kafkalint import catalogue
from kafkalint.versions import DEFAULT_VERSION, KafkaVersion

DIALECT = "https://json-schema.org/draft/2020-12/schema"

INT_BOUNDS = {"INT": (-(2**31), 2**31 - 1), "SHORT": (-(2**15), 2**15 - 1), "LONG": (-(2**63), 2**63 - 1)}
_JSON_TYPES = {
    "INT": "integer",
    "SHORT": "integer",
    "LONG": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "STRING": "string",
    "PASSWORD": "string",
    "CLASS": "string",
    "LIST": "array",
}
JAVA_CLASS_PATTERN = r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$"
_RANGE_TEXT = re.compile(r"^\[(-?[\d.]+)?,\.\.\.(?:,(-?[\d.]+))?\](?: or (-?[\d.]+))?$")
_RANGE_TEXT_MAX = re.compile(r"^\[\.\.\.,(-?[\d.]+)\]$")

#: Keys kafkalint accepts although Kafka's ConfigDef does not list them, per kind: exact names
#: and regular expressions. Brokers: per-listener overrides (``listener.name.<l>.<key>``),
#: settings read by the authorizer and by remote-storage plugins. Clients: the settings of the
#: widespread serializers (Confluent Schema Registry and compatible, Apicurio), which live in
#: the same producer/consumer properties. ZooKeeper: ``server.N`` and the hierarchical quorum
#: keys (from ``zookeeper.json``'s patterns).
_CLIENT_THIRD_PARTY = (
    "schema.registry.url",
    "basic.auth.credentials.source",
    "basic.auth.user.info",
    "auto.register.schemas",
    "use.latest.version",
    "use.latest.with.metadata",
    "latest.compatibility.strict",
    "latest.cache.size",
    "latest.cache.ttl.sec",
    "normalize.schemas",
    "use.schema.id",
    "id.compatibility.strict",
    "key.subject.name.strategy",
    "value.subject.name.strategy",
    "reference.subject.name.strategy",
    "context.name.strategy",
    "specific.avro.reader",
    "specific.avro.key.type",
    "specific.avro.value.type",
    "avro.use.logical.type.converters",
    "avro.reflection.allow.null",
    "avro.remove.java.properties",
    "specific.protobuf.key.type",
    "specific.protobuf.value.type",
    "derive.type",
    "skip.known.types",
    "json.fail.invalid.schema",
    "json.fail.unknown.properties",
    "json.oneof.for.nullables",
    "json.key.type",
    "json.value.type",
    "json.write.dates.iso8601",
    "max.schemas.per.subject",
    "proxy.host",
    "proxy.port",
    "rule.executors",
    "rule.actions",
)
_CLIENT_THIRD_PARTY_PATTERNS = (
    r"^schema\.registry\..+$",
    r"^basic\.auth\..+$",
    r"^bearer\.auth\..+$",
    r"^apicurio\..+$",
    r"^rule\.(executors|actions)\..+$",
    r"^confluent\.monitoring\.interceptor\..+$",
)
#: Read by the JMX metrics reporter every broker and client runs, not by the ConfigDef.
_JMX = ("metrics.jmx.include", "metrics.jmx.exclude")
#: Keys outside the ConfigDef that a release removed: key -> the release line without it.
REMOVED_OUTSIDE_CONFIGDEF: dict[str, str] = {"metrics.jmx.blacklist": "4.0", "metrics.jmx.whitelist": "4.0"}

EXTRA_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "broker": (
        ("super.users", "allow.everyone.if.no.acl.found", *_JMX),
        (r"^listener\.name\.[^.]+\..+$", r"^rsm\.config\..+$", r"^rlmm\.config\..+$"),
    ),
    "topic": ((), ()),
    "producer": ((*_CLIENT_THIRD_PARTY, *_JMX), _CLIENT_THIRD_PARTY_PATTERNS),
    "consumer": ((*_CLIENT_THIRD_PARTY, *_JMX), _CLIENT_THIRD_PARTY_PATTERNS),
    "zookeeper": ((), ()),
}

_TITLES = {
    "broker": "Kafka {line} broker configuration (server.properties, kafka_broker_properties)",
    "topic": "Kafka {line} topic configuration (kafka_topics[].config)",
    "producer": "Kafka {line} producer configuration (producer .properties, kafka_producer_profiles[].config)",
    "consumer": "Kafka {line} consumer configuration (consumer .properties)",
    "zookeeper": "ZooKeeper {line} configuration (zoo.cfg, zookeeper_properties)",
}


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _case_insensitive_pattern(choices: list[str]) -> str:
    def fold(choice: str) -> str:
        return "".join(
            f"[{char.lower()}{char.upper()}]" if char.lower() != char.upper() else re.escape(char) for char in choice
        )

    return "^(" + "|".join(fold(choice) for choice in choices) + ")$"


def _bounds(spec: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(minimum, maximum, extra allowed value) from the structured range or the text."""
    if "range" in spec:
        low, high = spec["range"]
        return low, high, None
    text = spec.get("validator") or ""
    match = _RANGE_TEXT.match(text)
    if match:
        low, high, extra = match.groups()
        return (
            _number(low) if low else None,
            _number(high) if high else None,
            _number(extra) if extra else None,
        )
    match = _RANGE_TEXT_MAX.match(text)
    if match:
        return None, _number(match.group(1)), None
    return None, None, None


def key_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """The schema of one key's value, from its catalogue entry."""
    kafka_type = spec["type"]
    schema: dict[str, Any] = {"type": _JSON_TYPES.get(kafka_type, "string")}
    # YAML writes `acks: 1` and `cleanup.policy: compact`; Kafka reads both as text
    if kafka_type in ("STRING", "PASSWORD"):
        schema["type"] = ["string", "number", "boolean"]
    elif kafka_type == "LIST":
        schema["type"] = ["array", "string"]
    low, high, extra = _bounds(spec)
    if kafka_type in INT_BOUNDS:
        type_low, type_high = INT_BOUNDS[kafka_type]
        low = type_low if low is None else max(low, type_low)
        high = type_high if high is None else min(high, type_high)
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    if extra is not None:
        # "[1,...,9] or -1": the range, or the one extra value
        ranged = dict(schema)
        schema = {"anyOf": [ranged, {"const": extra}]}
    # Kafka 4.2+ builds "any values, no duplicates" lists as a ValidList of no valid strings:
    # an empty enum restricts nothing.
    choices = spec.get("enum") or None
    if choices is not None:
        if kafka_type == "LIST":
            schema["items"] = {"type": "string", "enum": list(choices)}
        elif spec.get("enum_case_insensitive"):
            schema["pattern"] = _case_insensitive_pattern(list(choices))
        else:
            numeric = [int(choice) for choice in choices if re.fullmatch(r"-?\d+", choice)]
            schema["enum"] = [*choices, *numeric]
    elif kafka_type == "LIST":
        schema["items"] = {"type": "string"}
    if spec.get("validator_kind") == "NonEmptyString":
        schema["minLength"] = 1
    if kafka_type == "CLASS":
        schema["pattern"] = JAVA_CLASS_PATTERN
    annotations: dict[str, Any] = {"x-kafka-type": kafka_type}
    if spec.get("validator"):
        annotations["x-kafka-validator"] = spec["validator"]
    if spec.get("default") is not None:
        annotations["default"] = spec["default"]
    return {**annotations, **schema}


def _patterns(kind: str, version: KafkaVersion) -> dict[str, Any]:
    names, regexes = EXTRA_KEYS[kind]
    if kind in ("broker", "producer", "consumer"):
        line = KafkaVersion.parse(catalogue.catalogue_line(version))
        names = (*names, *(key for key, gone in REMOVED_OUTSIDE_CONFIGDEF.items() if line < KafkaVersion.parse(gone)))
    patterns: dict[str, Any] = {regex: {} for regex in regexes}
    if kind == "zookeeper":
        raw = _zookeeper_patterns()
        for regex, spec in raw.items():
            patterns[regex] = {"x-kafka-type": spec["type"], "type": _JSON_TYPES.get(spec["type"], "string")}
            if spec["type"] == "LIST":
                patterns[regex]["items"] = {"type": "string"}
            if spec.get("doc"):
                patterns[regex]["description"] = spec["doc"]
    for name in names:
        patterns["^" + re.escape(name) + "$"] = {}
    return patterns


@cache
def _zookeeper_patterns() -> dict[str, Any]:
    path = resources.files("kafkalint") / "catalogue" / "zookeeper.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    patterns: dict[str, Any] = data.get("patterns", {}).get("zookeeper", {})
    return patterns


def _raw_catalogue(kind: str, version: KafkaVersion) -> tuple[str, dict[str, Any]]:
    name = "zookeeper.json" if kind == "zookeeper" else f"kafka-{catalogue.catalogue_line(version)}.json"
    path = resources.files("kafkalint") / "catalogue" / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return str(data.get("version", "unknown")), data.get("kinds", {}).get(kind, {})


@cache
def schema_for(kind: str, version: KafkaVersion = DEFAULT_VERSION) -> dict[str, Any]:
    """The JSON Schema of config ``kind`` for Kafka ``version`` (its catalogue line)."""
    if kind not in catalogue.KINDS:
        raise ValueError(f"unknown config kind {kind!r}")
    source_version, keys = _raw_catalogue(kind, version)
    line = ".".join(source_version.split(".")[:2])
    return {
        "$schema": DIALECT,
        "$id": f"https://kafka-iac.invalid/kafkalint/schemas/{kind}.schema.json",
        "title": _TITLES[kind].format(line=line),
        "description": (
            f"Generated by kafkalint from the {'hand-kept ZooKeeper' if kind == 'zookeeper' else 'Kafka ConfigDef'} "
            f"catalogue of version {source_version}. Values as Kafka parses them (numbers, booleans, lists)."
        ),
        "type": "object",
        "properties": {name: key_schema(spec) for name, spec in sorted(keys.items())},
        "patternProperties": _patterns(kind, version),
        "additionalProperties": False,
    }


def shipped_path(kind: str) -> Path:
    return Path(str(resources.files("kafkalint") / "schemas" / f"{kind}.schema.json"))


def render(kind: str) -> str:
    """The shipped file's text: the schema of the default version."""
    return json.dumps(schema_for(kind, DEFAULT_VERSION), indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the shipped JSON Schemas of the config kinds.")
    parser.add_argument("--write", action="store_true", help="rewrite policies/kafkalint/schemas/<kind>.schema.json")
    args = parser.parse_args(argv)
    for kind in catalogue.KINDS:
        path = shipped_path(kind)
        text = render(kind)
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current == text:
            print(f"{path.name}: up to date")
        elif args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: written")
        else:
            print(f"{path.name}: out of date (run with --write)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
