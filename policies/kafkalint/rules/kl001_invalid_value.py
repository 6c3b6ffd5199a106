"""A config value has the wrong type, is out of range, or is not one of the allowed values.

**What it checks.** Every explicit setting of every broker, topic, producer profile, consumer
and ZooKeeper server, against the JSON Schema of its kind for the target Kafka version
(``policies/kafkalint/schemas/<kind>.schema.json`` for the default version). The schemas are
generated from Kafka's own ``ConfigDef`` (``KafkaConfig``, ``LogConfig``, ``ProducerConfig``,
``ConsumerConfig``): the key's type (INT, LONG, DOUBLE, BOOLEAN, LIST, CLASS, ...), the range
of a ``Range`` validator (``[1,...]``), and the choices of a ``ValidString`` / ``ValidList``
validator (``[all, -1, 0, 1]``). ZooKeeper keys come from its administrator's guide.

A value is read as Kafka reads it: ``"5"`` is the integer 5, ``TRUE`` and ``false`` are
booleans (case-insensitive), ``"a, b"`` is a two-item list, surrounding blanks are trimmed;
``1.5`` or ``1_000`` is not an integer, ``yes`` is not a boolean. A key with no value at all
(``linger.ms:`` in YAML) is reported too: the role would render it as the text ``None``.

**Why.** Kafka refuses such a configuration outright: the broker does not start, the topic is
not created, the producer is not constructed. Kafka's text is ``Invalid value 0 for
configuration min.insync.replicas: Value must be at least 1`` (``ConfigException``); for a
choice, ``String must be one of: all, -1, 0, 1``. Found in a pull request, it costs a review
comment; found by a rolling restart, it costs a broker.

An invalid ``compression.type`` is left to KL404, which knows which values belong to which
kind and quotes Kafka's message for it. A placeholder (``{{ broker_id }}``, ``${LOG_DIRS}``)
is not a wrong value but one that cannot be judged: KL005 reports it. Java properties have no
inline comments, so ``acks=all # safest`` is the value ``all # safest``: the finding says so.

Validators that Kafka writes as code rather than as a ``Range`` or a list of choices (the
version parser of ``inter.broker.protocol.version``, ``controller.quorum.voters``'
``{id}@{host}:{port}``, the throttled-replica lists, 4.x ``auto.offset.reset``) are modelled
from Kafka's source, and every catalogue's verdicts are checked against Kafka's own
``ConfigDef`` in the JVM, key by key and value by value (``make jvm``). One difference is
accepted: a well-formed class name that is not on kafkalint's classpath is not reported (the
class is the application's).

**Where.** The line of the value: the key inside ``kafka_broker_properties``, the topic's or
the profile's ``config``, or the line of the ``.properties`` file.

Problematic::

    kafka_broker_properties:
      min.insync.replicas: 0          # Value must be at least 1
    kafka_producer_profiles:
      - {name: app, config: {acks: two, linger.ms: 1.5}}

Correct::

    kafka_broker_properties:
      min.insync.replicas: 2
    kafka_producer_profiles:
      - {name: app, config: {acks: all, linger.ms: 5}}

**Source.** ``org.apache.kafka.common.config.ConfigDef`` (``parseType``, ``Range``,
``ValidString``, ``ValidList``, ``CaseInsensitiveValidString``) in the Kafka release's
``kafka-clients`` jar; the catalogue is regenerated from the jars by
``scripts/gen_catalogue.py``. ZooKeeper: Administrator's Guide 3.8, configuration parameters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import schema_pass
from kafkalint.findings import Finding, Severity

ID = "KL001"
NAME = "invalid-value"
SEVERITY = Severity.ERROR


def check(model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    for issue in schema_pass.issues(model, ID):
        yield issue.finding()
