"""The bounds on what kafkalint reads: every input may come from a stranger's pull request.

Each bound is a refusal, not a truncation: the input is an :class:`~kafkalint.errors.InputError`
naming the file and the line where the bound was crossed (exit code 2), so a run never judges
half a file and never hangs or exhausts memory on a crafted one.

- :data:`MAX_FILE_BYTES`: a file larger than this is not read.
- :data:`MAX_YAML_DEPTH`: YAML nesting (libyaml's composer recurses in C: a 100,000-deep flow
  sequence crashes the interpreter, so depth is checked before composing).
- :data:`MAX_ALIAS_EXPANSION`: nodes YAML aliases may add when expanded (an alias bomb of 600
  bytes expands to a billion nodes; kafkalint shares aliased values, but every reader after it
  would walk the expansion).
- :data:`MAX_HOSTS_PER_PATTERN`: hosts an inventory range such as ``kafka[1:100]`` may expand to.
- :data:`MAX_TEMPLATE_OUTPUT`, :data:`MAX_TEMPLATE_DEPTH`, :data:`TEMPLATE_SECONDS`: the safe
  template renderer's output size, depth of variables referring to variables, and time per value
  (a template over a bound is left unrendered, with the reason, not refused).
- :data:`MAX_VAULT_VALUES`: vault-encrypted values decrypted per run (each costs a key
  derivation of 10,000 PBKDF2 rounds).
- :data:`MAX_PATTERN_LENGTH`: a regular expression given in a rule's options.
"""

from __future__ import annotations

from kafkalint.errors import InputError
from kafkalint.model import Location

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_YAML_DEPTH = 100
MAX_ALIAS_EXPANSION = 1_000_000
MAX_HOSTS_PER_PATTERN = 10_000
MAX_TEMPLATE_OUTPUT = 256 * 1024
MAX_TEMPLATE_DEPTH = 32
TEMPLATE_SECONDS = 1.0
MAX_VAULT_VALUES = 2_000
MAX_PATTERN_LENGTH = 1_000


class LimitError(InputError):
    """Input refused because it crosses one of the bounds above (always exit 2, never skipped)."""


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def check_size(data: bytes, shown: str) -> None:
    """Refuse ``data`` (the contents of file ``shown``) when it is over :data:`MAX_FILE_BYTES`;
    the location is the line where the bound is crossed."""
    if len(data) > MAX_FILE_BYTES:
        line = data[:MAX_FILE_BYTES].count(b"\n") + 1
        raise LimitError(
            f"the file is larger than kafkalint reads ({_size(len(data))}, the limit is {_size(MAX_FILE_BYTES)})",
            Location(shown, line),
        )


def read_bytes(path: str, shown: str) -> bytes:
    """The contents of ``path`` (shown as ``shown``), refused when over :data:`MAX_FILE_BYTES`
    before more than that is read."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a bounded read needs the handle
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", Location(shown)) from None
    check_size(data, shown)
    return data
