"""A config key that the target Kafka version removed.

**What it checks.** Every explicit key of every broker, topic, producer profile and consumer
that an older release line's catalogue lists and the target version's does not. The
catalogues cover Kafka 2.8 to 4.4, generated from each release's ``ConfigDef``; the finding
names the first release without the key. For Kafka 3.0 that is ``port``, ``host.name``,
``advertised.port``, ``advertised.host.name`` (use ``listeners`` and
``advertised.listeners``), ``quota.producer.default`` and ``quota.consumer.default``; they
are fine for 2.x targets. For Kafka 4.0 that is, among others, every
``zookeeper.*`` broker key (ZooKeeper mode is gone; KRaft only), ``log.message.format.version``
and ``message.format.version``, ``offsets.commit.required.acks``,
``delegation.token.master.key``, ``metrics.jmx.blacklist`` / ``whitelist`` and
``auto.include.jmx.reporter``.

The roles derive ``zookeeper.connect`` for every broker, so an inventory that targets 4.0
gets this finding on each broker: the roles provision ZooKeeper-mode clusters (Kafka 3.9 is
the last line that has one).

**Why.** A removed key is ignored at best (``These configurations ... were supplied but are
not used yet.``): the behaviour it asked for is silently gone after an upgrade, e.g. the
message format a consumer relied on, or the whole ZooKeeper connection of a broker that then
cannot form a cluster. Removing the line, or replacing it with its successor, is the fix.

Problematic (``kafka_version: "4.0.0"``)::

    kafka_broker_properties:
      log.message.format.version: "2.8"
      zookeeper.session.timeout.ms: 18000

Correct::

    kafka_broker_properties: {}       # 4.0 always writes the v2 record format; KRaft has no ZooKeeper session

**Source.** The Kafka 3.0 upgrade notes (deprecated broker keys removed), KIP-500 and KIP-833
(ZooKeeper removal in 4.0), KIP-724 (message formats v0/v1
dropped), KIP-1030 (4.0 defaults), the Kafka 4.0 upgrade notes; the per-release ``ConfigDef``
catalogues under ``policies/kafkalint/catalogue/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import schema_pass
from kafkalint.findings import Finding, Severity

ID = "KL003"
NAME = "removed-key"
SEVERITY = Severity.ERROR


def check(model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    for issue in schema_pass.issues(model, ID):
        yield issue.finding()
