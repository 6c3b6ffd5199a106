"""What the Java producer makes of a config: its effective ``acks`` and idempotence.

Shared by the producer rules (KL202-KL205, KL211, KL212, KL214); typed reads come from
:mod:`kafkalint.rules._values`. :func:`semantics` replays the checks the real
client runs when ``new KafkaProducer(props)`` is called, so that kafkalint rejects exactly
what Kafka rejects and knows when Kafka silently turns idempotence off:

- from 3.0.1 / 3.1.1 / 3.2.0 (KAFKA-13598, KAFKA-13673; ``ProducerConfig
  .postProcessAndValidateIdempotenceConfigs``): idempotence is on by default; a conflicting
  ``retries=0``, ``acks`` other than ``all`` or (3.x) in-flight above 5 turns the *default*
  off with a log line only, and is an error only when ``enable.idempotence`` is written;
  from 4.0 (KAFKA-17927) in-flight above 5 is an error for the default too;
- before that (``ProducerConfig.idempotenceEnabled`` up to 3.0.0 / 3.1.0): idempotence is on
  only when ``enable.idempotence=true`` is written or a ``transactional.id`` is; then
  ``retries=0``, an explicit ``acks`` other than ``all`` and in-flight above 5 are errors.

A value Kafka cannot parse reads as ``None`` here and makes no conflict: the schema pass
reports it (KL001).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kafkalint import listeners
from kafkalint.facts import memo
from kafkalint.model import ConfigMap, Location
from kafkalint.rules._values import ALL, acks, as_bool, int_value, is_written, raw, shown
from kafkalint.versions import KafkaVersion

IDEMPOTENCE = "enable.idempotence"
ACKS = "acks"
RETRIES = "retries"
IN_FLIGHT = "max.in.flight.requests.per.connection"
TRANSACTIONAL_ID = "transactional.id"

#: The broker keeps the metadata of the last 5 batches per producer (ProducerStateEntry).
MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5

#: Kafka's own messages (ProducerConfig / KafkaProducer), quoted exactly.
ACKS_MESSAGE = (
    "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
)
RETRIES_MESSAGE = "Must set retries to non-zero when using the idempotent producer."
IN_FLIGHT_MESSAGE_3 = "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer."
IN_FLIGHT_MESSAGE_4 = (
    "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. "
    "Current value is {value}."
)
TRANSACTIONAL_MESSAGE = "Cannot set a transactional.id without also enabling idempotence."


def legacy_idempotence(version: KafkaVersion) -> bool:
    """Versions whose producer ignores the ``enable.idempotence`` default (before the fixes
    of 3.0.1, 3.1.1 and 3.2.0)."""
    triple = (version.major, version.minor, version.patch)
    return triple < (3, 0, 1) or triple == (3, 1, 0)


def in_flight_message(version: KafkaVersion, value: int) -> str:
    if version.at_least("4.0"):
        return IN_FLIGHT_MESSAGE_4.format(value=value)
    return IN_FLIGHT_MESSAGE_3


@dataclass(frozen=True)
class Rejection:
    """A config Kafka refuses at producer construction: which rule, which key to change and
    Kafka's exception message."""

    rule_id: str
    key: str
    kafka_message: str


@dataclass(frozen=True)
class Semantics:
    """The producer as the client would run it (when it starts at all)."""

    #: Effective acks (-1 for all), ``None`` when unparsable.
    acks: int | None
    #: Effective idempotence; ``None`` when ``enable.idempotence`` cannot be read.
    idempotent: bool | None
    #: Keys that silently turned the default idempotence off, in Kafka's order of checks
    #: (``enable.idempotence`` itself when it is written as false, or left at an old
    #: version's default).
    disabled_by: tuple[str, ...]
    rejections: tuple[Rejection, ...]

    def rejected(self, rule_id: str) -> list[Rejection]:
        return [rejection for rejection in self.rejections if rejection.rule_id == rule_id]


def semantics(config: ConfigMap) -> Semantics:
    """Replay the idempotence checks of the producer for ``config``'s version (once per
    config and run: seven rules ask)."""
    return memo(config, "producer-semantics", lambda: _semantics(config))


def _semantics(config: ConfigMap) -> Semantics:
    if legacy_idempotence(config.version):
        return _legacy(config)
    return _current(config)


def _current(config: ConfigMap) -> Semantics:
    version = config.version
    explicit = is_written(config, IDEMPOTENCE)
    enabled = as_bool(raw(config, IDEMPOTENCE))
    effective_acks = acks(config)
    if enabled is None:
        return Semantics(effective_acks, None, (), ())
    rejections: list[Rejection] = []
    disabled_by: list[str] = []
    if enabled:
        retries = int_value(config, RETRIES)
        in_flight = int_value(config, IN_FLIGHT)
        if retries == 0:
            if explicit:
                rejections.append(Rejection("KL203", RETRIES, RETRIES_MESSAGE))
            else:
                disabled_by.append(RETRIES)
        if effective_acks is not None and effective_acks != ALL:
            if explicit:
                rejections.append(Rejection("KL202", ACKS, ACKS_MESSAGE))
            else:
                disabled_by.append(ACKS)
        if in_flight is not None and in_flight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE:
            # 3.x only warned ("in v4.0.0 and onward, this will become an error") for the default.
            if explicit or version.at_least("4.0"):
                rejections.append(Rejection("KL204", IN_FLIGHT, in_flight_message(version, in_flight)))
            else:
                disabled_by.append(IN_FLIGHT)
        if disabled_by:
            enabled = False
    elif explicit:
        disabled_by.append(IDEMPOTENCE)
    if not enabled and is_written(config, TRANSACTIONAL_ID):
        rejections.append(Rejection("KL205", disabled_by[0] if disabled_by else IDEMPOTENCE, TRANSACTIONAL_MESSAGE))
    return Semantics(effective_acks, enabled, tuple(disabled_by), tuple(rejections))


def _legacy(config: ConfigMap) -> Semantics:
    version = config.version
    explicit = is_written(config, IDEMPOTENCE)
    value = as_bool(raw(config, IDEMPOTENCE)) if explicit else None
    transactional = is_written(config, TRANSACTIONAL_ID)
    effective_acks = acks(config)
    if explicit and value is None:
        return Semantics(effective_acks, None, (), ())
    rejections: list[Rejection] = []
    if explicit and value is False and transactional:
        rejections.append(Rejection("KL205", IDEMPOTENCE, TRANSACTIONAL_MESSAGE))
    # A transactional.id implies idempotence unless enable.idempotence is written.
    enabled = bool(value) or (transactional and not explicit)
    if enabled:
        retries = int_value(config, RETRIES)
        in_flight = int_value(config, IN_FLIGHT)
        if retries == 0:
            rejections.append(Rejection("KL203", RETRIES, RETRIES_MESSAGE))
        if is_written(config, ACKS) and effective_acks is not None and effective_acks != ALL:
            rejections.append(Rejection("KL202", ACKS, ACKS_MESSAGE))
        if in_flight is not None and in_flight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE:
            rejections.append(Rejection("KL204", IN_FLIGHT, in_flight_message(version, in_flight)))
        if not is_written(config, ACKS):
            effective_acks = ALL  # the old producer overrode the default acks for idempotence
    return Semantics(effective_acks, enabled, () if enabled else (IDEMPOTENCE,), tuple(rejections))


def first_location(config: ConfigMap, keys: Iterable[str]) -> Location:
    """Where the first of ``keys`` that is written is, else where the config is declared."""
    for key in keys:
        if is_written(config, key):
            return config.location_of(key)
    return config.location


def bootstrap_entries(config: ConfigMap) -> list[str]:
    """The written or derived ``bootstrap.servers`` entries, in order."""
    return listeners.entries(raw(config, "bootstrap.servers"))


def causes_text(config: ConfigMap, keys: Iterable[str]) -> str:
    """The settings that turned idempotence off, as written (``acks=1``), for messages."""
    parts = []
    for key in keys:
        if key == IDEMPOTENCE and not is_written(config, key):
            parts.append(f"enable.idempotence not set, which Kafka {config.version} leaves off")
        else:
            parts.append(shown(config, key))
    return ", ".join(parts)
