"""The kafka_migration role's filters: the phase a cluster is in from what its nodes run, and the
steps (forward, or Kafka's rollback) to the inventory's phase. The live proof of the steps is
tests/live/test_live_migration.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ansible.errors import AnsibleFilterError

ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"


def _plugin() -> ModuleType:
    path = ROLES_DIR / "kafka_migration" / "filter_plugins" / "kafka_migration_filters.py"
    spec = importlib.util.spec_from_file_location("kafka_iac_test_migration_filters", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


M = _plugin()
GROUPS = {"kafka_broker": ["b1", "b2", "b3"], "kafka_controller": ["c1", "c2", "c3"]}
ZK = "broker.id=1\nzookeeper.connect=zk:2181\n"
ZK_MIGRATING = ZK + "zookeeper.metadata.migration.enable=true\ncontroller.quorum.voters=3000@c1:9093\n"
KRAFT_BROKER = "process.roles=broker\nnode.id=1\n"
CONTROLLER = "process.roles=controller\nnode.id=3000\n"
CONTROLLER_MIGRATING = CONTROLLER + "zookeeper.metadata.migration.enable=true\nzookeeper.connect=zk:2181\n"


def states(
    brokers: str | list[str], controllers: str | list[str] | None, pending: tuple[str, ...] = ()
) -> dict[str, Any]:
    broker_texts = brokers if isinstance(brokers, list) else [brokers] * 3
    controller_texts = controllers if isinstance(controllers, list) else [controllers or ""] * 3
    result = {}
    for host, text in zip(
        GROUPS["kafka_broker"] + GROUPS["kafka_controller"], broker_texts + controller_texts, strict=True
    ):
        result[host] = M.kafka_migration_node_state(text, bool(text), host in pending)
    return result


@pytest.mark.parametrize(
    ("brokers", "controllers", "phase"),
    [
        (ZK, None, "zookeeper"),
        (ZK, CONTROLLER_MIGRATING, "controllers"),
        (ZK_MIGRATING, CONTROLLER_MIGRATING, "dual-write"),
        (KRAFT_BROKER, CONTROLLER_MIGRATING, "kraft-brokers"),
        (KRAFT_BROKER, CONTROLLER, "finalised"),
    ],
)
def test_each_phase_is_found_from_what_the_nodes_run(brokers: str, controllers: str | None, phase: str) -> None:
    assert M.kafka_migration_detect(states(brokers, controllers), GROUPS) == {
        "phase": phase,
        "complete": True,
        "behind": [],
        "provisioned": True,
    }


def test_a_half_done_step_is_found_and_resumed() -> None:
    half = M.kafka_migration_detect(states([ZK_MIGRATING, ZK, ZK], CONTROLLER_MIGRATING), GROUPS)
    assert half == {"phase": "dual-write", "complete": False, "behind": ["b2", "b3"], "provisioned": True}
    assert M.kafka_migration_steps(half, "kraft-brokers") == ["dual-write", "kraft-brokers"]
    pending = M.kafka_migration_detect(states(ZK_MIGRATING, CONTROLLER_MIGRATING, pending=("b3",)), GROUPS)
    assert pending["phase"] == "dual-write" and pending["behind"] == ["b3"]
    # Controllers gone while a broker still migrates: a rollback that stopped half way.
    rolled = M.kafka_migration_detect(states([ZK, ZK_MIGRATING, ZK_MIGRATING], None), GROUPS)
    assert rolled == {"phase": "zookeeper", "complete": False, "behind": ["b2", "b3"], "provisioned": True}
    fresh = M.kafka_migration_detect(states("", None), GROUPS)
    assert fresh["phase"] == "zookeeper" and not fresh["provisioned"]
    assert M.kafka_migration_steps(rolled, "zookeeper") == ["rollback-to-zookeeper"]
    assert M.kafka_migration_steps(rolled, "dual-write") == ["rollback-to-zookeeper", "controllers", "dual-write"]


def done(phase: str) -> dict[str, Any]:
    return {"phase": phase, "complete": True, "behind": []}


def test_forward_steps_stop_for_the_soak_unless_told() -> None:
    assert M.kafka_migration_steps(done("zookeeper"), "zookeeper") == []
    assert M.kafka_migration_steps(done("zookeeper"), "dual-write") == ["controllers", "dual-write"]
    assert M.kafka_migration_steps(done("zookeeper"), "finalised") == ["controllers", "dual-write", "kraft-brokers"]
    assert M.kafka_migration_steps(done("dual-write"), "finalised", True) == ["kraft-brokers", "finalised"]
    assert M.kafka_migration_steps(done("kraft-brokers"), "finalised") == ["finalised"]
    assert M.kafka_migration_steps(done("finalised"), "finalised") == []


def test_rollbacks_follow_kafkas_documentation_and_stop_at_finalisation() -> None:
    assert M.kafka_migration_steps(done("dual-write"), "zookeeper") == ["rollback-to-zookeeper"]
    assert M.kafka_migration_steps(done("kraft-brokers"), "dual-write") == ["rollback-brokers-to-dual-write"]
    assert M.kafka_migration_steps(done("kraft-brokers"), "zookeeper") == [
        "rollback-brokers-to-dual-write",
        "rollback-to-zookeeper",
    ]
    assert M.kafka_migration_steps(done("controllers"), "zookeeper") == ["deprovision-controllers"]
    with pytest.raises(AnsibleFilterError, match="a rollback to zookeeper is not possible"):
        M.kafka_migration_steps(done("finalised"), "zookeeper")
    with pytest.raises(AnsibleFilterError, match="not to controllers"):
        M.kafka_migration_steps(done("dual-write"), "controllers")


def test_the_refusal_is_the_one_line_the_role_fails_with() -> None:
    assert M.kafka_migration_refusal(done("dual-write"), "zookeeper") == ""
    assert M.kafka_migration_refusal(done("zookeeper"), "finalised") == ""
    refusal = M.kafka_migration_refusal(done("finalised"), "zookeeper")
    assert refusal.startswith("the cluster is finalised") and "\n" not in refusal
    assert "not to controllers" in M.kafka_migration_refusal(done("dual-write"), "controllers")
    assert "must be one of" in M.kafka_migration_refusal(done("zookeeper"), "kraft")
    assert M.kafka_migration_reached(["rollback-brokers-to-dual-write"], done("kraft-brokers")) == "dual-write"
    assert M.kafka_migration_reached([], done("finalised")) == "finalised"


def test_znodes_and_installed_versions_are_read() -> None:
    out = 'WATCHER::\n{"version":2,"brokerid":3000,"timestamp":"1","kraftControllerEpoch":4}\n'
    assert M.kafka_migration_znode(out)["kraftControllerEpoch"] == 4
    assert M.kafka_migration_znode("[1, 2, 3]\n") == [1, 2, 3]
    assert M.kafka_migration_znode("[]\n") == []
    assert M.kafka_migration_znode("Node does not exist: /migration\n") is None
    assert M.kafka_migration_installed_version("/opt/kafka/kafka_2.13-3.9.1") == "3.9.1"
    hostvars = {"b1": {"kafka_broker_id": 1}, "c1": {"kafka_node_id": 1}, "c2": {"kafka_node_id": 3000}}
    groups = {"kafka_broker": ["b1"], "kafka_controller": ["c1", "c2"]}
    assert M.kafka_migration_collisions(hostvars, groups, ["7"]) == ["c1 (kafka_node_id 1)"]
    assert M.kafka_migration_collisions(hostvars, groups, [3000]) == ["c1 (kafka_node_id 1)", "c2 (kafka_node_id 3000)"]


def test_one_shell_session_reads_every_znode_in_order() -> None:
    paths = ["/controller", "/migration", "/brokers/ids", "/cluster/id"]
    out = (
        "Connecting to 172.30.4.11:2181\nWelcome to ZooKeeper!\nJLine support is disabled\n\nWATCHER::\n\n"
        "WatchedEvent state:SyncConnected type:None path:null\n"
        '{"version":2,"brokerid":2,"timestamp":"1","kraftControllerEpoch":-1}\n'
        "Node does not exist: /migration\n[1, 2, 3]\n"
        '{"version":"1","id":"AnO9fof9RHOGvLIyk5eQSA"}'
    )
    znodes = M.kafka_migration_znodes(out, paths)
    assert znodes == {
        "/controller": {"version": 2, "brokerid": 2, "timestamp": "1", "kraftControllerEpoch": -1},
        "/migration": None,
        "/brokers/ids": [1, 2, 3],
        "/cluster/id": {"version": "1", "id": "AnO9fof9RHOGvLIyk5eQSA"},
    }
    # A session that lost its connection answers fewer reads: nothing is guessed.
    with pytest.raises(AnsibleFilterError, match="answered 1 of 4"):
        M.kafka_migration_znodes("[1, 2, 3]\nKeeperErrorCode = ConnectionLoss for /cluster/id", paths)
    # An answer out of place is refused, not assigned to the wrong read.
    with pytest.raises(AnsibleFilterError, match="where it read /controller"):
        M.kafka_migration_znodes('Node does not exist: /migration\n{}\n[1]\n{"id":"x"}', paths)


def test_features_below_a_release_are_found_by_kafkas_own_output() -> None:
    mapping = "metadata.version=33 (4.4)\nkraft.version=1\ngroup.version=1\n"
    describe = (
        "Feature: group.version                             SupportedMinVersion: 0               "
        "SupportedMaxVersion: 1               FinalizedVersionLevel: 1               Epoch: 9\n"
        "Feature: metadata.version                          SupportedMinVersion: 3.3-IV3         "
        "SupportedMaxVersion: 4.4             FinalizedVersionLevel: 3.9-IV0         Epoch: 9\n"
    )
    assert M.kafka_migration_features_below(mapping, describe) == [
        "metadata.version 3.9-IV0 -> 4.4",
        "kraft.version 0 -> 1",
    ]
    done = describe.replace("3.9-IV0", "4.4    ") + describe.splitlines()[0].replace(
        "group.version  ", "kraft.version  "
    )
    assert M.kafka_migration_features_below(mapping, done) == []
