"""kafkalint's own configuration: ``.kafkalint.yaml`` or ``[tool.kafkalint]`` in pyproject.toml.

::

    kafka_version: "3.9"          # as --kafka-version (overrides inventories' kafka_version)
    fail_on: warning              # as --fail-on
    environment: production       # as --environment: for clusters that do not state theirs
    brokers: 3                    # as --brokers: the broker count of loose files' clusters
    exclude: ["*.example", "inventories/legacy/*"]
    rules:
      KL105: off                  # short form: a level
      KL107: {level: error}
      KL207: {options: {...}}     # options go to the rule's check()

Found by ``--config FILE``, else by searching from the working directory upward for
``.kafkalint.yaml`` (or ``.kafkalint.yml``), then a ``pyproject.toml`` with a
``[tool.kafkalint]`` table; the first directory that has one wins, and the search stops at
the repository root (the first directory holding ``.git``): a file above the checkout is not
the repository's. The file is validated against ``schemas/kafkalint-config.schema.json``
(shipped for editors too); an unknown key, a bad value, an unknown rule id or an unsafe
regular expression in an option is a :class:`ConfigError` naming the file and line (exit 2).

A configuration file is part of the repository, so a pull request can change it: what it
may set is what it can only make stricter or quieter in the open (levels, options, excludes,
visible in the diff). How inventories are read (``--render``) and the vault password are
command-line options only: no file can make kafkalint run a lookup or read a secret. To
judge a pull request with the base branch's configuration, pass that file with ``--config``
(the README's CI recipe does).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kafkalint.errors import InputError
from kafkalint.findings import Severity
from kafkalint.model import Location
from kafkalint.versions import KafkaVersion

if TYPE_CHECKING:
    from kafkalint.baseline import Baseline

YAML_NAMES = (".kafkalint.yaml", ".kafkalint.yml")
PYPROJECT = "pyproject.toml"
SCHEMA_FILE = "kafkalint-config.schema.json"
LEVELS = ("error", "warning", "info", "off")

#: A path into the config document (keys and list indexes).
KeyPath = tuple[str | int, ...]


class ConfigError(InputError):
    """The configuration file is unusable; always names the file, and the line when known."""


@dataclass(frozen=True)
class RuleSettings:
    """One rule's settings: ``level`` (``None`` keeps the rule's severity) and options."""

    level: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    """What a run is configured with. The CLI applies its flags over the file's values;
    ``render`` and ``vault_password_file`` come from the command line only."""

    kafka_version: KafkaVersion | None = None
    fail_on: Severity = Severity.ERROR
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    #: The context of clusters that do not state theirs (``--environment``, ``--brokers``).
    environment: str | None = None
    brokers: int | None = None
    #: The accepted findings (``--baseline``), dropped from the report.
    baseline: Baseline | None = None
    #: The file this came from, ``None`` for built-in defaults.
    path: str | None = None
    #: How inventories are read (``kafkalint.loaders.RENDER_MODES``): command line only.
    render: str = "safe"
    #: The vault password file given on the command line (else the environment's).
    vault_password_file: str | None = None

    def enabled(self, rule_id: str) -> bool:
        return self.level(rule_id) != "off"

    def level(self, rule_id: str) -> str | None:
        settings = self.rules.get(rule_id)
        return settings.level if settings else None

    def options(self, rule_id: str) -> Mapping[str, Any]:
        settings = self.rules.get(rule_id)
        return settings.options if settings else {}


# -- finding the file -----------------------------------------------------------------------


def _has_tool_table(path: Path) -> bool:
    try:
        return b"[tool.kafkalint" in path.read_bytes()
    except OSError:
        return False


def find(start: str | Path | None = None) -> Path | None:
    """The config file that applies in ``start`` (default: the working directory): searched
    upward, up to the repository root (the first directory holding ``.git``)."""
    directory = Path(start or Path.cwd()).resolve()
    for candidate_dir in (directory, *directory.parents):
        for name in YAML_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
        pyproject = candidate_dir / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (candidate_dir / ".git").exists():
            break  # the repository root: what lies above is not the repository's
    return None


def load(path: str | Path | None = None, *, discover: bool = True, start: str | Path | None = None) -> Config:
    """The configuration from ``path``, else the discovered file, else the defaults."""
    if path is None:
        if not discover:
            return Config()
        found = find(start)
        if found is None:
            return Config()
        path = os.path.relpath(found) if found.is_relative_to(Path.cwd()) else found
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", Location(shown)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror or exc}", Location(shown)) from None
    except UnicodeDecodeError:
        raise ConfigError("configuration is not UTF-8 text", Location(shown)) from None
    if Path(path).name == PYPROJECT or shown.endswith(".toml"):
        data, lines = _parse_toml(text, shown)
    else:
        data, lines = _parse_yaml(text, shown)
    return from_mapping(data, shown, lines)


# -- parsing, with the line of every key ----------------------------------------------------


class _Lines:
    """Maps a key path to its line in the file; falls back to the nearest known parent."""

    def __init__(self, path: str, table: dict[KeyPath, int], default: int | None) -> None:
        self.path = path
        self.table = table
        self.default = default

    def __call__(self, keys: KeyPath) -> Location:
        for end in range(len(keys), 0, -1):
            line = self.table.get(keys[:end])
            if line is not None:
                return Location(self.path, line)
        return Location(self.path, self.default)


def _walk_positions(value: Any, prefix: KeyPath, table: dict[KeyPath, int]) -> None:
    key_pos = getattr(value, "key_pos", None)
    if key_pos is not None:
        for key, child in value.items():
            table[(*prefix, str(key))] = key_pos[key][0]
            _walk_positions(child, (*prefix, str(key)), table)
    item_pos = getattr(value, "item_pos", None)
    if item_pos is not None:
        for index, child in enumerate(value):
            table[(*prefix, index)] = item_pos[index][0]
            _walk_positions(child, (*prefix, index), table)


def _plain(value: Any) -> Any:
    """Position-carrying containers as plain dicts and lists (keys as strings)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_plain(child) for child in value]
    return value


def _parse_yaml(text: str, path: str) -> tuple[Any, _Lines]:
    from kafkalint.loaders import yamlpos

    try:
        data = yamlpos.loads(text, path)
    except InputError as exc:
        raise ConfigError(exc.message, exc.location) from None
    table: dict[KeyPath, int] = {}
    _walk_positions(data, (), table)
    return _plain(data) if data is not None else {}, _Lines(path, table, 1)


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse_toml(text: str, path: str) -> tuple[Any, _Lines]:
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        message = _TOML_LINE.sub("", str(exc)).strip()
        location = Location(path, int(match[1]), int(match[2])) if match else Location(path)
        raise ConfigError(f"invalid TOML: {message}", location) from None
    tool = document.get("tool", {})
    data = tool.get("kafkalint", {}) if isinstance(tool, dict) else {}
    return data, _Lines(path, _toml_positions(text), _toml_header(text))


_TOML_HEADER = re.compile(r"^\s*\[\s*tool\.kafkalint(?P<rest>(?:\.[^\]\s]+)*)\s*\]")
_TOML_KEY = re.compile(r"""^\s*["']?(?P<key>[A-Za-z0-9_.-]+?)["']?\s*=""")


def _toml_header(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if _TOML_HEADER.match(line):
            return number
    return None


def _toml_positions(text: str) -> dict[KeyPath, int]:
    """Lines of keys inside ``[tool.kafkalint...]`` tables (a line-based approximation:
    enough to point at the key a message names)."""
    table: dict[KeyPath, int] = {}
    prefix: KeyPath | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            header = _TOML_HEADER.match(line)
            prefix = tuple(part.strip("\"'") for part in header["rest"].split(".")[1:]) if header else None
            if prefix:
                table.setdefault(prefix, number)
            continue
        if prefix is None:
            continue
        key = _TOML_KEY.match(line)
        if key:
            table.setdefault((*prefix, key["key"].strip("\"'")), number)
    return table


# -- validating -----------------------------------------------------------------------------


def schema() -> dict[str, Any]:
    text = (Path(__file__).resolve().parent / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _normalise(data: Any) -> Any:
    """YAML 1.1 reads ``off`` as ``false`` and ``3.9`` as a number: take them as meant."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    version = data.get("kafka_version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        data["kafka_version"] = str(version)
    rules = data.get("rules")
    if isinstance(rules, dict):
        normalised: dict[str, Any] = {}
        for rule_id, value in rules.items():
            if value is False:
                normalised[rule_id] = "off"
            elif isinstance(value, dict) and value.get("level") is False:
                normalised[rule_id] = {**value, "level": "off"}
            else:
                normalised[rule_id] = value
        data["rules"] = normalised
    return data


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"{value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else type(value).__name__


def _dotted(keys: Sequence[str | int]) -> str:
    return ".".join(str(key) for key in keys) or "the configuration"


def _message(error: Any) -> tuple[str, KeyPath]:
    """A one-line message for a jsonschema ``ValidationError`` and the key path it names."""
    keys: KeyPath = tuple(error.absolute_path)
    validator = error.validator
    where = _dotted(keys)
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in error.instance if key not in allowed)
        key = extra[0] if extra else "?"
        import difflib  # only for a misspelt name: kept off the start-up path

        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
        return f"unknown key {key!r} in {where}{hint}", (*keys, key)
    if validator == "propertyNames" or "propertyNames" in error.relative_schema_path:
        return f"{error.instance!r} is not a rule id (expected the form KL101)", (*keys, str(error.instance))
    if validator == "oneOf" and keys[:1] == ("rules",):
        if isinstance(error.instance, dict):
            inner = [sub for sub in error.context if sub.schema_path and sub.schema_path[0] == 1]
            if inner:
                return _message(inner[0])
        return f"{where}: {_describe(error.instance)} is not a level ({', '.join(LEVELS)}) or a mapping", keys
    if validator == "enum":
        return f"{where}: {_describe(error.instance)} is not one of {', '.join(map(str, error.validator_value))}", keys
    if validator == "type":
        return f"{where}: expected {_type_name(error.validator_value)}, got {_describe(error.instance)}", keys
    if validator == "pattern" and keys[:1] == ("kafka_version",):
        return f"{where}: {_describe(error.instance)} is not a Kafka version (e.g. 3.9 or 3.9.1)", keys
    return f"{where}: {error.message}", keys


def _type_name(value: Any) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "a string"}
    if isinstance(value, list):
        return " or ".join(names.get(str(item), str(item)) for item in value)
    return names.get(value, str(value))


#: Rule options that hold regular expressions (validated: they run over every key read).
PATTERN_OPTIONS: dict[str, tuple[str, ...]] = {"KL002": ("allow",)}

_GROUP = re.compile(r"\(([^()]*)\)([+*?]|\{\d*,?\d*\})?")
_REPEATS = re.compile(r"[+*]|\{\d*,\d*\}|\|")


def _repeats_a_repetition(pattern: str) -> bool:
    """Whether ``pattern`` repeats a group that holds a repetition or an alternation:
    ``(a+)+``, ``((\\w*))*``, ``(a|aa)+`` backtrack exponentially on a near-miss (what
    regular-expression denial of service is made of). Groups are reduced innermost first."""
    text = re.sub(r"\\.", "e", pattern)
    text = re.sub(r"\[\^?\]?[^\]]*\]", "c", text)
    while True:
        match = _GROUP.search(text)
        if match is None:
            return False
        body, quantifier = match.group(1), match.group(2) or ""
        repeats = bool(_REPEATS.search(body))
        if repeats and quantifier and quantifier != "?":
            return True
        text = text[: match.start()] + ("r+" if repeats else "g") + quantifier + text[match.end() :]


def check_pattern(pattern: Any) -> str | None:
    """Why ``pattern`` is refused as a regular expression option, ``None`` when it is fine."""
    from kafkalint import limits

    if not isinstance(pattern, str):
        return "a regular expression is a string"
    if len(pattern) > limits.MAX_PATTERN_LENGTH:
        return f"a regular expression longer than {limits.MAX_PATTERN_LENGTH} characters"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"not a regular expression ({error})"
    if _repeats_a_repetition(pattern):
        return "a regular expression that repeats a repetition (catastrophic backtracking): simplify it"
    return None


def _check_patterns(rules: Mapping[str, RuleSettings], locate: _Lines) -> None:
    from kafkalint import redact

    for rule_id, names in PATTERN_OPTIONS.items():
        settings = rules.get(rule_id)
        if settings is None:
            continue
        for name in names:
            value = settings.options.get(name)
            entries = [value] if isinstance(value, str) else list(value or []) if isinstance(value, list) else [value]
            for index, entry in enumerate(entries):
                if entry is None:
                    continue
                why = check_pattern(entry)
                if why is not None:
                    raise ConfigError(
                        f"rules.{rule_id}.options.{name}: {redact.quote(entry)} is {why}",
                        locate(("rules", rule_id, "options", name, index)),
                    )


def known_rule_ids() -> list[str]:
    """Rule ids from the registry's module names (``kl101_...`` is KL101), without importing
    the rules: validating a configuration stays cheap."""
    from kafkalint.rules import MODULES

    return sorted({name.split("_", 1)[0].upper() for name in MODULES})


def from_mapping(data: Any, path: str, lines: _Lines | None = None) -> Config:
    """Validate ``data`` (the parsed file) and build the :class:`Config`."""
    locate = lines or _Lines(path, {}, None)
    data = _normalise(data)
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = []
    for error in validator.iter_errors(data):
        message, keys = _message(error)
        errors.append((locate(keys), message))
    if errors:
        location, message = min(errors, key=lambda item: (item[0].line or 0, item[1]))
        raise ConfigError(message, location)

    known = known_rule_ids()
    rules: dict[str, RuleSettings] = {}
    for rule_id, value in data.get("rules", {}).items():
        if rule_id == "KL000":
            raise ConfigError(
                "KL000 reports a rule that crashed (a kafkalint bug): it has no level to change",
                locate(("rules", rule_id)),
            )
        if rule_id not in known:
            import difflib  # only for a misspelt name: kept off the start-up path

            close = difflib.get_close_matches(rule_id, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (see kafkalint rules)"
            raise ConfigError(f"unknown rule {rule_id}{hint}", locate(("rules", rule_id)))
        if isinstance(value, str):
            rules[rule_id] = RuleSettings(level=value)
        else:
            rules[rule_id] = RuleSettings(level=value.get("level"), options=dict(value.get("options") or {}))

    _check_patterns(rules, locate)
    config = Config(rules=rules, exclude=tuple(data.get("exclude", ())), path=path)
    if "kafka_version" in data:
        config.kafka_version = KafkaVersion.parse(data["kafka_version"])
    if "fail_on" in data:
        config.fail_on = Severity.parse(data["fail_on"])
    config.environment = data.get("environment")
    config.brokers = data.get("brokers")
    return config
