"""The roles' filter plugins: inventory conversion, rendering through kafkalint.effective,
and the .sha512 parser used for archives copied from the controller."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ansible.errors import AnsibleFilterError

from kafkalint import effective

ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"


def _plugin(role: str, name: str) -> ModuleType:
    path = ROLES_DIR / role / "filter_plugins" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"kafka_iac_test_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BROKER = _plugin("kafka_broker", "kafka_broker_config")
ZOOKEEPER = _plugin("zookeeper", "zookeeper_config")

HOSTVARS: dict[str, dict[str, Any]] = {
    "k1": {
        "ansible_host": "10.0.0.1",
        "zookeeper_id": 1,
        "kafka_broker_id": 1,
        "kafka_broker_rack": "a",
        "unrelated": "{{ undefined_thing }}",
    },
    "k2": {
        "ansible_host": "10.0.0.2",
        "zookeeper_id": 2,
        "kafka_broker_id": 2,
        "kafka_broker_properties": {"min.insync.replicas": 2, "log.retention.hours": 24},
    },
    "k3": {"ansible_host": "10.0.0.3", "zookeeper_id": 3, "kafka_broker_id": 3, "kafka_broker_port": 9093},
}
GROUPS = {"all": ["k1", "k2", "k3"], "zookeeper": ["k1", "k2", "k3"], "kafka_broker": ["k1", "k2", "k3"]}
DIGEST = hashlib.sha512(b"archive").hexdigest()


def test_plain_inventory_keeps_only_the_variables_effective_reads() -> None:
    hostvars, groups = effective.plain_inventory(HOSTVARS, GROUPS, "k1")
    assert groups == {"zookeeper": ["k1", "k2", "k3"], "kafka_controller": [], "kafka_broker": ["k1", "k2", "k3"]}
    assert "unrelated" not in hostvars["k1"]
    assert hostvars["k3"]["kafka_broker_port"] == 9093


@pytest.mark.parametrize("host", ["k1", "k2", "k3"])
def test_server_properties_are_effective_render(host: str) -> None:
    text = BROKER.kafka_broker_server_properties(host, HOSTVARS, GROUPS)
    assert text == effective.render(effective.broker_config(host, HOSTVARS, GROUPS))


def test_server_properties_derive_the_topology() -> None:
    lines = BROKER.kafka_broker_server_properties("k3", HOSTVARS, GROUPS).splitlines()
    assert "broker.id=3" in lines
    assert "advertised.listeners=PLAINTEXT://10.0.0.3:9093" in lines
    assert "zookeeper.connect=10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181" in lines
    assert "min.insync.replicas=2" in lines
    assert "auto.create.topics.enable=false" in lines


def test_zoo_cfg_is_effective_render_with_every_server() -> None:
    text = ZOOKEEPER.zookeeper_zoo_cfg("k2", HOSTVARS, GROUPS)
    assert text == effective.render(effective.zookeeper_config("k2", HOSTVARS, GROUPS))
    assert "server.3=10.0.0.3:2888:3888" in text.splitlines()
    assert "4lw.commands.whitelist=srvr,ruok,mntr,stat" in text.splitlines()


def test_a_missing_id_is_a_filter_error_naming_the_host() -> None:
    hostvars = {**HOSTVARS, "k2": {"ansible_host": "10.0.0.2"}}
    with pytest.raises(AnsibleFilterError, match="host k2: kafka_broker_id is not set"):
        BROKER.kafka_broker_server_properties("k2", hostvars, GROUPS)
    with pytest.raises(AnsibleFilterError, match="host k2: zookeeper_id is not set"):
        ZOOKEEPER.zookeeper_zoo_cfg("k1", hostvars, GROUPS)


def test_zookeeper_connect_includes_the_chroot() -> None:
    hostvars = {name: {**values, "kafka_broker_zookeeper_chroot": "/kafka"} for name, values in HOSTVARS.items()}
    assert BROKER.kafka_broker_zookeeper_connect("k1", hostvars, GROUPS) == (
        "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/kafka"
    )


def test_effective_var_falls_back_to_the_mirrored_role_default() -> None:
    assert BROKER.kafka_broker_effective_var("k1", "kafka_broker_port", HOSTVARS) == 9092
    assert BROKER.kafka_broker_effective_var("k3", "kafka_broker_port", HOSTVARS) == 9093
    assert ZOOKEEPER.zookeeper_effective_var("k1", "zookeeper_data_dir", HOSTVARS) == "/var/lib/zookeeper"


@pytest.mark.parametrize(
    "text",
    [
        f"{DIGEST}  kafka_2.13-3.9.1.tgz\n",
        f"{DIGEST.upper()} *kafka_2.13-3.9.1.tgz",
        # Apache's `gpg --print-md SHA512` form: upper case groups of 8 over several lines.
        "kafka_2.13-3.9.1.tgz: "
        + " ".join(DIGEST.upper()[i : i + 8] for i in range(0, 64, 8))
        + "\n                      "
        + " ".join(DIGEST.upper()[i : i + 8] for i in range(64, 128, 8))
        + "\n",
    ],
)
@pytest.mark.parametrize("parse", [BROKER.kafka_broker_sha512_digest, ZOOKEEPER.zookeeper_sha512_digest])
def test_sha512_files_of_both_formats_parse(parse: Any, text: str) -> None:
    assert parse(text, "x.sha512") == DIGEST


@pytest.mark.parametrize("text", ["", "not a digest", DIGEST[:-1] + "  short.tgz", "name: ABCD"])
def test_a_malformed_sha512_file_is_a_clear_error(text: str) -> None:
    with pytest.raises(AnsibleFilterError, match=r"^x\.sha512: no SHA-512 digest found"):
        BROKER.kafka_broker_sha512_digest(text, "x.sha512")
