"""Ansible inventories, read with ansible-core's own API: ``--render=ansible``, for operators'
own inventories only.

This runs what Ansible runs: inventory scripts and plugins, ``ansible.cfg`` from the working
directory, every Jinja lookup in the values. kafkalint's default reader
(:mod:`kafkalint.loaders.inventory`) executes nothing; this one is the explicit opt-in for an
inventory its operator trusts (the playbooks' lint gate uses it), so the values judged are the
ones a play renders. Vault passwords still come only from kafkalint's own option or
environment variables (:mod:`kafkalint.loaders.vault`), never from ``ansible.cfg`` or a script.

``InventoryManager`` parses the hosts files (YAML, INI, a directory of them) and
``VariableManager`` applies Ansible's full variable precedence (inventory file vars,
``group_vars/`` and ``host_vars/`` as files or directories, group depth and priority), so
kafkalint sees each host's variables exactly as a play would. Values that hold Jinja
templates or vault-encrypted strings are decrypted and rendered by Ansible
(:mod:`kafkalint.loaders.render`), as the roles would see them.

The ``group_vars/`` and ``host_vars/`` files are parsed by
:class:`~kafkalint.loaders.fastvars.FastDataLoader` (libyaml, several times faster than
ansible-core's tagging constructor), which records where keys, list items and variables were
written in a positions table; a variable's location is the definition that won. Everything
else (hosts files, files that reader leaves to Ansible) carries ansible-core's ``Origin``
tags with path, line and column. Host names read from INI files carry none; their line is
found by reading the file.

This needs ansible-core 2.19 or later (``pip install 'kafkalint[ansible]'``): it reads
Ansible's data tags (``ansible._internal._datatag``), which 2.19 introduced.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kafkalint import contract
from kafkalint.errors import InputError
from kafkalint.loaders.ansible_errors import error_location, message
from kafkalint.loaders.build import ClusterBuilder, check_contract
from kafkalint.loaders.inventory import DisplayPath
from kafkalint.loaders.vault import Vault
from kafkalint.model import Cluster, Location, Notice
from kafkalint.versions import KafkaVersion

if TYPE_CHECKING:  # these import Ansible
    from kafkalint.loaders.fastvars import Positions


class _CapturingDisplay:
    """Stands in for Ansible's ``Display`` while the inventory is parsed: keeps the parse
    failures (Ansible only warns about them) and prints nothing."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, BaseException | None]] = []
        self.warnings: list[str] = []

    def error_as_warning(self, msg: str, exception: BaseException | None = None, **_: Any) -> None:
        self.failures.append((msg, exception))

    def warning(self, msg: str, *_: Any, **__: Any) -> None:
        self.warnings.append(str(msg))

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


@contextmanager
def _quiet(module: Any) -> Iterator[_CapturingDisplay]:
    capture = _CapturingDisplay()
    original = module.display
    module.display = capture
    try:
        yield capture
    finally:
        module.display = original


class _Locator:
    """Locations from the positions table of the variables files read by
    :class:`~kafkalint.loaders.fastvars.FastDataLoader`, else from Ansible's ``Origin`` tags."""

    def __init__(
        self,
        inventory: Any,
        hostvars: Mapping[str, Mapping[str, Any]],
        display: DisplayPath,
        origin_type: Any,
        positions: Positions,
    ) -> None:
        self.inventory = inventory
        self.hostvars = hostvars
        self.display = display
        self.origin_type = origin_type
        self.positions = positions
        self._ini_lines: dict[str, list[str]] = {}
        self._encrypted: dict[str, bool] = {}

    def _location(self, value: Any) -> Location | None:
        origin = self.origin_type.get_tag(value)
        if origin is None or not origin.path:
            return None
        return Location(self.display(origin.path), origin.line_num, origin.col_num)

    def host(self, host: str) -> Location:
        item = self.inventory.get_host(host)
        where = self._location(item.name) if item is not None else None
        if where is not None:
            return where
        source = str(self.hostvars.get(host, {}).get("inventory_file") or "")
        if not source:
            return Location(host)
        return Location(self.display(source), self._ini_line(source, host))

    def _ini_line(self, source: str, host: str) -> int | None:
        if source not in self._ini_lines:
            try:
                self._ini_lines[source] = Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._ini_lines[source] = []
        pattern = re.compile(rf"^\s*{re.escape(host)}(\s|$)")
        for number, line in enumerate(self._ini_lines[source], start=1):
            if pattern.match(line):
                return number
        return None

    def var(self, host: str, name: str) -> Location | None:
        variables = self.hostvars.get(host, {})
        if name not in variables:
            return None
        value = variables[name]
        # the winning definition; the merged mapping keeps the key object of the first one
        return self.positions.variable(value) or self.key(variables, name) or self._location(value)

    def key(self, mapping: Any, key: Any) -> Location | None:
        known = self.positions.key(mapping, key)  # first: this runs for every key of every topic
        if known is not None:
            return known
        if not isinstance(mapping, Mapping) or key not in mapping:
            return None
        for candidate in mapping:
            if candidate == key:
                where = self._location(candidate)
                if where is not None:
                    return where
                break
        return self._location(mapping[key])

    def from_vault(self, mapping: Any, key: Any) -> bool:
        """Ansible tags what it decrypted: ``VaultedValue`` on an inline ``!vault`` string (and
        on what a template took from one), ``SourceWasEncrypted`` on some values of an
        encrypted file; a value a template took from an encrypted file keeps only its
        ``Origin``, whose file then starts with the vault header."""
        from ansible._internal._datatag._tags import SourceWasEncrypted, VaultedValue

        if not isinstance(mapping, Mapping) or key not in mapping:
            return False
        value = mapping[key]
        if VaultedValue.is_tagged_on(value) or SourceWasEncrypted.is_tagged_on(value):
            return True
        origin = self.origin_type.get_tag(value)
        return origin is not None and bool(origin.path) and self._encrypted_file(origin.path)

    def _encrypted_file(self, path: str) -> bool:
        from ansible.parsing.vault import b_HEADER

        known = self._encrypted.get(path)
        if known is None:
            try:
                with Path(path).open("rb") as handle:
                    known = handle.read(len(b_HEADER)) == b_HEADER
            except OSError:
                known = False
            self._encrypted[path] = known
        return known

    def item(self, sequence: Any, index: int) -> Location | None:
        if not isinstance(sequence, list) or index >= len(sequence):
            return None
        known = self.positions.item(sequence, index)
        if known is not None:
            return known
        return self._location(sequence[index])


def _pick_failure(failures: list[tuple[str, BaseException | None]], source: str) -> BaseException | None:
    """The failure of the plugin that was meant for ``source`` (yaml for .yml, else ini)."""
    wanted = "yaml" if source.endswith((".yml", ".yaml", ".json")) else "ini"
    for text, exception in failures:
        if wanted in text:
            return exception
    return failures[0][1] if failures else None


def import_ansible() -> None:
    """Import the parts of Ansible :func:`load` uses (a worker forked afterwards has them)."""
    os.environ.setdefault("ANSIBLE_DEPRECATION_WARNINGS", "False")
    import ansible.inventory.manager
    import ansible.parsing.dataloader
    import ansible.template
    import ansible.vars.manager  # noqa: F401


#: Read ``group_vars/`` and ``host_vars/`` files with :mod:`kafkalint.loaders.fastvars`
#: (the tests compare it with Ansible's own loader by turning it off).
FAST_VARS = True


def new_data_loader(display: DisplayPath) -> Any:
    """The ``DataLoader`` :func:`load` hands to Ansible."""
    if FAST_VARS:
        from kafkalint.loaders.fastvars import FastDataLoader

        return FastDataLoader(display)
    from ansible.parsing.dataloader import DataLoader

    return DataLoader()


@dataclass
class Resolved:
    """An inventory as Ansible resolves it: its groups of the contract, each host's
    variables as the variable manager returns them (``raw``) and with the ones kafkalint
    reads decrypted and rendered (``hostvars``)."""

    inventory: Any
    groups: dict[str, list[str]]
    raw: dict[str, Mapping[str, Any]]
    hostvars: dict[str, dict[str, Any]]
    positions: Positions


def import_or_explain() -> None:
    """Import Ansible, or say in one line what to install."""
    try:
        import_ansible()
        from ansible._internal._datatag._tags import Origin  # noqa: F401 - 2.19's data tags
    except ImportError:
        raise InputError(
            "--render=ansible needs ansible-core 2.19 or later: pip install 'kafkalint[ansible]'"
        ) from None


def resolve(path: Path, display: DisplayPath, vault: Vault | None = None) -> Resolved:
    """Resolve the Ansible inventory at ``path`` (a directory or a hosts file)."""
    # Ansible reads its configuration at import; keep a user's ansible.cfg but never let
    # its own warnings about unparsable sources reach our output.
    os.environ.setdefault("ANSIBLE_DEPRECATION_WARNINGS", "False")
    from ansible._internal._datatag._tags import Origin
    from ansible.errors import AnsibleError
    from ansible.inventory import manager as manager_module
    from ansible.parsing.vault import VaultLib, VaultSecret
    from ansible.template import Templar
    from ansible.vars.manager import VariableManager

    from kafkalint.loaders import fastvars
    from kafkalint.loaders.render import Renderer

    shown = display(str(path))
    source = str(path.resolve())
    loader = new_data_loader(display)
    # only the password kafkalint was given: never ansible.cfg's, never by running a script
    password = (vault or Vault()).password
    secrets = [("default", VaultSecret(password))] if password is not None else []
    loader.set_vault_secrets(secrets)
    positions = getattr(loader, "positions", None) or fastvars.Positions()
    with _quiet(manager_module) as capture:
        try:
            inventory = manager_module.InventoryManager(loader=loader, sources=[source])
        except AnsibleError as error:
            raise InputError(message(error), error_location(error, Origin, display, shown)) from None
    if capture.failures:
        failure = _pick_failure(capture.failures, source)
        if failure is None:
            raise InputError("Ansible cannot parse this inventory", Location(shown))
        raise InputError(
            f"Ansible cannot parse this inventory: {message(failure)}",
            error_location(failure, Origin, display, shown),
        )
    groups = {
        name: [host.name for host in group.get_hosts()]
        for name, group in inventory.groups.items()
        if name in contract.GROUPS
    }
    if not any(groups.values()):
        raise InputError(
            "the inventory has no hosts in the groups " + ", ".join(f"'{group}'" for group in contract.GROUPS),
            Location(shown),
        )
    variable_manager = VariableManager(loader=loader, inventory=inventory)
    renderer = Renderer(contract.READ_VARIABLES, Origin, display, shown, positions, VaultLib(secrets))
    raw: dict[str, Mapping[str, Any]] = {}
    hostvars: dict[str, dict[str, Any]] = {}
    for host_name in dict.fromkeys(name for members in groups.values() for name in members):
        host = inventory.get_host(host_name)
        try:
            variables = variable_manager.get_vars(host=host, include_hostvars=False)
        except AnsibleError as error:
            raise InputError(message(error), error_location(error, Origin, display, shown)) from None
        raw[host_name] = variables
        hostvars[host_name] = renderer.render(variables, Templar(loader=loader, variables=variables))
    return Resolved(inventory, groups, raw, hostvars, positions)


def load(  # noqa: PLR0917 - the same signature as the static reader's
    path: Path,
    display: DisplayPath,
    kafka_version: KafkaVersion | None,
    environment: str | None = None,
    vault: Vault | None = None,
    notices: list[Notice] | None = None,
) -> Cluster:
    """The cluster of the Ansible inventory at ``path`` (a directory or a hosts file);
    ``notices`` is accepted for the same signature as the static reader's."""
    import_or_explain()
    from ansible._internal._datatag._tags import Origin

    resolved = resolve(path, display, vault)
    locator = _Locator(resolved.inventory, resolved.hostvars, display, Origin, resolved.positions)
    base = path if path.is_dir() else path.parent
    check_contract(
        resolved.hostvars, resolved.groups, locator, base, display(str(base)), list(resolved.inventory.groups)
    )
    name = path.name if path.is_dir() else path.parent.name
    builder = ClusterBuilder(
        name, Location(display(str(path))), resolved.hostvars, resolved.groups, locator, kafka_version, environment
    )
    return _untagged(builder.build())


_PLAIN_SCALARS = frozenset((str, int, float, bool, type(None)))


def plain(value: Any) -> Any:
    """``value`` without Ansible's tagged types (plain ``str``, ``int``, ``dict``, ...), so the
    model holds ordinary Python values that compare, print and pickle as such."""
    if type(value) in _PLAIN_SCALARS:
        return value  # most values: the variables files are read untagged
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _untagged(cluster: Cluster) -> Cluster:
    configs = [
        *(node.config for node in cluster.nodes),
        *(node.config for node in cluster.zookeepers),
        *(topic.config for topic in cluster.topics),
        *(profile.config for profile in cluster.producers),
    ]
    for config in configs:
        for setting in list(config):
            raw = plain(setting.raw)
            if raw is not setting.raw:
                config.set(setting.key, raw, setting.layer, setting.location, from_vault=setting.from_vault)
    for kafka_node in cluster.nodes:
        kafka_node.name = plain(kafka_node.name)
    for topic in cluster.topics:
        topic.name = plain(topic.name)
    for profile in cluster.producers:
        profile.name = plain(profile.name)
        profile.topics = [plain(topic) for topic in profile.topics]
    for node in cluster.zookeepers:
        node.name = plain(node.name)
        node.address = plain(node.address)
    cluster.name = plain(cluster.name)
    return cluster
