"""Java client configurations as kafka-python clients, and the inventory as Ansible resolves it.

Shared by ``scripts/smoke.py`` (which produces through every rendered profile of a live
cluster), ``scripts/devkafka.py`` and the tests. :func:`security_kwargs` turns a Java client's
security keys (``security.protocol``, ``sasl.jaas.config``, the trust store, hostname
verification) into kafka-python's arguments, so a rendered profile or the admin's client file
connects to a secured cluster as the Java client would.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "policies"))

from kafkalint import security
from kafkalint.loaders import properties as java_properties


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
_STR_KEYS = {"client.id", "transactional.id"}
#: The Java client security keys :func:`security_kwargs` maps.
SECURITY_KEYS = frozenset(
    {
        "security.protocol",
        "sasl.mechanism",
        "sasl.jaas.config",
        "ssl.truststore.location",
        "ssl.truststore.type",
        "ssl.truststore.password",
        "ssl.endpoint.identification.algorithm",
    }
)
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
    kwargs: dict[str, Any] = security_kwargs(properties)
    dropped: dict[str, str] = {}
    for key, value in properties.items():
        name = key.replace(".", "_")
        if key in SECURITY_KEYS:
            continue
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


def read_properties(path: str | Path) -> dict[str, str]:
    """A Java ``.properties`` file's keys and values, read as Java reads them."""
    return java_properties.parse(Path(path).read_text(encoding="iso-8859-1")).values()


def _trust_context(location: str, kind: str, password: str | None, check_hostname: bool) -> ssl.SSLContext:
    """An SSL context trusting only the CAs of a PEM bundle or a PKCS12 trust store (as a Java
    client trusts only its trust store: not the system's CAs)."""
    if kind == "PEM":
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=location)
    elif kind == "PKCS12":
        from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

        store = pkcs12.load_pkcs12(Path(location).read_bytes(), (password or "").encode())
        pems = [item.certificate.public_bytes(Encoding.PEM).decode() for item in store.additional_certs]
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata="".join(pems))
    else:
        raise ValueError(f"ssl.truststore.type {kind} is not supported here (PEM or PKCS12)")
    context.check_hostname = check_hostname
    return context


def security_kwargs(properties: Mapping[str, str]) -> dict[str, Any]:
    """kafka-python arguments for a Java client's security keys: the protocol, SASL user and
    password (from ``sasl.jaas.config``), and an SSL context trusting the configured trust
    store with hostname verification unless ``ssl.endpoint.identification.algorithm`` is
    empty. Empty when the configuration has no security keys (PLAINTEXT)."""
    protocol = str(properties.get("security.protocol", "PLAINTEXT")).upper()
    if protocol == "PLAINTEXT":
        return {}
    kwargs: dict[str, Any] = {"security_protocol": protocol}
    if protocol.endswith("SSL"):
        location = properties.get("ssl.truststore.location")
        if not location:
            raise ValueError(f"security.protocol {protocol} without ssl.truststore.location")
        check_hostname = properties.get("ssl.endpoint.identification.algorithm", "https") != ""
        kwargs["ssl_context"] = _trust_context(
            location,
            str(properties.get("ssl.truststore.type", "JKS")).upper(),
            properties.get("ssl.truststore.password"),
            check_hostname,
        )
        kwargs["ssl_check_hostname"] = check_hostname
    if protocol.startswith("SASL"):
        mechanism = properties.get("sasl.mechanism", "GSSAPI")
        entry = security.parse_jaas_config(properties.get("sasl.jaas.config", ""))
        if "username" not in entry.options or "password" not in entry.options:
            raise ValueError("sasl.jaas.config has no username and password")
        kwargs.update(
            sasl_mechanism=mechanism,
            sasl_plain_username=entry.options["username"],
            sasl_plain_password=entry.options["password"],
        )
    return kwargs
