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


# -- validators the generator cannot read ---------------------------------------------------
# Kafka validates a few keys with code, not with a Range / ValidString / ValidList object the
# generator can read: parsers of versions and addresses, lambdas, anonymous classes. Their
# schemas below are written from that code (named in each comment) and checked against it in the
# JVM, value by value, for every catalogued release (tests/catalogue/test_catalogue_jvm.py).


def _up_to(limit: int) -> str:
    """A regular expression of the decimal numbers 0..``limit`` (leading zeros allowed, ASCII
    digits), as ``Integer.parseInt`` accepts them and a range check then keeps them."""
    digits = str(limit)
    options = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for index, char in enumerate(digits):
        if char != "0":
            options.append(digits[:index] + f"[0-{int(char) - 1}]" + f"[0-9]{{{len(digits) - index - 1}}}")
    options.append(digits)
    return "0*(" + "|".join(options) + ")"


_INT32 = _up_to(2**31 - 1)
_INT32_SIGNED = f"([+]?{_INT32}|-{_up_to(2**31)})"
_PORT = _up_to(65535)
# Java's Duration.parse (case-insensitive), without negative parts: AutoOffsetResetStrategy
# refuses a negative duration, and a mixed one ("P1DT-1H") is not modelled.
_DURATION = (
    "[+]?[pP](?=[0-9+tT])([+]?[0-9]+[dD])?"
    "([tT](?=[0-9+])([+]?[0-9]+[hH])?([+]?[0-9]+[mM])?([+]?[0-9]+([.,][0-9]{0,9})?[sS])?)?"
)


def _host_port(spec: dict[str, Any]) -> str:
    """``Utils.getHost``/``getPort``'s pattern of the release (it changed in 3.8 and 4.0), inside
    one "@"-free entry, with a port an ``InetSocketAddress`` takes (0-65535)."""
    pattern = str(spec.get("host_port_pattern") or r".*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)")
    pattern = pattern.removeprefix("^").replace(".*?", "[^@\n\r\u0085\u2028\u2029]*?")
    return pattern.replace(":([0-9]+)", f":({_PORT})")


def _version_pattern(versions: list[str], api_version: bool, release: str) -> str:
    """Kafka's inter.broker.protocol.version / message format parsers: the first two dotted
    parts (three for 0.x) name a version, long (``3.9-IV0``) or short (``3.9``).

    ``kafka.api.ApiVersion.apply`` (up to 3.0) always keeps the first parts (``3.9.`` is 3.9);
    ``MetadataVersion.fromVersionString`` (3.1 on) keeps the whole text when it has no more
    parts than that (``3.9.`` is no version). Java's split drops trailing empty parts."""
    # the short names are those of the release lines up to the catalogue's own (3.8.1 lists
    # 3.9-IV0, a version in development, but knows no "3.9")
    line = KafkaVersion.parse(".".join(release.split(".")[:2])) if release else None
    shorts = {
        short
        for short in (version.split("-")[0] for version in versions)
        if line is None or KafkaVersion.parse(".".join(short.split(".")[:2])) <= line
    }
    names = sorted({*versions, *shorts}, key=lambda name: (-len(name), name))
    alternatives = "|".join(re.escape(name) for name in names)
    rest = r"(\.[\s\S]*)?" if api_version else r"(\.[\s\S]*[^.][\s\S]*)?"
    return f"^({alternatives}){rest}$"


def _custom_schema(kind: str, key: str, spec: dict[str, Any], release: str) -> dict[str, Any] | None:
    """The schema fragment of a validator the generator cannot read, ``None`` for the others."""
    validator_kind = spec.get("validator_kind") or ""
    text = spec.get("validator") or ""
    if validator_kind in ("MetadataVersionValidator", "ApiVersionValidator$"):
        versions = text.strip("[]").split(", ")
        return {"pattern": _version_pattern(versions, validator_kind == "ApiVersionValidator$", release)}
    if validator_kind.startswith("ThrottledReplicaListValidator"):
        # LogConfig's ThrottledReplicaListValidator: every item "partition:broker" (or empty),
        # or the items joined are the literal "*"
        return {
            "anyOf": [
                {"type": "array", "items": {"type": "string", "pattern": "^([0-9]+:[0-9]+)?$"}},
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^\*?$"},
                    "contains": {"const": "*"},
                    "maxContains": 1,
                },
            ]
        }
    if validator_kind == "ControllerQuorumVotersValidator":
        # QuorumConfig.parseVoterConnections: "{id}@{host}:{port}", split on "@" (a trailing "@"
        # vanishes), Utils.getHost/getPort, then an InetSocketAddress (port 0-65535)
        return {"items": {"pattern": f"^{_INT32_SIGNED}@{_host_port(spec)}@*$"}}
    if validator_kind == "ControllerQuorumBootstrapServersValidator":
        # QuorumConfig: Utils.getHost and Utils.getPort ("{host}:{port}"), then an InetSocketAddress
        return {"items": {"pattern": f"^{_host_port(spec)}$"}}
    if (kind, key) == ("consumer", "auto.offset.reset") and validator_kind == "Validator":
        # 4.0+ AutoOffsetResetStrategy: the strategy names (case-sensitive) or by_duration:<ISO-8601>
        return {"pattern": f"^(latest|earliest|none|by_duration:{_DURATION})$"}
    if (kind, key) == ("consumer", "share.acknowledgement.mode") and validator_kind == "Validator":
        # ShareAcknowledgementMode.fromString: exact lower-case names
        return {"enum": ["implicit", "explicit"]}
    if (kind, key) == ("consumer", "share.acquire.mode") and validator_kind == "Validator":
        # ShareAcquireMode.of: any case
        return {"pattern": _case_insensitive_pattern(text.strip("[]").split(", "))}
    if validator_kind == "LambdaValidator" and key.startswith("remote.log.manager.") and key.endswith(".pool.size"):
        # RemoteLogManagerConfig (3.9): "Value can be -1 or greater than 0"
        return {"anyOf": [{"minimum": 1}, {"const": -1}], "x-kafka-accepts": "-1, or 1 and more"}
    return None


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


def _list_flags(spec: dict[str, Any], schema: dict[str, Any]) -> None:
    """4.2+ (KIP-1161) ValidList: no empty item, no item twice, an empty list only where allowed."""
    if spec.get("list_items_non_empty"):
        schema["items"]["minLength"] = 1
    if spec.get("list_unique"):
        schema["uniqueItems"] = True
    if spec.get("list_empty_allowed") is False:
        schema["minItems"] = 1


def key_schema(spec: dict[str, Any], kind: str = "", key: str = "", release: str = "") -> dict[str, Any]:
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
    if kafka_type == "LIST":
        _list_flags(spec, schema)
    if spec.get("validator_kind") == "NonEmptyString":
        schema["minLength"] = 1
    if kafka_type == "CLASS":
        schema["pattern"] = JAVA_CLASS_PATTERN
    custom = _custom_schema(kind, key, spec, release)
    accepts = None
    if custom is not None:
        accepts = custom.pop("x-kafka-accepts", None) or spec.get("validator") or "a value its own check accepts"
        if "items" in custom:
            schema["items"] = {**schema.get("items", {}), **custom.pop("items")}
        schema.update(custom)
    annotations: dict[str, Any] = {"x-kafka-type": kafka_type}
    if accepts is not None:
        annotations["x-kafka-accepts"] = accepts
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
    patterns: dict[str, Any] = catalogue.data("zookeeper.json").get("patterns", {}).get("zookeeper", {})
    return patterns


def _raw_catalogue(kind: str, version: KafkaVersion) -> tuple[str, dict[str, Any]]:
    name = "zookeeper.json" if kind == "zookeeper" else f"kafka-{catalogue.catalogue_line(version)}.json"
    data = catalogue.data(name)
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
        "properties": {
            name: key_schema(spec, kind, name, source_version if kind != "zookeeper" else "")
            for name, spec in sorted(keys.items())
        },
        "patternProperties": _patterns(kind, version),
        "additionalProperties": False,
    }


@cache
def property_schema(kind: str, version: KafkaVersion, key: str) -> dict[str, Any] | None:
    """``schema_for(kind, version)["properties"].get(key)`` without building the schema of
    every other key (linting one file reads a dozen keys of several hundred)."""
    if kind not in catalogue.KINDS:
        raise ValueError(f"unknown config kind {kind!r}")
    source_version, keys = _raw_catalogue(kind, version)
    spec = keys.get(key)
    if spec is None:
        return None
    return key_schema(spec, kind, key, source_version if kind != "zookeeper" else "")


def shipped_path(kind: str) -> Path:
    return Path(__file__).resolve().parent / "schemas" / f"{kind}.schema.json"


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
