"""Ansible inventories, read by kafkalint itself: static formats only, nothing ever executed.

An inventory in a pull request is input from a stranger, and Ansible's own inventory code
runs what it finds (inventory scripts, plugins, Jinja lookups, vault-password scripts,
``ansible.cfg`` from the working directory). This reader imports nothing of Ansible and reads
only the static formats, as Ansible reads them:

- **Hosts files**: YAML and INI (:mod:`kafkalint.loaders.hosts`). A directory is read as
  Ansible reads an inventory directory: every file in it and, recursively, in its
  subdirectories, in name order, except hidden entries, ``group_vars``, ``host_vars``,
  ``vars_plugins`` and the extensions Ansible ignores there (``.md``, ``.txt``, ``.rst``,
  ``.cfg``, ``.retry``, ``.orig``, ``.bak``, ``.swp``, ``.pyc``, ``.pyo``, ``.rpm``, ``~``).
  Files named ``.yml``, ``.yaml`` or ``.json`` are YAML; files without an extension YAML, else
  INI; the others INI.
- **Never read** (one notice naming the file): executable files starting with ``#!``
  (inventory scripts: never run), YAML files configuring an inventory plugin (``plugin:
  constructed``, cloud plugins: never loaded), TOML inventories, files that are no inventory in
  a directory (a playbook, a template: Ansible warns and goes on; a file named ``hosts*`` /
  ``inventory*``, ``*.ini``, or named on the command line is an input error instead), and
  anything that is not a regular file or resolves outside the inventory (a symbolic link to
  ``/etc``, a host named ``../../x``): nothing outside the paths given is read. When no hosts
  file could be read at all, the inventory is an input error.
- **Variables files**: ``group_vars/<group>`` and ``host_vars/<host>`` beside the inventory
  (beside the hosts file, or in the inventory directory), as files with no extension,
  ``.yml``, ``.yaml`` or ``.json`` (the first that exists), or as directories whose files are
  read in name order, recursively. A playbook's own ``group_vars`` / ``host_vars`` are not the
  inventory's and are not read.
- **Precedence** (ansible-core's, for inventory variables, ``hash_behaviour = replace``: a
  later definition replaces a variable whole): group ``all`` of the hosts files, the host's
  other groups of the hosts files (by depth from ``all``, then ``ansible_group_priority``, then
  name), ``group_vars/all``, ``group_vars/<group>`` in the same group order, the host's
  variables in the hosts files, then ``host_vars/<host>``.

Values are then rendered where they hold Jinja, by :mod:`kafkalint.loaders.templating` (a safe
subset; the rest is left unresolved at its line), and vault values decrypted with the password
given explicitly (:mod:`kafkalint.loaders.vault`). Every value keeps the file, line and column
of the definition that won. ``--render=ansible`` reads through ansible-core instead
(:mod:`kafkalint.loaders.ansible_inventory`), for operators' own inventories.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kafkalint import contract, limits, redact
from kafkalint.errors import InputError
from kafkalint.loaders import hosts, yamlread
from kafkalint.loaders.build import ClusterBuilder, check_contract
from kafkalint.loaders.templating import Renderer
from kafkalint.loaders.vault import Vault
from kafkalint.model import Cluster, Location, Notice
from kafkalint.versions import KafkaVersion

#: Hosts files Ansible would pick up from a directory (a directory is an inventory when it
#: holds one of these or group_vars/host_vars).
HOSTS_FILE = re.compile(r"^(hosts|inventory)([._-].*)?$", re.IGNORECASE)

IGNORED_NAMES = frozenset(("group_vars", "host_vars", "vars_plugins"))
IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".cfg", ".retry")
YAML_SUFFIXES = (".yml", ".yaml", ".json")
VARS_SUFFIXES = ("", ".yml", ".yaml", ".json")

DisplayPath = Callable[[str], str]


def is_inventory_dir(path: Path) -> bool:
    if (path / "group_vars").is_dir() or (path / "host_vars").is_dir():
        return True
    return any(HOSTS_FILE.match(entry.name) and entry.is_file() for entry in path.iterdir())


class _Reader:
    """One inventory (a directory or a hosts file) into groups, hosts and their variables."""

    def __init__(self, path: Path, display: DisplayPath, vault: Vault, notices: list[Notice]) -> None:
        self.path = path
        self.display = display
        self.vault = vault
        self.notices = notices
        self.base = path if path.is_dir() else path.parent  # where group_vars/ and host_vars/ are
        self.root = os.path.realpath(self.base)
        self.inventory = hosts.Inventory()
        self.positions = yamlread.Positions()
        self._vars: dict[str, dict[str, hosts.Definition]] = {}
        self.read_any = False

    # -- what may be read --------------------------------------------------------------------

    def _inside(self, path: Path) -> bool:
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def _regular(self, path: Path, shown: str) -> bool:
        """Whether ``path`` may be read: a regular file inside the inventory (a notice otherwise)."""
        if not self._inside(path):
            self.notices.append(Notice("not read: it resolves outside the inventory", Location(shown)))
            return False
        try:
            mode = path.stat().st_mode
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror or error}", Location(shown)) from None
        if not stat.S_ISREG(mode):
            self.notices.append(Notice("not read: not a regular file", Location(shown)))
            return False
        return True

    def _decrypt(self) -> Callable[[bytes, str], bytes] | None:
        return self.vault.decrypt_file if self.vault.password is not None else None

    # -- hosts files -------------------------------------------------------------------------

    def sources(self) -> list[Path]:
        if not self.path.is_dir():
            return [self.path]
        found: list[Path] = []
        self._walk(self.path, found, set())
        return found

    def _walk(self, directory: Path, found: list[Path], seen: set[str]) -> None:
        # a method, not a closure that calls itself: that closure would be a reference cycle
        # holding this reader (every file's values and positions) until a cyclic collection,
        # and the loader pauses the collector and then freezes what is alive
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        try:
            names = sorted(entry.name for entry in directory.iterdir())
        except OSError as error:
            raise InputError(
                f"cannot read directory: {error.strerror or error}", Location(self.display(str(directory)))
            ) from None
        for name in names:
            if name.startswith(".") or name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
                continue
            child = directory / name
            if child.is_dir():
                if self._inside(child):
                    self._walk(child, found, seen)
                else:
                    self.notices.append(
                        Notice("not read: it resolves outside the inventory", Location(self.display(str(child))))
                    )
            else:
                found.append(child)

    def read_sources(self) -> None:
        first = len(self.notices)
        for source in self.sources():
            self.read_source(source, explicit=source == self.path)
        if not self.read_any:
            skipped = [notice for notice in self.notices[first:] if notice.message.startswith("not read:")]
            why = f"; {skipped[0].location}: {skipped[0].message[len('not read: ') :]}" if skipped else ""
            raise InputError(
                f"no hosts file of this inventory could be read (kafkalint reads YAML and INI hosts files){why}",
                Location(self.display(str(self.path))),
            )

    def read_source(self, path: Path, *, explicit: bool) -> None:
        shown = self.display(str(path))
        if not self._regular(path, shown):
            return
        suffix = path.suffix.lower()
        strict = explicit or bool(HOSTS_FILE.match(path.name)) or suffix == ".ini"
        if suffix == ".toml":
            self.notices.append(Notice("not read: kafkalint reads YAML and INI inventories, not TOML", Location(shown)))
            return
        data = limits.read_bytes(str(path), shown)
        if data.startswith(b"#!") and os.access(path, os.X_OK):
            self.notices.append(
                Notice("not read: an executable inventory script (kafkalint never runs one)", Location(shown, 1))
            )
            return
        if data.startswith(yamlread.VAULT_HEADER) and self.vault.password is None:
            raise InputError("the file is vault-encrypted: give --vault-password-file to read it", Location(shown, 1))
        part = hosts.Inventory()
        try:
            self._parse(part, data, shown, suffix)
        except hosts.NotRead as why:
            self.notices.append(Notice(f"not read: it {why}", Location(shown, 1)))
            return
        except hosts.NotInventory as why:
            if strict:
                raise InputError(f"cannot parse this inventory: {why.message}", Location(shown, why.line)) from None
            where = Location(shown, why.line)
            self.notices.append(Notice(f"not read: not an Ansible inventory ({why.message})", where))
            return
        self.inventory.merge(part)
        self.read_any = True

    def _parse(self, part: hosts.Inventory, data: bytes, shown: str, suffix: str) -> None:
        """Parse one hosts file into ``part``, as YAML (``.yml``, ``.yaml``, ``.json``), INI
        (other extensions), or YAML then INI (no extension); raises
        :class:`~kafkalint.loaders.hosts.NotInventory` when it is neither."""
        problem: hosts.NotInventory | None = None
        if suffix in YAML_SUFFIXES or not suffix:
            try:
                value = yamlread.load(data, shown, self.positions, self.notices, decrypt=self._decrypt())
            except limits.LimitError:
                raise
            except yamlread.MultipleDocuments as error:
                problem = hosts.NotInventory("it holds several YAML documents", _line(error))
            except InputError as error:
                problem = hosts.NotInventory(error.message, _line(error))
            else:
                try:
                    hosts.read_yaml(value, shown, part, self.positions, self.notices)
                    return
                except hosts.NotInventory as why:
                    problem = why
            if suffix:
                raise problem
        if data.startswith(yamlread.VAULT_HEADER):
            raise problem or hosts.NotInventory("vault-encrypted, and no vault password was given", 1)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise hosts.NotInventory("not valid UTF-8 text", data[: error.start].count(b"\n") + 1) from None
        hosts.read_ini(text, shown, part)

    # -- group_vars/ and host_vars/ ----------------------------------------------------------

    def _vars_files(self, kind: str, name: str) -> list[Path]:
        """The variables files of group or host ``name`` in ``kind`` (group_vars, host_vars)."""
        if not name or name.startswith(os.sep):
            return []
        directory = self.base / kind
        if not directory.is_dir():
            return []
        for suffix in VARS_SUFFIXES:
            candidate = directory / f"{name}{suffix}"
            if not os.path.lexists(candidate):
                continue
            shown = self.display(str(candidate))
            if not self._inside(candidate):
                self.notices.append(Notice("not read: it resolves outside the inventory", Location(shown)))
                return []
            if candidate.is_dir():
                return self._vars_directory(candidate, 0)
            return [candidate]
        return []

    def _vars_directory(self, directory: Path, depth: int) -> list[Path]:
        if depth > limits.MAX_YAML_DEPTH:
            return []
        found: list[Path] = []
        for name in sorted(entry.name for entry in directory.iterdir()):
            if name.startswith(".") or name.endswith("~"):
                continue
            child = directory / name
            suffix = child.suffix
            if child.is_dir() and not suffix:
                if self._inside(child):
                    found.extend(self._vars_directory(child, depth + 1))
            elif child.is_file() and (not suffix or suffix in VARS_SUFFIXES):
                found.append(child)
        return found

    def _definitions(self, path: Path) -> dict[str, hosts.Definition]:
        key = str(path)
        cached = self._vars.get(key)
        if cached is not None:
            return cached
        shown = self.display(key)
        result: dict[str, hosts.Definition] = {}
        if self._regular(path, shown):
            data = limits.read_bytes(key, shown)
            value = yamlread.load(data, shown, self.positions, self.notices, decrypt=self._decrypt())
            if value:
                if not isinstance(value, dict):
                    raise InputError(
                        "a variables file is a mapping of variable names to values, not "
                        + ("a list" if isinstance(value, list) else "a single value"),
                        Location(shown, 1),
                    )
                for name, item in value.items():
                    result[name] = hosts.Definition(item, self.positions.key(value, name) or Location(shown))
        self._vars[key] = result
        return result

    def _vars_of(self, kind: str, name: str) -> dict[str, hosts.Definition]:
        merged: dict[str, hosts.Definition] = {}
        for path in self._vars_files(kind, name):
            merged.update(self._definitions(path))
        return merged

    # -- precedence --------------------------------------------------------------------------

    def variables(self, host: str) -> dict[str, hosts.Definition]:
        """``host``'s variables with Ansible's precedence applied (see the module docstring)."""
        inventory = self.inventory
        groups = inventory.sorted_groups([name for name in inventory.host_groups(host) if name != hosts.ALL])
        result: dict[str, hosts.Definition] = dict(inventory.groups[hosts.ALL].vars)
        for group in groups:
            result.update(inventory.groups[group].vars)
        result.update(self._vars_of("group_vars", hosts.ALL))
        for group in groups:
            result.update(self._vars_of("group_vars", group))
        result.update(inventory.hosts[host].vars)
        result.update(self._vars_of("host_vars", host))
        return result


class _Locator:
    """Where things were written, for the cluster builder."""

    def __init__(self, reader: _Reader, origins: dict[str, dict[str, Location]]) -> None:
        self.reader = reader
        self.origins = origins

    def host(self, host: str) -> Location:
        return self.reader.inventory.hosts[host].location

    def var(self, host: str, name: str) -> Location | None:
        return self.origins.get(host, {}).get(name)

    def key(self, mapping: Any, key: Any) -> Location | None:
        return self.reader.positions.key(mapping, key)

    def item(self, sequence: Any, index: int) -> Location | None:
        return self.reader.positions.item(sequence, index)

    def from_vault(self, mapping: Any, key: Any) -> bool:
        """A value this reader decrypted (a ``!vault`` string, a string of an encrypted
        file) is registered as a secret, and a template that took its value from one returns
        that text."""
        if not isinstance(mapping, dict) or key not in mapping:
            return False
        value = mapping[key]
        return isinstance(value, str) and redact.is_secret(value)


@dataclass
class Resolved:
    """An inventory as this reader resolves it: the groups of the contract (with their
    hosts), every host's variables as written (``raw``, precedence applied) and the hosts of
    the contract's groups with the variables kafkalint reads rendered (``hostvars``)."""

    groups: dict[str, list[str]]
    all_groups: list[str]
    raw: dict[str, dict[str, Any]]
    hostvars: dict[str, dict[str, Any]]
    locator: _Locator
    base: Path


def resolve(
    path: Path, display: DisplayPath, vault: Vault | None = None, notices: list[Notice] | None = None
) -> Resolved:
    """Resolve the inventory at ``path`` (a directory or a hosts file)."""
    notes = notices if notices is not None else []
    reader = _Reader(path, display, vault or Vault(), notes)
    reader.read_sources()
    inventory = reader.inventory
    inventory.reconcile()
    groups = {name: inventory.members(name) for name in contract.GROUPS if name in inventory.groups}
    if not any(groups.values()):
        raise InputError(
            "the inventory has no hosts in the groups " + ", ".join(f"'{group}'" for group in contract.GROUPS),
            Location(display(str(path))),
        )
    definitions = {host: reader.variables(host) for host in inventory.hosts}
    values = {host: {name: item.value for name, item in found.items()} for host, found in definitions.items()}
    origins = {host: {name: item.location for name, item in found.items()} for host, found in definitions.items()}
    renderer = Renderer(
        values,
        {name: inventory.members(name) for name in inventory.groups},
        {host: inventory.host_groups(host) for host in inventory.hosts},
        {host: item.source for host, item in inventory.hosts.items()},
        reader.positions,
        reader.vault,
    )
    members = list(dict.fromkeys(host for names in groups.values() for host in names))
    hostvars = {host: renderer.host(host, contract.READ_VARIABLES) for host in members}
    return Resolved(groups, list(inventory.groups), values, hostvars, _Locator(reader, origins), reader.base)


def load(  # noqa: PLR0917 - the same signature as the Ansible reader's
    path: Path,
    display: DisplayPath,
    kafka_version: KafkaVersion | None,
    environment: str | None = None,
    vault: Vault | None = None,
    notices: list[Notice] | None = None,
) -> Cluster:
    """The cluster of the inventory at ``path`` (a directory or a hosts file); ``environment``
    is the run's, for an inventory that does not set kafka_cluster_environment. ``notices``
    receives what was skipped or assumed."""
    resolved = resolve(path, display, vault, notices)
    shown = display(str(path))
    check_contract(
        resolved.hostvars,
        resolved.groups,
        resolved.locator,
        resolved.base,
        display(str(resolved.base)),
        resolved.all_groups,
    )
    name = path.name if path.is_dir() else path.parent.name
    builder = ClusterBuilder(
        name, Location(shown), resolved.hostvars, resolved.groups, resolved.locator, kafka_version, environment
    )
    return builder.build()


def _line(error: InputError) -> int | None:
    return error.location.line if error.location is not None else None
