"""Inline suppression: a comment in the YAML or properties file that names the rule and says
why the finding is acceptable here::

    # kafkalint: disable=KL101 -- single-AZ lab cluster, writes may block during restarts
    min.insync.replicas: 3

    min.insync.replicas: 3  # kafkalint: disable=KL101,KL212 -- reason (YAML only)

The comment applies to findings on its own line (YAML trailing comments) or, standing alone,
to the line below it; several suppression comments may be stacked above one line. In
``.properties`` and ``zoo.cfg`` files only whole-line comments (``#`` or ``!``) count, because
Java properties have no trailing comments (``key=value # x`` is the value ``value # x``).

``disable-file=`` applies to every finding of the file, including those that have no line
(a key the file lacks, such as an unset ``auto.create.topics.enable``, is reported at the
file)::

    # kafkalint: disable-file=KL107 -- a single-broker lab; topics are created by the tests

A suppression without a reason (`` -- why``) does not suppress anything: the finding still
counts, and rule KL004 reports the bare suppression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kafkalint import facts
from kafkalint.findings import Finding

_MARK = "kafkalint:"
_DIRECTIVE = re.compile(
    r"kafkalint:\s*disable(?P<file>-file)?\s*=\s*(?P<ids>[A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)(?P<rest>.*)$"
)
_REASON = re.compile(r"^\s*--\s*(?P<reason>\S.*?)\s*$")
_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Suppression:
    """One ``kafkalint: disable=`` comment. ``alone`` when the comment is the whole line
    (it then applies to the next non-suppression line); ``reason`` empty when missing;
    ``whole_file`` for ``disable-file=``, which applies to every finding of the file."""

    path: str
    line: int
    column: int
    rule_ids: frozenset[str]
    reason: str
    alone: bool
    whole_file: bool = False


def _comment_start(line: str, yaml: bool) -> int | None:
    """Index of the comment character that starts the suppression comment, if any."""
    stripped = line.lstrip()
    if stripped[:1] in ("#", "!") and (stripped[0] == "#" or not yaml):
        return len(line) - len(stripped)
    if not yaml:
        return None
    # YAML: a comment starts at a '#' that opens the line or follows whitespace.
    position = line.find("#")
    while position != -1:
        if position == 0 or line[position - 1] in " \t":
            return position
        position = line.find("#", position + 1)
    return None


def parse(text: str, path: str) -> list[Suppression]:
    """Every suppression comment of a file's ``text``."""
    if _MARK not in text:
        return []
    yaml = path.lower().endswith(_YAML_SUFFIXES)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _MARK not in line:
            continue
        start = _comment_start(line, yaml)
        if start is None:
            continue
        match = _DIRECTIVE.search(line, start)
        if match is None:
            continue
        ids = frozenset(item.strip().upper() for item in match["ids"].split(","))
        reason_match = _REASON.match(match["rest"])
        reason = reason_match["reason"] if reason_match else ""
        alone = not line[:start].strip()
        found.append(Suppression(path, number, start + 1, ids, reason, alone, bool(match["file"])))
    return found


@lru_cache(maxsize=4096)
def _scan_cached(path: str, _stamp: tuple[int, int]) -> tuple[Suppression, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    return tuple(parse(text, path))


def scan(path: str) -> tuple[Suppression, ...]:
    """The suppressions in the file at ``path`` (none when it cannot be read: the loader
    reports unreadable input, this module never does)."""
    try:
        status = Path(path).stat()
    except OSError:
        return ()
    return _scan_cached(path, (status.st_mtime_ns, status.st_size))


class Index:
    """Answers whether a finding is suppressed, reading each file at most once."""

    def __init__(self) -> None:
        self._by_path: dict[str, dict[int, frozenset[str]]] = {}

    def _lines(self, path: str) -> dict[int, frozenset[str]]:
        """Line -> rule ids suppressed (with a reason) on that line; line 0 holds the ids
        suppressed in the whole file."""
        lines = self._by_path.get(path)
        if lines is not None:
            return lines
        lines = {}
        suppressions = [item for item in scan(path) if item.reason]
        alone_lines = {item.line for item in scan(path) if item.alone}
        for item in suppressions:
            if item.whole_file:
                lines[0] = lines.get(0, frozenset()) | item.rule_ids
                continue
            target = item.line
            if item.alone:
                # Applies to the first line below the stack of suppression comments.
                target = item.line + 1
                while target in alone_lines:
                    target += 1
            for line in {item.line, target}:
                lines[line] = lines.get(line, frozenset()) | item.rule_ids
        self._by_path[path] = lines
        return lines

    def suppressed(self, finding: Finding) -> bool:
        if finding.location.path.startswith("<"):
            return False
        lines = self._lines(finding.location.path)
        rule_id = finding.rule_id.upper()
        if rule_id in lines.get(0, frozenset()):
            return True
        line = finding.location.line
        return line is not None and rule_id in lines.get(line, frozenset())


def model_paths(model: Any) -> list[str]:
    """Every source file the model was read from (locations that name a real file), in the
    order first met (once per run: the engine and KL004 ask)."""
    return facts.memo(model, "model-paths", lambda: _model_paths(model))


def _model_paths(model: Any) -> list[str]:
    seen: dict[str, None] = {}
    for cluster in model.clusters:
        seen[cluster.source.path] = None
        # topics and profiles of one shape name the same files (kafkalint.facts): one of each
        producers = [shape.first for shape in facts.producer_shapes(cluster)]
        topics = [shape.first for shape in facts.topic_shapes(cluster)]
        for group in (cluster.nodes, cluster.zookeepers, producers, cluster.consumers, topics):
            paths = {item.location.path for item in group} | {item.config.location.path for item in group}
            paths |= {setting.location.path for item in group for setting in item.config.settings.values()}
            paths |= {
                location.path
                for topic in group
                for location in (
                    getattr(topic, "partitions_location", None),
                    getattr(topic, "replication_factor_location", None),
                )
                if location is not None
            }
            seen.update(dict.fromkeys(sorted(paths)))
    return [path for path in seen if not path.startswith("<") and Path(path).is_file()]


def bare(paths: Iterable[str]) -> Iterator[Suppression]:
    """The suppressions without a reason in ``paths`` (rule KL004 reports them)."""
    for path in paths:
        for item in scan(path):
            if not item.reason:
                yield item
