"""What the Java producer makes of a config: typed values, ``acks`` and idempotence.

Shared by the producer rules (KL201-KL214). :func:`semantics` replays the checks the real
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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalint.model import Cluster, ConfigMap, Location, ProducerProfile, Topic
from kafkalint.versions import KafkaVersion

IDEMPOTENCE = "enable.idempotence"
ACKS = "acks"
RETRIES = "retries"
IN_FLIGHT = "max.in.flight.requests.per.connection"
TRANSACTIONAL_ID = "transactional.id"

#: The broker keeps the metadata of the last 5 batches per producer (ProducerStateEntry).
MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5
INT_MAX = 2**31 - 1

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


def as_int(value: Any) -> int | None:
    """An integer as Kafka parses INT / LONG values; ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def as_bool(value: Any) -> bool | None:
    """A boolean as Kafka parses BOOLEAN values (``true`` / ``false``, any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "false"):
            return text == "true"
    return None


def as_list(value: Any) -> list[str]:
    """A LIST value: comma-separated text or a sequence, blanks dropped."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(",") if item.strip()]


def parse_acks(value: Any) -> int | None:
    """``acks`` as the producer uses it: ``all`` and ``-1`` are -1 (ProducerConfig.parseAcks);
    ``None`` for anything the validator ``[all, -1, 0, 1]`` refuses."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if text == "all":
        return -1
    if text in ("-1", "0", "1"):
        return int(text)
    return None


def acks_text(acks: int | None) -> str:
    return "all" if acks == -1 else str(acks)


def is_written(config: ConfigMap, key: str) -> bool:
    """Whether ``key`` is among the producer's own properties (Kafka's ``originals()``)."""
    setting = config.explicit(key)
    return setting is not None and setting.raw is not None


def written(config: ConfigMap, key: str) -> str:
    """How ``key`` reads in the config, ``key=value``, for messages."""
    setting = config.explicit(key)
    if setting is None:
        return f"{key} (default {render(config.get(key))})"
    return f"{key}={render(setting.raw)}"


def render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


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
    """Replay the idempotence checks of the producer for ``config``'s version."""
    if legacy_idempotence(config.version):
        return _legacy(config)
    return _current(config)


def _current(config: ConfigMap) -> Semantics:
    version = config.version
    explicit = is_written(config, IDEMPOTENCE)
    enabled = as_bool(config.get(IDEMPOTENCE))
    acks = parse_acks(config.get(ACKS))
    if enabled is None:
        return Semantics(acks, None, (), ())
    rejections: list[Rejection] = []
    disabled_by: list[str] = []
    if enabled:
        retries = as_int(config.get(RETRIES))
        in_flight = as_int(config.get(IN_FLIGHT))
        if retries == 0:
            if explicit:
                rejections.append(Rejection("KL203", RETRIES, RETRIES_MESSAGE))
            else:
                disabled_by.append(RETRIES)
        if acks is not None and acks != -1:
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
    return Semantics(acks, enabled, tuple(disabled_by), tuple(rejections))


def _legacy(config: ConfigMap) -> Semantics:
    version = config.version
    explicit = is_written(config, IDEMPOTENCE)
    value = as_bool(config.get(IDEMPOTENCE)) if explicit else None
    transactional = is_written(config, TRANSACTIONAL_ID)
    acks = parse_acks(config.get(ACKS))
    if explicit and value is None:
        return Semantics(acks, None, (), ())
    rejections: list[Rejection] = []
    if explicit and value is False and transactional:
        rejections.append(Rejection("KL205", IDEMPOTENCE, TRANSACTIONAL_MESSAGE))
    # A transactional.id implies idempotence unless enable.idempotence is written.
    enabled = bool(value) or (transactional and not explicit)
    if enabled:
        retries = as_int(config.get(RETRIES))
        in_flight = as_int(config.get(IN_FLIGHT))
        if retries == 0:
            rejections.append(Rejection("KL203", RETRIES, RETRIES_MESSAGE))
        if is_written(config, ACKS) and acks is not None and acks != -1:
            rejections.append(Rejection("KL202", ACKS, ACKS_MESSAGE))
        if in_flight is not None and in_flight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE:
            rejections.append(Rejection("KL204", IN_FLIGHT, in_flight_message(version, in_flight)))
        if not is_written(config, ACKS):
            acks = -1  # the old producer overrode the default acks for idempotence
    return Semantics(acks, enabled, () if enabled else (IDEMPOTENCE,), tuple(rejections))


def subject(profile: ProducerProfile) -> str:
    return f"profile {profile.name}"


def first_location(config: ConfigMap, keys: Iterable[str]) -> Location:
    """Where the first of ``keys`` that is written is, else where the config is declared."""
    for key in keys:
        if is_written(config, key):
            return config.location_of(key)
    return config.location


def split_address(entry: str) -> tuple[str, int | None]:
    """``host:port`` (``[v6]:port`` too) as Kafka's ``Utils.getHost`` / ``getPort`` read it;
    the host lower-cased without brackets, the port ``None`` when missing."""
    text = entry.strip()
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit():
        return text.strip("[]").lower(), None
    return host.strip("[]").lower(), int(port)


def bootstrap_entries(config: ConfigMap) -> list[str]:
    """The written or derived ``bootstrap.servers`` entries, in order."""
    return as_list(config.get("bootstrap.servers"))


def causes_text(config: ConfigMap, keys: Iterable[str]) -> str:
    """The settings that turned idempotence off, as written (``acks=1``), for messages."""
    parts = []
    for key in keys:
        if key == IDEMPOTENCE and not is_written(config, key):
            parts.append(f"enable.idempotence not set, which Kafka {config.version} leaves off")
        else:
            parts.append(written(config, key))
    return ", ".join(parts)


def written_topics(profile: ProducerProfile, index: Mapping[str, Topic]) -> list[Topic]:
    """The declared topics ``profile`` writes to, each once, in its order."""
    found = (index.get(name) for name in dict.fromkeys(profile.topics))
    return [topic for topic in found if topic is not None]


def topic_index(cluster: Cluster) -> dict[str, Topic]:
    """Topics by name (the first declaration wins, as :meth:`Cluster.topic` finds it): an
    estate has thousands of topics and hundreds of profiles."""
    index: dict[str, Topic] = {}
    for topic in cluster.topics:
        index.setdefault(topic.name, topic)
    return index
