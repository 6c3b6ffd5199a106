"""YAML and JSON files of an Ansible inventory, read as Ansible reads them, without Ansible.

Values are the ones ansible-core's loader builds (PyYAML's resolver decides the types: ``yes``
is ``True``, ``017`` is 15, ``2024-05-01`` a date), as plain Python values, with two
markers for Ansible's own tags: :class:`Unsafe` (``!unsafe``: a string never templated) and
:class:`Vaulted` (``!vault``: an encrypted value). Like Ansible, a text that parses as JSON is
JSON; a key written twice keeps its last value (with a notice); ``<<`` merges. Positions are
kept on the side in a :class:`Positions` table (where each key and list item was written),
found by the identity of the container.

What is refused (an :class:`~kafkalint.errors.InputError` at the line, exit 2; see
:mod:`kafkalint.limits`): a file over the size bound, nesting deeper than the depth bound
(checked before libyaml composes, which recurses in C and crashes the interpreter on very deep
input), aliases whose expansion passes the alias bound, a recursive alias, a tag other than the
YAML core ones, ``!vault`` and ``!unsafe``, a key that cannot be a mapping key, text that is not
UTF-8, and YAML that does not parse.

Parsing is libyaml's composer with PyYAML's resolver (cached: its answer depends on the text
only) and a small constructor written out for speed: this runs once per node of files with
tens of thousands of them.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from kafkalint import limits, redact
from kafkalint.errors import InputError
from kafkalint.model import Location, Notice

__all__ = ["Positions", "Unsafe", "Vaulted", "load"]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VAULT_TAG = "!vault"
_UNSAFE_TAG = "!unsafe"

VAULT_HEADER = b"$ANSIBLE_VAULT"

#: Strings at least this long read from a vault-encrypted file are secrets (see :mod:`kafkalint.redact`).
_SECRET_LENGTH = 6


class Unsafe(str):
    """A string Ansible never templates (``!unsafe``)."""

    __slots__ = ()


@dataclass(frozen=True)
class Vaulted:
    """An inline vault-encrypted value (``!vault |``): the envelope and where it is written."""

    envelope: str
    location: Location


def may_template(text: str) -> bool:
    """Whether Ansible would template ``text``: it holds a Jinja delimiter."""
    return "{{" in text or "{%" in text or "{#" in text


class Positions:
    """Where the keys and items of the containers :func:`load` built were written.

    Entries are found by the identity of the container and hold a reference to it, so an
    identity is never reused while the table lives. Positions stay PyYAML marks (0-based)
    until asked for."""

    def __init__(self) -> None:
        self._mappings: dict[int, tuple[Any, str, dict[Any, Any]]] = {}
        self._sequences: dict[int, tuple[Any, str, list[Any]]] = {}
        self._without_templates: set[str] = set()

    def add_mapping(self, mapping: dict[Any, Any], shown: str, marks: dict[Any, Any]) -> None:
        self._mappings[id(mapping)] = (mapping, shown, marks)

    def add_sequence(self, sequence: list[Any], shown: str, marks: list[Any]) -> None:
        self._sequences[id(sequence)] = (sequence, shown, marks)

    def add_file(self, shown: str, templates: bool) -> None:
        if not templates:
            self._without_templates.add(shown)

    def without_templates(self, value: Any) -> bool:
        """Whether ``value`` is a container read from a file none of whose strings may be a
        template (so rendering it changes nothing)."""
        entry = self._mappings.get(id(value)) or self._sequences.get(id(value))
        return entry is not None and entry[0] is value and entry[1] in self._without_templates

    def carry(self, original: Any, copy: Any) -> None:
        """``copy`` (a rendered copy of container ``original``) at the positions of ``original``."""
        mapping = self._mappings.get(id(original))
        if mapping is not None and mapping[0] is original and isinstance(copy, dict):
            self.add_mapping(copy, mapping[1], mapping[2])
        sequence = self._sequences.get(id(original))
        if sequence is not None and sequence[0] is original and isinstance(copy, list):
            self.add_sequence(copy, sequence[1], sequence[2])

    def marks(self, mapping: Any) -> dict[Any, Any]:
        """The marks of ``mapping``'s keys (empty when this table does not know it)."""
        entry = self._mappings.get(id(mapping))
        return entry[2] if entry is not None and entry[0] is mapping else {}

    def key_mark(self, mapping: Any, key: Any) -> tuple[str, Any] | None:
        entry = self._mappings.get(id(mapping))
        if entry is None or entry[0] is not mapping:
            return None
        mark = entry[2].get(key)
        return None if mark is None else (entry[1], mark)

    def key(self, mapping: Any, key: Any) -> Location | None:
        """Where ``key`` is written in ``mapping``, when this table knows the mapping."""
        found = self.key_mark(mapping, key)
        if found is None:
            return None
        shown, mark = found
        return Location(shown, mark.line + 1, mark.column + 1)

    def item(self, sequence: Any, index: int) -> Location | None:
        """Where item ``index`` of ``sequence`` is written, when this table knows it."""
        entry = self._sequences.get(id(sequence))
        if entry is None or entry[0] is not sequence or not 0 <= index < len(entry[2]):
            return None
        mark = entry[2][index]
        return Location(entry[1], mark.line + 1, mark.column + 1)


def _at(shown: str, mark: Any) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1) if mark is not None else Location(shown)


class _Builder:
    """Plain values from composed nodes, positions into a :class:`Positions`.

    The loops are written out (scalars built in place, marks kept rather than copied)."""

    def __init__(self, shown: str, positions: Positions, notices: list[Notice], secret: bool) -> None:
        self.shown = shown
        self.positions = positions
        self.notices = notices
        self.secret = secret  # a vault-encrypted file: its strings are secrets
        self.scalars = SafeConstructor()  # its int/float/timestamp readers, exactly PyYAML's
        self.templates = False  # whether any string may be a template
        self.built: dict[int, Any] = {}  # anchors: an alias is the same node object
        self.building: set[int] = set()
        self.depth = 0

    def refuse(self, message: str, node: Any, *, limit: bool = False) -> InputError:
        kind = limits.LimitError if limit else InputError
        return kind(message, _at(self.shown, node.start_mark))

    def value(self, node: Any) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self.scalar(node)
        identity = id(node)
        if identity in self.built:
            return self.built[identity]
        if identity in self.building:
            raise self.refuse("a YAML alias refers to the collection that contains it", node)
        self.building.add(identity)
        self.depth += 1
        if self.depth > limits.MAX_YAML_DEPTH:
            raise self.refuse(f"YAML nested deeper than {limits.MAX_YAML_DEPTH} levels", node, limit=True)
        if kind is yaml.MappingNode:
            result: Any = self.mapping(node)
        elif kind is yaml.SequenceNode:
            result = self.sequence(node)
        else:  # pragma: no cover - the composer makes only these three
            raise self.refuse("unsupported YAML node", node)
        self.depth -= 1
        self.building.discard(identity)
        self.built[identity] = result
        return result

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        text: str = node.value
        if tag == _STR:
            if "{" in text and may_template(text):  # the cheap test first
                self.templates = True
            if self.secret and len(text) >= _SECRET_LENGTH:
                redact.register(text)
            return text
        try:
            if tag == _INT:
                if text.isdigit() and (text[0] != "0" or text == "0"):
                    return int(text)
                return self.scalars.construct_yaml_int(node)
            if tag == _BOOL:
                return self.scalars.bool_values[text.lower()]
            if tag == _NULL:
                return None
            if tag == _FLOAT:
                return self.scalars.construct_yaml_float(node)
            if tag == _TIMESTAMP:
                return self.scalars.construct_yaml_timestamp(node)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise self.refuse(f"{redact.quote(text)} is not a valid {tag.rsplit(':', 1)[-1]}", node) from None
        if tag == _VAULT_TAG:
            self.templates = True  # the renderer decrypts it
            return Vaulted(text, _at(self.shown, node.start_mark))
        if tag == _UNSAFE_TAG:
            return Unsafe(text)
        raise self.refuse(
            f"unsupported YAML tag {redact.quote(tag)} (kafkalint reads YAML's core tags, !vault and !unsafe)", node
        )

    def _key(self, node: Any) -> Any:
        key = self.scalar(node) if type(node) is yaml.ScalarNode else self.value(node)
        if isinstance(key, (dict, list, Vaulted)):
            raise self.refuse("a mapping key must be a scalar", node)
        return key

    def _merged(self, value_node: Any) -> tuple[dict[Any, Any], dict[Any, Any]]:
        """The pairs ``<<: *anchor`` (or a list of anchors) merges in, and their marks; the
        first mapping of a list wins, as YAML's merge key says. Built from the merged
        mappings (never by copying their nodes), so merging cannot multiply nodes."""
        sources = value_node.value if type(value_node) is yaml.SequenceNode else [value_node]
        merged: dict[Any, Any] = {}
        marks: dict[Any, Any] = {}
        for source in reversed(sources):
            if type(source) is not yaml.MappingNode:
                raise self.refuse("a merge key (<<) needs a mapping or a list of mappings", source)
            mapping = self.value(source)
            merged.update(mapping)
            marks.update(self.positions.marks(mapping))
        return merged, marks

    def mapping(self, node: Any) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise self.refuse(f"unsupported YAML tag {redact.quote(node.tag)}", node)
        result: dict[Any, Any] = {}
        marks: dict[Any, Any] = {}
        explicit: dict[Any, Any] = {}  # keys written in this mapping (they win over merged ones)
        scalar_node = yaml.ScalarNode
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged, merged_marks = self._merged(value_node)
                for key, item in merged.items():
                    if key not in explicit:
                        result[key] = item
                        marks[key] = merged_marks.get(key, key_node.start_mark)
                continue
            key = self._key(key_node)
            try:
                earlier = explicit.get(key)
            except TypeError:
                raise self.refuse("a mapping key must be hashable", key_node) from None
            if earlier is not None:
                self.notices.append(
                    Notice(
                        f"key {redact.quote(key)} is written twice in one mapping (also line {earlier.line + 1}): "
                        "the later one is used, as Ansible does",
                        _at(self.shown, key_node.start_mark),
                    )
                )
            explicit[key] = marks[key] = key_node.start_mark
            result[key] = self.scalar(value_node) if type(value_node) is scalar_node else self.value(value_node)
        self.positions.add_mapping(result, self.shown, marks)
        return result

    def sequence(self, node: Any) -> list[Any]:
        if node.tag != _SEQ:
            raise self.refuse(f"unsupported YAML tag {redact.quote(node.tag)}", node)
        scalar_node = yaml.ScalarNode
        children = node.value
        result = [self.scalar(child) if type(child) is scalar_node else self.value(child) for child in children]
        self.positions.add_sequence(result, self.shown, [child.start_mark for child in children])
        return result


class _Composer(yaml.CSafeLoader):
    """libyaml's composer with PyYAML's resolver, which it calls for every scalar: without
    path resolvers (see :func:`composer`) its answer depends only on the text, so it is
    remembered, and the hooks it calls around every node do nothing, so builtins that take
    the same arguments and do nothing stand in for them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, Any], str] = {}
        setattr(self, "descend_resolver", operator.is_)  # noqa: B010 - an instance attribute
        setattr(self, "ascend_resolver", tuple)  # noqa: B010

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            key = (value, implicit)
            tag = self._tags.get(key)
            if tag is None:
                tag = self._tags[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            return tag
        if kind is yaml.MappingNode:
            return _MAP
        if kind is yaml.SequenceNode:
            return _SEQ
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return, no-untyped-call]  # pragma: no cover


def composer() -> type[yaml.CSafeLoader]:
    """The loader class to compose with (someone may have registered a path resolver, a tag
    by position, on PyYAML's classes: then the uncached one)."""
    return yaml.CSafeLoader if yaml.CSafeLoader.yaml_path_resolvers else _Composer


# -- bounds ------------------------------------------------------------------------------------

#: Below these a text cannot nest deeper than the builder checks (see :func:`_may_be_deep`).
_FLOW_SAFE = 32
_RUNS = re.compile(r"[\[{]+|[\]}]+")
_DEEP_INDENT = re.compile(r"^ {64}", re.MULTILINE)
_COMPACT = re.compile(r"^[ \t]*(?:[-?:][ \t]+){16}", re.MULTILINE)


def _may_be_deep(text: str) -> bool:
    """Whether ``text`` might nest deeper than libyaml's composer can take safely, judged
    cheaply and conservatively: flow brackets (a reflected running count, so closing
    brackets in scalars cannot hide opening ones), indentation, compact nested entries."""
    if text.count("[") + text.count("{") > _FLOW_SAFE:
        depth = top = 0
        for match in _RUNS.finditer(text):
            run = match.group()
            if run[0] in "[{":
                depth += len(run)
                if depth > top:
                    top = depth
                    if top > _FLOW_SAFE:
                        return True
            else:
                depth = max(0, depth - len(run))
    return bool(_DEEP_INDENT.search(text) or _COMPACT.search(text))


def _check_depth(text: str, shown: str) -> None:
    """The exact nesting depth, from libyaml's event stream (which does not recurse)."""
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, starts):
            depth += 1
            if depth > limits.MAX_YAML_DEPTH:
                raise limits.LimitError(
                    f"YAML nested deeper than {limits.MAX_YAML_DEPTH} levels", _at(shown, event.start_mark)
                )
        elif isinstance(event, ends):
            depth -= 1


def _check_aliases(root: Any, shown: str) -> None:
    """Refuse aliases whose expansion adds more than :data:`~kafkalint.limits.MAX_ALIAS_EXPANSION`
    nodes or nests deeper than the depth bound; each node is visited once."""
    expanded: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    distinct = 0
    while stack:
        node, done = stack.pop()
        identity = id(node)
        if type(node) is yaml.ScalarNode:
            if identity not in expanded:
                expanded[identity] = (1, 0)
                distinct += 1
            continue
        if not done:
            if identity in expanded:
                continue
            if identity in visiting:
                raise InputError("a YAML alias refers to the collection that contains it", _at(shown, node.start_mark))
            visiting.add(identity)
            stack.append((node, True))
            children = node.value if type(node) is yaml.SequenceNode else [part for pair in node.value for part in pair]
            stack.extend((child, False) for child in children)
            continue
        children = node.value if type(node) is yaml.SequenceNode else [part for pair in node.value for part in pair]
        size, depth = 1, 0
        for child in children:
            child_size, child_depth = expanded[id(child)]
            size += child_size
            depth = max(depth, child_depth)
        visiting.discard(identity)
        distinct += 1
        expanded[identity] = (size, depth + 1)
        if depth + 1 > limits.MAX_YAML_DEPTH:
            raise limits.LimitError(
                f"YAML aliases nest deeper than {limits.MAX_YAML_DEPTH} levels when expanded",
                _at(shown, node.start_mark),
            )
        if size - distinct > limits.MAX_ALIAS_EXPANSION:
            raise limits.LimitError(
                f"YAML aliases expand to more than {limits.MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?)",
                _at(shown, node.start_mark),
            )


# -- the file --------------------------------------------------------------------------------------


def _yaml_error(error: yaml.YAMLError, shown: str) -> InputError:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        return InputError(f"invalid YAML: {problem}", _at(shown, mark))
    return InputError(f"invalid YAML: {error}", Location(shown))


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text", Location(shown, line)) from None


def _json_markers(value: Any, shown: str) -> Any:
    """Ansible's JSON forms of its tags: ``{"__ansible_vault": ...}``, ``{"__ansible_unsafe": ...}``."""
    if isinstance(value, dict):
        if len(value) == 1 and "__ansible_vault" in value and isinstance(value["__ansible_vault"], str):
            return Vaulted(value["__ansible_vault"], Location(shown))
        if len(value) == 1 and "__ansible_unsafe" in value and isinstance(value["__ansible_unsafe"], str):
            return Unsafe(value["__ansible_unsafe"])
        return {key: _json_markers(item, shown) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_markers(item, shown) for item in value]
    return value


def _compose(text: str, shown: str) -> Any:
    if _may_be_deep(text):
        try:
            _check_depth(text, shown)
        except yaml.YAMLError as error:
            raise _yaml_error(error, shown) from None
    try:
        node = yaml.compose(text, Loader=composer())
    except yaml.composer.ComposerError as error:
        if "expected a single document" in str(error):
            raise MultipleDocuments(_at(shown, error.problem_mark)) from None
        raise _yaml_error(error, shown) from None
    except yaml.YAMLError as error:
        raise _yaml_error(error, shown) from None
    except RecursionError:
        raise limits.LimitError(f"YAML nested deeper than {limits.MAX_YAML_DEPTH} levels", Location(shown)) from None
    if node is not None and "*" in text:
        _check_aliases(node, shown)
    return node


def preflight(text: str, shown: str) -> None:
    """The bounds checks of :func:`load` for a reader that builds its own values
    (:mod:`kafkalint.loaders.yamlpos`): depth, and aliases of every document."""
    if _may_be_deep(text):
        try:
            _check_depth(text, shown)
        except yaml.YAMLError:
            return  # the reader reports the syntax error itself
    if "*" in text:
        try:
            for node in yaml.compose_all(text, Loader=composer()):
                if node is not None:
                    _check_aliases(node, shown)
        except yaml.YAMLError:
            return


class MultipleDocuments(InputError):
    """The file holds several YAML documents (``---`` between them): not a variables file."""

    def __init__(self, location: Location) -> None:
        super().__init__("expected one YAML document, found several", location)


def load(
    data: bytes,
    shown: str,
    positions: Positions,
    notices: list[Notice],
    *,
    decrypt: Callable[[bytes, str], bytes] | None = None,
    secret: bool = False,
) -> Any:
    """The value of the YAML or JSON file whose contents are ``data`` (shown as ``shown``).

    ``decrypt`` turns a vault-encrypted file into its plaintext (raising an
    :class:`InputError` when it cannot); without it such a file is refused."""
    limits.check_size(data, shown)
    if data.startswith(VAULT_HEADER):
        if decrypt is None:
            raise InputError("the file is vault-encrypted: give --vault-password-file to read it", Location(shown, 1))
        return load(decrypt(data, shown), shown, positions, notices, secret=True)
    text = _decode(data, shown)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except RecursionError:
            raise limits.LimitError(
                f"JSON nested deeper than {limits.MAX_YAML_DEPTH} levels", Location(shown)
            ) from None
        except ValueError:
            pass
        else:
            return _json(text, parsed, shown, positions, notices, secret=secret)
    node = _compose(text, shown)
    if node is None:
        return None
    builder = _Builder(shown, positions, notices, secret)
    try:
        result = builder.value(node)
    except RecursionError:
        raise limits.LimitError(f"YAML nested deeper than {limits.MAX_YAML_DEPTH} levels", Location(shown)) from None
    except ConstructorError as error:
        raise _yaml_error(error, shown) from None
    positions.add_file(shown, builder.templates)
    return result


def _json(text: str, parsed: Any, shown: str, positions: Positions, notices: list[Notice], *, secret: bool) -> Any:
    """A JSON file: JSON's value, with YAML's positions when YAML reads the same value."""
    if "__ansible_" in text:
        parsed = _json_markers(parsed, shown)
    local = Positions()
    try:
        node = _compose(text, shown)
        builder = _Builder(shown, local, [], secret)
        same = node is not None and builder.value(node) == parsed
    except limits.LimitError:
        raise
    except (InputError, RecursionError, ConstructorError):
        same = False
    if same:
        # rebuild into the caller's table: the comparison above built a throwaway copy
        node = _compose(text, shown)
        builder = _Builder(shown, positions, notices, secret)
        result = builder.value(node)
        positions.add_file(shown, builder.templates)
        return result
    positions.add_file(shown, True)
    return parsed
