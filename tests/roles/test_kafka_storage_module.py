"""roles/kafka_broker/library/kafka_storage.py against Kafka's real StorageTool.

The module runs as Ansible runs it (a process reading its arguments from a JSON file), formats
real log directories with the jars of the assembled archives in the artifacts cache
(``scripts/artifacts.py --kafka-version 4.4.0`` and the default 3.9.1 make them), and is checked
by what Kafka wrote: ``meta.properties`` and the bootstrap checkpoint. A second run changes
nothing; a directory of another cluster or node, or one in use without ``meta.properties``, is
refused and left as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from kafkalint import effective

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "roles" / "kafka_broker" / "library" / "kafka_storage.py"
CLUSTER_ID = "gicDJhj8S8md9OPFcsZbow"


def _home(version: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = Path(os.environ.get("KAFKA_IAC_CACHE") or Path.home() / ".cache" / "kafka-iac")
    archive = cache / "artifacts" / f"kafka_2.13-{version}.tgz"
    if not archive.is_file():
        pytest.fail(f"{archive} is missing: run scripts/artifacts.py --kafka-version {version}", pytrace=False)
    target = tmp_path_factory.mktemp(f"kafka-{version}")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / f"kafka_2.13-{version}"


@pytest.fixture(scope="module")
def kafka4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _home("4.4.0", tmp_path_factory)


@pytest.fixture(scope="module")
def kafka39(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _home("3.9.1", tmp_path_factory)


def run(args: dict[str, Any], tmp: Path, *, check: bool = False) -> tuple[int, dict[str, Any]]:
    args_file = tmp / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {**args, "_ansible_check_mode": check}}), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(MODULE), str(args_file)], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        return proc.returncode, json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"no JSON (rc {proc.returncode}): {proc.stdout}\n{proc.stderr}") from exc


def node(
    tmp: Path, home: Path, host: str, *, version: str = "4.4.0", controllers: int = 1, **extra: Any
) -> dict[str, Any]:
    """A node of a cluster of ``controllers`` controllers and one broker on loopback, its config
    written by kafkalint.effective as the role writes it, and the module's format arguments."""
    hostvars: dict[str, dict[str, Any]] = {
        "ctl": {
            "ansible_host": "127.0.0.1",
            "kafka_node_id": 1,
            "kafka_controller_metadata_dir": str(tmp / "ctl-metadata"),
            "kafka_version": version,
        },
        **{
            f"ctl{n}": {"ansible_host": "127.0.0.1", "kafka_node_id": n, "kafka_controller_port": 9093 + n}
            for n in range(2, controllers + 1)
        },
        "brk": {
            "ansible_host": "127.0.0.1",
            "kafka_node_id": 2,
            "kafka_broker_data_dirs": [str(tmp / "brk-a"), *extra.pop("more_dirs", [])],
            "kafka_version": version,
        },
    }
    for values in hostvars.values():
        values.update(extra)
    groups = {"kafka_controller": ["ctl", *(f"ctl{n}" for n in range(2, controllers + 1))], "kafka_broker": ["brk"]}
    config = effective.broker_config(host, hostvars, groups)
    properties = tmp / f"{host}.properties"
    properties.write_text(effective.render(config), encoding="utf-8")
    controller = host == "ctl"
    quorum = effective.quorum_mode(hostvars, groups, host)
    return {
        "state": "formatted",
        "dirs": effective.storage_dirs(config),
        "cluster_id": CLUSTER_ID,
        "node_id": hostvars[host]["kafka_node_id"],
        "config": str(properties),
        "controller": controller,
        "quorum": quorum,
        "initial_controllers": effective.initial_controllers(hostvars, groups, CLUSTER_ID) if controller else "",
        "classpath": f"{home}/libs/*",
        "jvm_options": ["-Xmx128m", "-XX:TieredStopAtLevel=1"],
    }


def meta(directory: Path) -> dict[str, str]:
    lines = (directory / "meta.properties").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_a_controller_is_formatted_once_with_the_initial_controllers(kafka4: Path, tmp_path: Path) -> None:
    args = node(tmp_path, kafka4, "ctl", controllers=3)
    code, info = run({**args, "state": "info"}, tmp_path)
    assert code == 0 and not info["changed"]
    assert info["dirs"][str(tmp_path / "ctl-metadata")]["formatted"] is False and info["cluster_ids"] == []

    code, planned = run(args, tmp_path, check=True)
    assert code == 0 and planned["changed"] and not (tmp_path / "ctl-metadata" / "meta.properties").exists()
    assert "--initial-controllers" in planned["command"]

    code, formatted = run(args, tmp_path)
    assert code == 0 and formatted["changed"], formatted
    written = meta(tmp_path / "ctl-metadata")
    assert written["cluster.id"] == CLUSTER_ID and written["node.id"] == "1"
    # The directory id Kafka wrote is the one every node's --initial-controllers names.
    assert written["directory.id"] == effective.controller_directory_id(CLUSTER_ID, 1)
    assert (tmp_path / "ctl-metadata" / "__cluster_metadata-0" / "00000000000000000000-0000000000.checkpoint").is_file()

    before = (tmp_path / "ctl-metadata" / "meta.properties").stat().st_mtime_ns
    code, again = run(args, tmp_path)
    assert code == 0 and not again["changed"], again
    assert (tmp_path / "ctl-metadata" / "meta.properties").stat().st_mtime_ns == before
    assert again["cluster_ids"] == [CLUSTER_ID] and again["metadata_log_started"] is False

    (tmp_path / "ctl-metadata" / "__cluster_metadata-0" / "00000000000000000000.log").write_bytes(b"")
    code, started = run({**args, "state": "info"}, tmp_path)
    assert started["metadata_log_started"] is True


def test_the_only_controller_is_bootstrapped_standalone(kafka4: Path, tmp_path: Path) -> None:
    code, formatted = run(node(tmp_path, kafka4, "ctl"), tmp_path)
    assert code == 0 and formatted["changed"], formatted
    assert "--standalone" in formatted["command"] and "--initial-controllers" not in formatted["command"]
    assert meta(tmp_path / "ctl-metadata")["cluster.id"] == CLUSTER_ID
    assert (tmp_path / "ctl-metadata" / "__cluster_metadata-0" / "00000000000000000000-0000000000.checkpoint").is_file()


def test_a_new_broker_directory_is_formatted_and_the_old_one_left_alone(kafka4: Path, tmp_path: Path) -> None:
    code, first = run(node(tmp_path, kafka4, "brk"), tmp_path)
    assert code == 0 and first["changed"] and "--no-initial-controllers" in first["command"]
    old = meta(tmp_path / "brk-a")
    before = (tmp_path / "brk-a" / "meta.properties").stat().st_mtime_ns
    args = node(tmp_path, kafka4, "brk", more_dirs=[str(tmp_path / "brk-b")])
    code, second = run(args, tmp_path)
    assert code == 0 and second["changed"] and second["formatted_now"] == [str(tmp_path / "brk-b")]
    assert meta(tmp_path / "brk-a") == old
    assert (tmp_path / "brk-a" / "meta.properties").stat().st_mtime_ns == before
    assert meta(tmp_path / "brk-b")["cluster.id"] == CLUSTER_ID


def test_directories_of_another_cluster_or_node_and_data_without_meta_are_refused(kafka4: Path, tmp_path: Path) -> None:
    args = node(tmp_path, kafka4, "brk")
    assert run(args, tmp_path)[0] == 0
    code, other = run({**args, "cluster_id": "AAAAAAAAAAAAAAAAAAAAAw"}, tmp_path)
    assert code != 0 and "formatted for cluster gicDJhj8S8md9OPFcsZbow, but this cluster is AAAA" in other["msg"]
    code, renumbered = run({**args, "node_id": 7}, tmp_path)
    assert code != 0 and "formatted for node 2, but the inventory says node 7" in renumbered["msg"]
    assert meta(tmp_path / "brk-a")["cluster.id"] == CLUSTER_ID

    used = tmp_path / "used"
    used.mkdir()
    (used / "orders-0").mkdir()
    code, refused = run({**args, "dirs": [str(used)]}, tmp_path)
    assert code != 0 and "holds orders-0 but no meta.properties: refusing to format" in refused["msg"]
    assert sorted(path.name for path in used.iterdir()) == ["orders-0"]


def test_an_empty_controller_in_a_quorum_that_has_run_is_not_formatted_as_an_initial_voter(
    kafka4: Path, tmp_path: Path
) -> None:
    args = node(tmp_path, kafka4, "ctl")
    code, refused = run({**args, "quorum_started": True}, tmp_path)
    assert code != 0 and "the quorum has already run" in refused["msg"]
    assert "kafka-metadata-quorum add-controller" in refused["msg"]
    assert not (tmp_path / "ctl-metadata" / "meta.properties").exists()


def test_kraft_on_3_9_with_static_voters_formats_without_quorum_flags(kafka39: Path, tmp_path: Path) -> None:
    args = node(
        tmp_path, kafka39, "ctl", version="3.9.1", kafka_metadata_mode="kraft", kafka_controller_quorum="static"
    )
    assert "controller.quorum.voters=1@127.0.0.1:9093" in Path(args["config"]).read_text()
    code, formatted = run(args, tmp_path)
    assert code == 0 and formatted["changed"], formatted
    assert not {"--initial-controllers", "--no-initial-controllers", "--standalone"} & set(formatted["command"])
    assert meta(tmp_path / "ctl-metadata")["cluster.id"] == CLUSTER_ID
