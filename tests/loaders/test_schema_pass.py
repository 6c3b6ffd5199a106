"""The catalogue, the generated JSON Schemas and the schema pass behind KL001-KL003."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kafkalint import catalogue, schema_gen, schema_pass
from kafkalint.model import ConfigMap
from kafkalint.versions import KafkaVersion

V39 = KafkaVersion.parse("3.9.1")
V40 = KafkaVersion.parse("4.0.0")


def test_at_least_the_required_release_lines_are_catalogued() -> None:
    lines = {line.line for line in catalogue._available_lines()}
    assert {"3.6", "3.9", "4.0"} <= lines


@pytest.mark.parametrize(
    ("kind", "key", "version", "default"),
    [
        ("producer", "linger.ms", "3.9.1", 0),
        ("producer", "linger.ms", "4.0.0", 5),
        ("producer", "acks", "3.9.1", "all"),
        ("producer", "enable.idempotence", "3.6.0", True),
        ("broker", "min.insync.replicas", "3.9.1", 1),
        ("broker", "default.replication.factor", "4.0.0", 1),
        ("broker", "auto.create.topics.enable", "3.9.1", True),
        ("broker", "zookeeper.session.timeout.ms", "3.9.1", 18000),
        ("broker", "replica.lag.time.max.ms", "3.9.1", 30000),
        ("topic", "message.timestamp.after.max.ms", "4.0.0", 3600000),
        ("topic", "cleanup.policy", "3.9.1", ["delete"]),
        ("zookeeper", "tickTime", "3.9.1", 3000),
    ],
)
def test_kafka_defaults_per_version(kind: str, key: str, version: str, default: Any) -> None:
    assert ConfigMap(kind, KafkaVersion.parse(version)).get(key) == default


def test_catalogue_entries_are_well_formed() -> None:
    for line in catalogue._available_lines():
        for kind in ("broker", "topic", "producer", "consumer"):
            keys = catalogue.load(kind, line).keys
            assert len(keys) > 20, (line, kind)
            for spec in keys.values():
                assert spec.type in schema_gen.INT_BOUNDS.keys() | {
                    "DOUBLE",
                    "BOOLEAN",
                    "STRING",
                    "LIST",
                    "CLASS",
                    "PASSWORD",
                }


@pytest.mark.parametrize("kind", catalogue.KINDS)
def test_shipped_schemas_are_up_to_date(kind: str) -> None:
    shipped = schema_gen.shipped_path(kind).read_text(encoding="utf-8")
    assert shipped == schema_gen.render(kind), "run: .venv/bin/python -m kafkalint.schema_gen --write"


@pytest.mark.parametrize("kind", catalogue.KINDS)
def test_shipped_schemas_are_valid_json_schema(kind: str) -> None:
    schema = json.loads(schema_gen.shipped_path(kind).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", catalogue.KINDS)
def test_one_keys_schema_is_the_whole_schemas_entry(kind: str) -> None:
    """The schema pass reads one key's schema without building the whole one
    (``property_schema``): the same dict, for every key of every catalogued line."""
    for line in catalogue._available_lines():
        version = KafkaVersion(line.major, line.minor, 0)
        properties = schema_gen.schema_for(kind, version)["properties"]
        for key, expected in properties.items():
            assert schema_gen.property_schema(kind, version, key) == expected, (kind, line, key)
        assert schema_gen.property_schema(kind, version, "no.such.key") is None


def test_a_whole_config_validates_with_the_jsonschema_package() -> None:
    validator = jsonschema.Draft202012Validator(schema_gen.schema_for("producer", V39))
    assert not list(validator.iter_errors({"acks": "all", "linger.ms": 5, "schema.registry.url": "http://r"}))
    errors = {error.validator for error in validator.iter_errors({"acks": "two", "lingerms": 5})}
    assert errors == {"enum", "additionalProperties"}


_VALUES = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["all", "1", "-1", "true", "FALSE", "compact, delete", "lz4", "none", "java.lang.String", ""]),
    st.lists(st.sampled_from(["compact", "delete", "x", ""]), max_size=3),
)


def _keys(kind: str) -> list[str]:
    return sorted(schema_gen.schema_for(kind, V39)["properties"])


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(["broker", "topic", "producer", "consumer", "zookeeper"]).flatmap(
        lambda kind: st.tuples(st.just(kind), st.sampled_from(_keys(kind)))
    ),
    _VALUES,
)
def test_the_fast_evaluator_agrees_with_jsonschema(kind_key: tuple[str, str], raw: Any) -> None:
    kind, key = kind_key
    sub = schema_pass.subschema(kind, V39, key)
    assert sub is not None
    value = schema_pass.normalize(raw, sub["x-kafka-type"])
    expected = jsonschema.Draft202012Validator(sub).is_valid(value)
    assert (not schema_pass.evaluate(sub, value)) == expected


@pytest.mark.parametrize(
    ("kind", "key", "raw", "valid"),
    [
        ("broker", "num.partitions", "6", True),
        ("broker", "num.partitions", " 6 ", True),
        ("broker", "num.partitions", "+6", True),
        ("broker", "num.partitions", "1_000", False),
        ("broker", "num.partitions", 6.0, False),
        ("broker", "num.partitions", True, False),
        ("broker", "num.partitions", "2147483648", False),
        ("broker", "auto.create.topics.enable", "TRUE", True),
        ("broker", "auto.create.topics.enable", "yes", False),
        ("broker", "log.cleaner.min.cleanable.ratio", "0.5", True),
        ("broker", "log.cleaner.min.cleanable.ratio", "1.5", False),
        ("topic", "cleanup.policy", "compact, delete", True),
        ("topic", "cleanup.policy", "compact,", False),
        ("topic", "cleanup.policy", ["delete"], True),
        ("producer", "acks", -1, True),
        ("producer", "acks", "ALL", False),
        ("producer", "security.protocol", "sasl_ssl", True),
        ("producer", "compression.gzip.level", 9, True),
        ("producer", "compression.gzip.level", -1, True),
        ("producer", "compression.gzip.level", 0, False),
        ("producer", "key.serializer", "org.apache.kafka.common.serialization.StringSerializer", True),
        ("producer", "key.serializer", "String Serializer", False),
        ("zookeeper", "tickTime", "2000", True),
        ("zookeeper", "initLimit", 0, False),
    ],
)
def test_values_are_read_as_kafka_reads_them(kind: str, key: str, raw: Any, valid: bool) -> None:
    result = schema_pass.check_setting(kind, V39, key, raw)
    assert (result is None) == valid, result


@pytest.mark.parametrize(
    ("kind", "key", "version", "rule", "text"),
    [
        ("broker", "num.partition", V39, "KL002", "did you mean 'num.partitions'?"),
        ("broker", "retention.ms", V39, "KL002", "the broker key is 'log.retention.ms'"),
        ("topic", "log.retention.ms", V39, "KL002", "the topic key is 'retention.ms'"),
        ("topic", "max.message.bytes", V39, None, ""),
        ("broker", "zookeeper.connect", V40, "KL003", "removed in Kafka 4.0"),
        ("broker", "zookeeper.connect", V39, None, ""),
        ("broker", "log.message.format.version", V40, "KL003", "removed in Kafka 4.0"),
        ("topic", "message.format.version", V40, "KL003", "removed in Kafka 4.0"),
        ("broker", "offsets.commit.required.acks", V40, "KL003", "removed in Kafka 4.0"),
        ("producer", "auto.include.jmx.reporter", V40, "KL003", "removed in Kafka 4.0"),
        ("broker", "metrics.jmx.blacklist", V40, "KL003", "removed in Kafka 4.0"),
        ("broker", "metrics.jmx.blacklist", V39, None, ""),
        ("broker", "metrics.jmx.exclude", V40, None, ""),
        ("broker", "listener.name.internal.ssl.keystore.location", V39, None, ""),
        ("broker", "super.users", V39, None, ""),
        ("producer", "schema.registry.url", V39, None, ""),
        ("consumer", "specific.avro.reader", V39, None, ""),
        ("producer", "basic.auth.user.info", V39, None, ""),
        ("producer", "apicurio.registry.url", V39, None, ""),
        ("producer", "schema.registy.url", V39, "KL002", ""),
        ("zookeeper", "server.12", V39, None, ""),
        ("zookeeper", "tikTime", V39, "KL002", "did you mean 'tickTime'?"),
    ],
)
def test_unknown_and_removed_keys(kind: str, key: str, version: KafkaVersion, rule: str | None, text: str) -> None:
    result = schema_pass.check_setting(kind, version, key, "1")
    if rule is None:
        assert result is None or result[0] == "KL001"
    else:
        assert result is not None and result[0] == rule
        assert text in result[1]


def test_a_key_newer_than_the_target_says_when_it_arrived() -> None:
    v37 = KafkaVersion.parse("3.7.0")
    result = schema_pass.check_setting("producer", v37, "compression.gzip.level", "5")
    assert result is not None and result[0] == "KL002" and "arrived in Kafka 3.8" in result[1]


def test_messages_follow_kafka() -> None:
    assert schema_pass.check_setting("broker", V39, "min.insync.replicas", "0") == (
        "KL001",
        "invalid value 0 for min.insync.replicas: the value must be at least 1",
        "Kafka's validator for min.insync.replicas is [1,...]",
    )
    result = schema_pass.check_setting("topic", V39, "cleanup.policy", "compact,delet")
    assert result is not None and result[1:] == (
        "invalid value delet for cleanup.policy: Kafka accepts one of compact, delete",
        "use 'delete'",
    )
    result = schema_pass.check_setting("producer", V39, "linger.ms", None)
    assert result is not None and result[1] == "linger.ms has no value"


def test_one_list_of_catalogued_releases() -> None:
    """Every release of versions.CATALOGUE_RELEASES has its file (of that release), and no other file exists."""
    from kafkalint.versions import CATALOGUE_RELEASES

    root = schema_gen.shipped_path("broker").parent.parent / "catalogue"
    files = sorted(path.name for path in root.glob("kafka-*.json"))
    assert files == sorted(f"kafka-{'.'.join(release.split('.')[:2])}.json" for release in CATALOGUE_RELEASES)
    for release in CATALOGUE_RELEASES:
        assert catalogue.load("broker", KafkaVersion.parse(release)).version == release
    assert {"2.8", "3.0", "3.5", "3.9", "4.0", "4.4"} <= {line.line for line in catalogue._available_lines()}


@pytest.mark.parametrize("version", ["4.2.2", "4.3.1", "4.4.0"])
@pytest.mark.parametrize(
    ("kind", "key", "raw", "valid"),
    [
        ("broker", "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", True),
        ("broker", "log.dirs", "/var/lib/kafka/a, /var/lib/kafka/b", True),
        ("producer", "bootstrap.servers", "kafka1:9092,kafka2:9092", True),
        ("broker", "log.dirs", ["/a", "/b"], True),
        # 4.2+ (KIP-1161): no item twice, no empty item, no empty list where it is required
        ("broker", "log.dirs", "/a,/a", False),
        ("broker", "log.dirs", "/a,,/b", False),
        ("producer", "bootstrap.servers", "", False),
    ],
)
def test_list_keys_from_4_2_are_lists(kind: str, key: str, raw: object, valid: bool, version: str) -> None:
    result = schema_pass.check_setting(kind, KafkaVersion.parse(version), key, raw)
    assert (result is None) == valid, result


def test_list_keys_before_4_2_take_duplicates() -> None:
    assert schema_pass.check_setting("broker", V39, "log.dirs", "/a,/a") is None


@pytest.mark.parametrize(
    ("version", "key", "rule"),
    [
        ("2.5.0", "port", None),
        ("2.7.0", "advertised.port", None),
        ("2.8.2", "host.name", None),
        ("3.0.0", "port", "KL003"),
        ("3.9.1", "advertised.host.name", "KL003"),
        ("4.0.0", "advertised.port", "KL003"),
    ],
)
def test_keys_removed_in_3_0(version: str, key: str, rule: str | None) -> None:
    result = schema_pass.check_setting("broker", KafkaVersion.parse(version), key, "9092")
    assert (result[0] if result else None) == rule
    if rule:
        assert result is not None and "removed in Kafka 3.0" in result[1]


@pytest.mark.parametrize(
    ("kind", "key", "version", "default"),
    [
        ("producer", "retries", "2.0.1", 0),
        ("producer", "retries", "2.1.0", 2147483647),
        ("broker", "zookeeper.session.timeout.ms", "2.4.1", 6000),
        ("broker", "zookeeper.session.timeout.ms", "2.5.0", 18000),
        ("broker", "replica.lag.time.max.ms", "2.4.1", 10000),
        ("consumer", "request.timeout.ms", "1.1.1", 305000),
        ("broker", "unclean.leader.election.enable", "0.10.2", True),
        ("broker", "unclean.leader.election.enable", "2.0.0", False),
        ("producer", "acks", "2.8.2", "1"),
        ("producer", "acks", "3.0.2", "all"),
    ],
)
def test_defaults_before_the_oldest_catalogue(kind: str, key: str, version: str, default: Any) -> None:
    assert ConfigMap(kind, KafkaVersion.parse(version)).get(key) == default


def test_a_version_older_than_every_catalogue_gets_a_notice(tmp_path: Any) -> None:
    from kafkalint import cli, engine

    path = tmp_path / "server.properties"
    path.write_text("broker.id=1\nport=9092\n", encoding="utf-8")
    # The context is stated, so the only notice is the version's.
    context = ["--no-config", "--environment", "development", "--brokers", "1"]
    old = engine.run_paths([str(path)], cli.config_from_options([*context, "--kafka-version", "2.5"]))
    assert [notice.message.split(":")[0] for notice in old.notices] == [
        "Kafka 2.5.0 is older than the oldest catalogue (2.8)"
    ]
    assert not [finding for finding in old.findings if finding.rule_id in ("KL002", "KL003")]
    new = engine.run_paths([str(path)], cli.config_from_options([*context, "--kafka-version", "2.8"]))
    assert not new.notices


@pytest.mark.parametrize(
    ("version", "key", "raw", "valid"),
    [
        ("3.9.1", "inter.broker.protocol.version", "3.9", True),
        ("3.9.1", "inter.broker.protocol.version", "3.9-IV0", True),
        ("3.9.1", "inter.broker.protocol.version", "3.9.1", True),
        ("3.9.1", "inter.broker.protocol.version", "4.0", False),
        ("3.9.1", "inter.broker.protocol.version", "3.9-iv0", False),
        ("3.9.1", "controller.quorum.voters", "1@kafka1:9093,2@kafka2:9093", True),
        ("3.9.1", "controller.quorum.voters", "kafka1:9093", False),
        ("3.9.1", "controller.quorum.voters", "1@kafka1:99999", False),
        ("4.0.2", "controller.quorum.bootstrap.servers", "kafka1:9093,[::1]:9093", True),
        ("4.0.2", "controller.quorum.bootstrap.servers", "kafka1", False),
    ],
)
def test_validators_written_as_code(version: str, key: str, raw: str, valid: bool) -> None:
    result = schema_pass.check_setting("broker", KafkaVersion.parse(version), key, raw)
    assert (result is None) == valid, result
