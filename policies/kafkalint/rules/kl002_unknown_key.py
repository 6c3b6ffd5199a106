"""A config key that the config kind and Kafka version do not know: usually a typo.

**What it checks.** Every explicit key of every broker, topic, producer profile, consumer and
ZooKeeper server against the keys of its kind in the target version's catalogue (generated
from Kafka's ``ConfigDef``). The finding suggests the closest known key (``num.partition`` ->
``num.partitions``), or says which Kafka release introduced the key when a newer one knows it.
A key that an *older* release knew and the target dropped is KL003's finding instead.

Keys that are not typos, read outside Kafka's ``ConfigDef``, are accepted without a finding:

- brokers: per-listener overrides ``listener.name.<listener>.<key>``, the authorizer's
  ``super.users`` and ``allow.everyone.if.no.acl.found``, remote-storage plugin settings
  under ``rsm.config.`` and ``rlmm.config.``;
- brokers and clients: the JMX reporter's ``metrics.jmx.include`` / ``exclude`` (and, before
  Kafka 4.0, ``metrics.jmx.blacklist`` / ``whitelist``);
- producers and consumers: the settings of widespread serializers that live in the same
  client properties, i.e. Confluent Schema Registry and compatible registries
  (``schema.registry.url``, ``schema.registry.*``, ``basic.auth.*``, ``bearer.auth.*``,
  ``auto.register.schemas``, ``use.latest.version``, ``*.subject.name.strategy``,
  ``specific.avro.reader``, ``specific.protobuf.*.type``, ``json.*`` serializer options, ...),
  Apicurio (``apicurio.*``) and Confluent's monitoring interceptor;
- ZooKeeper: ``server.N``, ``group.N``, ``weight.N``, ``authProvider.*`` and explicit
  ``zookeeper.*`` system properties (ZooKeeper turns any other unknown key into a system
  property, so a typo is silently ignored: that is what this rule catches).

**Why.** Kafka ignores an unknown key: it only logs ``These configurations '[num.partition]'
were supplied but are not used yet.`` and runs with the default (here ``num.partitions=1``),
so the setting the author meant never takes effect.

**Options.** ``allow``: anything else a plugin of yours reads, as a list of exact keys or
regular expressions (``^myco\\.``)::

    rules:
      KL002: {options: {allow: ["my.partitioner.seed", "^myco\\\\."]}}

Problematic::

    kafka_broker_properties:
      num.partition: 6                # ignored: topics get 1 partition
      retention.ms: 86400000          # a topic key; the broker's is log.retention.ms

Correct::

    kafka_broker_properties:
      num.partitions: 6
      log.retention.ms: 86400000

**Source.** ``AbstractConfig.logUnused`` (``kafka-clients``); the ``ConfigDef`` of
``KafkaConfig``, ``LogConfig``, ``ProducerConfig`` and ``ConsumerConfig`` per release
(``policies/kafkalint/catalogue/``); ZooKeeper ``QuorumPeerConfig.parseProperties``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import schema_pass
from kafkalint.findings import Finding, Severity

ID = "KL002"
NAME = "unknown-key"
SEVERITY = Severity.ERROR


def _allowed(options: Mapping[str, Any]) -> tuple[set[str], list[re.Pattern[str]]]:
    entries = options.get("allow") or []
    if isinstance(entries, str):
        entries = [entries]
    exact = {str(entry) for entry in entries}
    patterns = []
    for entry in exact:
        try:
            patterns.append(re.compile(entry))
        except re.error:
            continue
    return exact, patterns


def check(model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    exact, patterns = _allowed(options)
    for issue in schema_pass.issues(model, ID):
        if issue.key in exact or any(pattern.search(issue.key) for pattern in patterns):
            continue
        yield issue.finding()
