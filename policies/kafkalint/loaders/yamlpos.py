"""YAML that remembers where every key and item was written.

Mappings load as :class:`PosDict` and sequences as :class:`PosList`: plain ``dict`` / ``list``
subclasses that also carry the 1-based line and column of each key (and its value) and of each
item, so a finding can point at the line a person must change. Scalars load as PyYAML's safe
loader types them. A key written twice in one mapping is an error (PyYAML would silently keep
the last one, which hides a mistake).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kafkalint import limits
from kafkalint.errors import InputError
from kafkalint.loaders import yamlread
from kafkalint.model import Location

try:  # the C parser is several times faster; the constructor stays in Python either way
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader


class PosDict(dict[Any, Any]):
    """A mapping with ``key_pos[key]`` and ``value_pos[key]`` as (line, column), and ``pos``
    for the mapping itself."""

    key_pos: dict[Any, tuple[int, int]]
    value_pos: dict[Any, tuple[int, int]]
    pos: tuple[int, int]


class PosList(list[Any]):
    """A sequence with ``item_pos[i]`` as (line, column), and ``pos`` for the sequence."""

    item_pos: list[tuple[int, int]]
    pos: tuple[int, int]


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _PosLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_pos_mapping(self, node: yaml.MappingNode) -> Iterator[PosDict]:
        result = PosDict()
        result.key_pos, result.value_pos, result.pos = {}, {}, _mark(node)
        yield result
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                ) from None
            if key in result.key_pos:
                raise _DuplicateKey(
                    "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _mark(key_node)
            result.value_pos[key] = _mark(value_node)

    def construct_pos_sequence(self, node: yaml.SequenceNode) -> Iterator[PosList]:
        result = PosList()
        result.pos = _mark(node)
        result.item_pos = [_mark(child) for child in node.value]
        yield result
        result.extend(self.construct_object(child, deep=True) for child in node.value)


_PosLoader.add_constructor("tag:yaml.org,2002:map", _PosLoader.construct_pos_mapping)
_PosLoader.add_constructor("tag:yaml.org,2002:seq", _PosLoader.construct_pos_sequence)


def loads(text: str, path: str) -> Any:
    """Parse one YAML document; a syntax error is an :class:`InputError` at its line."""
    yamlread.preflight(text, path)
    try:
        documents = list(yaml.load_all(text, Loader=_PosLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise InputError(f"invalid YAML: {problem}", location) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Location(path)) from None
    if len(documents) > 1:
        starts = [
            getattr(event.start_mark, "line", 0) + 1
            for event in yaml.parse(text, Loader=_BaseLoader)
            if isinstance(event, yaml.DocumentStartEvent)
        ]
        raise yamlread.MultipleDocuments(Location(path, starts[1] if len(starts) > 1 else 1))
    return documents[0] if documents else None


def load_file(path: Path, display: str) -> Any:
    """Read and parse ``path``; ``display`` is the path shown in messages."""
    return loads(read_text(path, display), display)


def read_text(path: Path, display: str, encoding: str = "utf-8") -> str:
    data = limits.read_bytes(str(path), display)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"not valid {encoding.upper()} text", Location(display, line)) from None


def key_location(mapping: Any, key: Any, path: str) -> Location | None:
    """Where ``key`` is written in ``mapping`` (a :class:`PosDict`), else ``None``."""
    positions = getattr(mapping, "key_pos", None)
    if positions is None or key not in positions:
        return None
    line, column = positions[key]
    return Location(path, line, column)


def item_location(sequence: Any, index: int, path: str) -> Location | None:
    positions = getattr(sequence, "item_pos", None)
    if positions is None or index >= len(positions):
        return None
    line, column = positions[index]
    return Location(path, line, column)
