"""The index a run shares (kafkalint.facts): shapes join only what no verdict can tell apart,
and every rule finds the same with the index as when it judges every topic and profile itself."""

from __future__ import annotations

import sys
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import rulekit
from rulekit import Builder

import test_rule_fixtures as fixtures
from kafkalint import cli, engine, facts
from kafkalint.model import ConfigMap, Location, ProducerProfile, Setting, Topic

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"


def _topic(name: str, line: int, settings: list[Setting], path: str = "topics.yml", rf: int | None = 3) -> Topic:
    config = ConfigMap("topic", location=Location(path, line))
    config.settings = {setting.key: setting for setting in settings}
    return Topic(name, 3, rf, config, Location(path, line), replication_factor_location=Location(path, line + 1))


def _setting(line: int, **changes: Any) -> Setting:
    return Setting("retention.ms", 3600000, "inventory", Location("topics.yml", line))._replace(**changes)


def _shapes(*topics: Topic) -> list[list[int]]:
    builder = Builder()
    builder.cluster.topics.extend(topics)
    return [shape.positions for shape in facts.topic_shapes(builder.cluster)]


def test_topics_that_differ_in_names_and_lines_share_a_shape() -> None:
    first = _topic("a", 10, [_setting(11)])
    second = _topic("b", 20, [_setting(21)])
    assert _shapes(first, second) == [[0, 1]]


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if value is None:
        return "something"
    if isinstance(value, int):
        return value + 1
    return f"{value}-other"


@pytest.mark.parametrize("name", Setting._fields)
def test_every_setting_field_tells_shapes_apart(name: str) -> None:
    """A field added to Setting is part of the shape without anyone listing it; of the
    location only the file counts."""
    base = _setting(11)
    if name == "location":
        other_line = _topic("b", 20, [base._replace(location=Location("topics.yml", 99))])
        other_file = _topic("c", 30, [base._replace(location=Location("other.yml", 11))])
        assert _shapes(_topic("a", 10, [base]), other_line, other_file) == [[0, 1], [2]]
        return
    changed = base._replace(**{name: _other(getattr(base, name))})
    assert _shapes(_topic("a", 10, [base]), _topic("b", 20, [changed])) == [[0], [1]]


def test_the_fields_the_shapes_know() -> None:
    """A new field of a topic, a profile or a config must be added to the shape (or left out
    on purpose, as names, lines and a profile's topics are): this test names them."""
    assert [item.name for item in fields(Topic)] == [
        "name",
        "partitions",
        "replication_factor",
        "config",
        "location",
        "partitions_location",
        "replication_factor_location",
    ]
    assert [item.name for item in fields(ProducerProfile)] == ["name", "topics", "config", "location"]
    assert [item.name for item in fields(ConfigMap)] == ["kind", "version", "settings", "location"]


def test_topic_fields_tell_shapes_apart() -> None:
    base = _topic("a", 10, [_setting(11)])
    variants = [
        replace(base, name="b", replication_factor=1),
        replace(base, name="c", partitions=12),
        replace(base, name="d", replication_factor_location=None),
        replace(base, name="e", location=Location("other.yml", 10)),
        replace(base, name="f", config=replace(base.config, location=Location("other.yml", 10))),
    ]
    assert _shapes(base, *variants) == [[0], [1], [2], [3], [4], [5]]


def test_unhashable_values_are_judged_alone_and_order_is_kept() -> None:
    listed = [_setting(11, key="cleanup.policy", raw=["compact", "delete"])]
    topics = [
        _topic("a", 10, [_setting(11)]),
        _topic("b", 20, listed),
        _topic("c", 30, [_setting(31, raw=1)]),
        _topic("d", 40, listed),
        _topic("e", 50, [_setting(51)]),
    ]
    builder = Builder()
    builder.cluster.topics.extend(topics)
    assert _shapes(*topics) == [[0, 4], [1], [2], [3]]
    chosen = facts.topics_where(builder.cluster, lambda topic: "retention.ms" in topic.config.settings)
    assert [topic.name for topic in chosen] == ["a", "c", "e"]
    assert facts.topics_where(builder.cluster, lambda topic: False) == []


def test_memos_last_one_run() -> None:
    owner = object()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert facts.memo(owner, "n", compute) == 1
    assert facts.memo(owner, "n", compute) == 2  # outside a run: worked out afresh
    with facts.run():
        assert facts.memo(owner, "n", compute) == 3
        assert facts.memo(owner, "n", compute) == 3
        assert facts.memo(owner, "other", compute) == 4
    with facts.run():
        assert facts.memo(owner, "n", compute) == 5


def test_kl006_reports_every_profile_of_a_shape_it_judged_once() -> None:
    bad = {"acks": "all", "client.id": "orders\fservice"}
    builder = Builder().producers(
        {"name": "a", "config": bad}, {"name": "b", "config": {"acks": "all"}}, {"name": "c", "config": bad}
    )
    assert [shape.positions for shape in facts.producer_shapes(builder.cluster)] == [[0, 2], [1]]
    with facts.run():
        shared = rulekit.run("KL006", builder)
    with facts.run(shared=False):
        alone = rulekit.run("KL006", builder)
    assert shared == alone
    assert [finding.location for finding in shared] == [
        builder.cluster.producers[0].config.location_of("client.id"),
        builder.cluster.producers[2].config.location_of("client.id"),
    ]


# -- every rule, with shapes and without ---------------------------------------------------------


def _fixture_cases() -> list[Path]:
    return sorted(path for path in FIXTURES.glob("*/*") if path.is_dir() and path.name in ("fail", "pass"))


def _both_ways(paths: list[str], config: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    shared = engine.run_paths(paths, config)
    with monkeypatch.context() as patch:
        patch.setattr(facts, "run", partial(facts.run, shared=False))
        alone = engine.run_paths(paths, config)
    return shared, alone


@pytest.mark.parametrize("directory", _fixture_cases(), ids=lambda path: f"{path.parent.name}-{path.name}")
def test_fixtures_find_the_same_with_and_without_shapes(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(directory)
    config = cli.config_from_options(fixtures.options(directory))
    shared, alone = _both_ways(fixtures.inputs(directory), config, monkeypatch)
    assert shared.findings == alone.findings
    assert shared.files == alone.files


def test_an_estate_finds_the_same_with_and_without_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's estate, small: topics and profiles that share shapes by the hundred,
    a few unsafe values among them, findings of many rules."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import lint_estate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    paths = [str(path) for path in lint_estate.generate(tmp_path, 4, 400, 60, lint_estate.SEED)]
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    shared, alone = _both_ways(paths, None, monkeypatch)
    by_rule = {finding.rule_id for finding in shared.findings}
    assert {"KL101", "KL102", "KL104", "KL105", "KL201", "KL202", "KL207", "KL401"} <= by_rule
    assert shared.findings == alone.findings
    assert shared.files == alone.files
