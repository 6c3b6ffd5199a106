"""``group_vars/`` and ``host_vars/`` files read with libyaml, positions kept on the side.

ansible-core 2.19 builds every value of a variables file with its own YAML constructor, which
tags each string, number, list and mapping with an ``Origin`` (path, line, column): on an
inventory with thousands of topics that is most of a run. kafkalint needs only the positions
of mapping keys, list items and top-level variables, so :class:`FastDataLoader` (a
``DataLoader``, used only inside kafkalint's own loader) parses those files with libyaml's
composer and a small constructor that builds plain values and writes the positions into a
:class:`Positions` table. Everything else stays Ansible's: ``InventoryManager`` reads the
hosts files, the ``host_group_vars`` plugin finds the variables files (files or directories,
its extensions and order) and ``VariableManager`` applies the precedence.

The values are the ones Ansible's constructor builds (the same PyYAML resolver decides the
types), with these tags: strings that may hold a template carry ``TrustedAsTemplate`` when
the caller asked for it (Ansible trusts every string of such a file; only these can be
templated), top-level keys and scalar values carry ``Origin`` as Ansible's would.

A file this constructor does not take on is handed to Ansible's own loader whole, so its
result and its errors are Ansible's: JSON content, vault-encrypted files, Ansible's tags
(``!unsafe``, ``!vault``), other explicit YAML tags, duplicate keys (which Ansible warns about
or rejects, as configured), recursive anchors, YAML errors, text that is not UTF-8, and the
``merge`` hash behaviour (which builds new mappings the positions table does not know).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ansible import constants
from ansible._internal._datatag._tags import Origin, TrustedAsTemplate
from ansible.module_utils._internal._datatag import AnsibleTagHelper
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.vault import b_HEADER
from yaml.constructor import SafeConstructor

from kafkalint.loaders.yamlread import (
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_MAP,
    TAG_MERGE,
    TAG_NULL,
    TAG_SEQ,
    TAG_STR,
    TAG_TIMESTAMP,
    composer,
)
from kafkalint.model import Location

__all__ = ["FastDataLoader", "Positions"]


#: Directories whose files ``host_group_vars`` loads.
_VARS_DIRS = frozenset(("group_vars", "host_vars"))

_TRUSTED = TrustedAsTemplate()


class _Unsupported(Exception):
    """The file holds something this constructor leaves to Ansible's."""


def _as_given(path: str) -> str:
    return path


class Positions:
    """Where the keys and items of the containers :class:`FastDataLoader` built were written,
    and where each top-level variable's key was written, as :class:`Location` objects whose
    paths ``display`` turned into the form the user gave.

    Entries are found by the identity of the container or value (which Ansible's variable
    manager passes through unchanged) and hold a reference to it, so an identity is never
    reused while the table lives. Positions stay PyYAML marks (0-based) until asked for.
    """

    def __init__(self, display: Callable[[str], str] = _as_given) -> None:
        self.display = display
        self._mappings: dict[int, tuple[Any, str, dict[Any, Any]]] = {}  # shown path, key -> mark
        self._sequences: dict[int, tuple[Any, str, list[Any]]] = {}  # shown path, the items' nodes
        self._variables: dict[int, tuple[Any, str, str, Any]] = {}  # path, shown path, key's mark
        self._without_templates: set[str] = set()  # files with no string that may be a template

    def add_mapping(self, mapping: dict[Any, Any], shown: str, marks: dict[Any, Any]) -> None:
        """``marks``: each key's start mark."""
        self._mappings[id(mapping)] = (mapping, shown, marks)

    def add_sequence(self, sequence: list[Any], shown: str, nodes: list[Any]) -> None:
        """``nodes``: the items' YAML nodes (their start marks are the positions)."""
        self._sequences[id(sequence)] = (sequence, shown, nodes)

    def add_variable(self, value: Any, path: str, shown: str, mark: Any) -> None:
        self._variables[id(value)] = (value, path, shown, mark)

    def add_file(self, shown: str, templates: bool) -> None:
        if not templates:
            self._without_templates.add(shown)

    def merge(self, other: Positions) -> None:
        self._mappings.update(other._mappings)
        self._sequences.update(other._sequences)
        self._variables.update(other._variables)
        self._without_templates.update(other._without_templates)

    def without_templates(self, value: Any) -> bool:
        """Whether ``value`` is a container read from a file none of whose strings may be a
        template (so templating it changes nothing)."""
        entry = self._mappings.get(id(value)) or self._sequences.get(id(value))
        return entry is not None and entry[0] is value and entry[1] in self._without_templates

    def carry(self, original: Any, rendered: Any) -> Any:
        """``rendered`` (``original`` templated) at the positions of ``original``: the
        templar copies the containers it renders. A top-level scalar gets its ``Origin``
        back, so it is a value of its own in the table."""
        if rendered is original:
            return rendered
        entry = self._variables.get(id(original))
        if entry is not None and entry[0] is original:
            _, path, shown, mark = entry
            if isinstance(rendered, (str, int, float)) and not isinstance(rendered, bool):
                rendered = Origin(path=path, line_num=mark.line + 1, col_num=mark.column + 1).tag(rendered)
            if isinstance(rendered, (str, int, float, dict, list)) and not isinstance(rendered, bool):
                self.add_variable(rendered, path, shown, mark)
        self._carry_nested(original, rendered)
        return rendered

    def _carry_nested(self, original: Any, rendered: Any) -> None:
        if rendered is original:
            return
        if isinstance(original, dict) and isinstance(rendered, dict):
            mapping = self._mappings.get(id(original))
            if mapping is not None and mapping[0] is original:
                self.add_mapping(rendered, mapping[1], {key: at for key, at in mapping[2].items() if key in rendered})
            for key, item in rendered.items():
                if key in original:
                    self._carry_nested(original[key], item)
        elif isinstance(original, list) and isinstance(rendered, list) and len(original) == len(rendered):
            sequence = self._sequences.get(id(original))
            if sequence is not None and sequence[0] is original:
                self.add_sequence(rendered, sequence[1], sequence[2])
            for before, after in zip(original, rendered, strict=True):
                self._carry_nested(before, after)

    def key(self, mapping: Any, key: Any) -> Location | None:
        """Where ``key`` is written in ``mapping``, when this table knows the mapping."""
        entry = self._mappings.get(id(mapping))
        if entry is None or entry[0] is not mapping:
            return None
        mark = entry[2].get(key)
        return None if mark is None else Location(entry[1], mark.line + 1, mark.column + 1)

    def item(self, sequence: Any, index: int) -> Location | None:
        """Where item ``index`` of ``sequence`` is written, when this table knows it."""
        entry = self._sequences.get(id(sequence))
        if entry is None or entry[0] is not sequence or not 0 <= index < len(entry[2]):
            return None
        mark = entry[2][index].start_mark
        return Location(entry[1], mark.line + 1, mark.column + 1)

    def variable(self, value: Any) -> Location | None:
        """Where the top-level key holding ``value`` is written: the definition that won,
        since the variable manager passes the winning value object on unchanged."""
        entry = self._variables.get(id(value))
        if entry is None or entry[0] is not value:
            return None
        mark = entry[3]
        return Location(entry[2], mark.line + 1, mark.column + 1)


def _may_template(text: str) -> bool:
    """Whether Jinja could find a template in ``text``: its delimiters all start with ``{``,
    and a ``#jinja2:`` header may redefine them."""
    return "{" in text or text.startswith("#jinja2:")


class _Builder:
    """Plain values from composed nodes, positions into a :class:`Positions`.

    The loops are written out (scalars built in place, marks kept rather than copied):
    this runs once per node of files with tens of thousands of them."""

    def __init__(self, path: str, trusted: bool, positions: Positions) -> None:
        self.path = path  # absolute, as Ansible's Origin wants it
        self.shown = positions.display(path)  # as the locations show it
        self.trusted = trusted
        self.positions = positions
        self.scalars = SafeConstructor()  # its int/float/timestamp readers, exactly PyYAML's
        self.templates = False  # whether any string may be a template
        self.built: dict[int, Any] = {}  # anchors: an alias is the same node object
        self.building: set[int] = set()

    def document(self, node: Any) -> dict[Any, Any]:
        """The top-level mapping: keys and scalar values tagged with ``Origin`` as Ansible's
        constructor tags them, each variable's key position in the table."""
        if type(node) is not yaml.MappingNode or node.tag != TAG_MAP:
            raise _Unsupported  # Ansible's loader tells what is wrong with such a file
        if any(key_node.tag == TAG_MERGE for key_node, _ in node.value):
            self.scalars.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            try:
                if key in result:
                    raise _Unsupported
            except TypeError:
                raise _Unsupported from None
            value = self.value(value_node)
            if isinstance(key, str):
                key = self.tagged(key_node, key)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                value = self.tagged(value_node, value)
            result[key] = value
            if not isinstance(value, bool) and value is not None:
                self.positions.add_variable(value, self.path, self.shown, key_node.start_mark)
        return result

    def tagged(self, node: yaml.Node, value: Any) -> Any:
        """``value`` (untagged or trusted) with the ``Origin`` of ``node``."""
        origin = Origin(path=self.path, line_num=node.start_mark.line + 1, col_num=node.start_mark.column + 1)
        plain = AnsibleTagHelper.untag(value)
        if isinstance(plain, str) and self.trusted and _may_template(plain):
            return AnsibleTagHelper.tag(plain, (origin, _TRUSTED))
        return origin.tag(plain)

    def value(self, node: yaml.Node) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self.scalar(node)
        identity = id(node)
        if identity in self.built:
            return self.built[identity]
        if identity in self.building:
            raise _Unsupported  # a recursive anchor
        self.building.add(identity)
        if kind is yaml.MappingNode:
            result: Any = self.mapping(node)
        elif kind is yaml.SequenceNode:
            result = self.sequence(node)
        else:  # pragma: no cover - the composer makes only these three
            raise _Unsupported
        self.building.discard(identity)
        self.built[identity] = result
        return result

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        text: str = node.value
        if tag == TAG_STR:
            if "{" in text or text[:8] == "#jinja2:":  # _may_template, inlined
                self.templates = True
                if self.trusted:
                    return _TRUSTED.tag(text)
            return text
        if tag == TAG_INT:
            if text.isdigit() and (text[0] != "0" or text == "0"):
                return int(text)
            return self.scalars.construct_yaml_int(node)
        if tag == TAG_BOOL:
            return self.scalars.bool_values[text.lower()]
        if tag == TAG_NULL:
            return None
        if tag == TAG_FLOAT:
            return self.scalars.construct_yaml_float(node)
        if tag == TAG_TIMESTAMP:
            return self.scalars.construct_yaml_timestamp(node)
        raise _Unsupported  # !unsafe, !vault, !!binary, a custom tag...

    def mapping(self, node: Any) -> dict[Any, Any]:
        if node.tag != TAG_MAP:
            raise _Unsupported  # !!set, !!omap, a tag on a mapping
        scalar_node = yaml.ScalarNode
        result: dict[Any, Any] = {}
        marks: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == TAG_MERGE:  # ``<<: *anchor``: merge the anchored pairs in, start over
                self.scalars.flatten_mapping(node)
                return self.mapping(node)
            key = self.scalar(key_node) if type(key_node) is scalar_node else self.value(key_node)
            try:
                if key in marks:
                    raise _Unsupported  # a duplicate: Ansible warns or fails, as configured
            except TypeError:
                raise _Unsupported from None  # an unhashable key: Ansible's error
            marks[key] = key_node.start_mark
            result[key] = self.scalar(value_node) if type(value_node) is scalar_node else self.value(value_node)
        self.positions.add_mapping(result, self.shown, marks)
        return result

    def sequence(self, node: Any) -> list[Any]:
        if node.tag != TAG_SEQ:
            raise _Unsupported
        scalar_node = yaml.ScalarNode
        children = node.value
        result = [self.scalar(child) if type(child) is scalar_node else self.value(child) for child in children]
        self.positions.add_sequence(result, self.shown, children)
        return result


def _is_json(text: str) -> bool:
    """Whether Ansible reads ``text`` as JSON (it tries JSON before YAML); a YAML file fails
    at its first character."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def read(path: str, data: bytes, trusted: bool, positions: Positions) -> Any:
    """The variables in file ``path`` (contents ``data``); raises :class:`_Unsupported` for
    a file Ansible's loader must read."""
    if data.startswith(b_HEADER):
        raise _Unsupported
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unsupported from None
    if _is_json(text):
        raise _Unsupported
    local = Positions(positions.display)
    try:
        node = yaml.compose(text, Loader=composer())
        if node is None:
            return None
        builder = _Builder(path, trusted, local)
        result = builder.document(node)
        local.add_file(builder.shown, builder.templates)
    except (yaml.YAMLError, RecursionError, KeyError, ValueError, TypeError):
        raise _Unsupported from None
    positions.merge(local)  # only a file read whole: one handed to Ansible has its tags
    return result


class FastDataLoader(DataLoader):  # type: ignore[misc]
    """Ansible's ``DataLoader``, reading ``group_vars/`` and ``host_vars/`` files with
    :func:`read`; :attr:`positions` tells where their keys and items were written."""

    def __init__(self, display: Callable[[str], str] = _as_given) -> None:
        super().__init__()
        self.positions = Positions(display)
        self.fast_files = 0  # how many files the fast path read (the tests check it ran)

    def load_from_file(
        self,
        file_name: str,
        cache: str = "all",
        unsafe: bool = False,
        json_only: bool = False,
        trusted_as_template: bool = False,
    ) -> Any:
        path = self.path_dwim(file_name)
        eligible = (
            unsafe  # a deep copy would lose the positions (host_group_vars never asks for one)
            and not json_only
            and cache in ("all", "none")
            and constants.DEFAULT_HASH_BEHAVIOUR != "merge"
            and _VARS_DIRS.intersection(Path(path).parts[:-1])
        )
        if not eligible:
            return super().load_from_file(file_name, cache, unsafe, json_only, trusted_as_template)
        if cache == "all" and path in self._FILE_CACHE:
            return self._FILE_CACHE[path]
        try:
            data = Path(path).read_bytes()
            result = read(path, data, trusted_as_template, self.positions)
        except (OSError, _Unsupported):
            return super().load_from_file(file_name, cache, unsafe, json_only, trusted_as_template)
        self.fast_files += 1
        if cache == "all":
            self._FILE_CACHE[path] = result
        return result
