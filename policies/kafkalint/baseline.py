"""Baselines: adopt kafkalint on an estate that already has findings.

``kafkalint --write-baseline kafkalint-baseline.json PATH...`` records every current finding;
``kafkalint --baseline kafkalint-baseline.json PATH...`` then reports only findings that are
not in it. A finding is identified by its rule id, path, subject and message, never its line
number, so edits elsewhere in a file do not bring baselined findings back. Identical findings
are counted: a baseline holding one finding absorbs one occurrence, and a second identical
finding is reported.

Paths in the file are relative to the baseline file's directory, so the baseline keeps
working from any working directory and in any clone. File format::

    {"kafkalint_baseline": 1,
     "findings": [{"rule_id": "KL101", "path": "inventories/prod/group_vars/kafka_broker.yml",
                   "subject": "topic orders", "message": "...", "fingerprint": "5f0c..."}]}

``fingerprint`` is informative (the same value the JSON and SARIF reports carry); matching
uses the four fields, so a hand-edited entry cannot disagree with its fingerprint.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from kafkalint.errors import InputError
from kafkalint.findings import Finding
from kafkalint.model import Location

FORMAT_VERSION = 1

Key = tuple[str, str, str, str]


def identity(finding: Finding, path: str) -> Key:
    """What identifies ``finding`` when its file is written as ``path``. Messages and subjects
    often name the file (``broker ../server.properties``); that mention is rewritten to
    ``path`` too, so a baseline works whichever directory kafkalint runs from."""
    subject, message = finding.subject, finding.message
    shown = finding.location.path
    if shown != path and len(shown) > 2:
        subject, message = subject.replace(shown, path), message.replace(shown, path)
    return (finding.rule_id, path, subject, message)


def fingerprint(finding: Finding, path: str) -> str:
    """A stable id of ``finding`` with its path written as ``path``."""
    text = "\0".join(identity(finding, path))
    import hashlib  # kept off the start-up path (OpenSSL's import is a noticeable part of it)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _absolute(path: str | Path) -> str:
    """Absolute and normalised, symlinks kept (paths are compared as the user wrote them)."""
    return os.path.normpath(Path(path).absolute())


def _relative(path: str, root: str) -> str:
    if path.startswith("<"):
        return path
    try:
        return PurePath(os.path.relpath(_absolute(path), root)).as_posix()
    except ValueError:  # another drive on Windows
        return PurePath(_absolute(path)).as_posix()


@dataclass
class Baseline:
    """The accepted findings; ``root`` is the directory their paths are relative to."""

    root: str
    entries: Counter[Key] = field(default_factory=Counter)

    def key(self, finding: Finding) -> Key:
        return identity(finding, _relative(finding.location.path, self.root))

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """Split ``findings`` into (new, baselined)."""
        remaining = Counter(self.entries)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            key = self.key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known

    def __len__(self) -> int:
        return sum(self.entries.values())


def load(path: str) -> Baseline:
    """Read a baseline file; :class:`InputError` (file and line) when it cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror or exc}", Location(path)) from None
    except UnicodeDecodeError:
        raise InputError("baseline is not UTF-8 text", Location(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline is not valid JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)) from None
    if not isinstance(data, dict) or data.get("kafkalint_baseline") != FORMAT_VERSION:
        raise InputError(
            f'not a kafkalint baseline (expected a JSON object with "kafkalint_baseline": {FORMAT_VERSION}); '
            "write one with --write-baseline",
            Location(path, 1),
        )
    items = data.get("findings")
    if not isinstance(items, list):
        raise InputError('baseline has no "findings" list', Location(path, 1))
    baseline = Baseline(str(Path(_absolute(path)).parent))
    for index, item in enumerate(items):
        fields = ("rule_id", "path", "subject", "message")
        if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in fields):
            raise InputError(f"baseline entry {index + 1} needs the string fields {', '.join(fields)}", Location(path))
        baseline.entries[(item["rule_id"], item["path"], item["subject"], item["message"])] += 1
    return baseline


def dumps(findings: Iterable[Finding], path: str) -> str:
    """The baseline file text accepting ``findings``, for a file written at ``path``."""
    root = str(Path(_absolute(path)).parent)
    entries = []
    for finding in findings:
        rule_id, relative, subject, message = identity(finding, _relative(finding.location.path, root))
        entries.append(
            {
                "rule_id": rule_id,
                "path": relative,
                "subject": subject,
                "message": message,
                "fingerprint": fingerprint(finding, relative),
            }
        )
    entries.sort(key=lambda entry: (entry["path"], entry["rule_id"], entry["subject"], entry["message"]))
    return json.dumps({"kafkalint_baseline": FORMAT_VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write(findings: Iterable[Finding], path: str) -> int:
    """Write the baseline; returns how many findings it holds. :class:`InputError` when the
    file cannot be written."""
    accepted = list(findings)
    text = dumps(accepted, path)
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write baseline: {exc.strerror or exc}", Location(path)) from None
    return len(accepted)
