"""Typed values: what a setting of a broker, topic, producer or ZooKeeper config is worth.

The one way rules read a config. Each read is *effective*: the value written (in the
inventory, a file, or derived by the roles), else Kafka's default for the config's kind and
version, typed as Kafka parses it (:func:`kafkalint.model.coerce`: ``"5"`` is 5, ``TRUE`` is
true, ``"a, b"`` two items). A value Kafka cannot parse reads as ``None`` and a rule stays
silent on it: the schema pass reports it (KL001).

Defaults come from the catalogue of the version's release line; the defaults that changed
between releases are also kept in :data:`kafkalint.versions.VERSIONED_DEFAULTS` (with the
KIP that changed them), which answers for versions older than any catalogue and which a test keeps equal to
every catalogue. :data:`FALLBACK_DEFAULTS` answers for keys no catalogue knows.

Not a rule module: the registry lists rules explicitly and never imports this as one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kafkalint import placeholders
from kafkalint.effective import render_value
from kafkalint.model import ConfigMap, Location, coerce
from kafkalint.versions import VERSIONED_DEFAULTS, KafkaVersion

INT_MAX = 2**31 - 1

#: Layers a person wrote (directly, or through the inventory variable a key is derived from).
AUTHORED_LAYERS = frozenset({"inventory", "file", "derived"})

#: Kafka's defaults (3.9) of the keys rules read, for versions no catalogue covers.
FALLBACK_DEFAULTS: dict[str, Any] = {
    "min.insync.replicas": 1,
    "default.replication.factor": 1,
    "num.partitions": 1,
    "auto.create.topics.enable": True,
    "unclean.leader.election.enable": False,
    "offsets.topic.replication.factor": 3,
    "transaction.state.log.replication.factor": 3,
    "transaction.state.log.min.isr": 2,
    "queued.max.request.bytes": -1,
    "socket.request.max.bytes": 104857600,
    "log.cleaner.enable": True,
    "sasl.mechanism.inter.broker.protocol": "GSSAPI",
    "sasl.enabled.mechanisms": ["GSSAPI"],
    "security.inter.broker.protocol": "PLAINTEXT",
    "listeners": "PLAINTEXT://:9092",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
    "broker.id": -1,
    "node.id": -1,
    "broker.id.generation.enable": True,
    "reserved.broker.max.id": 1000,
    "log.dir": "/tmp/kafka-logs",
}


def as_int(raw: Any) -> int | None:
    """An INT / LONG as Kafka parses it; ``None`` when it is not one."""
    value = coerce(raw, "LONG")
    return value if isinstance(value, int) else None


def as_bool(raw: Any) -> bool | None:
    """A BOOLEAN as Kafka parses it (``true`` / ``false``, any case)."""
    value = coerce(raw, "BOOLEAN")
    return value if isinstance(value, bool) else None


def as_list(raw: Any) -> list[str]:
    """A LIST: comma-separated text or a sequence, blank items dropped."""
    value = coerce(raw, "LIST")
    return [item for item in value if item] if isinstance(value, list) else []


#: A value as a person writes it in a properties file (for messages): as the roles render it.
render = render_value


@cache
def kafka_default(kind: str, version: KafkaVersion, key: str) -> Any:
    """Kafka's default of ``key`` for ``kind`` and ``version``, typed as the catalogue types
    it (``None`` when Kafka has none)."""
    steps = VERSIONED_DEFAULTS.get((kind, key))
    if steps is not None:
        return next(value for since, value in reversed(steps) if version >= since)
    return ConfigMap(kind, version).kafka_default(key, FALLBACK_DEFAULTS.get(key))


def raw(config: ConfigMap, key: str) -> Any:
    """What ``key`` is as written, else Kafka's default (untyped); ``None`` for a value that
    cannot be judged (a placeholder, an unresolved template: KL005 reports it)."""
    setting = config.settings.get(key)
    if setting is not None:
        return None if placeholders.unresolved(setting) is not None else setting.raw
    return kafka_default(config.kind, config.version, key)


def int_value(config: ConfigMap, key: str) -> int | None:
    """``key`` as an int (explicit, else Kafka's default); ``None`` when it cannot be typed."""
    return as_int(raw(config, key))


def bool_value(config: ConfigMap, key: str) -> bool | None:
    return as_bool(raw(config, key))


def list_value(config: ConfigMap, key: str) -> list[str]:
    return as_list(raw(config, key))


def str_value(config: ConfigMap, key: str) -> str | None:
    """``key`` as Kafka's string form (lists comma-joined, trimmed); ``None`` when unset
    without a default."""
    value = raw(config, key)
    if value is None:
        return None
    text = coerce(value, "STRING")
    return text if isinstance(text, str) else None


def is_written(config: ConfigMap, key: str) -> bool:
    """Whether ``key`` is among the config's own settings (Kafka's ``originals()``), in any
    layer, with a value."""
    setting = config.settings.get(key)
    return setting is not None and setting.raw is not None


def authored(config: ConfigMap, key: str) -> bool:
    """True when a person wrote ``key`` (not a role or Kafka default)."""
    setting = config.settings.get(key)
    return setting is not None and setting.layer in AUTHORED_LAYERS


def where_to_change(config: ConfigMap, key: str) -> Location:
    """The line to edit for ``key``: where a person wrote it, else where it would be added
    (the config's own declaration)."""
    setting = config.settings.get(key)
    if setting is not None and setting.layer in AUTHORED_LAYERS:
        return setting.location
    return config.location


def location_of(config: ConfigMap, key: str) -> Location:
    """Where ``key`` is set in any layer, else where the config is declared."""
    return config.location_of(key)


def shown(config: ConfigMap, key: str) -> str:
    """``key=value`` as written, or ``key (Kafka 3.9 default: value)`` when it is not."""
    setting = config.settings.get(key)
    if setting is not None:
        return f"{key}={render(setting.raw)}"
    value = kafka_default(config.kind, config.version, key)
    return f"{key} (Kafka {config.version.line} default: {render(value)})"


# -- acks, which two spellings share --------------------------------------------------------

ALL = -1


def acks(config: ConfigMap) -> int | None:
    """The producer's effective ``acks``: -1 for ``all`` / ``-1`` (``ProducerConfig.parseAcks``),
    0 or 1; the version's default when unset (``1`` before 3.0, ``all`` from 3.0, KIP-679);
    ``None`` for anything the validator ``[all, -1, 0, 1]`` refuses."""
    value = raw(config, "acks")
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()  # the validator is case-sensitive: ALL is refused (KL001)
    if text in ("all", "-1"):
        return ALL
    return int(text) if text in ("0", "1") else None


def acks_text(value: int | None) -> str:
    """``all``, ``0`` or ``1``."""
    return "all" if value == ALL else str(value)
