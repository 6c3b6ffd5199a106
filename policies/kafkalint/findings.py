"""Findings: what a rule reports, and the severities that order them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kafkalint.model import Location


class Severity(enum.IntEnum):
    """Ordered so that ``finding.severity >= fail_on`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One violation: which rule, how bad, what to change and where.

    ``subject`` names what the finding concerns ("broker kafka1", "topic orders",
    "profile orders-service", "zookeeper"), ``hint`` says how to fix it.
    A rule leaves ``severity`` as ``None`` to use its ``SEVERITY``; the engine fills it in
    (and applies per-rule levels from the configuration).
    """

    rule_id: str
    message: str
    location: Location
    subject: str = ""
    hint: str = ""
    severity: Severity | None = None
