"""``kafkalint.security.scram_format_arguments`` against Kafka's own ``kafka-storage format``
(3.9.1, in the JVM): the arguments it renders bootstrap SCRAM credentials that hold exactly the
declared passwords, commas and quotes included, in the KRaft metadata the format writes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
from pathlib import Path

import pytest

import devkafka
from kafkalint import security

USERS = [
    {"name": "admin", "password": 'ad,min"pw]\\=', "iterations": 4096},
    {"name": "orders-app", "password": "ünï code", "mechanism": "SCRAM-SHA-256"},
    {"name": "retired", "state": "absent"},
]


def kafka(home: Path, tmp: Path, main: str, *args: str) -> str:
    log4j = tmp / "log4j.properties"
    log4j.write_text("log4j.rootLogger=ERROR\n", encoding="utf-8")
    proc = subprocess.run(
        ["java", f"-Dlog4j.configuration=file:{log4j}", "-cp", str(home / "libs" / "*"), main, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def kafka_home() -> Path:
    try:
        return Path(devkafka.unpack(f"kafka_2.13-{devkafka.KAFKA_VERSION}.tgz", f"kafka_2.13-{devkafka.KAFKA_VERSION}"))
    except devkafka.ScriptError as exc:
        pytest.fail(f"the Kafka archive is needed: {exc.message}", pytrace=False)


def test_kafka_storage_format_bootstraps_the_declared_credentials(kafka_home: Path, tmp_path: Path) -> None:
    config = tmp_path / "controller.properties"
    config.write_text(
        "process.roles=controller\nnode.id=1\ncontroller.quorum.voters=1@127.0.0.1:19093\n"
        f"controller.listener.names=CONTROLLER\nlisteners=CONTROLLER://127.0.0.1:19093\nlog.dirs={tmp_path / 'meta'}\n",
        encoding="utf-8",
    )
    arguments = security.scram_format_arguments(USERS)
    cluster_id = kafka(kafka_home, tmp_path, "kafka.tools.StorageTool", "random-uuid").strip()
    kafka(kafka_home, tmp_path, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config), *arguments)
    dump = kafka(
        kafka_home,
        tmp_path,
        "kafka.tools.DumpLogSegments",
        "--cluster-metadata-decoder",
        "--files",
        str(tmp_path / "meta" / "bootstrap.checkpoint"),
    )
    records = {}
    for line in dump.splitlines():
        if "USER_SCRAM_CREDENTIAL_RECORD" in line:
            data = json.loads(line.split("payload: ", 1)[1])["data"]
            records[data["name"]] = data
    assert sorted(records) == ["admin", "orders-app"], "absent users are not bootstrapped"
    for entry in USERS[:2]:
        record = records[entry["name"]]
        mechanism = str(entry.get("mechanism", "SCRAM-SHA-512"))
        assert record["mechanism"] == {"SCRAM-SHA-256": 1, "SCRAM-SHA-512": 2}[mechanism]
        assert record["iterations"] == entry.get("iterations", 8192)
        digest = {"SCRAM-SHA-256": hashlib.sha256, "SCRAM-SHA-512": hashlib.sha512}[mechanism]
        salted = security.salted_password(
            mechanism, str(entry["password"]), base64.b64decode(record["salt"]), record["iterations"]
        )
        client_key = hmac.new(salted, b"Client Key", digest).digest()
        assert base64.b64decode(record["storedKey"]) == digest(client_key).digest()
        assert base64.b64decode(record["serverKey"]) == hmac.new(salted, b"Server Key", digest).digest()
