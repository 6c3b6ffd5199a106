"""A key or value cannot be written as the one property it means: it holds a line break or another control character.

**What it checks.** Every setting the roles render into a properties file (a broker's
``server.properties``, a ZooKeeper server's ``zoo.cfg``, a producer profile's
``.properties``), from the inventory or derived from it: the key must not be empty and must not
hold whitespace, ``=``, ``:``, a leading ``#`` or ``!`` or a control character; the value must
not hold a control character (carriage return, line feed, form feed, tab, NUL, ...). Files read
as they are (a ``server.properties`` given on the command line) are what the broker reads, and
are not checked.

**Why.** A value with a carriage return, written as it is, becomes a second line of the file:
``log.retention.hours: "168\\runclean.leader.election.enable=true"`` in an inventory would turn
unclean leader election on, and that line was never judged. kafkalint's renderer
(``kafkalint.effective.render``, which the roles use) escapes as ``java.util.Properties.store``
does, so the file holds exactly the one property written; but no Kafka or ZooKeeper setting
takes a line break or a key with a separator in it, so such a setting is a mistake or an
injection, and the broker would reject or misread the value.

**Where.** The line of the key (an inventory value) or of the variable the key is derived from
(``ansible_host`` for ``advertised.listeners``), once for a line several hosts share.

Problematic::

    kafka_broker_properties:
      log.retention.hours: "168\\runclean.leader.election.enable=true"
      "num partitions": 6

Correct::

    kafka_broker_properties:
      log.retention.hours: 168
      num.partitions: 6

**Source.** ``java.util.Properties.load`` (a line ends at ``\\n``, ``\\r`` or ``\\r\\n``; the key
ends at the first unescaped ``=``, ``:`` or whitespace) and ``Properties.store`` (which escapes
them); Kafka reads ``server.properties`` with ``Utils.loadProps`` and ZooKeeper ``zoo.cfg`` with
``QuorumPeerConfig.parse``, both through ``Properties.load``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import facts, redact
from kafkalint.effective import unwritable
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model, ProducerProfile
from kafkalint.rules._report import Collector, message, names

ID = "KL006"
NAME = "unwritable-property"
SEVERITY = Severity.ERROR

#: The layers the roles render (a file given as it is is not rendered).
RENDERED = ("inventory", "derived")
HINT = "a key is a dotted name and a value one line of text; the renderer escapes the rest, no setting takes it"


def _configs(model: Model) -> Iterator[tuple[str, str, ConfigMap]]:
    for cluster in model.clusters:
        for broker in cluster.nodes:
            yield f"broker {broker.name}", "server.properties", broker.config
        for node in cluster.zookeepers:
            yield f"zookeeper {node.name}", "zoo.cfg", node.config
        # 10,000 profiles on a big estate, written alike: a verdict reads keys and raw values
        # only, so one profile of each shape is judged (kafkalint.facts)
        for profile in facts.producers_where(cluster, _has_unwritable):
            yield f"profile {profile.name}", f"{profile.name}.properties", profile.config


def _has_unwritable(profile: ProducerProfile) -> bool:
    return any(
        setting.layer in RENDERED and unwritable(setting.key, setting.raw) is not None for setting in profile.config
    )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    collector: Collector[str] = Collector()
    for subject, file_name, config in _configs(model):
        for setting in config:
            if setting.layer not in RENDERED:
                continue
            why = unwritable(setting.key, setting.raw)
            if why is not None:
                text = message(
                    f"{redact.quote(setting.key)}: {why}",
                    f"it cannot be written as one line of {file_name}",
                    "remove it: Kafka and ZooKeeper settings never hold one",
                )
                collector.add(setting.location, text, subject)
    for group in collector:
        yield Finding(ID, group.kind, group.location, names(group.items), HINT)
