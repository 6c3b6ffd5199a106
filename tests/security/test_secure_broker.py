"""Against a real secured broker (``devkafka.py --secure``: SASL_SSL with SCRAM-SHA-512,
mutual TLS between brokers, the AclAuthorizer denying what no ACL allows): the SCRAM users and
ACL modules, the topics module over TLS+SCRAM, and what the real Java client gets:

- an unauthenticated client (PLAINTEXT, or TLS without SASL) is refused;
- a wrong password gets SaslAuthenticationException;
- an authenticated principal without an ACL gets TopicAuthorizationException on produce and on
  consume; with the declared ACL both work;
- a client that does not trust the cluster CA, or connects by a name the certificate does not
  carry, is refused (SslAuthenticationException).
"""

from __future__ import annotations

import datetime
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import security_helpers
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import devkafka
from kafkalint import security

pytestmark = pytest.mark.devbroker

kafka_admin = security_helpers.load(
    security_helpers.ROOT / "roles" / "kafka_topics" / "module_utils" / "kafka_admin.py"
)
acls_module = security_helpers.load(security_helpers.ACL_MODULE)


def uid() -> str:
    return uuid.uuid4().hex[:6]


def apply(module: Path, key: str, dev: Any, tmp: Path, entries: list[dict[str, Any]], *, check: bool) -> Any:
    """Run an admin module on ``entries`` as the dev cluster's admin user."""
    args = {
        "bootstrap_servers": [dev.bootstrap_servers],
        key: entries,
        "security": security_helpers.admin_security(dev),
    }
    return security_helpers.run_module(module, args, tmp=tmp, check=check)


def users(dev: Any, tmp: Path, entries: list[dict[str, Any]], check: bool = False) -> Any:
    return apply(security_helpers.SCRAM_MODULE, "users", dev, tmp, entries, check=check)


def acls(dev: Any, tmp: Path, entries: list[dict[str, Any]], check: bool = False) -> Any:
    return apply(security_helpers.ACL_MODULE, "acls", dev, tmp, entries, check=check)


def authenticates(dev: Any, name: str, password: str) -> bool:
    options = {"security_protocol": "SASL_SSL", "ssl_cafile": str(dev.ca_file)}
    return bool(
        kafka_admin.scram_authenticates(
            dev.bootstrap_servers, name, password, "SCRAM-SHA-512", options=options, timeout=10
        )
    )


def eventually_authenticates(dev: Any, name: str, password: str, expected: bool) -> bool:
    """ZooKeeper mode hands a changed credential to the brokers through a change notification:
    poll (bounded) until the broker answers as expected; return what it last answered."""
    deadline = time.monotonic() + 60
    while True:
        answer = authenticates(dev, name, password)
        if answer is expected or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def client(
    tmp: Path,
    name: str,
    dev: Any,
    user: str | None,
    password: str | None,
    *,
    protocol: str = "SASL_SSL",
    **overrides: Any,
) -> Path:
    """A Java client file for ``user`` over ``protocol``, as the producer profiles render one."""
    settings = {"protocol": protocol, "truststore_location": str(dev.ca_file)}
    scram = security.ScramUser(user, password or "", "SCRAM-SHA-512", 8192, "present") if user else None
    keys = {"bootstrap.servers": dev.bootstrap_servers, **security.client_properties(settings, scram)}
    keys.update({"max.block.ms": 15000, "request.timeout.ms": 15000, "delivery.timeout.ms": 30000, **overrides})
    return security_helpers.client_file(tmp / f"{name}.properties", {k: v for k, v in keys.items() if v is not None})


def send(probe: Any, path: Path, topic: str) -> dict[str, Any]:
    lines = probe.run("send", path, topic, 1, "timeout_ms=60000", timeout=120)
    return next(line for line in lines if line.get("mode") == "send")


def consume(probe: Any, dev: Any, path: Path, topic: str, tmp: Path) -> dict[str, Any]:
    out = tmp / f"consumed-{uid()}.txt"
    bootstrap = path.read_text(encoding="iso-8859-1").split("bootstrap.servers=", 1)[1].split("\n", 1)[0]
    (line,) = probe.run("consume", bootstrap, topic, out, f"props={path}", "timeout_s=20", timeout=120)
    line["lines"] = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    return line


class BrokerLog:
    """What the broker logged after a point: its authentication failures, as it states them."""

    def __init__(self, dev: Any) -> None:
        self.path = dev.server_log()
        self.offset = self.path.stat().st_size

    def failures(self, expected: str) -> list[str]:
        deadline = time.monotonic() + 30
        while True:
            text = self.path.read_text(encoding="utf-8", errors="replace")[self.offset :]
            found = [line for line in text.splitlines() if "Failed authentication" in line and expected in line]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.5)


def other_ca(tmp: Path) -> Path:
    """A CA the cluster never heard of, as a PEM trust bundle."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "someone else's CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp / "other-ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.fixture
def topic(secure_kafka: Any, tmp_path: Path) -> Iterator[str]:
    """A fresh topic, created by the kafka_topics module over SASL_SSL as the admin user."""
    name = f"sec-{uid()}"
    rc, result, output = security_helpers.run_module(
        security_helpers.TOPICS_MODULE,
        {
            "bootstrap_servers": [secure_kafka.bootstrap_servers],
            "topics": [{"name": name, "partitions": 1, "replication_factor": 1}],
            "security": security_helpers.admin_security(secure_kafka),
        },
        tmp=tmp_path,
    )
    assert rc == 0 and result["created"] == [name], result
    assert security_helpers.admin_security(secure_kafka)["password"] not in output
    yield name


def test_scram_users_created_compared_replaced_and_deleted(secure_kafka: Any, tmp_path: Path) -> None:
    name = f"app-{uid()}"
    first, second = f'first,"pw\\{uid()}', f"second-ü-{uid()}"
    admin_password = security_helpers.admin_security(secure_kafka)["password"]

    rc, result, output = users(secure_kafka, tmp_path, [{"name": name, "password": first}])
    assert rc == 0 and result["changed"] and result["created"] == [name], result
    assert result["diff"] == [
        {
            "before_header": f"user {name} SCRAM-SHA-512 (before)",
            "after_header": f"user {name} SCRAM-SHA-512 (after)",
            "before": {"state": "absent"},
            "after": {"state": "present", "iterations": 8192, "password": "(set)"},
        }
    ]
    assert first not in output and admin_password not in output
    assert eventually_authenticates(secure_kafka, name, first, True)

    rc, result, _ = users(secure_kafka, tmp_path, [{"name": name, "password": first}])
    assert rc == 0 and not result["changed"], "the declared password authenticates: nothing to do"

    rc, result, output = users(secure_kafka, tmp_path, [{"name": name, "password": second}], check=True)
    assert rc == 0 and result["changed"] and result["updated"] == [name]
    assert second not in output and first not in output
    assert authenticates(secure_kafka, name, first), "check mode changed nothing"

    rc, result, _ = users(secure_kafka, tmp_path, [{"name": name, "password": second}])
    assert rc == 0 and result["updated"] == [name]
    assert eventually_authenticates(secure_kafka, name, second, True)
    assert not authenticates(secure_kafka, name, first)

    rc, result, _ = users(secure_kafka, tmp_path, [{"name": name, "state": "absent"}])
    assert rc == 0 and result["deleted"] == [name]
    assert not eventually_authenticates(secure_kafka, name, second, False)
    rc, result, _ = users(secure_kafka, tmp_path, [{"name": name, "state": "absent"}])
    assert rc == 0 and not result["changed"]


@pytest.fixture(scope="module")
def app_users(secure_kafka: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Three SCRAM users (producer, reader, stranger) and their passwords, made by the module."""
    names = {role: f"{role}-{uid()}" for role in ("producer", "reader", "stranger")}
    passwords = {name: f"{name}-pw-{uid()}" for name in names.values()}
    rc, result, _ = users(
        secure_kafka, tmp_path_factory.mktemp("users"), [{"name": u, "password": p} for u, p in passwords.items()]
    )
    assert rc == 0 and sorted(result["created"]) == sorted(passwords), result
    for user, password in passwords.items():
        assert eventually_authenticates(secure_kafka, user, password, True)
    return {**names, **{f"{role}_password": passwords[name] for role, name in names.items()}}


def test_unauthenticated_and_untrusting_clients_are_refused(
    secure_kafka: Any, probe: Any, topic: str, app_users: dict[str, str], tmp_path: Path
) -> None:
    producer, password = app_users["producer"], app_users["producer_password"]
    # Unauthenticated: PLAINTEXT against the SASL_SSL listener, then TLS without SASL.
    log = BrokerLog(secure_kafka)
    plain = security_helpers.client_file(
        tmp_path / "plain.properties", {"bootstrap.servers": secure_kafka.bootstrap_servers, "max.block.ms": 5000}
    )
    outcome = send(probe, plain, topic)
    assert not outcome["ok"] and outcome["exception"] == "org.apache.kafka.common.errors.TimeoutException"
    assert log.failures("(SSL handshake failed)"), "the broker refused the plaintext connection"
    log = BrokerLog(secure_kafka)
    tls_only = client(tmp_path, "tls-only", secure_kafka, None, None, protocol="SSL", **{"max.block.ms": 5000})
    outcome = send(probe, tls_only, topic)
    assert not outcome["ok"] and outcome["exception"] == "org.apache.kafka.common.errors.TimeoutException"
    assert log.failures("during SASL handshake"), "the broker refused a request before authentication"

    # A wrong password.
    wrong = client(tmp_path, "wrong", secure_kafka, producer, "not-the-password")
    outcome = send(probe, wrong, topic)
    assert outcome["exception"] == "org.apache.kafka.common.errors.SaslAuthenticationException", outcome
    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in outcome["message"]
    assert consume(probe, secure_kafka, wrong, topic, tmp_path)["exception"].endswith("SaslAuthenticationException")

    # A client that does not trust the cluster's CA, and one that connects by a name the
    # broker's certificate does not carry (it has DNS:devkafka1 and IP:127.0.0.1).
    untrusting = client(tmp_path, "untrusting", secure_kafka, producer, password)
    untrusting.write_text(untrusting.read_text().replace(str(secure_kafka.ca_file), str(other_ca(tmp_path))))
    outcome = send(probe, untrusting, topic)
    assert outcome["exception"] == "org.apache.kafka.common.errors.SslAuthenticationException", outcome
    assert any("PKIX path building failed" in cause for cause in outcome["causes"]), outcome
    by_name = client(tmp_path, "by-name", secure_kafka, producer, password)
    by_name.write_text(by_name.read_text().replace("127.0.0.1", "localhost"))
    outcome = send(probe, by_name, topic)
    assert outcome["exception"] == "org.apache.kafka.common.errors.SslAuthenticationException", outcome
    assert any("No subject alternative DNS name matching localhost" in cause for cause in outcome["causes"]), outcome


def test_principals_get_only_what_the_declared_acls_allow(
    secure_kafka: Any, probe: Any, topic: str, app_users: dict[str, str], tmp_path: Path
) -> None:
    files = {
        role: client(tmp_path, role, secure_kafka, app_users[role], app_users[f"{role}_password"])
        for role in ("producer", "reader", "stranger")
    }
    # Authenticated, but no ACL: refused on produce and on consume.
    for path in files.values():
        outcome = send(probe, path, topic)
        assert outcome["exception"] == "org.apache.kafka.common.errors.TopicAuthorizationException", outcome
        assert topic in outcome["message"]
        read = consume(probe, secure_kafka, path, topic, tmp_path)
        assert read["exception"] == "org.apache.kafka.common.errors.TopicAuthorizationException", read

    declared = [
        {
            "principal": f"User:{app_users['producer']}",
            "resource_type": "topic",
            "resource_name": topic,
            "operations": ["write", "describe"],
        },
        {
            "principal": f"User:{app_users['reader']}",
            "resource_type": "topic",
            "resource_name": topic,
            "operations": ["read", "describe"],
        },
    ]
    rc, result, _ = acls(secure_kafka, tmp_path, declared, check=True)
    assert rc == 0 and result["changed"] and len(result["created"]) == 4
    assert not send(probe, files["producer"], topic)["ok"], "check mode created nothing"
    rc, result, _ = acls(secure_kafka, tmp_path, declared)
    assert rc == 0 and len(result["created"]) == 4 and result["diff"][0]["after"].count("\n") == 4
    rc, result, _ = acls(secure_kafka, tmp_path, declared)
    assert rc == 0 and not result["changed"]

    # With the declared ACLs: the producer writes, the reader reads, the stranger still gets nothing.
    outcome = send(probe, files["producer"], topic)
    assert outcome["ok"], outcome
    read = consume(probe, secure_kafka, files["reader"], topic, tmp_path)
    assert read["ok"] and read["records"] >= 1 and any(line.startswith("record 0") for line in read["lines"]), read
    # The reader may see the topic but not write it; its (idempotent, Kafka's default)
    # producer is refused its producer id: no WRITE on any topic, no IDEMPOTENT_WRITE.
    assert (
        send(probe, files["reader"], topic)["exception"]
        == "org.apache.kafka.common.errors.ClusterAuthorizationException"
    )
    assert (
        send(probe, files["stranger"], topic)["exception"]
        == "org.apache.kafka.common.errors.TopicAuthorizationException"
    )


def test_undeclared_acls_are_kept_unless_allow_destructive(secure_kafka: Any, topic: str, tmp_path: Path) -> None:
    mine = {"principal": f"User:mine-{uid()}", "resource_type": "topic", "resource_name": topic, "operations": ["read"]}
    theirs = {
        "principal": f"User:theirs-{uid()}",
        "resource_type": "topic",
        "resource_name": topic,
        "operations": ["write"],
    }
    assert acls(secure_kafka, tmp_path, [mine, theirs])[0] == 0

    rc, result, output = acls(secure_kafka, tmp_path, [mine])
    assert rc == 0 and not result["changed"]
    assert result["unmanaged"] == [f"topic '{topic}' (literal): allow {theirs['principal']} write from *"]
    assert "is not declared; kept" in output

    theirs_text = f"topic '{topic}' (literal): allow {theirs['principal']} write from *"
    rc, result, _ = acls(secure_kafka, tmp_path, [dict(mine, allow_destructive=True)], check=True)
    assert rc == 0 and result["changed"] and result["deleted"] == [theirs_text]
    rc, result, _ = acls(secure_kafka, tmp_path, [dict(mine, allow_destructive=True)])
    assert rc == 0 and result["deleted"] == [theirs_text], "check mode removed nothing"
    rc, result, _ = acls(secure_kafka, tmp_path, [dict(mine, state="absent")])
    assert rc == 0 and result["deleted"] == [f"topic '{topic}' (literal): allow {mine['principal']} read from *"]
    rc, result, _ = acls(secure_kafka, tmp_path, [dict(mine, state="absent")])
    assert rc == 0 and not result["changed"]


def test_operations_per_resource_type_are_the_ones_kafka_acls_allows(secure_kafka: Any) -> None:
    """The module refuses what Kafka's own AclCommand (kafka-acls.sh, in the JVM) refuses."""
    home = devkafka.unpack(f"kafka_2.13-{devkafka.KAFKA_VERSION}.tgz", f"kafka_2.13-{devkafka.KAFKA_VERSION}")
    admin = secure_kafka.admin_properties
    flags = {
        "topic": ["--topic", "t"],
        "group": ["--group", "g"],
        "cluster": ["--cluster"],
        "transactional_id": ["--transactional-id", "x"],
        "delegation_token": ["--delegation-token", "x"],
        "user": ["--user-principal", "User:x"],
    }
    # An operation none of the types allows together with any other, so AclCommand lists the valid ones.
    wrong = {
        "topic": "IdempotentWrite",
        "group": "Write",
        "cluster": "Read",
        "transactional_id": "Read",
        "delegation_token": "Read",
        "user": "Read",
    }
    processes = {
        kind: subprocess.Popen(
            [
                "java",
                f"-Dlog4j.configuration=file:{Path(secure_kafka.workdir) / 'tools-log4j.properties'}",
                "-cp",
                str(home / "libs" / "*"),
                "kafka.admin.AclCommand",
                "--bootstrap-server",
                secure_kafka.bootstrap_servers,
                "--command-config",
                str(admin),
                "--add",
                "--allow-principal",
                "User:x",
                *flags[kind],
                "--operation",
                wrong[kind],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for kind in flags
    }
    for kind, process in processes.items():
        output, _ = process.communicate(timeout=180)
        line = next(line for line in output.splitlines() if "only supports operations" in line)
        listed = {camel_to_snake(op.strip()) for op in line.split("only supports operations", 1)[1].split(",")}
        assert listed == set(acls_module.VALID_OPERATIONS[kind]), (kind, line)


def camel_to_snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
