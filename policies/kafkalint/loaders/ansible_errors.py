"""Where an error Ansible raised while reading an inventory points, and what it says."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kafkalint.model import Location

DisplayPath = Callable[[str], str]


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from or during."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


_OFFENDING = (re.compile(r"got: (.+)$"), re.compile(r"'([^']+)'"))


def _guess_line(path: str, chain: list[BaseException]) -> int | None:
    """The line of ``path`` holding the text an error message quotes: Ansible's INI parser
    drops the line number before it raises, but names the offending text."""
    candidates: list[str] = []
    for error in chain:
        for pattern in _OFFENDING:
            candidates.extend(match.strip() for match in pattern.findall(str(error)) if match.strip())
    if not candidates:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for candidate in candidates:
        for number, line in enumerate(lines, start=1):
            if candidate in line:
                return number
    return None


def error_location(error: BaseException, origin_type: Any, display: DisplayPath, fallback: str) -> Location:
    chain = _chain(error)
    origins = []
    for item in chain:
        candidate = getattr(item, "obj", None)
        origin = candidate if isinstance(candidate, origin_type) else origin_type.get_tag(candidate)
        if origin is not None and origin.path:
            origins.append(origin)
    for origin in origins:
        if origin.line_num:
            return Location(display(origin.path), origin.line_num, origin.col_num)
    if origins:
        return Location(display(origins[0].path), _guess_line(origins[0].path, chain))
    return Location(fallback)


def message(error: BaseException) -> str:
    """The most specific line of the messages in ``error``'s chain ("Failed to parse
    inventory" says less than the cause it wraps)."""
    texts = []
    for item in _chain(error):
        text = str(getattr(item, "message", None) or item).strip()
        if text:
            texts.append(text.splitlines()[0].rstrip(".:"))
    if not texts:
        return type(error).__name__
    return max(texts, key=len) if texts[0].endswith("Failed to parse inventory") else texts[0]
