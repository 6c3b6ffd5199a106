"""Unit tests of rules KL201-KL214 and KL401-KL404 on models built in Python.

The fixture pairs under ``tests/fixtures/rules/`` run the rules through the loaders; these
tests pin what the fixtures cannot show cheaply: the producer's idempotence logic per Kafka
version (3.9 and 4.0, and the old logic before 3.0.1), boundaries (equal values), defaults
of the target version, one finding for a setting several brokers share, loose files.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import pytest

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Model, ProducerProfile, Topic
from kafkalint.rules import MODULES, _producer
from kafkalint.versions import KafkaVersion

FILE = "cluster.yml"
INT_MAX = 2**31 - 1

MY_MODULES = [name for name in MODULES if name.startswith(("kl2", "kl4"))]


def rule(rule_id: str) -> ModuleType:
    name = next(module for module in MY_MODULES if module.startswith(rule_id.lower()))
    return importlib.import_module(f"kafkalint.rules.{name}")


# -- building models -----------------------------------------------------------------------


class Builder:
    """A cluster in one file; every setting gets its own line, remembered by (owner, key)."""

    def __init__(self, version: str = "3.9.1", *, complete: bool = True) -> None:
        self.version = KafkaVersion.parse(version)
        self.cluster = Cluster("test", Location(FILE, 1), version=self.version, complete=complete)
        self.lines: dict[tuple[str, str], int] = {}
        self.next = 10

    def _line(self) -> Location:
        self.next += 1
        return Location(FILE, self.next)

    def _config(self, kind: str, owner: str, values: Mapping[str, Any], shared: Mapping[str, int] | None) -> ConfigMap:
        config = ConfigMap(kind, self.version, location=self._line())
        self.lines[(owner, "")] = config.location.line or 0
        for key, value in values.items():
            where = Location(FILE, shared[key]) if shared and key in shared else self._line()
            config.set(key, value, "inventory", where)
            self.lines[(owner, key)] = where.line or 0
        return config

    def broker(self, name: str, shared: Mapping[str, int] | None = None, **values: Any) -> Builder:
        values = {key.replace("_", "."): value for key, value in values.items()}
        return self.broker_config(name, values, shared)

    def broker_config(self, name: str, values: Mapping[str, Any], shared: Mapping[str, int] | None = None) -> Builder:
        config = self._config("broker", name, values, shared)
        self.cluster.brokers.append(Broker(name, config, config.location))
        return self

    def brokers(self, count: int, values: Mapping[str, Any] | None = None, *, shared: bool = True) -> Builder:
        """``count`` brokers kafka1.. with derived listeners; ``values`` at shared lines."""
        values = dict(values or {})
        lines = {key: 500 + index for index, key in enumerate(values)} if shared else None
        for number in range(1, count + 1):
            name = f"kafka{number}"
            config = {
                "listeners": "PLAINTEXT://0.0.0.0:9092",
                "advertised.listeners": f"PLAINTEXT://10.0.0.{number}:9092",
                **values,
            }
            listener_lines = {"listeners": 400 + number, "advertised.listeners": 450 + number}
            self.broker_config(name, config, {**listener_lines, **(lines or {})})
        return self

    def topic(
        self, name: str, values: Mapping[str, Any] | None = None, partitions: int | None = 3, rf: int | None = 3
    ) -> Builder:
        config = self._config("topic", name, values or {}, None)
        self.cluster.topics.append(Topic(name, partitions, rf, config, config.location))
        return self

    def producer(self, values: Mapping[str, Any], topics: Sequence[str] = (), name: str = "app") -> Builder:
        config = self._config("producer", name, values, None)
        self.cluster.producers.append(ProducerProfile(name, list(topics), config, config.location))
        return self

    def model(self) -> Model:
        return Model([self.cluster])

    def line(self, owner: str, key: str = "") -> int:
        return self.lines[(owner, key)]


def run(rule_id: str, builder: Builder) -> list[Finding]:
    findings = list(rule(rule_id).check(builder.model(), {}))
    for finding in findings:
        assert finding.rule_id == rule_id
        assert finding.message and finding.subject
    return findings


def lines(findings: list[Finding]) -> list[int | None]:
    return [finding.location.line for finding in findings]


def producer_findings(rule_id: str, values: Mapping[str, Any], version: str = "3.9.1") -> tuple[list[Finding], Builder]:
    builder = Builder(version).producer(values)
    return run(rule_id, builder), builder


# -- the rule modules ----------------------------------------------------------------------


@pytest.mark.parametrize("name", MY_MODULES)
def test_module_is_documented(name: str) -> None:
    module = importlib.import_module(f"kafkalint.rules.{name}")
    assert name.startswith(module.ID.lower() + "_")
    assert module.NAME.replace("-", "_") == name.split("_", 1)[1]
    assert isinstance(module.SEVERITY, Severity)
    doc = module.__doc__ or ""
    summary = doc.strip().splitlines()[0]
    assert summary.endswith(".") or summary.endswith(":")
    for part in ("What it checks", "Why", "Problematic", "Correct", "Source"):
        assert part in doc, f"{module.ID}: no {part!r} section"


def test_all_my_rules_are_registered() -> None:
    ids = [rule(f"KL{number}").ID for number in (*range(201, 215), *range(401, 405))]
    assert ids == [f"KL{number}" for number in (*range(201, 215), *range(401, 405))]


KAFKA_TEXTS = {
    "KL202": "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
    "KL203": "Must set retries to non-zero when using the idempotent producer.",
    "KL204": "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.",
    "KL205": "Cannot set a transactional.id without also enabling idempotence.",
    "KL206": "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms",
}


@pytest.mark.parametrize(("rule_id", "text"), KAFKA_TEXTS.items())
def test_docs_quote_kafka_exactly(rule_id: str, text: str) -> None:
    """The catalogue's quotes of Kafka's exceptions appear word for word (line breaks aside)."""
    doc = " ".join((rule(rule_id).__doc__ or "").split())
    assert text in doc


def test_defaults_the_rules_rely_on() -> None:
    """The version defaults behind KL204, KL206, KL207, KL208, KL211 and KL214."""

    def producer(version: str) -> ConfigMap:
        return ConfigMap("producer", KafkaVersion.parse(version))

    for version in ("3.9.1", "4.0.0"):
        config = producer(version)
        assert config.get("acks") == "all"
        assert config.get("enable.idempotence") is True
        assert config.get("retries") == INT_MAX
        assert config.get("max.in.flight.requests.per.connection") == 5
        assert config.get("request.timeout.ms") == 30000
        assert config.get("delivery.timeout.ms") == 120000
        assert config.get("batch.size") == 16384
        assert config.get("buffer.memory") == 33554432
        assert config.get("max.request.size") == 1048576
    assert producer("3.9.1").get("linger.ms") == 0
    assert producer("4.0.0").get("linger.ms") == 5
    broker = ConfigMap("broker", KafkaVersion.parse("3.9.1"))
    assert broker.get("message.max.bytes") == 1048588
    assert broker.get("replica.lag.time.max.ms") == 30000
    assert broker.get("log.retention.hours") == 168
    assert broker.get("log.roll.hours") == 168
    assert broker.get("log.local.retention.ms") == -2
    topic = ConfigMap("topic", KafkaVersion.parse("3.9.1"))
    assert topic.get("max.compaction.lag.ms") == 2**63 - 1
    assert topic.get("segment.ms") == 604800000


# -- the producer's idempotence logic ------------------------------------------------------


def semantics(values: Mapping[str, Any], version: str = "3.9.1") -> _producer.Semantics:
    builder = Builder(version).producer(values)
    return _producer.semantics(builder.cluster.producers[0].config)


@pytest.mark.parametrize(
    ("values", "version", "idempotent", "rejected"),
    [
        ({}, "3.9.1", True, []),
        ({"acks": "1"}, "3.9.1", False, []),
        ({"acks": -1}, "3.9.1", True, []),
        ({"acks": "all", "enable.idempotence": "true"}, "3.9.1", True, []),
        ({"acks": "1", "enable.idempotence": True}, "3.9.1", True, ["KL202"]),
        ({"retries": 0}, "3.9.1", False, []),
        ({"retries": "0", "enable.idempotence": "true"}, "3.9.1", True, ["KL203"]),
        ({"max.in.flight.requests.per.connection": 6}, "3.9.1", False, []),
        ({"max.in.flight.requests.per.connection": 6}, "4.0.0", True, ["KL204"]),
        # 4.0 checks in-flight inside the same block: acks=1 does not save the default.
        ({"max.in.flight.requests.per.connection": 6, "acks": "1"}, "4.0.0", False, ["KL204"]),
        ({"max.in.flight.requests.per.connection": 6, "enable.idempotence": False}, "4.0.0", False, []),
        ({"transactional.id": "tx", "acks": "1"}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "enable.idempotence": "false"}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "acks": "1", "enable.idempotence": True}, "3.9.1", True, ["KL202"]),
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "3.9.1", False, ["KL205"]),
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "4.0.0", True, ["KL204"]),
        ({"enable.idempotence": True, "retries": 0, "acks": "0"}, "3.9.1", True, ["KL203", "KL202"]),
        # Before 3.0.1 idempotence needed enable.idempotence=true or a transactional.id.
        ({}, "3.0.0", False, []),
        ({"acks": "1", "transactional.id": "tx"}, "3.0.0", True, ["KL202"]),
        ({"transactional.id": "tx"}, "3.1.0", True, []),
        ({"transactional.id": "tx", "enable.idempotence": False}, "3.0.0", False, ["KL205"]),
        ({"transactional.id": "tx", "retries": 0}, "3.0.0", True, ["KL203"]),
        ({"enable.idempotence": True, "max.in.flight.requests.per.connection": 6}, "3.0.0", True, ["KL204"]),
        ({"acks": "1"}, "3.0.1", False, []),
        ({"acks": "1", "transactional.id": "tx"}, "3.1.1", False, ["KL205"]),
    ],
)
def test_idempotence_like_the_java_producer(
    values: Mapping[str, Any], version: str, idempotent: bool, rejected: list[str]
) -> None:
    state = semantics(values, version)
    assert state.idempotent is idempotent
    assert [rejection.rule_id for rejection in state.rejections] == rejected


def test_unparsable_values_make_no_conflict() -> None:
    state = semantics({"enable.idempotence": "yes", "acks": "1"})
    assert state.idempotent is None
    assert state.rejections == ()
    assert semantics({"acks": "ALL"}).acks is None


def test_legacy_idempotence_forces_acks_all() -> None:
    assert semantics({"transactional.id": "tx"}, "3.0.0").acks == -1
    assert semantics({"acks": "1"}, "3.0.0").acks == 1


# -- KL201 ---------------------------------------------------------------------------------


def test_kl201_acks0_with_written_retries() -> None:
    findings, builder = producer_findings("KL201", {"acks": 0, "retries": 3})
    assert lines(findings) == [builder.line("app", "acks")]
    assert findings[0].severity is None
    assert "retries=3" in findings[0].message


@pytest.mark.parametrize("values", [{"acks": "0"}, {"acks": "0", "retries": 0}, {"acks": "1", "retries": 3}])
def test_kl201_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL201", values)[0] == []


# -- KL202 - KL205 -------------------------------------------------------------------------


def test_kl202_points_at_acks_and_quotes_kafka() -> None:
    findings, builder = producer_findings("KL202", {"enable.idempotence": "true", "acks": "1"})
    assert lines(findings) == [builder.line("app", "acks")]
    assert KAFKA_TEXTS["KL202"] in findings[0].message


@pytest.mark.parametrize(
    "values",
    [
        {"enable.idempotence": "true", "acks": "all"},
        {"enable.idempotence": "true", "acks": "-1"},
        {"enable.idempotence": "true", "acks": -1},
        {"acks": "1"},  # the default idempotence is turned off silently
        {"enable.idempotence": "false", "acks": "1"},
    ],
)
def test_kl202_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL202", values)[0] == []


def test_kl203_explicit_only() -> None:
    findings, builder = producer_findings("KL203", {"enable.idempotence": True, "retries": 0})
    assert lines(findings) == [builder.line("app", "retries")]
    assert KAFKA_TEXTS["KL203"] in findings[0].message
    assert producer_findings("KL203", {"retries": 0})[0] == []


def test_kl204_explicit_in_3x() -> None:
    findings, builder = producer_findings(
        "KL204", {"enable.idempotence": True, "max.in.flight.requests.per.connection": 6}
    )
    assert lines(findings) == [builder.line("app", "max.in.flight.requests.per.connection")]
    assert KAFKA_TEXTS["KL204"] in findings[0].message
    assert producer_findings("KL204", {"max.in.flight.requests.per.connection": 6})[0] == []
    assert producer_findings("KL204", {"enable.idempotence": True, "max.in.flight.requests.per.connection": 5})[0] == []


def test_kl204_default_idempotence_in_4x() -> None:
    findings, _ = producer_findings("KL204", {"max.in.flight.requests.per.connection": "6"}, "4.0.0")
    assert len(findings) == 1
    assert (
        "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. "
        "Current value is 6." in findings[0].message
    )
    quiet = {"max.in.flight.requests.per.connection": 6, "enable.idempotence": False}
    assert producer_findings("KL204", quiet, "4.0.0")[0] == []


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"transactional.id": "tx", "enable.idempotence": "false"}, "enable.idempotence"),
        ({"transactional.id": "tx", "acks": "1"}, "acks"),
        ({"transactional.id": "tx", "retries": "0"}, "retries"),
        (
            {"transactional.id": "tx", "max.in.flight.requests.per.connection": 10},
            "max.in.flight.requests.per.connection",
        ),
    ],
)
def test_kl205_points_at_what_turns_idempotence_off(values: Mapping[str, Any], key: str) -> None:
    findings, builder = producer_findings("KL205", values)
    assert lines(findings) == [builder.line("app", key)]
    assert KAFKA_TEXTS["KL205"] in findings[0].message


@pytest.mark.parametrize(
    ("values", "version"),
    [
        ({"transactional.id": "tx"}, "3.9.1"),
        ({"transactional.id": "tx", "acks": "1", "enable.idempotence": "true"}, "3.9.1"),  # KL202 instead
        ({"transactional.id": "tx", "max.in.flight.requests.per.connection": 6}, "4.0.0"),  # KL204 instead
        ({"acks": "1"}, "3.9.1"),
    ],
)
def test_kl205_quiet(values: Mapping[str, Any], version: str) -> None:
    assert producer_findings("KL205", values, version)[0] == []


# -- KL206 ---------------------------------------------------------------------------------


def test_kl206_version_defaults() -> None:
    values = {"delivery.timeout.ms": 30000}
    assert producer_findings("KL206", values, "3.9.1")[0] == []  # 0 + 30000
    findings, builder = producer_findings("KL206", values, "4.0.0")  # 5 + 30000
    assert lines(findings) == [builder.line("app", "delivery.timeout.ms")]
    assert "at least 30005" in findings[0].message
    assert KAFKA_TEXTS["KL206"] in findings[0].message


@pytest.mark.parametrize(
    ("values", "count"),
    [
        ({"delivery.timeout.ms": 30010, "linger.ms": 10}, 0),
        ({"delivery.timeout.ms": 30009, "linger.ms": 10}, 1),
        ({"delivery.timeout.ms": 1000, "request.timeout.ms": 999, "linger.ms": 1}, 0),
        ({"linger.ms": 100000}, 0),  # Kafka raises the default delivery.timeout.ms itself
        ({"delivery.timeout.ms": INT_MAX, "linger.ms": 2**40, "request.timeout.ms": 30000}, 0),
        ({"delivery.timeout.ms": "abc"}, 0),
    ],
)
def test_kl206_edges(values: Mapping[str, Any], count: int) -> None:
    assert len(producer_findings("KL206", values)[0]) == count


# -- KL207 ---------------------------------------------------------------------------------


def test_kl207_seeds_example_equal_is_too_small() -> None:
    builder = Builder().topic("orders", partitions=5).producer({"buffer.memory": 81920}, ["orders"])
    findings = run("KL207", builder)
    assert lines(findings) == [builder.line("app", "buffer.memory")]
    assert "above 81920" in findings[0].message


@pytest.mark.parametrize(
    ("buffer", "batch", "count"),
    [(81921, None, 0), (40961, 8192, 0), (40960, 8192, 1), (1000, 0, 0), (None, None, 0)],
)
def test_kl207_edges(buffer: int | None, batch: int | None, count: int) -> None:
    values = {key: value for key, value in (("buffer.memory", buffer), ("batch.size", batch)) if value is not None}
    builder = Builder().topic("orders", partitions=5).producer(values, ["orders", "unknown"])
    assert len(run("KL207", builder)) == count


def test_kl207_counts_topics_once_and_uses_num_partitions() -> None:
    builder = Builder().broker("kafka1", num_partitions=4).topic("a", partitions=None).topic("b", partitions=2)
    builder.producer({"buffer.memory": 16384 * 6}, ["a", "b", "a"])
    findings = run("KL207", builder)
    assert len(findings) == 1
    assert "a: 4, b: 2" in findings[0].message
    assert run("KL207", Builder().producer({"buffer.memory": 1}, ["nowhere"])) == []


# -- KL208 ---------------------------------------------------------------------------------


def test_kl208_above_broker_default() -> None:
    builder = Builder().brokers(3).topic("orders").producer({"max.request.size": 2097152}, ["orders"])
    findings = run("KL208", builder)
    assert lines(findings) == [builder.line("app", "max.request.size")]
    assert "at most 1048588" in findings[0].message


def test_kl208_topic_override_wins_and_smallest_broker_counts() -> None:
    builder = Builder().brokers(2).broker("kafka3", message_max_bytes=524288)
    builder.topic("big", {"max.message.bytes": 4194304}).topic("plain")
    builder.producer({"max.request.size": 2097152}, ["big"], name="big-writer")
    builder.producer({}, ["plain"], name="plain-writer")
    findings = run("KL208", builder)
    assert [(finding.subject, finding.location.line) for finding in findings] == [
        ("profile plain-writer", builder.line("plain-writer"))
    ]
    assert "524288" in findings[0].message


def test_kl208_needs_something_to_compare_with() -> None:
    assert run("KL208", Builder(complete=False).producer({"max.request.size": 10485760})) == []
    builder = Builder().brokers(1).producer({"max.request.size": 1048588})
    assert run("KL208", builder) == []


# -- KL209 / KL210 -------------------------------------------------------------------------


def test_kl209_single_host_of_three() -> None:
    builder = Builder().brokers(3).producer({"bootstrap.servers": "10.0.0.1:9092"})
    findings = run("KL209", builder)
    assert lines(findings) == [builder.line("app", "bootstrap.servers")]


@pytest.mark.parametrize(
    ("builder", "servers"),
    [
        (Builder().brokers(3), "10.0.0.1:9092,10.0.0.2:9092"),
        (Builder().brokers(1), "10.0.0.1:9092"),
        (Builder(complete=False).brokers(3), "10.0.0.1:9092"),
        (Builder().brokers(3), ["kafka1:9092", "kafka2:9092"]),
    ],
)
def test_kl209_quiet(builder: Builder, servers: Any) -> None:
    assert run("KL209", builder.producer({"bootstrap.servers": servers})) == []


@pytest.mark.parametrize(
    "servers",
    [
        "10.0.0.1:9092,10.0.0.2:9092,10.0.0.3:9092",
        "kafka1:9092,KAFKA2:9092",  # inventory names on a listener bound to every interface
        ["10.0.0.3:9092"],
    ],
)
def test_kl210_known_addresses(servers: Any) -> None:
    assert run("KL210", Builder().brokers(3).producer({"bootstrap.servers": servers})) == []


@pytest.mark.parametrize(
    ("servers", "unknown"),
    [
        ("10.0.0.1:9093,10.0.0.2:9092", "10.0.0.1:9093"),
        ("kafka4:9092", "kafka4:9092"),
        ("kafka1", "kafka1 (no port"),
    ],
)
def test_kl210_unknown_addresses(servers: str, unknown: str) -> None:
    builder = Builder().brokers(3).producer({"bootstrap.servers": servers})
    findings = run("KL210", builder)
    assert lines(findings) == [builder.line("app", "bootstrap.servers")]
    assert unknown in findings[0].message


def test_kl210_specific_binds_and_controllers() -> None:
    builder = Builder().broker_config(
        "kafka1",
        {
            "process.roles": "broker,controller",
            "listeners": "PLAINTEXT://10.0.0.1:9092,CONTROLLER://0.0.0.0:9093",
            "controller.listener.names": "CONTROLLER",
        },
    )
    builder.broker_config("ctl1", {"process.roles": "controller", "listeners": "CONTROLLER://10.0.0.9:9093"})
    builder.producer({"bootstrap.servers": "10.0.0.1:9092"}, name="good")
    builder.producer({"bootstrap.servers": "kafka1:9092,10.0.0.1:9093,10.0.0.9:9093"}, name="bad")
    findings = run("KL210", builder)
    assert [finding.subject for finding in findings] == ["profile bad"]
    assert "kafka1:9092, 10.0.0.1:9093, 10.0.0.9:9093" in findings[0].message


def test_kl210_only_complete_clusters() -> None:
    builder = Builder(complete=False).brokers(3).producer({"bootstrap.servers": "elsewhere:9092"})
    assert run("KL210", builder) == []


# -- KL211 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "version", "key"),
    [
        ({"acks": "1"}, "3.9.1", "acks"),
        ({"enable.idempotence": False}, "3.9.1", "enable.idempotence"),
        ({"max.in.flight.requests.per.connection": 6}, "3.9.1", "max.in.flight.requests.per.connection"),
        ({"retries": 3, "acks": "1"}, "4.0.0", "acks"),
        ({}, "3.0.0", ""),  # old producers left idempotence off by default
    ],
)
def test_kl211_reordering(values: Mapping[str, Any], version: str, key: str) -> None:
    findings, builder = producer_findings("KL211", values, version)
    assert lines(findings) == [builder.line("app", key)]


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"acks": "all"},
        {"acks": "0"},
        {"acks": "1", "max.in.flight.requests.per.connection": 1},
        {"enable.idempotence": False, "retries": 0},
    ],
)
def test_kl211_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL211", values)[0] == []


# -- KL212 ---------------------------------------------------------------------------------


def test_kl212_topic_and_broker_min_isr() -> None:
    builder = Builder().brokers(3, {"min.insync.replicas": 2})
    builder.topic("orders").topic("logs", {"min.insync.replicas": 1})
    builder.producer({"acks": "1"}, ["orders", "logs", "undeclared"], name="one")
    builder.producer({"acks": "all"}, ["orders"], name="all")
    builder.producer({"acks": "0"}, ["logs"], name="zero")
    findings = run("KL212", builder)
    assert [(finding.subject, finding.location.line) for finding in findings] == [
        ("profile one", builder.line("one", "acks"))
    ]
    assert "orders (min.insync.replicas=2)" in findings[0].message
    assert "logs" not in findings[0].message


def test_kl212_without_brokers_reads_the_topic() -> None:
    builder = Builder().topic("orders", {"min.insync.replicas": "2"}).producer({"acks": 0}, ["orders"])
    assert len(run("KL212", builder)) == 1


# -- KL213 ---------------------------------------------------------------------------------

AVRO = "io.confluent.kafka.serializers.KafkaAvroSerializer"
APICURIO = "io.apicurio.registry.serde.avro.AvroKafkaSerializer"


def test_kl213_missing_url_points_at_the_config() -> None:
    findings, builder = producer_findings("KL213", {"key.serializer": AVRO, "value.serializer": AVRO})
    assert lines(findings) == [builder.line("app")]
    assert "key.serializer=KafkaAvroSerializer and value.serializer=KafkaAvroSerializer" in findings[0].message


def test_kl213_empty_url_points_at_it() -> None:
    findings, builder = producer_findings("KL213", {"value.serializer": AVRO, "schema.registry.url": ""})
    assert lines(findings) == [builder.line("app", "schema.registry.url")]


def test_kl213_registry_families() -> None:
    values = {"key.serializer": APICURIO, "value.serializer": AVRO, "schema.registry.url": "http://sr:8081"}
    findings, _ = producer_findings("KL213", values)
    assert len(findings) == 1
    assert findings[0].message.startswith("Set apicurio.registry.url")


@pytest.mark.parametrize(
    "values",
    [
        {"value.serializer": AVRO, "schema.registry.url": "http://sr:8081"},
        {"value.serializer": APICURIO, "apicurio.registry.url": "http://registry:8080/apis/registry/v2"},
        {"value.serializer": "org.apache.kafka.common.serialization.StringSerializer"},
        {"value.serializer": "io.confluent.kafka.serializers.KafkaJsonSerializer"},
    ],
)
def test_kl213_quiet(values: Mapping[str, Any]) -> None:
    assert producer_findings("KL213", values)[0] == []


# -- KL214 ---------------------------------------------------------------------------------


def test_kl214_kafka_defaults_meet_the_condition() -> None:
    builder = Builder().brokers(3).producer({})
    findings = run("KL214", builder)
    assert lines(findings) == [builder.line("app")]
    assert rule("KL214").SEVERITY is Severity.INFO


@pytest.mark.parametrize(
    ("builder", "values"),
    [
        (Builder().brokers(3), {"request.timeout.ms": 30001}),
        (Builder().brokers(3), {"acks": "1"}),
        (Builder().brokers(3, {"replica.lag.time.max.ms": 10000}), {}),
        (Builder(), {}),  # no brokers to compare with
    ],
)
def test_kl214_quiet(builder: Builder, values: Mapping[str, Any]) -> None:
    assert run("KL214", builder.producer(values)) == []


def test_kl214_largest_lag_counts() -> None:
    builder = Builder().brokers(2).broker("kafka3", replica_lag_time_max_ms=60000)
    builder.producer({"request.timeout.ms": 45000})
    findings = run("KL214", builder)
    assert lines(findings) == [builder.line("app", "request.timeout.ms")]
    assert "above 60000" in findings[0].message


# -- KL401 ---------------------------------------------------------------------------------


def test_kl401_topic_quotes_kafka() -> None:
    builder = Builder().topic("t", {"min.compaction.lag.ms": 7200000, "max.compaction.lag.ms": "3600000"})
    findings = run("KL401", builder)
    assert lines(findings) == [builder.line("t", "min.compaction.lag.ms")]
    assert "conflict topic config setting min.compaction.lag.ms (7200000) > max.compaction.lag.ms (3600000)" in (
        findings[0].message
    )


def test_kl401_topic_against_broker_default() -> None:
    builder = Builder().brokers(3, {"log.cleaner.max.compaction.lag.ms": 3600000})
    builder.topic("t", {"min.compaction.lag.ms": 7200000}).topic("plain")
    findings = run("KL401", builder)
    assert lines(findings) == [builder.line("t", "min.compaction.lag.ms")]


def test_kl401_brokers_sharing_a_line_give_one_finding() -> None:
    values = {"log.cleaner.min.compaction.lag.ms": 7200000, "log.cleaner.max.compaction.lag.ms": 3600000}
    builder = Builder().brokers(3, values).topic("plain")
    findings = run("KL401", builder)
    assert lines(findings) == [500]
    assert findings[0].subject == "brokers kafka1, kafka2, kafka3"
    separate = run("KL401", Builder().brokers(2, values, shared=False))
    assert [finding.subject for finding in separate] == ["broker kafka1", "broker kafka2"]


def test_kl401_equal_is_fine() -> None:
    builder = Builder().topic("t", {"min.compaction.lag.ms": 3600000, "max.compaction.lag.ms": 3600000})
    assert run("KL401", builder) == []


# -- KL402 ---------------------------------------------------------------------------------


def tiered(**values: Any) -> Builder:
    return Builder().topic(
        "t", {"remote.storage.enable": "true", **{k.replace("_", "."): v for k, v in values.items()}}
    )


def test_kl402_local_above_total_quotes_kafka() -> None:
    builder = tiered(retention_ms=86400000, local_retention_ms=604800000)
    findings = run("KL402", builder)
    assert lines(findings) == [builder.line("t", "local.retention.ms")]
    assert (
        "Invalid value 604800000 for configuration local.retention.ms: Value must not be more than retention.ms "
        "property value: 86400000" in findings[0].message
    )


def test_kl402_unlimited_local_under_finite_total() -> None:
    findings = run("KL402", tiered(local_retention_bytes=-1, retention_bytes=1073741824))
    assert len(findings) == 1
    assert "Value must not be -1 as retention.bytes value is set as 1073741824." in findings[0].message


@pytest.mark.parametrize(
    "builder",
    [
        tiered(local_retention_ms=-2, retention_ms=1000),
        tiered(local_retention_ms=-1, retention_ms=-1),
        tiered(local_retention_bytes=5000, retention_bytes=-1),
        tiered(local_retention_ms=1000, retention_ms=1000),
        Builder().topic("t", {"retention.ms": 1000, "local.retention.ms": 5000}),  # not tiered
    ],
)
def test_kl402_quiet(builder: Builder) -> None:
    assert run("KL402", builder) == []


def test_kl402_topic_uses_broker_retention_hours() -> None:
    builder = (
        Builder()
        .brokers(1, {"log.retention.hours": 24})
        .topic("t", {"remote.storage.enable": True, "local.retention.ms": 172800000})
    )
    findings = run("KL402", builder)
    assert lines(findings) == [builder.line("t", "local.retention.ms")]
    assert "retention.ms property value: 86400000" in findings[0].message


def test_kl402_broker_only_with_remote_storage_system() -> None:
    values = {"log.local.retention.ms": 172800000, "log.retention.hours": 24}
    assert run("KL402", Builder().brokers(3, values)) == []
    builder = Builder().brokers(3, {**values, "remote.log.storage.system.enable": True})
    findings = run("KL402", builder)
    assert lines(findings) == [500]
    assert findings[0].subject == "brokers kafka1, kafka2, kafka3"


# -- KL403 ---------------------------------------------------------------------------------


def test_kl403_topic_retention_below_default_segment() -> None:
    builder = Builder().topic("t", {"retention.ms": 3600000}).topic("plain")
    findings = run("KL403", builder)
    assert lines(findings) == [builder.line("t", "retention.ms")]


@pytest.mark.parametrize(
    "values",
    [
        {"retention.ms": 3600000, "segment.ms": 600000},
        {"retention.ms": 3600000, "segment.ms": 3600000},
        {"retention.ms": 3600000, "cleanup.policy": "compact"},
        {"retention.ms": -1},
    ],
)
def test_kl403_quiet(values: Mapping[str, Any]) -> None:
    assert run("KL403", Builder().topic("t", values)) == []


def test_kl403_compact_delete_counts() -> None:
    builder = Builder().topic("t", {"retention.ms": 1000, "cleanup.policy": "compact,delete"})
    assert len(run("KL403", builder)) == 1


def test_kl403_broker_defaults_judged_once_on_the_brokers() -> None:
    builder = Builder().brokers(3, {"log.retention.minutes": 60}).topic("plain")
    findings = run("KL403", builder)
    assert lines(findings) == [500]
    assert "log.retention.minutes=60" in findings[0].message
    rolled = Builder().brokers(3, {"log.retention.minutes": 60, "log.roll.ms": 3600000})
    assert run("KL403", rolled) == []


def test_kl403_negative_broker_retention_is_unlimited() -> None:
    assert run("KL403", Builder().brokers(1, {"log.retention.hours": -5})) == []


# -- KL404 ---------------------------------------------------------------------------------


def test_kl404_topic_none() -> None:
    builder = Builder().topic("t", {"compression.type": "none"})
    findings = run("KL404", builder)
    assert lines(findings) == [builder.line("t", "compression.type")]
    assert findings[0].message.startswith("Set compression.type=uncompressed")
    assert (
        "Invalid value none for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
        "snappy, gzip, producer" in findings[0].message
    )


def test_kl404_producer_uncompressed() -> None:
    findings, builder = producer_findings("KL404", {"compression.type": "uncompressed"})
    assert lines(findings) == [builder.line("app", "compression.type")]
    assert findings[0].message.startswith("Set compression.type=none")
    assert "String must be one of: none, gzip, snappy, lz4, zstd" in findings[0].message


def test_kl404_broker_case_matters() -> None:
    findings = run("KL404", Builder().brokers(3, {"compression.type": "GZIP"}))
    assert lines(findings) == [500]
    assert findings[0].message.startswith("Set compression.type=gzip")


@pytest.mark.parametrize(
    ("kind", "value"),
    [("producer", "none"), ("producer", "zstd"), ("topic", "uncompressed"), ("topic", "producer"), ("broker", "lz4")],
)
def test_kl404_quiet(kind: str, value: str) -> None:
    builder = Builder()
    if kind == "producer":
        builder.producer({"compression.type": value})
    elif kind == "topic":
        builder.topic("t", {"compression.type": value})
    else:
        builder.broker("kafka1", compression_type=value)
    assert run("KL404", builder) == []


# -- agreement with the real Kafka code ----------------------------------------------------
#
# Recorded by constructing a KafkaProducer (kafka-clients 3.6.2, 3.7.2, 3.8.1, 3.9.1: table
# "3"; 4.0.2, 4.1.2, 4.2.1: table "4"; every version of a table gave the same answers) for each
# case of PRODUCER_CASES, and by calling LogConfig.validate (kafka-storage 3.6.2, 3.9.1, 4.0.2,
# remote storage enabled on the broker) for each case of TOPIC_CASES. One character per case:
# "." the client accepts; otherwise the first ConfigException it raises.

PRODUCER_CODES = {
    "R": "Must set retries to non-zero when using the idempotent producer.",
    "A": KAFKA_TEXTS["KL202"],
    "F": KAFKA_TEXTS["KL204"],
    "G": (
        "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. "
        "Current value is 6."
    ),
    "T": KAFKA_TEXTS["KL205"],
    "D": KAFKA_TEXTS["KL206"],
}
PRODUCER_ANSWERS = {
    "3": (
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".......T.T.T.T.T.......T......FFRRRRRRRR......FF.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.T.T.T.T.T.T.T.T.T.TAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.T.T.T.T.T.T.T.T.T.TAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        "..................DD.DD.......DD.DD..........DD........................."
    ),
    "4": (
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        "......GG.T.T.TGG......GG......GGRRRRRRRR......GG.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.TGG.T.T.TGG.T.T.TGGAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        ".T.T.TGG.T.T.TGG.T.T.TGGAAAAAAAARRRRRRRRAAAAAAAA.T.T.T.T.T.T.T.T.T.T.T.T"
        "............DD....DD.DD.DD....DD.DD..........DD........................."
    ),
}


def producer_cases() -> list[dict[str, str]]:
    """432 producer configs: every mix of the idempotence keys, then of the timeouts."""
    cases = []
    idempotence = {
        "acks": (None, "all", "-1", "0", "1"),
        "enable.idempotence": (None, "true", "false"),
        "retries": (None, "0", "3"),
        "max.in.flight.requests.per.connection": (None, "1", "5", "6"),
        "transactional.id": (None, "tx-1"),
    }
    timeouts = {
        "delivery.timeout.ms": (None, "30000", "30004", "30005", "30010", "120000"),
        "linger.ms": (None, "0", "5", "10"),
        "request.timeout.ms": (None, "30000", "20000"),
    }
    for family in (idempotence, timeouts):
        for values in itertools.product(*family.values()):
            cases.append({key: value for key, value in zip(family, values, strict=True) if value is not None})
    return cases


def kafka_quote(finding: Finding) -> str:
    match = re.search(r'Kafka: "(.*)"\)$', finding.message)
    assert match, finding.message
    return match.group(1)


@pytest.mark.parametrize(("table", "version"), [("3", "3.6.2"), ("3", "3.9.1"), ("4", "4.0.2"), ("4", "4.2.1")])
def test_producer_rules_agree_with_kafka_clients(table: str, version: str) -> None:
    """KL202-KL206 refuse exactly what KafkaProducer refuses, and quote its first error."""
    cases = producer_cases()
    answers = PRODUCER_ANSWERS[table]
    assert len(cases) == len(answers)
    disagreements = []
    for case, answer in zip(cases, answers, strict=True):
        builder = Builder(version).producer(case)
        quotes = [
            kafka_quote(finding)
            for rule_id in ("KL203", "KL202", "KL204", "KL205", "KL206")  # the client's order of checks
            for finding in rule(rule_id).check(builder.model(), {})
        ]
        expected = PRODUCER_CODES.get(answer)
        if (expected is None and quotes) or (expected is not None and quotes[:1] != [expected]):
            disagreements.append((case, answer, quotes))
    assert disagreements == []


TOPIC_ANSWERS = (
    "..........................................................................."
    "..........................................................................."
    "..........................................................................."
    ".......S.s............S.s.....TTTTTTTSTsTTTTT.......S.s............S.s....."
    ".......S.s............S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    ".......S.s............S.s............S.s............S.s............S.s....."
    "..........................................................................."
    "..........................................................................."
    "..........................................................................."
    "tttttttStsttttt.......S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    "tttttttStsttttt.......S.s.....TTTTTTTSTsTTTTT.......S.s.....tttttttStsttttt"
    ".......S.s............S.s............S.s............S.s............S.s....."
)


def answer_code(quote: str) -> str:
    """t / T: local.retention.ms above retention.ms / -1; s / S: the same for the bytes."""
    code = "t" if "local.retention.ms" in quote else "s"
    return code.upper() if "must not be -1" in quote else code


def test_kl402_agrees_with_logconfig() -> None:
    """900 topics (remote storage on or off, retention and local retention in time and size)
    on brokers with Kafka's defaults and on brokers with log.retention.hours=24 and
    log.local.retention.ms=172800000: kafkalint reports what LogConfig.validate refuses, on the
    topic -- or on the broker when the topic only inherits the broker's conflict."""
    topic_values = {
        "remote.storage.enable": (None, "true"),
        "retention.ms": (None, "86400000", "-1"),
        "local.retention.ms": (None, "-2", "-1", "3600000", "604800000"),
        "retention.bytes": (None, "1000", "-1"),
        "local.retention.bytes": (None, "-2", "-1", "500", "5000"),
    }
    brokers: list[dict[str, Any]] = [{}, {"log.retention.hours": 24, "log.local.retention.ms": 172800000}]
    answers = iter(TOPIC_ANSWERS)
    disagreements = []
    for broker in brokers:
        for values in itertools.product(*topic_values.values()):
            topic = {key: value for key, value in zip(topic_values, values, strict=True) if value is not None}
            builder = Builder().broker_config("kafka1", {**broker, "remote.log.storage.system.enable": "true"})
            builder.topic("t", topic)
            codes = {answer_code(kafka_quote(finding)): finding.subject for finding in run("KL402", builder)}
            answer = next(answers)
            on_topic = {code for code, subject in codes.items() if subject.startswith("topic")}
            if (answer == "." and on_topic) or (answer != "." and answer not in codes):
                disagreements.append((broker, topic, answer, codes))
    assert next(answers, None) is None
    assert disagreements == []
