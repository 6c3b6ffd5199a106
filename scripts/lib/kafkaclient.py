"""Java producer profiles as kafka-python clients, and the inventory as Ansible resolves it.

Shared by ``scripts/smoke.py`` (which produces through every rendered profile of a live
cluster) and the producer-profile tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def inventory_data(inventory: str | Path) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Host variables and groups as Ansible resolves them (``ansible-inventory --list``);
    raises ``subprocess.CalledProcessError`` when Ansible cannot read the inventory."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-inventory"), "-i", str(inventory), "--list"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(proc.stdout)
    hostvars: dict[str, dict[str, Any]] = data.get("_meta", {}).get("hostvars", {})
    groups = {name: list(body.get("hosts", [])) for name, body in data.items() if isinstance(body, dict)}
    return hostvars, groups


#: Java producer keys kafka-python spells differently or types differently, by conversion.
_INT_KEYS = {
    "batch.size",
    "linger.ms",
    "max.request.size",
    "request.timeout.ms",
    "delivery.timeout.ms",
    "retries",
    "max.in.flight.requests.per.connection",
    "retry.backoff.ms",
    "max.block.ms",
    "metadata.max.age.ms",
    "connections.max.idle.ms",
    "reconnect.backoff.ms",
    "reconnect.backoff.max.ms",
    "send.buffer.bytes",
    "receive.buffer.bytes",
    "transaction.timeout.ms",
}
_BOOL_KEYS = {"enable.idempotence"}
_STR_KEYS = {"client.id", "transactional.id", "security.protocol", "sasl.mechanism"}
#: Java keys with no kafka-python counterpart, and why a client built from a profile drops them.
IGNORED_PRODUCER_KEYS = {
    "key.serializer": "kafka-python takes a callable; callers send bytes",
    "value.serializer": "kafka-python takes a callable; callers send bytes",
    "buffer.memory": "kafka-python 3 has no buffer_memory (it bounds memory by max_block_ms and batches)",
    "schema.registry.url": "a Confluent serializer setting, not a Kafka client one",
    "auto.register.schemas": "a Confluent serializer setting, not a Kafka client one",
}


def producer_kwargs(properties: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """kafka-python ``KafkaProducer`` arguments for a rendered Java producer profile, and the
    keys dropped (with why). An unknown key raises: the mapping must cover every profile."""
    kwargs: dict[str, Any] = {}
    dropped: dict[str, str] = {}
    for key, value in properties.items():
        name = key.replace(".", "_")
        if key in IGNORED_PRODUCER_KEYS:
            dropped[key] = IGNORED_PRODUCER_KEYS[key]
        elif key == "bootstrap.servers":
            kwargs[name] = [server.strip() for server in value.split(",") if server.strip()]
        elif key == "acks":
            kwargs[name] = "all" if value in ("all", "-1") else int(value)
        elif key == "compression.type":
            kwargs[name] = None if value in ("none", "") else value
        elif key in _INT_KEYS:
            kwargs[name] = int(value)
        elif key in _BOOL_KEYS:
            kwargs[name] = {"true": True, "false": False}[value.strip().lower()]
        elif key in _STR_KEYS:
            kwargs[name] = value
        else:
            raise KeyError(f"producer key {key!r} has no kafka-python mapping in scripts/lib/kafkaclient.py")
    return kwargs, dropped
