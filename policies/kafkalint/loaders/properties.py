"""A Java-properties parser that keeps the line of every key.

It follows ``java.util.Properties.load`` exactly, since that is how Kafka
(``Utils.loadProps``), ZooKeeper (``QuorumPeerConfig``) and most client applications read these
files:

- a *natural line* ends at ``\\n``, ``\\r`` or ``\\r\\n``; a *logical line* continues over a
  natural line that ends in an odd number of backslashes, and the leading whitespace of each
  continuation line is dropped;
- a line whose first non-blank character is ``#`` or ``!`` is a comment (and never continues);
- the key runs up to the first unescaped ``=``, ``:`` or whitespace; whitespace, then at most
  one ``=`` or ``:``, then whitespace separate it from the value;
- escapes: ``\\t \\n \\r \\f``, ``\\uXXXX`` and a backslash before any other character stands
  for that character (so ``a\\=b`` is the key ``a=b``); a malformed ``\\uXXXX`` is an error, as
  in Java;
- a later duplicate key replaces the earlier one.

Files are decoded as ISO-8859-1, the encoding ``Properties.load(InputStream)`` uses, so a
value reads as the broker reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WHITESPACE = " \t\f"
_SEPARATORS = "=:"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_SURROGATE = re.compile("[\ud800-\udfff]")


class PropertiesSyntaxError(ValueError):
    """A malformed escape; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Entry:
    """One key as written: unescaped ``key`` and ``value`` and the line the key starts on."""

    key: str
    value: str
    line: int
    column: int


@dataclass
class Properties:
    """The parsed file: entries in file order (last duplicate wins in :attr:`entries`),
    and the comment lines (for inline suppressions)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    comments: list[tuple[int, str]] = field(default_factory=list)
    #: Keys written more than once, with the lines of the earlier occurrences.
    duplicates: list[Entry] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        return {key: entry.value for key, entry in self.entries.items()}


def _natural_lines(text: str) -> list[str]:
    # str.splitlines would also split on \x0b, \x1c, \u2028 ...; Java splits on \r and \n only.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _ends_with_continuation(line: str) -> bool:
    """Whether a natural line continues: it ends in an odd number of backslashes. Java
    counts them in each natural line alone (a continuation starts the count again), which
    also keeps this linear: the logical line is never rescanned."""
    count = len(line) - len(line.rstrip("\\"))
    return count % 2 == 1


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.)|$)", re.DOTALL)


def _unescape(raw: str, line: int) -> str:
    if "\\" not in raw:
        return raw

    def replace(match: re.Match[str]) -> str:
        digits, char = match.group(1), match.group(2)
        if digits is not None:
            return chr(int(digits, 16))
        if char is None:
            return ""  # a lone trailing backslash (only possible at the end of the file) reads as nothing
        if char == "u":
            shown = raw[match.end() : match.end() + 4]
            raise PropertiesSyntaxError(f"malformed \\uxxxx escape '\\u{shown}'", line)
        return _ESCAPES.get(char, char)

    text = _ESCAPE.sub(replace, raw)
    # Java strings are UTF-16: a character beyond U+FFFF is written as two \\u escapes (a
    # surrogate pair), which read back as that one character.
    if _SURROGATE.search(text):
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _split_key(logical: str) -> tuple[str, str, int]:
    """Split a logical line (leading blanks removed) into raw key, raw value and the offset
    of the value."""
    index = 0
    length = len(logical)
    while index < length:
        char = logical[index]
        if char == "\\":
            index += 2
            continue
        if char in _SEPARATORS or char in _WHITESPACE:
            break
        index += 1
    key_end = min(index, length)
    while index < length and logical[index] in _WHITESPACE:
        index += 1
    if index < length and logical[index] in _SEPARATORS:
        index += 1
        while index < length and logical[index] in _WHITESPACE:
            index += 1
    return logical[:key_end], logical[index:], index


def parse(text: str) -> Properties:
    """Parse properties ``text``; raises :class:`PropertiesSyntaxError` on a bad escape."""
    result = Properties()
    lines = _natural_lines(text)
    number = 0
    while number < len(lines):
        natural = lines[number]
        number += 1
        stripped = natural.lstrip(_WHITESPACE)
        if not stripped:
            continue
        start_line = number
        column = len(natural) - len(stripped) + 1
        if stripped[0] in "#!":
            result.comments.append((start_line, stripped))
            continue
        pieces = [stripped]
        piece = stripped
        while _ends_with_continuation(piece) and number < len(lines):
            pieces[-1] = piece[:-1]
            piece = lines[number].lstrip(_WHITESPACE)
            pieces.append(piece)
            number += 1
        logical = "".join(pieces)
        raw_key, raw_value, _ = _split_key(logical)
        entry = Entry(_unescape(raw_key, start_line), _unescape(raw_value, start_line), start_line, column)
        previous = result.entries.pop(entry.key, None)
        if previous is not None:
            result.duplicates.append(previous)
        result.entries[entry.key] = entry
    return result
