"""A schema-registry serializer (Avro, Protobuf, JSON Schema) without the registry's URL.

**What it checks.** A producer whose ``key.serializer`` or ``value.serializer`` is a serializer
that looks up schemas in a registry, while the registry's URL key is missing or empty:

- Confluent (``schema.registry.url``): ``io.confluent.kafka.serializers.KafkaAvroSerializer``,
  ``io.confluent.kafka.serializers.protobuf.KafkaProtobufSerializer``,
  ``io.confluent.kafka.serializers.json.KafkaJsonSchemaSerializer`` and the Kafka Streams
  serdes' ``GenericAvroSerializer`` / ``SpecificAvroSerializer`` /
  ``ReflectionAvroSerializer``;
- Apicurio Registry (``apicurio.registry.url``): ``AvroKafkaSerializer``,
  ``ProtobufKafkaSerializer``, ``JsonSchemaKafkaSerializer`` of
  ``io.apicurio.registry.serde.*`` (2.x / 3.x) and ``io.apicurio.registry.utils.serde``
  (1.x).

Plain ``StringSerializer``, ``ByteArraySerializer`` or Confluent's schemaless
``KafkaJsonSerializer`` need no registry and are not judged.

**Why.** These serializers register or fetch the record's schema in the registry and write its
id into every record (the seeds list Avro, JSON and Protobuf serializers beside the plain
ones). Without the URL the serializer's ``configure()`` throws a ``ConfigException`` and the
producer fails to construct: nothing Kafka's own config validation would catch, since the key
belongs to the serializer.

Problematic::

    value.serializer=io.confluent.kafka.serializers.KafkaAvroSerializer

Correct::

    value.serializer=io.confluent.kafka.serializers.KafkaAvroSerializer
    schema.registry.url=https://schema-registry.example.com:8081

**Source.** Confluent documentation, "Schema Registry serializer and formatter"
(``schema.registry.url`` is required; ``AbstractKafkaSchemaSerDeConfig``); Apicurio Registry
documentation, ``SerdeConfig.REGISTRY_URL`` ("Required when using any Apicurio Registry serde
class"); seeds ``001`` (the serializer table).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import as_list, location_of

ID = "KL213"
NAME = "schema-registry-url"
SEVERITY = Severity.ERROR

CONFLUENT_URL = "schema.registry.url"
APICURIO_URL = "apicurio.registry.url"
SERIALIZERS = ("key.serializer", "value.serializer")

#: Serializer class -> the key that names its registry.
REGISTRY_SERIALIZERS: dict[str, str] = {
    "io.confluent.kafka.serializers.KafkaAvroSerializer": CONFLUENT_URL,
    "io.confluent.kafka.serializers.protobuf.KafkaProtobufSerializer": CONFLUENT_URL,
    "io.confluent.kafka.serializers.json.KafkaJsonSchemaSerializer": CONFLUENT_URL,
    "io.confluent.kafka.streams.serdes.avro.GenericAvroSerializer": CONFLUENT_URL,
    "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerializer": CONFLUENT_URL,
    "io.confluent.kafka.streams.serdes.avro.ReflectionAvroSerializer": CONFLUENT_URL,
    "io.apicurio.registry.serde.avro.AvroKafkaSerializer": APICURIO_URL,
    "io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer": APICURIO_URL,
    "io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer": APICURIO_URL,
    "io.apicurio.registry.utils.serde.AvroKafkaSerializer": APICURIO_URL,
    "io.apicurio.registry.utils.serde.ProtobufKafkaSerializer": APICURIO_URL,
    "io.apicurio.registry.utils.serde.JsonSchemaKafkaSerializer": APICURIO_URL,
}


def _missing(config: ConfigMap) -> dict[str, list[str]]:
    """Registry URL keys the serializers need and the config lacks -> the serializers."""
    needs: dict[str, list[str]] = {}
    for key in SERIALIZERS:
        setting = config.explicit(key)
        if setting is None or setting.raw is None:
            continue
        class_name = str(setting.raw).strip()
        url_key = REGISTRY_SERIALIZERS.get(class_name)
        if url_key is not None:
            needs.setdefault(url_key, []).append(f"{key}={class_name.rsplit('.', 1)[-1]}")
    missing: dict[str, list[str]] = {}
    for url_key, users in needs.items():
        setting = config.explicit(url_key)
        if setting is None or not as_list(setting.raw):
            missing[url_key] = users
    return missing


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        for profile in producers_where(cluster, lambda profile: bool(_missing(profile.config))):
            config = profile.config
            for url_key, users in _missing(config).items():
                yield Finding(
                    rule_id=ID,
                    message=message(
                        f"{' and '.join(users)} without {url_key}",
                        "the serializer cannot look up schemas, and the producer fails to start",
                        f"set {url_key} to the schema registry's URL",
                    ),
                    location=location_of(config, url_key),
                    subject=profile_subject(profile),
                    hint=f"e.g. {url_key}=https://schema-registry.example.com:8081",
                )
