"""Fixtures for the CLI tests: a small, fixed rule set and files to lint.

The CLI tests check the command, not the rules: they run with three stand-in rules (real
ids, so configuration files naming them validate) whose conditions are trivial, so a change in
a real rule's wording never breaks a CLI test. KL004 is the real rule: suppression is the
engine's business and is tested through it.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kafkalint import engine

# The shared helper (clikit.py) sits beside this file; importlib import mode does not put it on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules import Rule


def _rule(
    rule_id: str, name: str, severity: Severity, check: Callable[[Model, Mapping[str, Any]], Iterator[Finding]]
) -> Rule:
    module = types.ModuleType(f"fake_{rule_id.lower()}")
    module.check = check  # type: ignore[attr-defined]
    doc = f"Stand-in {rule_id} for the CLI tests.\n\n**Why.** Tests.\n"
    return Rule(rule_id, name, severity, doc, module)


def _min_isr_three(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for broker in cluster.brokers:
            setting = broker.config.explicit("min.insync.replicas")
            if setting is not None and str(setting.raw).strip() == str(options.get("forbidden", 3)):
                yield Finding("KL101", "min.insync.replicas is 3", setting.location, f"broker {broker.name}", "use 2")


def _auto_create(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for broker in cluster.brokers:
            setting = broker.config.explicit("auto.create.topics.enable")
            if setting is not None and str(setting.raw).strip().lower() == "true":
                yield Finding("KL107", "auto.create.topics.enable is true", setting.location, f"broker {broker.name}")


def _request_timeout(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for producer in cluster.producers:
            setting = producer.config.explicit("request.timeout.ms")
            if setting is not None:
                yield Finding("KL214", "request.timeout.ms is set", setting.location, f"profile {producer.name}")


def _kl004() -> Rule:
    from kafkalint.rules import kl004_suppression_without_reason as module

    return Rule(module.ID, module.NAME, module.SEVERITY, module.__doc__ or "", module)


FAKE_RULES: tuple[Rule, ...] = (
    _rule("KL101", "min-isr-equals-rf", Severity.ERROR, _min_isr_three),
    _rule("KL107", "auto-create-topics", Severity.WARNING, _auto_create),
    _rule("KL214", "request-timeout", Severity.INFO, _request_timeout),
    _kl004(),
)


RuleFactory = Callable[[str, str, Severity, Callable[[Model, Mapping[str, Any]], Iterator[Finding]]], Rule]


@pytest.fixture
def make_rule() -> RuleFactory:
    """Builds a stand-in rule from an id, a name, a severity and a check function."""
    return _rule


@pytest.fixture
def rule_set() -> tuple[Rule, ...]:
    """The stand-in rules, without installing them."""
    return FAKE_RULES


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> tuple[Rule, ...]:
    """The CLI runs with :data:`FAKE_RULES` instead of the registry."""
    monkeypatch.setattr(engine, "load_rules", lambda: engine.order(FAKE_RULES))
    return FAKE_RULES


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: no configuration file of the repository applies."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


BROKER = """\
broker.id=1
zookeeper.connect=zk1:2181
log.dirs=/var/lib/kafka
min.insync.replicas=3
auto.create.topics.enable=true
"""

PRODUCER = """\
bootstrap.servers=kafka1:9092
acks=all
request.timeout.ms=30000
"""


@pytest.fixture
def broker_file(workdir: Path) -> Path:
    path = workdir / "server.properties"
    path.write_text(BROKER)
    return path


@pytest.fixture
def clean_file(workdir: Path) -> Path:
    path = workdir / "clean" / "server.properties"
    path.parent.mkdir()
    path.write_text("broker.id=1\nzookeeper.connect=zk1:2181\nlog.dirs=/var/lib/kafka\nmin.insync.replicas=2\n")
    return path
