"""The playbooks against the secured dev broker, as an operator runs them (ansible-playbook,
the modules shipped by Ansible with the roles' module_utils): topics, SCRAM users, ACLs and
producer profiles declared in the inventory, applied over SASL_SSL as the admin user, a second
run that changes nothing, no secret anywhere in the output (``--diff`` included), then the
smoke test through the rendered profile, and kafkalint on the same inventory."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import security_helpers
import yaml

from kafkalint import security

pytestmark = pytest.mark.devbroker

PLAYBOOKS = security_helpers.ROOT / "playbooks"


def inventory(tmp: Path, dev: Any, names: dict[str, str], passwords: dict[str, str]) -> Path:
    """The dev cluster as an inventory: the contract's security variables in group_vars/all."""
    broker = {"ansible_host": "127.0.0.1", "kafka_broker_id": 1, "kafka_broker_port": dev.kafka_ports[0]}
    variables = {
        "kafka_admin_security": security_helpers.admin_security(dev),
        "kafka_client_security": {"protocol": "SASL_SSL", "truststore_location": str(dev.ca_file)},
        "kafka_scram_users": [{"name": names["user"], "password": passwords["user"]}],
        "kafka_acls": [
            {
                "principal": f"User:{names['user']}",
                "resource_type": "topic",
                "resource_name": names["topic"],
                "operations": ["write", "describe"],
            }
        ],
        "kafka_topics": [{"name": names["topic"], "partitions": 2, "replication_factor": 1}],
        "kafka_producer_profiles": [
            {"name": names["profile"], "topics": [names["topic"]], "user": names["user"], "config": {"acks": "all"}}
        ],
    }
    path = tmp / "hosts.yml"
    document = {
        "all": {
            "vars": variables,
            "children": {
                "zookeeper": {
                    "hosts": {
                        "devzk": {
                            "ansible_host": "127.0.0.1",
                            "zookeeper_id": 1,
                            "zookeeper_client_port": dev.zookeeper_port,
                        }
                    }
                },
                "kafka_broker": {"hosts": {"dev1": broker}, "vars": {"ansible_connection": "local"}},
            },
        }
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def play(name: str, inv: Path, *options: str, **extra: Any) -> tuple[dict[str, Any], str]:
    rc, report, stderr = security_helpers.run_playbook(
        PLAYBOOKS / name, inv, "--skip-tags", "lint_gate", "--diff", *options, extra_vars=extra or None
    )
    text = repr(report) + stderr
    assert rc == 0, text[-3000:]
    return report, text


def changes(report: dict[str, Any]) -> int:
    return sum(host["changed"] for host in report["stats"].values())


def test_secured_playbooks_apply_once_show_no_secret_and_the_smoke_test_passes(
    secure_kafka: Any, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:6]
    names = {"user": f"svc-{suffix}", "topic": f"orders-{suffix}", "profile": f"orders-{suffix}"}
    passwords = {"user": f'svc "pw" \\ {suffix}'}
    secrets = [passwords["user"], security_helpers.admin_security(secure_kafka)["password"]]
    inv = inventory(tmp_path, secure_kafka, names, passwords)
    profiles = tmp_path / "clients"
    runs = [
        ("topics.yml", {}),
        ("scram_users.yml", {}),
        ("acls.yml", {}),
        ("producer_profiles.yml", {"kafka_producer_profiles_dir": str(profiles)}),
    ]
    for playbook, extra in runs:
        report, text = play(playbook, inv, **extra)
        assert changes(report) > 0, playbook
        for secret in secrets:
            assert secret not in text, f"{playbook} printed a secret"
    for playbook, extra in runs:
        report, text = play(playbook, inv, **extra)
        assert changes(report) == 0, f"{playbook}: a second run changed something"
        for secret in secrets:
            assert secret not in text

    rendered = security_helpers.kafkaclient.read_properties(profiles / f"{names['profile']}.properties")
    assert rendered["security.protocol"] == "SASL_SSL"
    assert rendered["ssl.truststore.location"] == str(secure_kafka.ca_file)
    assert security.parse_jaas_config(rendered["sasl.jaas.config"]).options == {
        "username": names["user"],
        "password": passwords["user"],
    }
    assert oct((profiles / f"{names['profile']}.properties").stat().st_mode & 0o777) == "0o640"

    smoke = security_helpers.load(security_helpers.ROOT / "scripts" / "smoke.py")
    code = smoke.main(
        [
            "-i", str(inv), "--topic", names["topic"], "--messages", "20",
            "--profiles-dir", str(profiles), "--client-config", str(secure_kafka.admin_properties),
        ]
    )  # fmt: skip
    assert code == smoke.EXIT_OK

    lint = subprocess.run(
        [sys.executable, "-m", "kafkalint", "--format", "json", str(inv)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(security_helpers.ROOT / "policies"), "PATH": str(security_helpers.VENV_BIN)},
        timeout=300,
        check=False,
    )
    assert lint.returncode in (0, 1), lint.stderr
    for secret in secrets:
        assert secret not in lint.stdout + lint.stderr
