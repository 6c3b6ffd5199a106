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
``anyOf``, ``minItems``, ``uniqueItems``, ``contains``, ``maxContains``) instead of the
``jsonschema`` package, whose import alone takes about 300 ms and would triple the start-up
time of linting one file; a test checks that both agree, and ``make jvm`` that the verdicts
are Kafka's own (``ConfigDef`` in the JVM, every key of every catalogued release).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from kafkalint import catalogue, facts, placeholders, schema_gen
from kafkalint.catalogue import catalogue_line
from kafkalint.effective import render_value
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Location, Model, Notice, Setting
from kafkalint.versions import CATALOGUE_LINES, OLDEST_CATALOGUE, KafkaVersion

INVALID, UNKNOWN, REMOVED, UNRESOLVED = "KL001", "KL002", "KL003", "KL005"

_INTEGER = re.compile(r"[+-]?\d+")  # Integer.parseInt: Character.digit, so any Unicode digit
# java.lang.Double.parseDouble (FloatingDecimal): decimal and hexadecimal forms, NaN, Infinity
_DOUBLE = re.compile(
    r"[+-]?(NaN|Infinity"
    r"|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[fFdD]?)"
    r"|(0[xX]([0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?))"
)
# ConfigDef.COMMA_WITH_WHITESPACE; \s in Java is ASCII whitespace only
_LIST_SPLIT = re.compile(r"[ \t\n\x0b\f\r]*,[ \t\n\x0b\f\r]*")
# a ` # comment` at the end of a value
_INLINE_COMMENT = re.compile(r"[ \t\f]+(#.*)$")
# String.trim: every character up to U+0020
_JAVA_BLANKS = "".join(chr(code) for code in range(0x21))

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
    severity: Severity | None = None

    def finding(self) -> Finding:
        return Finding(self.rule_id, self.message, self.location, self.subject, self.hint, self.severity)


# -- reading a value as Kafka does ------------------------------------------------------------


class _Missing:
    pass


MISSING = _Missing()


def java_trim(text: str) -> str:
    """``text.trim()`` in Java: strips the characters up to U+0020, not Unicode spaces."""
    return text.strip(_JAVA_BLANKS)


def _java_double(text: str) -> float:
    body = text.rstrip("fFdD") if not text.endswith(("NaN", "Infinity")) else text
    if "x" in body.lower():
        return float.fromhex(body)
    return float(body.replace("Infinity", "inf"))


def normalize(raw: Any, kafka_type: str) -> Any:
    """``raw`` as Kafka's ``ConfigDef.parseType`` reads it, or a value of the wrong JSON type
    when Kafka would refuse it (so the schema reports a type error).

    Kafka reads the text of a ``.properties`` file, and the roles render an inventory's YAML
    values into that text (:func:`kafkalint.effective.render_value`: ``true``, ``a,b``,
    ``1.5``), so every value is judged by its text: a YAML ``6.0`` is ``"6.0"``, not an integer,
    and a YAML list is its comma-joined text split again as Kafka splits it."""
    if isinstance(raw, dict):
        return raw
    text = render_value(raw)
    trimmed = java_trim(text)
    if kafka_type in ("INT", "SHORT", "LONG"):
        return int(trimmed) if _INTEGER.fullmatch(trimmed) else text
    if kafka_type == "DOUBLE":
        return _java_double(trimmed) if _DOUBLE.fullmatch(trimmed) else text
    if kafka_type == "BOOLEAN":
        lowered = trimmed.lower()
        return lowered == "true" if lowered in ("true", "false") else text
    if kafka_type == "LIST":
        return _LIST_SPLIT.split(trimmed) if trimmed else []
    return trimmed


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
    if isinstance(value, list):
        if "contains" in schema:
            count = sum(1 for item in value if not evaluate(schema["contains"], item))
            if count < schema.get("minContains", 1):
                errors.append(("contains", schema["contains"]))
            if "maxContains" in schema and count > schema["maxContains"]:
                errors.append(("maxContains", schema["maxContains"]))
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(("minItems", schema["minItems"]))
        if schema.get("uniqueItems") and len(set(map(str, value))) != len(value):
            errors.append(("uniqueItems", True))
    if isinstance(value, list) and "items" in schema:
        for item in value:
            for keyword, argument in evaluate(schema["items"], item):
                errors.append((f"items.{keyword}", argument))
                break
    return errors


# -- catalogue lines --------------------------------------------------------------------------


@cache
def _line_keys() -> dict[KafkaVersion, dict[str, frozenset[str]]]:
    result: dict[KafkaVersion, dict[str, frozenset[str]]] = {}
    for line in CATALOGUE_LINES:
        data = catalogue.data(f"kafka-{line.line}.json")
        result[line] = {kind: frozenset(keys) for kind, keys in data.get("kinds", {}).items()}
    return result


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
    topic = catalogue.data(f"kafka-{line}.json").get("kinds", {}).get("topic", {})
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
    found = schema_gen.property_schema(kind, version, key)
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
    import difflib  # only for a misspelt name: kept off the start-up path

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"use {close[0]!r}" if close else ""


def _describe(key: str, raw: Any, value: Any, schema: dict[str, Any], failed: list[tuple[str, Any]]) -> tuple[str, str]:
    """(message, hint) for the first failed keyword."""
    keyword, argument = failed[0]
    kafka_type = schema.get("x-kafka-type", "STRING")
    if "x-kafka-accepts" in schema and keyword not in ("minItems", "uniqueItems", "items.minLength"):
        # a validator written as code: say what it accepts, in Kafka's words where it has them
        return (f"invalid value {_shown(raw)} for {key}: Kafka accepts {schema['x-kafka-accepts']}", "")
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
    if keyword == "minItems":
        return (f"invalid value {_shown(raw)} for {key}: the list must not be empty", f"give {key} at least one item")
    if keyword == "uniqueItems":
        return (f"invalid value {_shown(raw)} for {key}: the list names an item twice", "name each item once")
    if keyword == "items.minLength":
        return (f"invalid value {_shown(raw)} for {key}: the list has an empty item", "remove the extra comma")
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


def _removed(kind: str, version: KafkaVersion, key: str) -> KafkaVersion | None:
    """The release line that removed ``key`` (unknown to ``version``), ``None`` when none did."""
    if kind == "zookeeper":
        return None
    target = KafkaVersion.parse(catalogue_line(version))
    removed = _removed_in(kind, key, target)
    gone = schema_gen.REMOVED_OUTSIDE_CONFIGDEF.get(key)
    if removed is None and gone is not None and target >= KafkaVersion.parse(gone):
        removed = KafkaVersion.parse(gone)
    return removed


@lru_cache(maxsize=65536)
def _check_cached(kind: str, version: KafkaVersion, key: str, frozen: Any) -> tuple[str, str, str] | None:
    raw = _unhash(frozen)
    target = KafkaVersion.parse(catalogue_line(version)) if kind != "zookeeper" else version
    schema = subschema(kind, version, key)
    if schema is None:
        if kind != "zookeeper":
            removed = _removed(kind, version, key)
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
        import difflib  # only for a misspelt name: kept off the start-up path

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
    comment = _INLINE_COMMENT.search(raw) if isinstance(raw, str) else None
    if comment is not None:
        # Java properties have no inline comments: `acks=all # safest` is the value "all # safest"
        message += f" (Java properties have no inline comments: {comment.group(1)!r} is part of the value)"
        hint = "put the comment on a line of its own, starting with #"
    return (INVALID, message, hint)


def check_setting(kind: str, version: KafkaVersion, key: str, raw: Any) -> tuple[str, str, str] | None:
    """(rule id, message, hint) for one setting, ``None`` when it passes."""
    try:
        frozen = _hashable(raw)
        hash(frozen)
    except TypeError:
        frozen = ("str", repr(raw))
    return _check_cached(kind, version, key, frozen)


def verdict(kind: str, version: KafkaVersion, key: str, raw: Any) -> str | None:
    """The rule id :func:`check_setting` gives (KL001, KL002, KL003, ``None``) without composing
    the message of an unknown key (its closest-key search is the costly part): for bulk checks."""
    if subschema(kind, version, key) is None:
        return REMOVED if _removed(kind, version, key) is not None else UNKNOWN
    result = check_setting(kind, version, key, raw)
    return None if result is None else result[0]


# -- the whole model --------------------------------------------------------------------------


def _configs(model: Model) -> Iterator[tuple[str, ConfigMap]]:
    """Every config that may hold an issue, in the model's order. Topics and profiles are
    judged by shape (:mod:`kafkalint.facts`): those of a shape without any are skipped."""
    for cluster in model.clusters:
        for kafka_node in cluster.nodes:
            yield f"{'broker' if kafka_node.is_broker else 'controller'} {kafka_node.name}", kafka_node.config
        for node in cluster.zookeepers:
            yield f"zookeeper {node.name}", node.config
        for topic in facts.topics_where(cluster, lambda topic: _may_have_issues(topic.config)):
            yield f"topic {topic.name}", topic.config
        for profile in facts.producers_where(cluster, lambda profile: _may_have_issues(profile.config)):
            yield f"producer profile {profile.name}", profile.config
        for client in cluster.consumers:
            yield f"consumer {client.name}", client.config


#: Invalid values a dedicated rule reports with Kafka's own text (KL001 stays silent on them).
OWNED_BY_RULES = {"compression.type": "KL404"}


def _unresolved(config: ConfigMap, setting: Setting) -> tuple[str, str, str, Severity | None] | None:
    """KL005 for a setting that cannot be judged: (rule id, message, hint, severity). The
    message has the rules' shape: ``<problem>: <effect>; <change>``."""
    if setting.unresolved:
        return (
            UNRESOLVED,
            f"{setting.key} is not resolved ({setting.unresolved}): kafkalint cannot judge it; lint the rendered file",
            "render the template (or the inventory it comes from) and lint the result",
            None,
        )
    found = placeholders.find(setting.key) or placeholders.find(setting.raw)
    if found is None:
        return None
    provider = found.provider
    if provider is not None:
        providers = config.get("config.providers") or []
        if provider in providers:
            return (
                UNRESOLVED,
                f"{setting.key} is read from the config provider {provider!r} at start-up ({found.text}): "
                "kafkalint cannot judge the value; check the values the provider holds",
                "kafkalint does not read config providers' files or secrets",
                Severity.INFO,
            )
        return (
            UNRESOLVED,
            f"{setting.key} refers to the config provider {provider!r}, which config.providers does not name: "
            f"Kafka reads {found.text} literally; "
            f"add {provider} to config.providers with its class, or write the value",
            f"config.providers={provider} and config.providers.{provider}.class=<the provider's class>",
            None,
        )
    where = "key" if placeholders.find(setting.key) else "value"
    return (
        UNRESOLVED,
        f"the {where} of {setting.key} is a placeholder ({found.kind} {found.text}): kafkalint cannot judge it; "
        "lint the file it is rendered into, or write the value",
        "lint what Kafka will read: the rendered file, or the inventory a template is rendered from",
        None,
    )


#: What a schema problem does, and the change when the check names none: the second and third
#: parts of the rules' message shape (``<problem>: <effect>; <change>``).
_EFFECT = {
    INVALID: "Kafka refuses it (the node does not start, the topic is not created, the client is not built)",
    UNKNOWN: "Kafka ignores it (it only logs that it was supplied but is not used), so it never takes effect",
    REMOVED: "the target version ignores it, so what it asked for is gone",
}
_CHANGE = {
    INVALID: "write a value Kafka accepts",
    UNKNOWN: "fix the key or delete the line",
    REMOVED: "delete the line",
}
_TIP = {
    INVALID: "kafkalint explain KL001: values are read as Kafka's ConfigDef parses them",
    UNKNOWN: "kafkalint explain KL002 lists the keys read outside ConfigDef, and its allow option",
    REMOVED: "the Kafka upgrade notes name a removed key's successor, where it has one",
}
_VERBS = ("rename", "delete", "raise", "write", "give", "name", "remove", "use", "put", "target", "check", "set")


def shaped(rule_id: str, problem: str, hint: str) -> tuple[str, str]:
    """(message, hint) of a schema finding in the rules' shape: the change is the hint when the
    hint is one (``rename it to 'num.partitions'``), else the rule's; the hint is then the tip."""
    change = hint if hint.split(" ", 1)[0] in _VERBS else ""
    if change.startswith("rename it to ") and ": did you mean " in problem:
        problem = problem.split(": did you mean ", 1)[0]
    text = f"{problem}: {_EFFECT[rule_id]}; {change or _CHANGE[rule_id]}"
    return text, (hint if hint and not change else _TIP[rule_id])


def _may_have_issues(config: ConfigMap) -> bool:
    """Whether a setting of ``config`` gives :func:`_collect` anything to look at."""
    for setting in config:
        if _unresolved(config, setting) is not None:
            return True
        if check_setting(config.kind, config.version, setting.key, setting.raw) is not None:
            return True
    return False


def _collect(model: Model) -> list[Issue]:
    grouped: dict[tuple[str, Location, str], tuple[list[str], str, str, Severity | None]] = {}
    for subject, config in _configs(model):
        for setting in config:
            severity: Severity | None = None
            pending = _unresolved(config, setting)
            if pending is not None:
                rule_id, message, hint, severity = pending
                subjects = grouped.setdefault((rule_id, setting.location, message), ([], hint, setting.key, severity))[
                    0
                ]
                if subject not in subjects:
                    subjects.append(subject)
                if setting.unresolved or placeholders.find(setting.key) is not None:
                    continue
                # a placeholder value: the key is still written as it stands (KL002, KL003)
                result = check_setting(config.kind, config.version, setting.key, "")
                if result is None or result[0] == INVALID:
                    continue
            else:
                result = check_setting(config.kind, config.version, setting.key, setting.raw)
            if result is None:
                continue
            rule_id, message, hint = result
            if rule_id == INVALID and setting.key in OWNED_BY_RULES:
                continue
            if setting.layer in ("derived", "role-default"):
                # nothing to delete: the roles write this key themselves
                hint = (
                    "target kafka_version 3.9 (the roles render this key in ZooKeeper mode, Kafka up to 3.9)"
                    if rule_id == REMOVED
                    else f"check the inventory variable {setting.key} is rendered from (the roles write this key)"
                )
            message, hint = shaped(rule_id, message, hint)
            subjects = grouped.setdefault((rule_id, setting.location, message), ([], hint, setting.key, None))[0]
            if subject not in subjects:
                subjects.append(subject)
    return [
        Issue(rule_id, key, message, location, ", ".join(subjects), hint, severity)
        for (rule_id, location, message), (subjects, hint, key, severity) in grouped.items()
    ]


def notices(model: Model) -> list[Notice]:
    """What the schema pass assumed: a cluster's version older than the oldest catalogue is
    judged by that catalogue (with the version's known older defaults, :mod:`kafkalint.versions`)."""
    found: list[Notice] = []
    seen: set[KafkaVersion] = set()
    for cluster in model.clusters:
        version = cluster.version
        if KafkaVersion(version.major, version.minor) >= OLDEST_CATALOGUE or version in seen:
            continue
        seen.add(version)
        found.append(
            Notice(
                f"Kafka {version} is older than the oldest catalogue ({OLDEST_CATALOGUE.line}): keys and values "
                f"are judged as Kafka {OLDEST_CATALOGUE.line} defines them, with the defaults that differed in "
                f"{version.line}",
                cluster.source,
            )
        )
    return found


def issues(model: Model, rule_id: str | None = None) -> list[Issue]:
    """The schema issues of ``model`` (computed once per run: KL001-KL003 and KL005 share
    them), optionally of one rule."""
    found = facts.memo(model, "schema-issues", lambda: _collect(model))
    return [issue for issue in found if rule_id is None or issue.rule_id == rule_id]
