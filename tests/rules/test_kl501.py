"""Rule KL501 on models built in Python (its fixtures: tests/fixtures/rules/KL501/)."""

from __future__ import annotations

import pytest
from rulekit import Builder, run

from kafkalint.findings import Severity

CONTROLLER = {"listeners": "CONTROLLER://:9093", "controller.listener.names": "CONTROLLER"}


def quorum(size: int, *, production: bool = True, complete: bool = True, static: bool = True) -> Builder:
    """``complete=False``: loose files, whose environment nobody stated."""
    builder = Builder(complete=complete, production=production if complete else None)
    voters = ",".join(f"{n}@c{n}:9093" for n in range(1, size + 1))
    key = "controller.quorum.voters" if static else "controller.quorum.bootstrap.servers"
    value = voters if static else ",".join(f"c{n}:9093" for n in range(1, size + 1))
    for n in range(1, size + 1):
        builder.kraft(f"c{n}", "controller", {"node.id": n, key: value, **CONTROLLER})
    return builder


@pytest.mark.parametrize(
    ("size", "production", "severity"),
    [(2, True, Severity.ERROR), (2, False, None), (4, True, None), (1, True, None), (6, False, None)],
)
def test_kl501_sizes_that_are_findings(size: int, production: bool, severity: Severity | None) -> None:
    findings = run("KL501", quorum(size, production=production))
    assert len(findings) == 1
    assert findings[0].severity is severity
    assert findings[0].message.startswith(f"controller quorum of {size} voter")


@pytest.mark.parametrize(("size", "production"), [(1, False), (3, True), (5, True)])
def test_kl501_sizes_that_are_fine(size: int, production: bool) -> None:
    assert run("KL501", quorum(size, production=production)) == []


def test_kl501_loose_files_do_not_escalate() -> None:
    """A loose file does not say it is production: two voters are a warning, one nothing."""
    two = run("KL501", quorum(2, complete=False, production=None))
    assert [finding.severity for finding in two] == [None]
    assert run("KL501", quorum(1, complete=False, production=None)) == []


def test_kl501_dynamic_quorum_counts_the_inventory_controllers_only() -> None:
    assert [finding.severity for finding in run("KL501", quorum(2, static=False))] == [Severity.ERROR]
    assert run("KL501", quorum(2, static=False, complete=False, production=None)) == []


def test_kl501_combined_nodes_in_production() -> None:
    builder = quorum(3)
    voters = "1@c1:9093,2@c2:9093,3@c3:9093"
    builder.kraft("k1", "broker,controller", {"node.id": 1, "controller.quorum.voters": voters}, process_roles=900)
    builder.kraft("k2", "broker,controller", {"node.id": 2, "controller.quorum.voters": voters}, process_roles=900)
    findings = run("KL501", builder)
    assert [finding.subject for finding in findings] == ["nodes k1 and k2"]
    assert findings[0].location.line == 900
    development = quorum(3, production=False)
    development.kraft("k1", "broker,controller", {"node.id": 1, "controller.quorum.voters": voters})
    assert run("KL501", development) == []
