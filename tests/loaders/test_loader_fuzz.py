"""Whatever a cluster file or properties file holds, loading it ends in a model or an
InputError with a location: never another exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkalint import schema_pass
from kafkalint.errors import InputError
from kafkalint.loaders import load

BASE: dict[str, Any] = {
    "kafka_version": "3.9.1",
    "zookeeper": {"zk1": {"zookeeper_id": 1, "ansible_host": "10.0.0.1"}},
    "kafka_broker": {"kafka1": {"kafka_broker_id": 1, "kafka_broker_rack": "a"}},
    "kafka_broker_properties": {"min.insync.replicas": 2},
    "kafka_topics": [{"name": "orders", "partitions": 3, "replication_factor": 1, "config": {"retention.ms": 1}}],
    "kafka_producer_profiles": [{"name": "app", "topics": ["orders"], "config": {"acks": "all"}}],
}

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8), st.just("{{ x }}")
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)
_PATHS = st.lists(
    st.sampled_from(
        [
            "kafka_version",
            "zookeeper",
            "kafka_broker",
            "kafka_broker_properties",
            "kafka_topics",
            "kafka_producer_profiles",
            "kafka_broker_port",
            "kafka_broker_data_dirs",
            "zookeeper_properties",
            "kafka_cluster_environment",
        ]
    ),
    min_size=1,
    max_size=3,
)


def _mutate(data: dict[str, Any], keys: list[str], value: Any, deep: bool) -> dict[str, Any]:
    result = yaml.safe_load(yaml.safe_dump(data))
    for key in keys:
        target = result.get(key)
        if deep and isinstance(target, dict) and target:
            inner = next(iter(target))
            target[inner] = value
        elif deep and isinstance(target, list) and target and isinstance(target[0], dict) and target[0]:
            target[0][next(iter(target[0]))] = value
        else:
            result[key] = value
    return result


def _assert_clean(path: str) -> None:
    try:
        model = load([path])
    except InputError as error:
        assert error.message
        assert error.location is not None and error.location.path
        return
    schema_pass.issues(model)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=_PATHS, value=_VALUES, deep=st.booleans())
def test_mutated_cluster_files(in_tmp: Path, keys: list[str], value: Any, deep: bool) -> None:
    Path("c.yml").write_text(yaml.safe_dump(_mutate(BASE, keys, value, deep)), encoding="utf-8")
    _assert_clean("c.yml")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_arbitrary_text_as_yaml_and_properties(in_tmp: Path, text: str) -> None:
    Path("c.yml").write_text("kafka_broker:\n" + text, encoding="utf-8")
    _assert_clean("c.yml")
    Path("server.properties").write_text(text, encoding="utf-8")
    _assert_clean("server.properties")


def test_recursive_aliases(in_tmp: Path) -> None:
    Path("c.yml").write_text(
        "zookeeper: {zk1: {zookeeper_id: 1}}\nkafka_broker: {k1: {kafka_broker_id: 1}}\n"
        "kafka_broker_data_dirs: &dirs [*dirs]\n",
        encoding="utf-8",
    )
    _assert_clean("c.yml")
