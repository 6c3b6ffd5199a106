"""The variables kafkalint reads, as a play would see them: vault-encrypted values decrypted
and Jinja rendered, by Ansible.

Only the variables in ``kafkalint.contract.READ_VARIABLES`` are touched, and only when they hold something to
render: templating a 2,000-topic list that holds no template costs seconds per host and
changes nothing. Values read by :mod:`kafkalint.loaders.fastvars` from a file with no string
that may be a template are known to need nothing (that reader hands files with vault values
to Ansible's loader).

The vault secret is the password kafkalint was given (``--vault-password-file`` or its
environment variables, :mod:`kafkalint.loaders.vault`), never ``ansible.cfg``'s and never a
script's output; kafkalint never prompts. A value it reads that cannot be decrypted is an
input error at that value; a decrypted one is registered with :mod:`kafkalint.redact`, so it
is never printed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafkalint import redact
from kafkalint.errors import InputError
from kafkalint.loaders.ansible_errors import error_location, message
from kafkalint.loaders.fastvars import Positions
from kafkalint.model import Location

DisplayPath = Callable[[str], str]


def _has_template(value: Any) -> bool:
    """Whether ``value`` holds Jinja or a vault-encrypted string anywhere."""
    from ansible.parsing.vault import EncryptedString

    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "{{" in item or "{%" in item or "{#" in item:
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif type(item) is EncryptedString:
            return True
    return False


@dataclass
class Renderer:
    """Renders the variables of one inventory's hosts (see the module docstring)."""

    read: Collection[str]
    origin_type: Any
    display: DisplayPath
    shown: str
    positions: Positions
    vault: Any  # ansible.parsing.vault.VaultLib with the secrets
    _scanned: dict[int, tuple[Any, bool]] = field(default_factory=dict)

    def _needs_rendering(self, value: Any) -> bool:
        """:func:`_has_template`, once per object: the hosts of a group share its values."""
        if not isinstance(value, (Mapping, list)):
            return _has_template(value)
        if self.positions.without_templates(value):
            return False
        known = self._scanned.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        answer = _has_template(value)
        self._scanned[id(value)] = (value, answer)
        return answer

    def render(self, variables: Mapping[str, Any], templar: Any) -> dict[str, Any]:
        """The host's variables with the ones kafkalint reads decrypted and templated (keys
        keep their tags, rendered values the positions of the values they came from)."""
        from ansible.errors import AnsibleError

        result: dict[str, Any] = {}
        for key, value in variables.items():
            if key in self.read and self._needs_rendering(value):
                try:
                    rendered = templar.template(self._decrypted(key, value))
                except AnsibleError as error:
                    where = self._error_location(error, key, value)
                    raise InputError(f"cannot template {key}: {message(error)}", where) from None
                result[key] = self.positions.carry(value, rendered)
            else:
                result[key] = value
        return result

    def _decrypted(self, name: str, value: Any) -> Any:
        """``value`` with its vault-encrypted strings decrypted (containers copied only where
        one was found, so the others keep their identity and positions)."""
        from ansible._internal._datatag._tags import VaultedValue
        from ansible.errors import AnsibleError
        from ansible.module_utils._internal._datatag import AnsibleTagHelper
        from ansible.parsing.vault import EncryptedString, VaultHelper

        if type(value) is EncryptedString:
            try:
                plaintext = self.vault.decrypt(VaultHelper.get_ciphertext(value, with_tags=False))
            except AnsibleError as error:
                origin = self.origin_type.get_tag(value)
                where = Location(self.display(origin.path), origin.line_num) if origin else Location(self.shown)
                raise InputError(
                    f"{name}: cannot decrypt a vault-encrypted value: {message(error)} "
                    "(give --vault-password-file or KAFKALINT_VAULT_PASSWORD_FILE; kafkalint never prompts)",
                    where,
                ) from None
            # VaultedValue, as Ansible's own decryption tags it: the loader tells KL608 the
            # secret came from the vault
            text = plaintext.decode("utf-8", errors="surrogateescape")
            redact.register(text)
            tags = AnsibleTagHelper.tags(value) | {
                VaultedValue(ciphertext=VaultHelper.get_ciphertext(value, with_tags=False))
            }
            return AnsibleTagHelper.tag(text, tags)
        if isinstance(value, Mapping):
            items = {key: self._decrypted(name, item) for key, item in value.items()}
            if all(items[key] is item for key, item in value.items()):
                return value
            copy = AnsibleTagHelper.tag_copy(value, items)
            self.positions.carry(value, copy)
            return copy
        if isinstance(value, list):
            listed = [self._decrypted(name, item) for item in value]
            if all(new is old for new, old in zip(listed, value, strict=True)):
                return value
            copy = AnsibleTagHelper.tag_copy(value, listed)
            self.positions.carry(value, copy)
            return copy
        return value

    def _error_location(self, error: BaseException, key: Any, value: Any) -> Location:
        where = error_location(error, self.origin_type, self.display, "")
        if where.path:
            return where
        known = self.positions.variable(value)
        if known is not None:
            return Location(known.path, known.line)
        origin = self.origin_type.get_tag(key) or self.origin_type.get_tag(value)
        if origin is not None and origin.path:
            return Location(self.display(origin.path), origin.line_num)
        return Location(self.shown)
