"""Session-wide reporting: the corpus figures (tests/test_corpus.py) and the fuzz count
(tests/test_fuzz.py) are printed at the end of every run that includes those tests, passed or
failed. And how the tests share pytest-xdist's workers (``make unit`` runs ``-n auto --dist
loadscope``)."""

from __future__ import annotations

from typing import Any

import pytest

#: Modules whose tests share an expensive session fixture (a loopback broker, the compiled Java
#: client): each group runs on one worker, so that the broker starts once, as in a serial run.
#: A module missing here still passes; its broker then starts once more on the other worker.
SHARED_ON_ONE_WORKER = {
    "tests/topics/test_topics_module_live.py": "dev-broker",
    "tests/topics/test_topics_playbook_live.py": "dev-broker",
    "tests/topics/test_topics_producer_live.py": "dev-broker",
    "tests/security/test_secure_broker.py": "secure-broker",
    "tests/security/test_secure_playbooks.py": "secure-broker",
}

#: The longest groups (``--durations``: three quarters of a serial run together), handed out
#: first so that no worker is left running one of them alone at the end. Only the order
#: depends on this list.
LONGEST_FIRST = (
    "tests/security/test_kafka_tls_role.py",
    "secure-broker",
    "tests/effective/test_rendered_equals_judged.py",
    "tests/roles/test_role_rendering.py",
    "dev-broker",
)

#: user_properties name -> the section the terminal summary prints it under (the last value
#: reported: a worker's reports reach the summary as a serial run's do).
SUMMARIES = {"corpus": "kafkalint on the shared corpus", "fuzz": "fuzz"}


def worker_group(nodeid: str) -> str:
    """The unit of work a test belongs to under pytest-xdist: its module (module-scoped
    fixtures are built once, and tests that build on the one before, as the TLS role's
    renewal after its first run, keep doing so), or its group of :data:`SHARED_ON_ONE_WORKER`."""
    module = nodeid.split("::", 1)[0]
    return SHARED_ON_ONE_WORKER.get(module, module)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: a run without it still works
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadscope`` by :func:`worker_group` (pytest-xdist's ``loadgroup`` marks do not
    reach its scheduler with pytest 9: it renames test ids through an attribute pytest no
    longer reads)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByWorkerGroup(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return ByWorkerGroup(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker, the groups of :data:`LONGEST_FIRST` first (the scheduler hands
    groups out in the workers' collection order; the sort is stable, so the order within a
    group, and of every other group, stays the collection's)."""
    if not hasattr(config, "workerinput"):
        return
    rank = {group: index for index, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(worker_group(item.nodeid), len(rank)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    found: dict[str, str] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, text in getattr(report, "user_properties", ()):
                if name in SUMMARIES:
                    found[name] = str(text)
    for name, text in found.items():
        terminalreporter.section(SUMMARIES[name])
        terminalreporter.write_line(text)
