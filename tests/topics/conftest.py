"""Fixtures of the topic and producer-profile tests.

Tests marked ``devbroker`` run against a real ZooKeeper + Kafka broker on loopback, started once
per session by ``scripts/devkafka.py`` from the assembled archives in
``${KAFKA_IAC_CACHE:-~/.cache/kafka-iac}/artifacts`` (``scripts/artifacts.py`` makes them). When
they are missing the fixture fails with that message: these tests never skip.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


HERE = Path(__file__).resolve().parent
helpers = _load("topics_helpers", HERE / "topics_helpers.py")
devkafka = _load("devkafka", helpers.ROOT / "scripts" / "devkafka.py")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "devbroker: needs the loopback dev broker (started from the artifacts cache by the session fixture)"
    )


@pytest.fixture(scope="session")
def dev_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One ZooKeeper and one broker on free loopback ports for the whole session."""
    workdir = tmp_path_factory.mktemp("devkafka")
    problem = None
    try:
        dev = devkafka.start(workdir, devkafka.free_port(), devkafka.free_port(), brokers=1, timeout=180)
    except devkafka.ScriptError as exc:
        problem = exc.message
    if problem is not None:
        pytest.fail(f"cannot start the dev broker: {problem}", pytrace=False)
    try:
        yield dev
    finally:
        devkafka.stop(workdir)


@pytest.fixture
def admin(dev_kafka: object) -> Iterator[object]:
    """A kafka-python admin client on the dev broker, for checking what the module did."""
    from kafka import KafkaAdminClient

    client = KafkaAdminClient(bootstrap_servers=dev_kafka.bootstrap_servers, request_timeout_ms=30000)  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        client.close()
