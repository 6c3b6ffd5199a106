"""Fixtures for the live-cluster proofs (``pytest -m live tests/live``).

The cluster is the one ``inventories/local`` describes (override with ``KAFKA_IAC_INVENTORY``),
brought up by ``make cluster``; the KRaft proofs in ``tests/live/kraft`` run on the one
``inventories/kraft`` describes (``KAFKA_IAC_KRAFT_INVENTORY``), brought up by
``make kraft-cluster``. When it is not there, every live test FAILS with the reason:
a proof that did not run must not look like a proof that passed. Tests not marked ``live``
never use these fixtures, so ``pytest -m "not live"`` does not touch the cluster.

Each test records its measured figures with the ``figures`` fixture; they are printed in the
terminal summary and written to ``out/live-results.json`` for the README and docs/proofs.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The support module sits beside this file; importlib import mode does not put it on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_cluster import FIGURES, REPO, Cluster, Figures, session_cluster

RESULTS_FILE = REPO / "out" / "live-results.json"

_outcomes: dict[str, dict[str, Any]] = {}
_session_started = time.monotonic()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The ZooKeeper-mode live cluster (tests/live/kraft overrides this with the KRaft one)."""
    inventory = Path(os.environ.get("KAFKA_IAC_INVENTORY") or REPO / "inventories" / "local")
    yield from session_cluster(
        inventory,
        tmp_path_factory.mktemp("live"),
        "`make cluster` (scripts/testhosts.py up; ansible-playbook -i inventories/local playbooks/site.yml)",
    )


@pytest.fixture(autouse=True)
def _delete_test_topics(request: pytest.FixtureRequest) -> Iterator[None]:
    """Delete the topics a test created when it ends: a leftover topic (say, min ISR 4 on RF 3)
    would make later health checks and the rolling restart's pre-check see a sick cluster."""
    yield
    if "cluster" in request.fixturenames:
        live: Cluster = request.getfixturevalue("cluster")
        if live.touched:
            live.restore()
        live.delete_created_topics()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    return Figures(request.node.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Outcome and duration (setup, call and teardown together: restoring the cluster is part
    of what a test costs) of every live test."""
    entry = _outcomes.setdefault(report.nodeid, {"outcome": "passed", "duration_s": 0.0})
    entry["duration_s"] = round(entry["duration_s"] + report.duration, 1)
    if report.outcome == "failed" or (report.when == "call" and report.outcome != "passed"):
        entry["outcome"] = "failed" if report.outcome == "failed" else report.outcome


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _outcomes:
        return
    terminalreporter.section("live-cluster figures")
    for nodeid, outcome in _outcomes.items():
        name = nodeid.rsplit("::", 1)[-1]
        terminalreporter.write_line(f"{name}: {outcome['outcome']} in {outcome['duration_s']} s")
        for key, value in FIGURES.get(nodeid, {}).items():
            terminalreporter.write_line(f"    {key}: {value}")
    total = round(time.monotonic() - _session_started, 1)
    terminalreporter.write_line(f"live suite wall time: {total} s; figures in {RESULTS_FILE.relative_to(REPO)}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Merge this session's results into out/live-results.json: a run of some tests updates
    their entries and keeps the others (each entry says when it was measured)."""
    if not _outcomes:
        return
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        previous = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
        tests: dict[str, Any] = dict(previous.get("tests", {}))
    except (OSError, ValueError, AttributeError):
        tests = {}
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for nodeid, outcome in _outcomes.items():
        tests[nodeid] = {**outcome, "measured": now, "figures": FIGURES.get(nodeid, {})}
    payload = {
        "last_session": {
            "finished": now,
            "tests": len(_outcomes),
            "failed": sum(1 for outcome in _outcomes.values() if outcome["outcome"] != "passed"),
            "seconds": round(time.monotonic() - _session_started, 1),
        },
        "tests": dict(sorted(tests.items())),
    }
    RESULTS_FILE.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
