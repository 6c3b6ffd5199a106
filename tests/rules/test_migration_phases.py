"""kafkalint judges every phase of the ZooKeeper to KRaft migration as the roles render it.

``inventories/migration`` is the migration testbed; each test copies it and sets
``kafka_migration_phase`` (kafkalint.contract.MIGRATION_PHASES), as an operator does before
running playbooks/migrate.yml. Each phase of the shipped inventory is clean and renders what
Kafka's migration guide prescribes for it; the mistakes of each phase are KL506's (or KL503's)
errors, with Kafka's own message where Kafka refuses to start.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kafkalint import cli, contract, effective

INVENTORY = Path(__file__).resolve().parents[2] / "inventories" / "migration"


def phase_inventory(tmp_path: Path, phase: str, **changes: Any) -> Path:
    """A copy of the migration inventory in ``phase``; ``changes`` set group_vars files' keys
    (``broker={...}``, ``controller={...}``, ``all={...}``, ``hosts=<callable on the hosts doc>``)."""
    target = tmp_path / phase
    shutil.copytree(INVENTORY, target)
    files = {"all": "all.yml", "broker": "kafka_broker.yml", "controller": "kafka_controller.yml"}
    for name, values in {"all": {"kafka_migration_phase": phase}, **changes}.items():
        if name == "hosts":
            hosts = yaml.safe_load((target / "hosts.yml").read_text(encoding="utf-8"))
            values(hosts)
            (target / "hosts.yml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
            continue
        path = target / "group_vars" / files[name]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def lint(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    report = tmp_path / f"{path.name}.json"
    code = cli.main(["--no-config", "--format", "json", "--output", str(report), str(path)])
    err = capsys.readouterr().err
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"] if report.is_file() else []
    return code, findings, err


def rendered(path: Path, host: str) -> dict[str, str]:
    """``host``'s server.properties as the role renders it from the inventory at ``path``."""
    hosts = yaml.safe_load((path / "hosts.yml").read_text(encoding="utf-8"))["all"]
    groups = {name: list(group["hosts"]) for name, group in hosts["children"].items()}
    common = yaml.safe_load((path / "group_vars" / "all.yml").read_text(encoding="utf-8"))
    hostvars: dict[str, dict[str, Any]] = {}
    for name, own in hosts["hosts"].items():
        variables = {**common, **own}
        for group, members in groups.items():
            if name in members:
                group_file = path / "group_vars" / f"{group}.yml"
                if group_file.is_file():
                    variables.update(yaml.safe_load(group_file.read_text(encoding="utf-8")))
                variables.update(hosts["children"][group]["hosts"][name] or {})
        hostvars[name] = variables
    config = effective.broker_config(host, hostvars, groups)
    return {key: effective.render_value(item.value) for key, item in config.items()}


BROKER, CONTROLLER = "kafka-iac-mig-1", "kafka-iac-mig-4"
MIGRATION = "zookeeper.metadata.migration.enable"


@pytest.mark.parametrize("phase", contract.MIGRATION_PHASES)
def test_every_phase_of_the_testbed_is_clean(phase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, err = lint(phase_inventory(tmp_path, phase), tmp_path, capsys)
    assert code == 0, err
    assert [f for f in findings if f["severity"] != "info"] == []


def test_each_phase_renders_what_kafkas_migration_guide_prescribes(tmp_path: Path) -> None:
    configs = {phase: phase_inventory(tmp_path, phase) for phase in contract.MIGRATION_PHASES}
    zookeeper = rendered(configs["zookeeper"], BROKER)
    assert zookeeper["broker.id"] == "1" and MIGRATION not in zookeeper
    assert rendered(configs["controllers"], BROKER) == zookeeper
    with pytest.raises(effective.InventoryError, match="provisioned from the phase controllers on"):
        rendered(configs["zookeeper"], CONTROLLER)
    controller = rendered(configs["controllers"], CONTROLLER)
    assert controller["process.roles"] == "controller" and controller[MIGRATION] == "true"
    assert controller["zookeeper.connect"] == zookeeper["zookeeper.connect"]
    assert controller["inter.broker.listener.name"] == "PLAINTEXT"
    assert "PLAINTEXT:PLAINTEXT" in controller["listener.security.protocol.map"].split(",")
    assert controller["controller.quorum.voters"].startswith("3000@172.30.4.14:9093,")
    dual = rendered(configs["dual-write"], BROKER)
    assert dual[MIGRATION] == "true" and dual["broker.id"] == "1" and "process.roles" not in dual
    assert dual["controller.listener.names"] == "CONTROLLER"
    assert dual["controller.quorum.voters"] == controller["controller.quorum.voters"]
    assert rendered(configs["dual-write"], CONTROLLER) == controller
    kraft = rendered(configs["kraft-brokers"], BROKER)
    assert kraft["process.roles"] == "broker" and kraft["node.id"] == "1"
    assert not {"broker.id", "zookeeper.connect", MIGRATION} & set(kraft)
    assert rendered(configs["kraft-brokers"], CONTROLLER) == controller
    final = rendered(configs["finalised"], CONTROLLER)
    assert not {"zookeeper.connect", MIGRATION, "inter.broker.listener.name"} & set(final)
    assert rendered(configs["finalised"], BROKER) == kraft


def _controller_ids_as_brokers(hosts: dict[str, Any]) -> None:
    controllers = hosts["all"]["children"]["kafka_controller"]["hosts"]
    for index, name in enumerate(sorted(controllers), start=1):
        controllers[name] = {"kafka_node_id": index}


@pytest.mark.parametrize(
    ("phase", "changes", "expected"),
    [
        pytest.param(
            "dual-write",
            {"broker": {"kafka_broker_properties": {"inter.broker.protocol.version": "3.3"}}},
            "Cannot enable ZooKeeper migration without setting 'inter.broker.protocol.version' to 3.4 or higher",
            id="ibp-below-3.4",
        ),
        pytest.param(
            "dual-write",
            {"hosts": _controller_ids_as_brokers},
            "the broker.id of broker kafka-iac-mig-1",
            id="controller-ids-collide",
        ),
        pytest.param(
            "kraft-brokers",
            {
                "broker": {
                    "kafka_broker_properties": {"authorizer.class.name": "kafka.security.authorizer.AclAuthorizer"}
                }
            },
            "uses kafka.security.authorizer.AclAuthorizer",
            id="acl-authorizer-on-kraft",
        ),
        pytest.param(
            "finalised",
            {
                "controller": {
                    "kafka_controller_properties": {MIGRATION: False, "zookeeper.connect": "172.30.4.11:2181"}
                }
            },
            "zookeeper.connect left on KRaft node kafka-iac-mig-4 after the migration",
            id="zookeeper-left-after-finalisation",
        ),
    ],
)
def test_the_mistakes_of_each_phase_are_errors(
    phase: str, changes: dict[str, Any], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings, err = lint(phase_inventory(tmp_path, phase, **changes), tmp_path, capsys)
    errors = [f for f in findings if f["severity"] == "error" and f["rule_id"] == "KL506"]
    assert code == 1, err
    assert any(expected in f["message"] for f in errors), [f["message"] for f in findings]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"all": {"kafka_migration_phase": "halfway"}}, "kafka_migration_phase must be one of zookeeper, controllers"),
        ({"all": {"kafka_version": "4.4.0"}}, "Kafka 4.4.0 has no ZooKeeper: finalise the migration on 3.9 first"),
        ({"all": {"kafka_controller_quorum": "dynamic"}}, "a cluster migrated from ZooKeeper has a static quorum"),
        ({"all": {"kafka_metadata_mode": "kraft"}}, "set kafka_migration_phase or kafka_metadata_mode, not both"),
    ],
)
def test_a_phase_the_contract_does_not_allow_is_an_input_error(
    changes: dict[str, Any], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = phase_inventory(tmp_path, "dual-write")
    for name, values in changes.items():
        gv = path / "group_vars" / f"{name}.yml"
        data = {**yaml.safe_load(gv.read_text(encoding="utf-8")), **values}
        gv.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, _findings, err = lint(path, tmp_path, capsys)
    assert code == 2 and expected in err, err


def test_a_migrated_broker_keeps_its_broker_id(tmp_path: Path) -> None:
    def renumber(hosts: dict[str, Any]) -> None:
        hosts["all"]["children"]["kafka_broker"]["hosts"]["kafka-iac-mig-1"] = {
            "kafka_broker_id": 1,
            "kafka_node_id": 7,
        }

    path = phase_inventory(tmp_path, "kraft-brokers", hosts=renumber)
    with pytest.raises(effective.InventoryError, match=r"keeps its broker\.id as node\.id"):
        rendered(path, BROKER)
