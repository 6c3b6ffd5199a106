"""The schema pass: every explicit setting checked against its kind's JSON Schema.

Runs before the policy rules (KL001-KL003 read its result). Each setting of every config
map (broker, topic, producer, consumer, ZooKeeper) is checked by key:

- a key the target version's catalogue lacks but an older release line had is *removed*
  (KL003), e.g. every ``zookeeper.*`` broker key in 4.0;
- a key no schema property or pattern admits is *unknown* (KL002), with the closest known key
  as a suggestion, or the release that introduced it when a newer line knows it;
- a known key's value is first read as Kafka parses it (``"5"`` is the integer 5, ``"TRUE"``
  a boolean, ``"a, b"`` a list; a float for an INT key is not an integer) and then checked
  against the key's subschema: type, range, allowed values (KL001).

The subschemas are those of :func:`kafkalint.schema_gen.schema_for` (the shipped files).
They are evaluated by a small evaluator of the keywords the generator emits (``type``,
``minimum``, ``maximum``, ``enum``, ``const``, ``pattern``, ``minLength``, ``items``,
``anyOf``) instead of the ``jsonschema`` package, whose import alone takes about 300 ms and
would triple the start-up time of linting one file; a test checks that both agree.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from kafkalint import schema_gen
from kafkalint.catalogue import catalogue_line
from kafkalint.effective import render_value
from kafkalint.findings import Finding
from kafkalint.model import ConfigMap, Location, Model
from kafkalint.versions import KafkaVersion

INVALID, UNKNOWN, REMOVED = "KL001", "KL002", "KL003"

_INTEGER = re.compile(r"^[+-]?\d+$")
# java.lang.Double.parseDouble, without hexadecimal floats
_DOUBLE = re.compile(r"^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?))[fFdD]?$")
_LIST_SPLIT = re.compile(r"\s*,\s*")

_TYPE_WORDS = {
    "INT": "a 32-bit integer",
    "SHORT": "a 16-bit integer",
    "LONG": "a 64-bit integer",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false",
    "STRING": "a string",
    "PASSWORD": "a string",
    "CLASS": "a Java class name",
    "LIST": "a comma-separated list",
}


@dataclass(frozen=True)
class Issue:
    """One schema finding before it becomes a :class:`~kafkalint.findings.Finding`."""

    rule_id: str
    key: str
    message: str
    location: Location
    subject: str
    hint: str = ""

    def finding(self) -> Finding:
        return Finding(self.rule_id, self.message, self.location, self.subject, self.hint)


# -- reading a value as Kafka does ------------------------------------------------------------


class _Missing:
    pass


MISSING = _Missing()


def normalize(raw: Any, kafka_type: str) -> Any:
    """``raw`` as Kafka's ``ConfigDef.parseType`` would read it, or a value of the wrong JSON
    type when Kafka would refuse it (so the schema reports a type error)."""
    if kafka_type in ("INT", "SHORT", "LONG"):
        if isinstance(raw, bool):
            return render_value(raw)
        if isinstance(raw, int):
            return raw
        text = render_value(raw).strip() if not isinstance(raw, (dict, list)) else raw
        if isinstance(text, str) and _INTEGER.match(text):
            return int(text)
        return text if not isinstance(raw, float) else render_value(raw)
    if kafka_type == "DOUBLE":
        if isinstance(raw, bool):
            return render_value(raw)
        if isinstance(raw, (int, float)):
            return raw
        if isinstance(raw, str) and _DOUBLE.match(raw.strip()):
            text = raw.strip().rstrip("fFdD")
            return float(text.replace("Infinity", "inf"))
        return raw
    if kafka_type == "BOOLEAN":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        return raw if isinstance(raw, (dict, list)) else render_value(raw)
    if kafka_type == "LIST":
        if isinstance(raw, (list, tuple)):
            return [render_value(item).strip() for item in raw]
        if isinstance(raw, dict):
            return raw
        text = render_value(raw).strip()
        return _LIST_SPLIT.split(text) if text else []
    if isinstance(raw, (dict, list, tuple)) and kafka_type != "STRING":
        return raw
    if isinstance(raw, (list, tuple)):
        return render_value(raw)
    return raw if isinstance(raw, dict) else render_value(raw).strip()


# -- evaluating the generated subschemas ------------------------------------------------------


def _is_type(value: Any, json_type: str) -> bool:
    if json_type == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if json_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if json_type == "string":
        return isinstance(value, str)
    if json_type == "boolean":
        return isinstance(value, bool)
    if json_type == "array":
        return isinstance(value, list)
    if json_type == "object":
        return isinstance(value, dict)
    if json_type == "null":
        return value is None
    raise ValueError(f"schema type {json_type!r} is not supported")


def _equal(left: Any, right: Any) -> bool:
    # JSON Schema equality: booleans are not numbers
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    return bool(left == right)


def evaluate(schema: dict[str, Any], value: Any) -> list[tuple[str, Any]]:
    """The failed keywords of ``schema`` for ``value``: (keyword, the keyword's argument)."""
    errors: list[tuple[str, Any]] = []
    if "anyOf" in schema and all(evaluate(branch, value) for branch in schema["anyOf"]):
        errors.append(("anyOf", schema["anyOf"]))
    json_type = schema.get("type")
    if json_type is not None:
        types = json_type if isinstance(json_type, list) else [json_type]
        if not any(_is_type(value, name) for name in types):
            return [("type", json_type)]
    if "const" in schema and not _equal(value, schema["const"]):
        errors.append(("const", schema["const"]))
    if "enum" in schema and not any(_equal(value, choice) for choice in schema["enum"]):
        errors.append(("enum", schema["enum"]))
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and "minimum" in schema and value < schema["minimum"]:
        errors.append(("minimum", schema["minimum"]))
    if numeric and "maximum" in schema and value > schema["maximum"]:
        errors.append(("maximum", schema["maximum"]))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(("minLength", schema["minLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(("pattern", schema["pattern"]))
    if isinstance(value, list) and "items" in schema:
        for item in value:
            for keyword, argument in evaluate(schema["items"], item):
                errors.append((f"items.{keyword}", argument))
                break
    return errors


# -- catalogue lines --------------------------------------------------------------------------


@cache
def _line_keys() -> dict[KafkaVersion, dict[str, frozenset[str]]]:
    root = resources.files("kafkalint") / "catalogue"
    result: dict[KafkaVersion, dict[str, frozenset[str]]] = {}
    for entry in root.iterdir():
        name = entry.name
        if name.startswith("kafka-") and name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            line = KafkaVersion.parse(name[len("kafka-") : -len(".json")])
            result[line] = {kind: frozenset(keys) for kind, keys in data.get("kinds", {}).items()}
    return dict(sorted(result.items()))


def _removed_in(kind: str, key: str, target: KafkaVersion) -> KafkaVersion | None:
    """The release line that removed ``key``, when an older line knew it."""
    lines = _line_keys()
    older = [line for line in lines if line < target and key in lines[line].get(kind, frozenset())]
    if not older:
        return None
    later = [line for line in lines if line > older[-1]]
    return later[0] if later else target


def _introduced_in(kind: str, key: str, target: KafkaVersion) -> KafkaVersion | None:
    lines = _line_keys()
    newer = [line for line in lines if line > target and key in lines[line].get(kind, frozenset())]
    return newer[0] if newer else None


@cache
def _topic_synonyms(line: str) -> dict[str, str]:
    """Topic key -> the broker key that sets its default, from the catalogue of ``line``."""
    path = resources.files("kafkalint") / "catalogue" / f"kafka-{line}.json"
    if not path.is_file():
        return {}
    topic = json.loads(path.read_text(encoding="utf-8")).get("kinds", {}).get("topic", {})
    return {key: spec["broker_synonym"] for key, spec in topic.items() if spec.get("broker_synonym")}


def _synonym(kind: str, version: KafkaVersion, key: str) -> str | None:
    """The key of the other level for a topic key used on a broker, or the reverse
    (``retention.ms`` on a broker means ``log.retention.ms``)."""
    synonyms = _topic_synonyms(catalogue_line(version))
    if kind == "broker":
        return synonyms.get(key)
    if kind == "topic":
        return next((topic for topic, broker in synonyms.items() if broker == key), None)
    return None


# -- one key ----------------------------------------------------------------------------------


@cache
def _compiled_patterns(kind: str, version: KafkaVersion) -> tuple[tuple[re.Pattern[str], dict[str, Any]], ...]:
    schema = schema_gen.schema_for(kind, version)
    return tuple((re.compile(pattern), sub) for pattern, sub in schema["patternProperties"].items())


def subschema(kind: str, version: KafkaVersion, key: str) -> dict[str, Any] | None:
    """The schema of ``key``'s value, ``None`` when the key is unknown."""
    schema = schema_gen.schema_for(kind, version)
    found: dict[str, Any] | None = schema["properties"].get(key)
    if found is not None:
        return found
    for pattern, sub in _compiled_patterns(kind, version):
        if pattern.search(key):
            return sub
    return None


def _shown(value: Any) -> str:
    """A value as a person wrote it: bare when it is one word, quoted otherwise."""
    text = render_value(value) if not isinstance(value, dict) else json.dumps(value)
    return text if text and not any(char.isspace() for char in text) else repr(text)


def _range_words(kafka_type: str, schema: dict[str, Any]) -> str | None:
    """Kafka's own wording of the range, ``None`` when only the type's bounds apply."""
    bounds = schema_gen.INT_BOUNDS.get(kafka_type, (None, None))
    low = schema.get("minimum") if schema.get("minimum") != bounds[0] else None
    high = schema.get("maximum") if schema.get("maximum") != bounds[1] else None
    if low is not None and high is not None:
        return f"the value must be between {low} and {high}"
    if low is not None:
        return f"the value must be at least {low}"
    if high is not None:
        return f"the value must be no more than {high}"
    return None


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"use {close[0]!r}" if close else ""


def _describe(key: str, raw: Any, value: Any, schema: dict[str, Any], failed: list[tuple[str, Any]]) -> tuple[str, str]:
    """(message, hint) for the first failed keyword."""
    keyword, argument = failed[0]
    kafka_type = schema.get("x-kafka-type", "STRING")
    validator = schema.get("x-kafka-validator")
    type_words = _TYPE_WORDS.get(kafka_type, kafka_type)
    if keyword in ("minimum", "maximum"):
        bounds = schema_gen.INT_BOUNDS.get(kafka_type, (None, None))
        words = None if argument in bounds else _range_words(kafka_type, schema)
        if words is not None:
            return (f"invalid value {_shown(raw)} for {key}: {words}", f"Kafka's validator for {key} is {validator}")
        keyword = "type"
    if keyword == "type":
        return (f"invalid value {_shown(raw)} for {key}: Kafka expects {type_words}", f"write {key} as {type_words}")
    if keyword == "anyOf":
        return (f"invalid value {_shown(raw)} for {key}: Kafka accepts {validator}", "")
    if keyword in ("enum", "items.enum", "pattern", "items.pattern"):
        found = schema.get("enum") or schema.get("items", {}).get("enum")
        # the generator adds 1 beside "1" for YAML; name each choice once
        choices = None if found is None else [choice for choice in found if isinstance(choice, str)]
        if keyword == "pattern" and kafka_type == "CLASS":
            return (f"invalid value {_shown(raw)} for {key}: not a Java class name", "")
        case = ""
        if choices is None and validator:
            # a case-insensitive choice is a pattern; Kafka's validator text lists the choices
            case = " (case insensitive)" if validator.startswith("(case insensitive) ") else ""
            choices_text = validator.removeprefix("(case insensitive) ").strip("[]")
            choices = choices_text.split(", ")
        else:
            choices_text = ", ".join(choices or [])
        bad = value
        if keyword.startswith("items") and isinstance(value, list):
            bad = next((item for item in value if evaluate(schema["items"], item)), value)
        return (
            f"invalid value {_shown(bad)} for {key}: Kafka accepts one of {choices_text}{case}",
            _suggest(str(bad), list(choices or [])),
        )
    if keyword == "minLength":
        return (f"invalid value {_shown(raw)} for {key}: the value must not be empty", "")
    return (f"invalid value {_shown(raw)} for {key} ({keyword})", "")


def _hashable(raw: Any) -> Any:
    if isinstance(raw, (list, tuple)):
        return ("__list__", tuple(_hashable(item) for item in raw))
    if isinstance(raw, dict):
        return ("__dict__", tuple((str(key), _hashable(value)) for key, value in raw.items()))
    return (type(raw).__name__, raw)


def _unhash(frozen: Any) -> Any:
    tag, payload = frozen
    if tag == "__list__":
        return [_unhash(item) for item in payload]
    if tag == "__dict__":
        return {key: _unhash(value) for key, value in payload}
    return payload


@lru_cache(maxsize=65536)
def _check_cached(kind: str, version: KafkaVersion, key: str, frozen: Any) -> tuple[str, str, str] | None:
    raw = _unhash(frozen)
    target = KafkaVersion.parse(catalogue_line(version)) if kind != "zookeeper" else version
    schema = subschema(kind, version, key)
    if schema is None:
        if kind != "zookeeper":
            removed = _removed_in(kind, key, target)
            gone = schema_gen.REMOVED_OUTSIDE_CONFIGDEF.get(key)
            if removed is None and gone is not None and target >= KafkaVersion.parse(gone):
                removed = KafkaVersion.parse(gone)
            if removed is not None:
                return (
                    REMOVED,
                    f"{key} was removed in Kafka {removed.line} (target version {version})",
                    "delete the line" + ("; Kafka 4.0 runs without ZooKeeper (KRaft)" if "zookeeper" in key else ""),
                )
            introduced = _introduced_in(kind, key, target)
            if introduced is not None:
                return (
                    UNKNOWN,
                    f"unknown {kind} key {key!r} for Kafka {version.line}: it arrived in Kafka {introduced.line}",
                    f"raise kafka_version to {introduced.line} or delete the line",
                )
        synonym = _synonym(kind, version, key)
        if synonym is not None:
            other = "topic" if kind == "broker" else "broker"
            return (
                UNKNOWN,
                f"unknown {kind} key {key!r}: it is a {other} key; the {kind} key is {synonym!r}",
                f"rename it to {synonym!r}",
            )
        known = list(schema_gen.schema_for(kind, version)["properties"])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        return (
            UNKNOWN,
            f"unknown {kind} key {key!r}" + (f": did you mean {close[0]!r}?" if close else ""),
            f"rename it to {close[0]!r}" if close else "delete the line, or check the key against the Kafka docs",
        )
    if raw is None:
        return (INVALID, f"{key} has no value", f"give {key} a value or delete it")
    value = normalize(raw, schema.get("x-kafka-type", "STRING"))
    failed = evaluate(schema, value)
    if not failed:
        return None
    message, hint = _describe(key, raw, value, schema, failed)
    return (INVALID, message, hint)


def check_setting(kind: str, version: KafkaVersion, key: str, raw: Any) -> tuple[str, str, str] | None:
    """(rule id, message, hint) for one setting, ``None`` when it passes."""
    try:
        frozen = _hashable(raw)
        hash(frozen)
    except TypeError:
        frozen = ("str", repr(raw))
    return _check_cached(kind, version, key, frozen)


# -- the whole model --------------------------------------------------------------------------


def _configs(model: Model) -> Iterator[tuple[str, ConfigMap]]:
    for cluster in model.clusters:
        for kafka_node in cluster.nodes:
            yield f"{'broker' if kafka_node.is_broker else 'controller'} {kafka_node.name}", kafka_node.config
        for node in cluster.zookeepers:
            yield f"zookeeper {node.name}", node.config
        for topic in cluster.topics:
            yield f"topic {topic.name}", topic.config
        for profile in cluster.producers:
            yield f"producer profile {profile.name}", profile.config
        for client in cluster.consumers:
            yield f"consumer {client.name}", client.config


#: Invalid values a dedicated rule reports with Kafka's own text (KL001 stays silent on them).
OWNED_BY_RULES = {"compression.type": "KL404"}


def _collect(model: Model) -> list[Issue]:
    grouped: dict[tuple[str, Location, str], tuple[list[str], str, str]] = {}
    for subject, config in _configs(model):
        for setting in config:
            result = check_setting(config.kind, config.version, setting.key, setting.raw)
            if result is None:
                continue
            rule_id, message, hint = result
            if rule_id == INVALID and setting.key in OWNED_BY_RULES:
                continue
            if setting.layer in ("derived", "role-default"):
                # nothing to delete: the roles write this key themselves
                hint = (
                    "the roles render this key (ZooKeeper mode, Kafka up to 3.9): target kafka_version 3.9"
                    if rule_id == REMOVED
                    else f"the roles render {setting.key}: check the inventory variable it comes from"
                )
            subjects, _, _ = grouped.setdefault((rule_id, setting.location, message), ([], hint, setting.key))
            if subject not in subjects:
                subjects.append(subject)
    return [
        Issue(rule_id, key, message, location, ", ".join(subjects), hint)
        for (rule_id, location, message), (subjects, hint, key) in grouped.items()
    ]


_last: tuple[Model, list[Issue]] | None = None


def issues(model: Model, rule_id: str | None = None) -> list[Issue]:
    """The schema issues of ``model`` (computed once per model), optionally of one rule."""
    global _last  # noqa: PLW0603 - one-entry cache: KL001-KL003 run one after another on one model
    if _last is None or _last[0] is not model:
        _last = (model, _collect(model))
    found = _last[1]
    return [issue for issue in found if rule_id is None or issue.rule_id == rule_id]
