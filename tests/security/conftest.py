"""Fixtures of the security tests.

Tests marked ``devbroker`` run against a real ZooKeeper + Kafka broker on loopback started
secured by ``scripts/devkafka.py --secure`` (SASL_SSL with SCRAM-SHA-512 for clients, mutual
TLS between brokers, the AclAuthorizer, TLS material from the ``kafka_tls`` role), once per
session, from the archives in ``${KAFKA_IAC_CACHE:-~/.cache/kafka-iac}/artifacts``. When they
are missing the fixture fails with that message: these tests never skip.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The helpers sit beside this file; importlib import mode does not put it on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import security_helpers as helpers

devkafka = helpers.load(helpers.ROOT / "scripts" / "devkafka.py", "devkafka")
live_cluster = helpers.load(helpers.ROOT / "tests" / "live" / "live_cluster.py", "live_cluster")


@pytest.fixture(scope="session")
def secure_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One ZooKeeper and one secured broker on free loopback ports for the whole session."""
    workdir = tmp_path_factory.mktemp("devkafka-secure")
    problem = None
    try:
        dev = devkafka.start(workdir, devkafka.free_port(), devkafka.free_port(), brokers=1, timeout=240, secure=True)
    except devkafka.ScriptError as exc:
        problem = exc.message
    if problem is not None:
        pytest.fail(f"cannot start the secured dev broker: {problem}", pytrace=False)
    try:
        yield dev
    finally:
        devkafka.stop(workdir)


@pytest.fixture(scope="session")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real Java client (tests/live/java/KafkaProbe.java against the archive's jars)."""
    workdir = tmp_path_factory.mktemp("probe")
    try:
        built = live_cluster.build_probe(workdir)
    except live_cluster.LiveError as exc:
        pytest.fail(f"cannot build the Java probe: {exc}", pytrace=False)
    try:
        yield built
    finally:
        built.close()
