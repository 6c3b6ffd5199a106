"""A config value that cannot be judged: a placeholder, or a template the loader did not render.

**What it checks.** Every explicit setting of every broker, topic, producer profile, consumer
and ZooKeeper server whose value is not the text Kafka will read, because something replaces
it first:

- a Jinja expression ``{{ kafka_broker_id }}`` (or ``{% ... %}``), in a template linted as it
  stands;
- an environment variable ``${KAFKA_LOG_DIRS}`` (envsubst, Docker images' entrypoints) or a
  Windows variable ``%NUM_PARTITIONS%``;
- a placeholder for a person to fill in, ``<zookeeper-host>``;
- a setting a loader marks as unresolved (a template it would not render), with its reason.

kafkalint does not guess what such a value becomes: KL001 and every other rule stay silent on
it (it reads as unknown), and this rule says so instead of reporting a type error. The key is
still judged where it is written out (``num.partition={{ n }}`` is KL002), except for settings
a loader marked unresolved, whose key may never be rendered.

A Kafka config-provider reference ``${file:/etc/kafka/secrets.properties:password}`` (KIP-297)
is resolved by the broker or client at start-up: with its provider named in
``config.providers`` it is an ``info`` finding (kafkalint cannot check the value); without it,
Kafka reads the reference literally, which is a ``warning`` like any other placeholder.

**Why.** A linter that reports ``{{ kafka_broker_id }}`` as "not a 32-bit integer" cries wolf:
the value will be an integer once rendered. But a placeholder that reaches a broker is a real
failure (``Invalid value {{ kafka_broker_id }} for configuration broker.id``) or, worse, a
string key that Kafka accepts literally: lint what is rendered.

**Where.** The line of the setting.

Problematic (a template linted as if it were the rendered file)::

    broker.id={{ kafka_broker_id }}
    log.dirs=${KAFKA_LOG_DIRS}
    zookeeper.connect=<zookeeper-host>:2181

Correct (the rendered file, or the inventory the template is rendered from)::

    broker.id=1
    log.dirs=/var/lib/kafka/data
    zookeeper.connect=zk1:2181,zk2:2181,zk3:2181/kafka

**Source.** Java ``Properties`` has no placeholders or comments inside values (``a=b # c`` is
the value ``b # c``); Kafka's config providers: KIP-297 (``ConfigProvider``,
``config.providers``) and KIP-421 (brokers). The placeholder forms are those of Jinja2,
POSIX shells and envsubst, and Windows ``cmd``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import schema_pass
from kafkalint.findings import Finding, Severity

ID = "KL005"
NAME = "unresolved-value"
SEVERITY = Severity.WARNING


def check(model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    for issue in schema_pass.issues(model, ID):
        yield issue.finding()
