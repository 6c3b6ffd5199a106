"""YAML and JSON files of an Ansible inventory, read as Ansible reads them, without Ansible.

Values are the ones ansible-core's loader builds (PyYAML's resolver decides the types: ``yes``
is ``True``, ``017`` is 15, ``2024-05-01`` a date), as plain Python values, with two
markers for Ansible's own tags: :class:`Unsafe` (``!unsafe``: a string never templated) and
:class:`Vaulted` (``!vault``: an encrypted value). Like Ansible, a text that parses as JSON is
JSON; a key written twice keeps its last value (with a notice); ``<<`` merges. Positions are
kept on the side in a :class:`Positions` table (where each key and list item was written),
found by the identity of the container.

What is refused (an :class:`~kafkalint.errors.InputError` at the line, exit 2; see
:mod:`kafkalint.limits`): a file over the size bound, nesting deeper than the depth bound,
aliases whose expansion passes the alias bound, a recursive alias, a tag other than the YAML
core ones, ``!vault`` and ``!unsafe``, a key that cannot be a mapping key, text that is not
UTF-8, and YAML that does not parse.

Values are built from libyaml's event stream, iteratively: libyaml's composer recurses in C
(a 40,000-deep flow sequence crashes the interpreter, and composing takes time quadratic in
the depth), so no node tree is ever composed. The event at which nesting crosses the bound is
where reading stops; an alias counts as the size and depth of what it stands for, so an alias
bomb stops at the alias that crosses the bound. Scalars are typed by PyYAML's resolver
(cached: its answer depends only on the text) and its readers; the loops are written out,
since this runs once per event of files with tens of thousands of them.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from kafkalint import limits, redact
from kafkalint.errors import InputError
from kafkalint.model import Location, Notice

__all__ = ["Positions", "Unsafe", "Vaulted", "load"]

TAG_STR = "tag:yaml.org,2002:str"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_NULL = "tag:yaml.org,2002:null"
TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"
TAG_MAP = "tag:yaml.org,2002:map"
TAG_SEQ = "tag:yaml.org,2002:seq"
TAG_MERGE = "tag:yaml.org,2002:merge"
_VAULT_TAG = "!vault"
_UNSAFE_TAG = "!unsafe"

VAULT_HEADER = b"$ANSIBLE_VAULT"


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

    def merge(self, other: Positions) -> None:
        self._mappings.update(other._mappings)
        self._sequences.update(other._sequences)
        self._without_templates.update(other._without_templates)

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
        entry = self._mappings.get(id(mapping))
        if entry is None or entry[0] is not mapping:
            return None
        mark = entry[2].get(key)
        return None if mark is None else _location(Location, (entry[1], mark.line + 1, mark.column + 1))

    def item(self, sequence: Any, index: int) -> Location | None:
        """Where item ``index`` of ``sequence`` is written, when this table knows it."""
        entry = self._sequences.get(id(sequence))
        if entry is None or entry[0] is not sequence or not 0 <= index < len(entry[2]):
            return None
        mark = entry[2][index]
        return _location(Location, (entry[1], mark.line + 1, mark.column + 1))


def _at(shown: str, mark: Any) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1) if mark is not None else Location(shown)


#: A :class:`Location` from its tuple without the call of its ``__new__`` (positions are
#: asked for once per key of every topic and profile).
_location = tuple.__new__


class _Frame:
    """A mapping or sequence being built: its container, the marks of its keys or items, the
    key waiting for its value, the merges (``<<``) seen, and its expanded size and depth
    (aliases count as what they stand for)."""

    __slots__ = (
        "anchor",
        "container",
        "depth",
        "explicit",
        "is_map",
        "key",
        "key_mark",
        "mark",
        "marks",
        "merges",
        "size",
    )

    def __init__(self, is_map: bool, anchor: str | None, mark: Any) -> None:
        self.is_map = is_map
        self.container: Any = {} if is_map else []
        self.marks: Any = {} if is_map else []
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.merges: list[Any] | None = None
        self.size = 1
        self.depth = 0
        self.mark = mark


_NO_KEY = object()
_MERGE_KEY = object()


class _Builder:
    """Plain values from libyaml's event stream, positions into a :class:`Positions`.

    Iterative (a stack of frames, never recursion), so nesting is checked at the event that
    crosses the bound, before anything deeper is read; aliases are the very value of their
    anchor, with the size and depth they stand for counted, so an alias bomb is refused at the
    alias that crosses the bound. Scalars are typed by PyYAML's resolver (cached) and its
    int/float/timestamp readers, so values equal what Ansible's loader builds."""

    def __init__(self, text: str, shown: str, positions: Positions, notices: list[Notice]) -> None:
        self.loader: Any = composer()(text)  # typeshed's events are untyped unions
        self.shown = shown
        self.positions = positions
        self.notices = notices
        self.scalars = SafeConstructor()
        self.templates = False  # whether any string may be a template
        self.tags: dict[tuple[str, Any], str] = {}  # the resolver's answers, by text
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, size, depth)
        self.open: set[str] = set()  # anchors of collections still being built
        self.distinct = 0

    def refuse(self, message: str, mark: Any, *, limit: bool = False) -> InputError:
        kind = limits.LimitError if limit else InputError
        return kind(message, _at(self.shown, mark))

    def document(self) -> Any:
        """The value of the one document (``None`` for an empty stream); raises
        :class:`MultipleDocuments` when another follows."""
        loader = self.loader
        try:
            loader.get_event()  # StreamStart
            if loader.check_event(yaml.StreamEndEvent):
                return None
            loader.get_event()  # DocumentStart
            value = self.node()
            loader.get_event()  # DocumentEnd
            if not loader.check_event(yaml.StreamEndEvent):
                raise MultipleDocuments(_at(self.shown, loader.peek_event().start_mark))
            return value
        except yaml.YAMLError as error:
            raise _yaml_error(error, self.shown) from None
        finally:
            loader.dispose()

    def documents(self) -> list[Any]:
        """The value of every document."""
        loader = self.loader
        values = []
        try:
            loader.get_event()  # StreamStart
            while not loader.check_event(yaml.StreamEndEvent):
                loader.get_event()  # DocumentStart
                values.append(self.node())
                loader.get_event()  # DocumentEnd
            return values
        except yaml.YAMLError as error:
            raise _yaml_error(error, self.shown) from None
        finally:
            loader.dispose()

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        text: str = event.value
        if tag is None or tag == "!":
            implicit = event.implicit
            tag = self.tags.get((text, implicit))
            if tag is None:
                tag = self.tags[(text, implicit)] = self.loader.resolve(yaml.ScalarNode, text, implicit)
        if tag == TAG_STR:
            if "{" in text and may_template(text):  # the cheap test first
                self.templates = True
            return text
        try:
            if tag == TAG_INT:
                if text.isdigit() and (text[0] != "0" or text == "0"):
                    return int(text)
                return self.scalars.construct_yaml_int(yaml.ScalarNode(tag, text))
            if tag == TAG_BOOL:
                return self.scalars.bool_values[text.lower()]
            if tag == TAG_NULL:
                return None
            if tag == TAG_FLOAT:
                return self.scalars.construct_yaml_float(yaml.ScalarNode(tag, text))
            if tag == TAG_TIMESTAMP:
                return self.scalars.construct_yaml_timestamp(yaml.ScalarNode(tag, text))
        except (ValueError, KeyError, TypeError, OverflowError):
            raise self.refuse(
                f"{redact.quote(text)} is not a valid {tag.rsplit(':', 1)[-1]}", event.start_mark
            ) from None
        if tag == TAG_MERGE:
            return _MERGE_KEY
        if tag == _VAULT_TAG:
            self.templates = True  # the renderer decrypts it
            return Vaulted(text, _at(self.shown, event.start_mark))
        if tag == _UNSAFE_TAG:
            return Unsafe(text)
        raise self.refuse(
            f"unsupported YAML tag {redact.quote(tag)} (kafkalint reads YAML's core tags, !vault and !unsafe)",
            event.start_mark,
        )

    def node(self) -> Any:  # noqa: PLR0915 - one loop over every event of the document
        """Build the next node (and everything inside it) from the events."""
        loader = self.loader
        get: Callable[[], Any] = loader.get_event
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        stack: list[_Frame] = []
        while True:
            event = get()
            kind = type(event)
            size, depth = 1, 0
            if kind is scalar_event:
                value: Any = self.scalar(event)
                self.distinct += 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                if not stack:
                    return value
                # most events: a scalar into the innermost collection, written out
                top = stack[-1]
                top.size += 1
                if not top.is_map:
                    top.container.append(value)
                    top.marks.append(event.start_mark)
                    continue
                if top.key is _NO_KEY:
                    if type(value) is Vaulted:
                        raise self.refuse("a mapping key must be a scalar", event.start_mark)
                    top.key, top.key_mark = value, event.start_mark
                    continue
                key = top.key
                if key is not _MERGE_KEY and key not in top.marks:
                    top.key = _NO_KEY
                    top.marks[key] = top.key_mark
                    top.container[key] = value
                    continue
                self._add(top, value, 0, 0, event)  # a duplicate key or a merge: the general way
                continue
            elif kind is alias_event:
                name = event.anchor
                if name in self.open:
                    raise self.refuse("a YAML alias refers to the collection that contains it", event.start_mark)
                if name not in self.anchors:
                    raise self.refuse(f"found undefined alias {redact.quote(name)}", event.start_mark)
                value, size, depth = self.anchors[name]
            elif kind is map_start or kind is seq_start:
                if event.tag not in (None, "!", TAG_MAP if kind is map_start else TAG_SEQ):
                    raise self.refuse(f"unsupported YAML tag {redact.quote(event.tag)}", event.start_mark)
                if len(stack) >= limits.MAX_YAML_DEPTH:
                    raise self.refuse(
                        f"YAML nested deeper than {limits.MAX_YAML_DEPTH} levels", event.start_mark, limit=True
                    )
                frame = _Frame(kind is map_start, event.anchor, event.start_mark)
                if event.anchor is not None:
                    self.open.add(event.anchor)
                self._item_mark(stack, event.start_mark)
                stack.append(frame)
                continue
            else:  # the end of the innermost collection
                frame = stack.pop()
                value, size, depth = self._finish(frame), frame.size, frame.depth + 1
                self.distinct += 1
                if depth > limits.MAX_YAML_DEPTH:
                    raise self.refuse(
                        f"YAML aliases nest deeper than {limits.MAX_YAML_DEPTH} levels when expanded",
                        frame.mark,
                        limit=True,
                    )
                if size - self.distinct > limits.MAX_ALIAS_EXPANSION:
                    raise self.refuse(
                        f"YAML aliases expand to more than {limits.MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?)",
                        event.start_mark,
                        limit=True,
                    )
                if frame.anchor is not None:
                    self.open.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, size, depth)
                if not stack:
                    return value
                self._add(stack[-1], value, size, depth, event)
                continue
            if not stack:
                return value
            if kind is scalar_event or kind is alias_event:
                self._item_mark(stack, event.start_mark)
            self._add(stack[-1], value, size, depth, event)

    @staticmethod
    def _item_mark(stack: list[_Frame], mark: Any) -> None:
        """A new item of the innermost sequence starts at ``mark`` (mappings mark their keys)."""
        if stack and not stack[-1].is_map:
            stack[-1].marks.append(mark)

    def _add(self, frame: _Frame, value: Any, size: int, depth: int, event: Any) -> None:
        frame.size += size
        frame.depth = max(frame.depth, depth)
        if size > 1 and frame.size - self.distinct > limits.MAX_ALIAS_EXPANSION:
            raise self.refuse(
                f"YAML aliases expand to more than {limits.MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?)",
                event.start_mark,
                limit=True,
            )
        if not frame.is_map:
            frame.container.append(value)
            return
        if frame.key is _NO_KEY:  # this is a key
            if isinstance(value, (dict, list, Vaulted)):
                raise self.refuse("a mapping key must be a scalar", event.start_mark)
            try:
                hash(value)
            except TypeError:
                raise self.refuse("a mapping key must be hashable", event.start_mark) from None
            frame.key, frame.key_mark = value, event.start_mark
            return
        key, mark = frame.key, frame.key_mark
        frame.key = _NO_KEY
        if key is _MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(source, dict) for source in sources):
                raise self.refuse("a merge key (<<) needs a mapping or a list of mappings", mark)
            frame.merges = [*(frame.merges or []), *sources]
            return
        marks = frame.marks
        earlier = marks.get(key)
        if earlier is not None:
            self.notices.append(
                Notice(
                    f"key {redact.quote(key)} is written twice in one mapping (also line {earlier.line + 1}): "
                    "the later one is used, as Ansible does",
                    _at(self.shown, mark),
                )
            )
        marks[key] = mark
        frame.container[key] = value

    def _finish(self, frame: _Frame) -> Any:
        container = frame.container
        if not frame.is_map:
            self.positions.add_sequence(container, self.shown, frame.marks)
            return container
        marks = frame.marks
        if frame.merges:
            # merged pairs first, the first mapping of a list winning; explicit keys over them
            merged: dict[Any, Any] = {}
            merged_marks: dict[Any, Any] = {}
            for source in frame.merges:
                source_marks = self.positions.marks(source)
                for key, item in source.items():
                    if key not in merged:
                        merged[key] = item
                        merged_marks[key] = source_marks.get(key, frame.mark)
            merged.update(container)
            merged_marks.update(marks)
            container, marks = merged, merged_marks
        self.positions.add_mapping(container, self.shown, marks)
        return container


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
            return TAG_MAP
        if kind is yaml.SequenceNode:
            return TAG_SEQ
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return, no-untyped-call]  # pragma: no cover


def composer() -> type[yaml.CSafeLoader]:
    """The loader class to compose with (someone may have registered a path resolver, a tag
    by position, on PyYAML's classes: then the uncached one)."""
    return yaml.CSafeLoader if yaml.CSafeLoader.yaml_path_resolvers else _Composer


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


def preflight(text: str, shown: str) -> None:
    """The bounds checks of :func:`load` (depth, aliases), over every document, for a reader
    that builds its own values (:mod:`kafkalint.loaders.yamlpos`); it reports syntax errors
    itself."""
    try:
        _Builder(text, shown, Positions(), []).documents()
    except limits.LimitError:
        raise
    except InputError:
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
) -> Any:
    """The value of the YAML or JSON file whose contents are ``data`` (shown as ``shown``).

    ``decrypt`` turns a vault-encrypted file into its plaintext (raising an
    :class:`InputError` when it cannot); without it such a file is refused."""
    limits.check_size(data, shown)
    if data.startswith(VAULT_HEADER):
        if decrypt is None:
            raise InputError("the file is vault-encrypted: give --vault-password-file to read it", Location(shown, 1))
        value = load(decrypt(data, shown), shown, positions, notices)
        _register_values(value)
        return value
    text = _decode(data, shown)
    if text.lstrip()[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except RecursionError:
            raise limits.LimitError(
                f"JSON nested deeper than {limits.MAX_YAML_DEPTH} levels", Location(shown)
            ) from None
        except ValueError:
            pass
        else:
            return _json(text, parsed, shown, positions, notices)
    builder = _Builder(text, shown, positions, notices)
    result = builder.document()
    positions.add_file(shown, builder.templates)
    return result


def _register_values(value: Any) -> None:
    """Every string value of a vault-encrypted file is a secret, however short (KL608 asks
    :func:`kafkalint.redact.is_secret`); its keys are variable names, not secrets."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            redact.register(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _json(text: str, parsed: Any, shown: str, positions: Positions, notices: list[Notice]) -> Any:
    """A JSON file: JSON's value, with YAML's positions when YAML reads the same value."""
    if "__ansible_" in text:
        parsed = _json_markers(parsed, shown)
    local = Positions()
    try:
        builder = _Builder(text, shown, local, [])
        built = builder.document()
    except limits.LimitError:
        raise
    except InputError:
        positions.add_file(shown, True)
        return parsed
    if built != parsed:
        positions.add_file(shown, True)
        return parsed
    positions.merge(local)
    positions.add_file(shown, builder.templates)
    return built
