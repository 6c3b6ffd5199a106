"""Ansible hosts files (the ``yaml`` and ``ini`` inventory formats), read without Ansible.

The result is an :class:`Inventory`: groups (with their inventory variables, children and
``ansible_group_priority``) and hosts (with their variables and the groups they are in), each
variable kept with the :class:`~kafkalint.model.Location` it was written at. The formats are
read as ansible-core 2.19's ``yaml`` and ``ini`` plugins read them:

- YAML: a mapping of groups, each with ``hosts`` (host patterns, each with its variables),
  ``vars`` and ``children`` (groups again); a section written as a string is one entry; keys
  that are not a mapping, and other keys, are skipped with a notice, as Ansible warns. A file
  with a top-level ``plugin:`` key configures an inventory plugin (``constructed``, a cloud
  plugin, ...): kafkalint never loads plugins, it is :class:`NotRead`.
- INI: ``[group]`` sections of host lines (``host key=value ...``, split as a shell would),
  ``[group:vars]`` of ``key=value`` lines, ``[group:children]`` of group names; ``#`` and ``;``
  start comments; hosts before any section are ``ungrouped``. Values are typed as Ansible
  types them, with Python's literal syntax (``ast.literal_eval``): ``a=1`` is 1, ``a=[1, 2]``
  a list, ``a=yes`` the string "yes"; values too long to be literals stay strings.
- Host patterns: ``host:port`` sets ``ansible_port``; ranges ``kafka[1:3]``, ``kafka[01:10:2]``,
  ``node-[a:c]`` expand (at most :data:`~kafkalint.limits.MAX_HOSTS_PER_PATTERN` hosts).

Ansible's ``reconcile`` step follows: groups without a parent become children of ``all``, hosts
in no group join ``ungrouped``, and each group's depth is its longest path from ``all`` (the
order of group variables: depth, then priority, then name).
"""

from __future__ import annotations

import ast
import re
import shlex
import string
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kafkalint import limits, redact
from kafkalint.errors import InputError
from kafkalint.loaders.yamlread import Positions, Unsafe, Vaulted
from kafkalint.model import Location, Notice

ALL = "all"
UNGROUPED = "ungrouped"
PRIORITY_VARIABLE = "ansible_group_priority"

#: Longer INI values are not given to ``ast.literal_eval`` (they stay strings).
_LITERAL_LIMIT = 10_000


class NotInventory(Exception):
    """The file is not a hosts file of either format; ``args[0]`` says why, ``line`` where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class NotRead(Exception):
    """The file is an inventory kafkalint does not read (a plugin configuration)."""


@dataclass(frozen=True)
class Definition:
    """A variable's value as written, and where."""

    value: Any
    location: Location


@dataclass
class Group:
    name: str
    vars: dict[str, Definition] = field(default_factory=dict)
    children: dict[str, None] = field(default_factory=dict)
    parents: dict[str, None] = field(default_factory=dict)
    hosts: dict[str, None] = field(default_factory=dict)
    priority: int = 1
    priority_set: bool = False
    depth: int = 0


@dataclass
class Host:
    name: str
    location: Location
    source: str  # the hosts file that declared it first (``inventory_file``)
    vars: dict[str, Definition] = field(default_factory=dict)
    groups: dict[str, None] = field(default_factory=dict)


class Inventory:
    """Groups and hosts, as Ansible's inventory data holds them."""

    def __init__(self) -> None:
        self.groups: dict[str, Group] = {ALL: Group(ALL), UNGROUPED: Group(UNGROUPED)}
        self.hosts: dict[str, Host] = {}
        self.add_child(ALL, UNGROUPED)

    def add_group(self, name: Any, where: Location) -> str:
        if not isinstance(name, str) or not name:
            raise InputError(f"invalid group name {redact.quote(name)}: a group name is a string", where)
        if name not in self.groups:
            self.groups[name] = Group(name)
        return name

    def add_child(self, parent: str, child: str, where: Location | None = None) -> None:
        if parent == child or parent in self.descendants(child):
            raise InputError(
                f"adding group {redact.quote(child)} to {redact.quote(parent)} makes a loop of groups",
                where or Location("<inventory>"),
            )
        self.groups[parent].children[child] = None
        self.groups[child].parents[parent] = None

    def add_host(self, name: str, group: str | None, where: Location, source: str) -> Host:
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = Host(name, where, source)
        if group is not None:
            self.groups[group].hosts[name] = None
            host.groups[group] = None
        return host

    def set_group_var(self, group: str, name: Any, value: Any, where: Location) -> None:
        name = _variable_name(name, where)
        if name == PRIORITY_VARIABLE:
            try:
                self.groups[group].priority = int(value)
                self.groups[group].priority_set = True
            except (TypeError, ValueError):
                raise InputError(f"{PRIORITY_VARIABLE} must be an integer, not {redact.quote(value)}", where) from None
            return
        self.groups[group].vars[name] = Definition(value, where)

    def merge(self, other: Inventory) -> None:
        """Add the groups and hosts of ``other`` (one more hosts file) to this inventory, as if
        it had been read into this one."""
        for name, group in other.groups.items():
            mine = self.groups.setdefault(name, Group(name))
            mine.vars.update(group.vars)
            if group.priority_set:
                mine.priority, mine.priority_set = group.priority, True
            mine.hosts.update(group.hosts)
        for name, group in other.groups.items():
            for child in group.children:
                if child not in self.groups[name].children:
                    self.add_child(name, child)
        for name, host in other.hosts.items():
            mine_host = self.hosts.get(name)
            if mine_host is None:
                self.hosts[name] = host
                continue
            mine_host.vars.update(host.vars)
            mine_host.groups.update(host.groups)

    def reconcile(self) -> None:
        """Ansible's reconcile step and group depths (see the module docstring)."""
        for name, group in self.groups.items():
            if name != ALL and not group.parents:
                self.add_child(ALL, name)
        for host in self.hosts.values():
            if not set(host.groups) - {ALL, UNGROUPED}:
                self.groups[UNGROUPED].hosts[host.name] = None
                host.groups[UNGROUPED] = None
            elif UNGROUPED in host.groups:
                del host.groups[UNGROUPED]
                self.groups[UNGROUPED].hosts.pop(host.name, None)
        depths = {ALL: 0}
        order = [ALL]
        # longest path from all: relax along children; a cycle cannot raise a depth forever
        for _ in range(len(self.groups)):
            changed = False
            for name in list(order):
                for child in self.groups[name].children:
                    candidate = depths[name] + 1
                    if depths.get(child, -1) < candidate <= len(self.groups):
                        depths[child] = candidate
                        if child not in order:
                            order.append(child)
                        changed = True
            if not changed:
                break
        for name, group in self.groups.items():
            group.depth = depths.get(name, 0)

    def descendants(self, group: str) -> set[str]:
        seen: set[str] = set()
        stack = [group]
        while stack:
            for child in self.groups[stack.pop()].children:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def ancestors(self, group: str) -> list[str]:
        seen: dict[str, None] = {}
        stack = [group]
        while stack:
            for parent in self.groups[stack.pop()].parents:
                if parent not in seen:
                    seen[parent] = None
                    stack.append(parent)
        return list(seen)

    def host_groups(self, host: str) -> list[str]:
        """Every group ``host`` is in (its own and their ancestors), ``all`` included."""
        found: dict[str, None] = {}
        for group in self.hosts[host].groups:
            found[group] = None
            found.update(dict.fromkeys(self.ancestors(group)))
        found[ALL] = None
        return list(found)

    def sorted_groups(self, names: list[str]) -> list[str]:
        """``names`` in the order Ansible applies their variables."""
        return sorted(names, key=lambda name: (self.groups[name].depth, self.groups[name].priority, name))

    def members(self, group: str) -> list[str]:
        """The hosts of ``group`` and of its descendants, in Ansible's order."""
        result: dict[str, None] = {}
        seen: set[str] = set()
        stack = [group]
        ordered: list[str] = []
        while stack:
            name = stack.pop(0)
            if name in seen:
                continue
            seen.add(name)
            ordered.append(name)
            stack.extend(self.groups[name].children)
        for name in ordered:
            result.update(self.groups[name].hosts)
        return list(result)


def _variable_name(name: Any, where: Location) -> str:
    if not isinstance(name, str):
        raise InputError(f"invalid variable name {redact.quote(name)}: a variable name is a string", where)
    return name


# -- host patterns ------------------------------------------------------------------------------

_BRACKETED_PORT = re.compile(r"^\[(.+)\]:([0-9]+)$")
_HOST_PORT = re.compile(r"^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$")
_RANGE = r"\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]"
_LABEL = rf"(?:\w|{_RANGE})(?:[\w-]|{_RANGE})*(?<![_-])"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$", re.IGNORECASE | re.UNICODE)
_IPV4_PART = r"(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\[[0-9]+:[0-9]+(?::[0-9]+)?\])"
_IPV4 = re.compile(rf"^(?:{_IPV4_PART}\.){{3}}{_IPV4_PART}$")
_IPV6_CHARS = re.compile(r"^[0-9a-f:.\[\]]+$", re.IGNORECASE)


def _valid_address(host: str) -> bool:
    if _IPV4.match(host) or _HOSTNAME.match(host):
        return True
    if ":" in host and _IPV6_CHARS.match(host):
        import ipaddress

        try:
            ipaddress.IPv6Address(re.sub(r"\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\]", "0", host, flags=re.IGNORECASE))
        except ValueError:
            return False
        return True
    return False


def _split_port(pattern: str) -> tuple[str, int | None]:
    """``host:port`` (or ``[v6]:port``) split, as Ansible's address parser does; a pattern it
    does not recognise as an address stays whole, without a port."""
    host, port = pattern, None
    for expression in (_BRACKETED_PORT, _HOST_PORT):
        match = expression.match(host)
        if match:
            host, port = match.group(1), int(match.group(2))
    if not _valid_address(host):
        return pattern, None
    return host, port


def _range_values(inner: str, where: Location) -> list[str]:
    bounds = inner.split(":")
    if len(bounds) not in (2, 3):
        raise InputError("host range must be begin:end or begin:end:step", where)
    begin, end = bounds[0] or "0", bounds[1]
    step_text = bounds[2] if len(bounds) == 3 else "1"
    if not end:
        raise InputError("host range must specify end value", where)
    try:
        step = int(step_text)
    except ValueError:
        raise InputError(f"host range step {redact.quote(step_text)} is not a number", where) from None
    if step <= 0:
        raise InputError("host range step must be positive", where)
    letters = string.ascii_letters
    if begin in letters and end in letters and len(begin) == len(end) == 1:
        first, last = letters.index(begin), letters.index(end)
        if first > last:
            raise InputError("host range must have begin <= end", where)
        return list(letters[first : last + 1 : step])
    try:
        low, high = int(begin), int(end)
    except ValueError:
        raise InputError(f"host range [{redact.printable(inner)}] is neither numeric nor alphabetic", where) from None
    count = max(0, (high - low) // step + 1)
    if count > limits.MAX_HOSTS_PER_PATTERN:
        raise InputError(f"host range [{inner}] expands to more than {limits.MAX_HOSTS_PER_PATTERN:,} hosts", where)
    width = len(begin) if begin.startswith("0") and len(begin) > 1 else 0
    if width and len(end) != width:
        raise InputError("host range must specify equal-length begin and end formats", where)
    return [str(number).zfill(width) if width else str(number) for number in range(low, high + 1, step)]


def expand(pattern: Any, where: Location) -> tuple[list[str], int | None]:
    """The host names of ``pattern`` and its port (``None`` when it has none)."""
    if not isinstance(pattern, str):
        raise InputError(f"host pattern {redact.quote(pattern)} must be a string (quote numbers)", where)
    host, port = _split_port(pattern)
    names = [host]
    while any("[" in name for name in names):
        expanded: list[str] = []
        for name in names:
            if "[" not in name:
                expanded.append(name)
                continue
            head, _, rest = name.partition("[")
            inner, closed, tail = rest.partition("]")
            if not closed:
                raise InputError(f"host pattern {redact.quote(pattern)} has an unclosed range", where)
            expanded.extend(f"{head}{value}{tail}" for value in _range_values(inner, where))
            if len(expanded) > limits.MAX_HOSTS_PER_PATTERN:
                raise InputError(
                    f"host pattern {redact.quote(pattern)} expands to more than {limits.MAX_HOSTS_PER_PATTERN:,} hosts",
                    where,
                )
        names = expanded
    return names, port


# -- YAML -----------------------------------------------------------------------------------------------


@dataclass
class _YamlReader:
    inventory: Inventory
    shown: str
    positions: Positions
    notices: list[Notice]

    def where(self, mapping: Any, key: Any) -> Location:
        return self.positions.key(mapping, key) or Location(self.shown)

    def read(self, data: Any) -> None:
        if not data:
            return  # Ansible's INI plugin takes an empty file: an empty inventory
        if not isinstance(data, Mapping):
            raise NotInventory(f"a YAML inventory is a mapping of groups, not {_kind(data)}", 1)
        plugin = data.get("plugin")
        if plugin:
            raise NotRead(
                f"configures the inventory plugin {redact.quote(plugin)}: kafkalint never runs inventory plugins"
            )
        if not any(value is None or isinstance(value, Mapping) for value in data.values()):
            raise NotInventory(
                "no group definitions (a YAML inventory maps group names to hosts, vars and children)", 1
            )
        for name, group_data in data.items():
            self.group(name, group_data, self.where(data, name))

    def group(self, name: Any, data: Any, where: Location) -> str | None:
        if data is not None and not isinstance(data, Mapping):
            self.notices.append(Notice(f"skipped {redact.quote(name)}: not a group definition (a mapping)", where))
            return None
        group = self.inventory.add_group(name, where)
        if data is None:
            return group
        sections: dict[str, Any] = {}
        for section in ("vars", "children", "hosts"):
            if section in data:
                value = data[section]
                if isinstance(value, str):
                    value = {value: None}
                elif value is not None and not isinstance(value, Mapping):
                    raise InputError(
                        f"group {redact.quote(group)}: {section} must be a mapping, not {_kind(value)}",
                        self.where(data, section),
                    )
                sections[section] = value
        for key in data:
            if key not in sections:
                self.notices.append(
                    Notice(
                        f"group {redact.quote(group)}: skipped {redact.quote(key)} "
                        "(a group has hosts, vars and children)",
                        self.where(data, key),
                    )
                )
                continue
            entries = sections[key]
            if not entries:
                continue
            if key == "vars":
                for variable, value in entries.items():
                    self.inventory.set_group_var(group, variable, value, self.where(entries, variable))
            elif key == "children":
                for child, child_data in entries.items():
                    added = self.group(child, child_data, self.where(entries, child))
                    if added is not None:
                        self.inventory.add_child(group, added, self.where(entries, child))
            else:
                for pattern, variables in entries.items():
                    self.hosts(group, pattern, variables, self.where(entries, pattern))
        return group

    def hosts(self, group: str, pattern: Any, variables: Any, where: Location) -> None:
        names, port = expand(pattern, where)
        if not variables:
            variables = {}
        elif not isinstance(variables, Mapping):
            raise InputError(f"host {redact.quote(pattern)}: its variables must be a mapping", where)
        for name in names:
            host = self.inventory.add_host(name, group, where, self.shown)
            if port is not None:
                host.vars["ansible_port"] = Definition(port, where)
            for variable, value in variables.items():
                host.vars[_variable_name(variable, where)] = Definition(value, self.where(variables, variable))


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def read_yaml(data: Any, shown: str, inventory: Inventory, positions: Positions, notices: list[Notice]) -> None:
    """Add the YAML inventory ``data`` (read from ``shown``) to ``inventory``."""
    _YamlReader(inventory, shown, positions, notices).read(data)


# -- INI ------------------------------------------------------------------------------------------------

_SECTION = re.compile(r"^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$")
_GROUP_NAME = re.compile(r"^([^:\]\s]+)\s*(?:#.*)?$")


def _ini_value(text: str) -> Any:
    """A value as Ansible's INI plugin types it."""
    if len(text) <= _LITERAL_LIMIT and text[:1] in "0123456789-+.[{('\"TFNbBrRuU":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return text
        return _ini_coerce(value)
    return text


def _ini_coerce(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_ini_coerce(item) for item in value]
    if isinstance(value, dict):
        return {key: _ini_coerce(item) for key, item in value.items()}
    if value is ...:
        return "..."
    if isinstance(value, complex):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


class _IniReader:
    def __init__(self, inventory: Inventory, shown: str) -> None:
        self.inventory = inventory
        self.shown = shown

    def fail(self, message: str, line: int) -> NotInventory:
        return NotInventory(message, line)

    def read(self, text: str) -> None:
        pending: dict[str, dict[str, Any]] = {}
        group, state = UNGROUPED, "hosts"
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            where = Location(self.shown, number)
            section = _SECTION.match(line)
            if section:
                group, kind = section.group(1), section.group(2) or "hosts"
                if kind not in ("hosts", "children", "vars"):
                    raise self.fail(f"section [{redact.printable(line[1:-1])}] has unknown type {kind!r}", number)
                if group not in self.inventory.groups:
                    if kind == "vars" and group not in pending:
                        pending[group] = {"line": number, "state": kind, "parents": []}
                    self.inventory.add_group(group, where)
                if group in pending and kind != "vars":
                    if pending[group]["state"] == "children":
                        self._add_pending(group, pending)
                    elif pending[group]["state"] == "vars":
                        del pending[group]
                state = kind
                continue
            if line.startswith("[") and line.endswith("]"):
                raise self.fail(f"invalid section {redact.quote(line)} (no spaces in a section name)", number)
            if state == "hosts":
                self.host_line(line, group, where, number)
            elif state == "vars":
                if "=" not in line:
                    raise self.fail(f"expected key=value, got {redact.quote(line)}", number)
                key, value = (part.strip() for part in line.split("=", 1))
                self.inventory.set_group_var(group, key, _ini_value(value), where)
            else:
                child = _GROUP_NAME.match(line)
                if child is None:
                    raise self.fail(f"expected a group name, got {redact.quote(line)}", number)
                name = child.group(1)
                if name not in self.inventory.groups:
                    entry = pending.setdefault(name, {"line": number, "state": "children", "parents": []})
                    entry["parents"].append(group)
                else:
                    self.inventory.add_child(group, name, where)
        for name, entry in pending.items():
            if entry["state"] == "vars":
                raise self.fail(f"section [{name}:vars] is for a group that is never defined", entry["line"])
            raise self.fail(
                f"section [{entry['parents'][-1]}:children] names a group never defined: {name!r}", entry["line"]
            )

    def _add_pending(self, group: str, pending: dict[str, dict[str, Any]]) -> None:
        for parent in pending[group]["parents"]:
            self.inventory.add_child(parent, group, Location(self.shown, pending[group]["line"]))
            if parent in pending and pending[parent]["state"] == "children":
                self._add_pending(parent, pending)
        del pending[group]

    def host_line(self, line: str, group: str, where: Location, number: int) -> None:
        try:
            tokens = shlex.split(line, comments=True)
        except ValueError as error:
            raise self.fail(f"cannot split the host line: {error}", number) from None
        if not tokens:
            return
        pattern = tokens[0]
        if pattern.strip().endswith(":") and _split_port(pattern)[1] is None:
            raise self.fail(f"host pattern {redact.quote(pattern)} ends in ':' (reserved for a port)", number)
        names, port = expand(pattern, where)
        if "---" in (name.strip() for name in names):
            raise self.fail("a host named '---': this looks like a YAML file", number)
        variables: dict[str, Any] = {}
        for token in tokens[1:]:
            if "=" not in token:
                raise self.fail(f"expected key=value host variable assignment, got {redact.quote(token)}", number)
            key, value = token.split("=", 1)
            variables[key] = _ini_value(value)
        for name in names:
            host = self.inventory.add_host(name, group, where, self.shown)
            if port is not None:
                host.vars["ansible_port"] = Definition(port, where)
            for key, value in variables.items():
                host.vars[key] = Definition(value, where)


def read_ini(text: str, shown: str, inventory: Inventory) -> None:
    """Add the INI inventory ``text`` (read from ``shown``) to ``inventory``; raises
    :class:`NotInventory` when it is not one."""
    _IniReader(inventory, shown).read(text)


__all__ = [
    "ALL",
    "UNGROUPED",
    "Definition",
    "Group",
    "Host",
    "Inventory",
    "NotInventory",
    "NotRead",
    "Unsafe",
    "Vaulted",
    "expand",
    "read_ini",
    "read_yaml",
]
