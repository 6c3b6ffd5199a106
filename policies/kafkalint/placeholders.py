"""Values that cannot be judged: placeholders of a template or a deployment tool.

A value such as ``{{ kafka_broker_id }}``, ``${KAFKA_HEAP}``, ``%BROKER_ID%`` or ``<your-host>``
is not the value Kafka will read: something replaces it first (Jinja, envsubst, a Windows
script, a person following a README). kafkalint does not guess what it becomes: the schema pass
reports it as KL005 instead of KL001, and :meth:`kafkalint.model.ConfigMap.get` reads it as
unknown, so no other rule judges it. ``${provider:path:key}`` is Kafka's own config-provider
reference (KIP-297), resolved by the broker or client at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: (kind, pattern), the first that matches names the placeholder.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a whole expression, or the opening of one a line break or a comma cut off
    ("Jinja expression", re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{.*|\{%.*", re.DOTALL)),
    ("config provider reference", re.compile(r"\$\{[A-Za-z0-9_.-]+:[^}]*\}")),
    ("environment variable", re.compile(r"\$\{[^}\s]+\}")),
    ("Windows variable", re.compile(r"%[A-Za-z_][A-Za-z0-9_]*%")),
    ("placeholder in angle brackets", re.compile(r"<[A-Za-z][A-Za-z0-9 _.:/@-]*>")),
)
_PROVIDER = re.compile(r"\$\{([A-Za-z0-9_.-]+):")
_MARKS = re.compile(r"[{%<$]")


@dataclass(frozen=True)
class Placeholder:
    """What kind of placeholder a text holds, and the placeholder itself."""

    kind: str
    text: str

    @property
    def provider(self) -> str | None:
        """The config provider a ``${provider:path:key}`` reference names."""
        match = _PROVIDER.match(self.text)
        return match.group(1) if match and self.kind == "config provider reference" else None


def _text(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (list, tuple)):
        return ",".join(str(item) for item in raw if isinstance(item, str)) or None
    return None


def find(raw: Any) -> Placeholder | None:
    """The first placeholder in ``raw`` (a string or a list of strings), ``None`` if it has none."""
    # the common case first: rules read every value through here
    text = raw if type(raw) is str else _text(raw)
    if not text or not _MARKS.search(text):
        return None
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return Placeholder(kind, match.group(0))
    return None


def unresolved(setting: Any) -> str | None:
    """Why ``setting`` (a :class:`kafkalint.model.Setting`) cannot be judged: the loader's
    reason, or the placeholder its value holds; ``None`` when it can be judged."""
    reason: str | None = getattr(setting, "unresolved", None)
    if reason:
        return reason
    found = find(getattr(setting, "raw", None))
    return None if found is None else f"{found.text} is a {found.kind}"
