"""What kafkalint prints about input it did not write: escaped, truncated, secrets removed.

A file name, a key or a value comes from whoever wrote the input, and kafkalint's report goes
to terminals and CI logs that interpret some characters: a newline followed by
``::add-mask::`` or ``::error::`` is a GitHub Actions workflow command, an escape sequence
drives the terminal. So:

- :func:`printable` writes control characters (C0, DEL, C1, the Unicode line and paragraph
  separators and the bidirectional overrides) as visible escapes (``\\r``, ``\\x1b``, ``\\u2028``);
- :func:`quote` quotes a value for a message and truncates it (:data:`QUOTE_LIMIT` characters);
- :func:`scrub` replaces every secret the run decrypted (:func:`register`: vault values) with
  ``<vault value>``, wherever a rule or an error message quoted it.

The CLI passes everything it prints through :func:`printable` and :func:`scrub`.
"""

from __future__ import annotations

import re
from typing import Any

QUOTE_LIMIT = 60
#: Messages are cut beyond this (a rule that quotes a whole value still prints one line).
MESSAGE_LIMIT = 1_000
REDACTED = "<vault value>"

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Secrets shorter than this are only removed where quoted (a one-letter password would
#: otherwise blank every message).
_SHORT = 4

_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control characters written as escapes. ``keep_newlines`` keeps ``\\n``
    (for text that is several lines by design, each of which was escaped already)."""
    if keep_newlines:
        return "\n".join(printable(line) for line in text.split("\n"))
    return _CONTROL.sub(_escape, text)


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``value`` quoted for a message (``repr`` of text), escaped and cut to ``limit``
    characters with the full length said."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        shown = repr(text[:limit])[:-1] + "..." + repr(text)[-1]
        return f"{printable(shown)} ({len(text)} characters)"
    return printable(repr(text) if isinstance(value, str) else text)


def truncate(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def register(secret: str) -> None:
    """Remember a decrypted secret: :func:`scrub` removes it from whatever is printed."""
    global _pattern  # noqa: PLW0603 - one registry per process, filled while reading
    if secret and secret.strip():
        _secrets.add(secret)
        _pattern = None


def is_secret(text: str) -> bool:
    """Whether ``text`` is a secret this run decrypted."""
    return text in _secrets


def secrets() -> frozenset[str]:
    return frozenset(_secrets)


def forget() -> None:
    """Drop the registered secrets (the tests run many inputs in one process)."""
    global _pattern  # noqa: PLW0603
    _secrets.clear()
    _pattern = None


def _compiled() -> re.Pattern[str] | None:
    global _pattern  # noqa: PLW0603
    if _pattern is None and _secrets:
        pieces = []
        for secret in sorted(_secrets, key=len, reverse=True):
            escaped = re.escape(secret)
            written = repr(secret)[1:-1]  # as repr() writes it in a message
            if len(secret) >= _SHORT:
                pieces.append(escaped)
                if written != secret:
                    pieces.append(re.escape(written))
            else:
                pieces.append(f"(?<=['\"]){re.escape(written)}(?=['\"])")
        _pattern = re.compile("|".join(pieces))
    return _pattern


def scrub(text: str) -> str:
    """``text`` without the registered secrets."""
    pattern = _compiled()
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def safe(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` ready to print: secrets removed, control characters escaped, length bounded."""
    return printable(truncate(scrub(text)), keep_newlines=keep_newlines)
