"""Rule KL213 on models built in Python (its fixtures: tests/fixtures/rules/KL213/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from rulekit import (
    lines,
    producer_findings,
)

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
    assert findings[0].message.endswith("; set apicurio.registry.url to the schema registry's URL")


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
