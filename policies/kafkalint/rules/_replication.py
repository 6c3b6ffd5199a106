"""Replication as topics get it: the replication factor and min.insync.replicas of each topic
and of the broker defaults, with the line a person changes for each.

Shared by the durability rules (KL101-KL106, KL109). A topic's own ``replication_factor`` and
``min.insync.replicas`` win; a topic without them inherits the brokers'
``default.replication.factor`` / ``min.insync.replicas`` (the cluster's reference broker's,
:func:`kafkalint.rules._cluster.reference_broker`). :func:`replication_problems` groups what a
rule finds at the line to change, so a broker default shared by many topics is one finding.

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kafkalint.facts import memo, topics_where
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Topic, coerce
from kafkalint.rules._cluster import reference_broker
from kafkalint.rules._report import Collector, names
from kafkalint.rules._values import authored, int_value, where_to_change


@dataclass(frozen=True)
class Replication:
    """Replication factor and min.insync.replicas as one subject (a topic, or the broker
    defaults of one broker) sees them, with the lines to change for each."""

    subject: str
    rf: int
    rf_location: Location
    min_isr: int
    min_isr_location: Location
    #: The topic's own ``replication_factor`` / ``min.insync.replicas`` (False: inherited).
    topic_rf: bool = False
    topic_min_isr: bool = False
    topic: Topic | None = None
    broker: Broker | None = None


def broker_replication(broker: Broker) -> Replication | None:
    """``default.replication.factor`` with ``min.insync.replicas`` of one broker: what a topic
    created without overrides (or auto-created) gets."""
    rf = int_value(broker.config, "default.replication.factor")
    min_isr = int_value(broker.config, "min.insync.replicas")
    if rf is None or min_isr is None:
        return None
    return Replication(
        subject="default.replication.factor",
        rf=rf,
        rf_location=where_to_change(broker.config, "default.replication.factor"),
        min_isr=min_isr,
        min_isr_location=where_to_change(broker.config, "min.insync.replicas"),
        broker=broker,
    )


@dataclass(frozen=True)
class BrokerDefaults:
    """default.replication.factor and min.insync.replicas as a topic without its own inherits
    them (from the cluster's reference broker), with the lines that set them (``None``: Kafka's
    default, nowhere written)."""

    rf: int | None
    rf_location: Location | None
    min_isr: int | None
    min_isr_location: Location | None


def _reference_int(cluster: Cluster, key: str) -> tuple[int | None, Location | None]:
    broker = reference_broker(cluster, key)
    if broker is None:
        return int_value(ConfigMap("broker", cluster.version), key), None
    return int_value(broker.config, key), where_to_change(broker.config, key)


def broker_defaults(cluster: Cluster) -> BrokerDefaults:
    """What topics without their own replication settings inherit (once per run)."""
    return memo(cluster, "broker-defaults", lambda: _broker_defaults(cluster))


def _broker_defaults(cluster: Cluster) -> BrokerDefaults:
    rf, rf_location = _reference_int(cluster, "default.replication.factor")
    min_isr, min_isr_location = _reference_int(cluster, "min.insync.replicas")
    return BrokerDefaults(rf, rf_location, min_isr, min_isr_location)


def topic_values(topic: Topic, defaults: BrokerDefaults) -> tuple[int | None, int | None]:
    """The topic's effective (replication factor, min.insync.replicas), cheaply."""
    rf = topic.replication_factor if topic.replication_factor is not None else defaults.rf
    setting = topic.config.settings.get("min.insync.replicas")
    if setting is None:
        return rf, defaults.min_isr
    min_isr = coerce(setting.raw, "INT")
    return rf, min_isr if isinstance(min_isr, int) else None


def topic_replication(cluster: Cluster, topic: Topic, defaults: BrokerDefaults | None = None) -> Replication | None:
    """The effective replication of a declared topic: its own values, else the brokers'."""
    if defaults is None:
        defaults = broker_defaults(cluster)
    rf, min_isr = topic_values(topic, defaults)
    if rf is None or min_isr is None:
        return None
    own_rf = topic.replication_factor is not None
    own_min_isr = "min.insync.replicas" in topic.config
    if own_rf:
        rf_location = topic.replication_factor_location or topic.location
    else:
        rf_location = defaults.rf_location or topic.config.location
    if own_min_isr:
        min_isr_location = topic.config.location_of("min.insync.replicas")
    else:
        min_isr_location = defaults.min_isr_location or topic.config.location
    return Replication(
        subject=f"topic {topic.name}",
        rf=rf,
        rf_location=rf_location,
        min_isr=min_isr,
        min_isr_location=min_isr_location,
        topic_rf=own_rf,
        topic_min_isr=own_min_isr,
        topic=topic,
    )


def default_replication(cluster: Cluster) -> Replication | None:
    """The broker defaults as the cluster's reference broker has them."""
    broker = reference_broker(cluster, "min.insync.replicas")
    return broker_replication(broker) if broker is not None else None


# -- where a replication problem is fixed --------------------------------------------------

#: Kinds of :func:`replication_problems` groups: the line to change is the min.insync.replicas
#: setting, the brokers' default.replication.factor, or the topic's replication_factor.
MIN_ISR, DEFAULT_RF, TOPIC_RF = "min.insync.replicas", "default.replication.factor", "replication_factor"


def _defaults_place(pair: Replication) -> tuple[Location, str]:
    """Where a problem of the broker defaults is fixed: min.insync.replicas, unless only
    default.replication.factor was written by a person."""
    broker = pair.broker
    if (
        broker is not None
        and not authored(broker.config, "min.insync.replicas")
        and authored(broker.config, "default.replication.factor")
    ):
        return pair.rf_location, DEFAULT_RF
    return pair.min_isr_location, MIN_ISR


def replication_problems(cluster: Cluster, bad: Callable[[int, int], bool]) -> Collector[Replication]:
    """Every subject (broker defaults of each broker, each declared topic) whose replication
    is ``bad``, grouped at the line to change:

    - a topic's own min.insync.replicas: that line;
    - a topic's own replication_factor with inherited min.insync.replicas: the replication
      factor line, unless the broker defaults have the same problem with the same values
      (then the topic is named in the broker defaults' finding);
    - a topic that inherits both: the broker defaults' finding.
    """
    found: Collector[Replication] = Collector()
    for broker in cluster.brokers:
        pair = broker_replication(broker)
        if pair is not None and bad(pair.rf, pair.min_isr):
            found.add(*_defaults_place(pair), pair)
    defaults = default_replication(cluster)
    defaults_bad = defaults is not None and bad(defaults.rf, defaults.min_isr)
    inherited = broker_defaults(cluster)

    def is_bad(topic: Topic) -> bool:
        rf, min_isr = topic_values(topic, inherited)
        return rf is not None and min_isr is not None and bad(rf, min_isr)

    for topic in topics_where(cluster, is_bad):
        pair = topic_replication(cluster, topic, inherited)
        if pair is None:  # pragma: no cover - the values above were complete
            continue
        if pair.topic_min_isr:
            found.add(pair.min_isr_location, MIN_ISR, pair)
        elif defaults is not None and defaults_bad and (pair.rf, pair.min_isr) == (defaults.rf, defaults.min_isr):
            found.add(*_defaults_place(defaults), pair)
        elif pair.topic_rf:
            found.add(pair.rf_location, TOPIC_RF, pair)
        else:
            found.add(pair.min_isr_location, MIN_ISR, pair)
    return found


def subject_phrase(pair: Replication) -> str:
    """``topic orders`` or ``new topics (default.replication.factor)``."""
    return pair.subject if pair.topic is not None else "new topics (default.replication.factor)"


def subjects(items: Iterable[Replication]) -> str:
    return names(subject_phrase(item) for item in items)


@dataclass(frozen=True)
class Factor:
    """A replication factor as one subject has it, with the line that sets it."""

    subject: str
    rf: int
    location: Location
    topic: Topic | None = None


def replication_factors(cluster: Cluster, wanted: Callable[[int], bool]) -> list[Factor]:
    """The replication factors that are ``wanted`` (a rule's condition): default.replication.factor
    of each broker, then each declared topic's effective factor; a topic without its own
    points at the brokers' setting."""
    result: list[Factor] = []
    for broker in cluster.brokers:
        rf = int_value(broker.config, "default.replication.factor")
        if rf is not None and wanted(rf):
            where = where_to_change(broker.config, "default.replication.factor")
            result.append(Factor("new topics (default.replication.factor)", rf, where))
    inherited = broker_defaults(cluster)
    inherited_wanted = inherited.rf is not None and wanted(inherited.rf)

    def is_wanted(topic: Topic) -> bool:
        rf = topic.replication_factor
        return wanted(rf) if rf is not None else inherited_wanted

    for topic in topics_where(cluster, is_wanted):
        rf = topic.replication_factor
        if rf is not None:
            if wanted(rf):
                where = topic.replication_factor_location or topic.location
                result.append(Factor(f"topic {topic.name}", rf, where, topic))
        elif inherited_wanted and inherited.rf is not None:
            where = inherited.rf_location or topic.config.location
            result.append(Factor(f"topic {topic.name}", inherited.rf, where, topic))
    return result
