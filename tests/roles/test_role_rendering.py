"""The roles' templates and preflight checks, run by ansible-playbook on the controller.

No host is touched: the play runs the roles' preflight tasks and renders zoo.cfg and
server.properties into a temporary directory with a local connection, so the test shows the
file a host gets is exactly ``kafkalint.effective.render`` of the same inventory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kafkalint import effective

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")

RENDER_PLAY = """
- name: Render the configuration files
  hosts: all
  gather_facts: false
  tasks:
    - name: Run the ZooKeeper preflight
      ansible.builtin.include_role:
        name: zookeeper
        tasks_from: preflight.yml
      vars: {zk_role_vars}
    - name: Run the broker preflight
      ansible.builtin.include_role:
        name: kafka_broker
        tasks_from: preflight.yml
      vars: {kafka_role_vars}
    - name: Render zoo.cfg
      ansible.builtin.template:
        src: {repo}/roles/zookeeper/templates/zoo.cfg.j2
        dest: "{out}/{{{{ inventory_hostname }}}}.zoo.cfg"
        mode: "0644"
    - name: Render server.properties
      ansible.builtin.template:
        src: {repo}/roles/kafka_broker/templates/server.properties.j2
        dest: "{out}/{{{{ inventory_hostname }}}}.server.properties"
        mode: "0644"
"""

HOSTS: dict[str, dict[str, Any]] = {
    "node1": {"ansible_host": "10.1.0.1", "zookeeper_id": 1, "kafka_broker_id": 1, "kafka_broker_rack": "a"},
    "node2": {"ansible_host": "10.1.0.2", "zookeeper_id": 2, "kafka_broker_id": 2, "kafka_broker_port": 9093},
    "node3": {"ansible_host": "10.1.0.3", "zookeeper_id": 3, "kafka_broker_id": 3},
}
GROUP_VARS: dict[str, Any] = {
    "kafka_version": "3.9.1",
    "zookeeper_archive_sha512": "0" * 128,
    "kafka_broker_archive_sha512": "0" * 128,
    "kafka_broker_properties": {"num.partitions": 6, "log.retention.hours": 72},
    "zookeeper_properties": {"maxClientCnxns": 100},
    "zookeeper_4lw_commands_whitelist": ["srvr", "ruok", "mntr"],
}


def _run(
    tmp_path: Path,
    hosts: dict[str, dict[str, Any]],
    group_vars: dict[str, Any],
    zk_role_vars: dict[str, Any] | None = None,
    kafka_role_vars: dict[str, Any] | None = None,
) -> subprocess.CompletedProcess[str]:
    children = {
        "zookeeper": {"hosts": {name: {"zookeeper_id": v["zookeeper_id"]} for name, v in hosts.items()}},
        "kafka_broker": {"hosts": dict.fromkeys(hosts)},
    }
    play = RENDER_PLAY.format(
        repo=REPO,
        out=tmp_path / "out",
        zk_role_vars=yaml.safe_dump(zk_role_vars or {}, default_flow_style=True).strip(),
        kafka_role_vars=yaml.safe_dump(kafka_role_vars or {}, default_flow_style=True).strip(),
    )
    return _play(tmp_path, hosts, children, group_vars, play)


def _play(
    tmp_path: Path,
    hosts: dict[str, dict[str, Any]],
    children: dict[str, Any],
    group_vars: dict[str, Any],
    play: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``play`` with a local connection on an inventory of ``hosts`` in ``children``."""
    (tmp_path / "out").mkdir()
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory = {"all": {"vars": {**local, **group_vars}, "children": children, "hosts": hosts}}
    # Ansible orders a group's hosts as the inventory declares them: keep the declared order.
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    (tmp_path / "render.yml").write_text(play, encoding="utf-8")
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    return subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(tmp_path / "hosts.yml"), str(tmp_path / "render.yml")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_rendered_files_equal_the_linters_effective_configuration(tmp_path: Path) -> None:
    result = _run(tmp_path, HOSTS, GROUP_VARS)
    assert result.returncode == 0, result.stdout + result.stderr
    hostvars = {name: {**GROUP_VARS, **values} for name, values in HOSTS.items()}
    groups = {"zookeeper": sorted(HOSTS), "kafka_broker": sorted(HOSTS)}
    for host in HOSTS:
        zoo_cfg = (tmp_path / "out" / f"{host}.zoo.cfg").read_text(encoding="utf-8")
        properties = (tmp_path / "out" / f"{host}.server.properties").read_text(encoding="utf-8")
        assert zoo_cfg.endswith(effective.render(effective.zookeeper_config(host, hostvars, groups)))
        assert properties.endswith(effective.render(effective.broker_config(host, hostvars, groups)))
    node2 = (tmp_path / "out" / "node2.server.properties").read_text(encoding="utf-8").splitlines()
    assert "advertised.listeners=PLAINTEXT://10.1.0.2:9093" in node2
    assert "num.partitions=6" in node2
    node1_zk = (tmp_path / "out" / "node1.zoo.cfg").read_text(encoding="utf-8").splitlines()
    assert "4lw.commands.whitelist=srvr,ruok,mntr" in node1_zk
    assert "server.2=10.1.0.2:2888:3888" in node1_zk


@pytest.mark.parametrize(
    ("hosts", "group_vars", "role_vars", "message"),
    [
        pytest.param(
            {**HOSTS, "node3": {**HOSTS["node3"], "kafka_broker_id": 1}},
            GROUP_VARS,
            {},
            "kafka_broker_id must be a non-negative integer, unique in the kafka_broker group",
            id="duplicate-broker-id",
        ),
        pytest.param(
            {**HOSTS, "node2": {**HOSTS["node2"], "zookeeper_id": 300}},
            GROUP_VARS,
            {},
            "zookeeper_id must be an integer from 1 to 255",
            id="zookeeper-id-out-of-range",
        ),
        pytest.param(
            HOSTS,
            {**GROUP_VARS, "kafka_broker_archive_sha512": ""},
            {},
            "kafka_broker_archive_sha512 when downloading",
            id="download-without-checksum",
        ),
        pytest.param(
            HOSTS,
            {**GROUP_VARS, "zookeeper_4lw_commands_whitelist": ["ruok"]},
            {},
            "the 4lw whitelist must contain srvr",
            id="health-check-word-not-whitelisted",
        ),
        pytest.param(
            HOSTS,
            {**GROUP_VARS, "kafka_broker_heap_size": "1x"},
            {},
            "kafka_broker_heap_size must be a size such as 512m or 4g",
            id="bad-heap-size",
        ),
        pytest.param(
            HOSTS,
            GROUP_VARS,
            {"kafka_broker_port": 9999},
            "set kafka_broker_port in the inventory",
            id="topology-variable-outside-the-inventory",
        ),
    ],
)
def test_preflight_refuses_bad_input_with_a_clear_message(
    tmp_path: Path,
    hosts: dict[str, dict[str, Any]],
    group_vars: dict[str, Any],
    role_vars: dict[str, Any],
    message: str,
) -> None:
    result = _run(tmp_path, hosts, group_vars, kafka_role_vars=role_vars)
    assert result.returncode != 0
    assert message in result.stdout, result.stdout + result.stderr


KRAFT_PLAY = """
- name: Check and render the KRaft nodes
  hosts: kafka_controller:kafka_broker
  gather_facts: false
  tasks:
    - name: Run the controller preflight
      ansible.builtin.include_role:
        name: kafka_controller
        tasks_from: preflight.yml
      when: inventory_hostname in groups['kafka_controller']
    - name: Run the Kafka node preflight
      ansible.builtin.include_role:
        name: kafka_broker
        tasks_from: preflight.yml
    - name: Render server.properties
      ansible.builtin.template:
        src: {repo}/roles/kafka_broker/templates/server.properties.j2
        dest: "{out}/{{{{ inventory_hostname }}}}.server.properties"
        mode: "0644"
"""

KRAFT_HOSTS: dict[str, dict[str, Any]] = {
    "ctl1": {"ansible_host": "10.2.0.1", "kafka_node_id": 1},
    "ctl2": {"ansible_host": "10.2.0.2", "kafka_node_id": 2},
    "both": {"ansible_host": "10.2.0.3", "kafka_node_id": 3},
    "kafka1": {"ansible_host": "10.2.0.11", "kafka_node_id": 11, "kafka_broker_rack": "a"},
}
KRAFT_GROUP_VARS: dict[str, Any] = {
    "kafka_version": "4.4.0",
    "kafka_broker_archive_sha512": "0" * 128,
    "kafka_controller_properties": {"min.insync.replicas": 2},
}


def _run_kraft(
    tmp_path: Path, hosts: dict[str, dict[str, Any]], group_vars: dict[str, Any]
) -> subprocess.CompletedProcess[str]:
    children = {
        "kafka_controller": {"hosts": dict.fromkeys(["ctl1", "ctl2", "both"])},
        "kafka_broker": {"hosts": dict.fromkeys(["both", "kafka1"])},
    }
    return _play(tmp_path, hosts, children, group_vars, KRAFT_PLAY.format(repo=REPO, out=tmp_path / "out"))


def test_kraft_nodes_pass_the_preflight_and_render_the_effective_configuration(tmp_path: Path) -> None:
    result = _run_kraft(tmp_path, KRAFT_HOSTS, KRAFT_GROUP_VARS)
    assert result.returncode == 0, result.stdout + result.stderr
    hostvars = {name: {**KRAFT_GROUP_VARS, **values} for name, values in KRAFT_HOSTS.items()}
    groups = {"kafka_controller": ["ctl1", "ctl2", "both"], "kafka_broker": ["both", "kafka1"]}
    for host in KRAFT_HOSTS:
        text = (tmp_path / "out" / f"{host}.server.properties").read_text(encoding="utf-8")
        assert text.endswith(effective.render(effective.broker_config(host, hostvars, groups)))
    lines = {host: (tmp_path / "out" / f"{host}.server.properties").read_text().splitlines() for host in KRAFT_HOSTS}
    assert "process.roles=controller" in lines["ctl1"]
    assert "process.roles=broker,controller" in lines["both"]
    assert "process.roles=broker" in lines["kafka1"]
    assert "controller.quorum.bootstrap.servers=10.2.0.1:9093,10.2.0.2:9093,10.2.0.3:9093" in lines["kafka1"]


@pytest.mark.parametrize(
    ("hosts", "group_vars", "message"),
    [
        pytest.param(
            {**KRAFT_HOSTS, "kafka1": {**KRAFT_HOSTS["kafka1"], "kafka_node_id": 2}},
            KRAFT_GROUP_VARS,
            "kafka_node_id must be a non-negative integer, unique over the kafka_controller and kafka_broker groups",
            id="broker-reuses-a-controller-id",
        ),
        pytest.param(
            KRAFT_HOSTS,
            {**KRAFT_GROUP_VARS, "kafka_metadata_mode": "zookeeper"},
            "kafka_metadata_mode is zookeeper, but Kafka 4.4.0 runs only in KRaft mode",
            id="zookeeper-mode-on-kafka-4",
        ),
        pytest.param(
            KRAFT_HOSTS,
            {**KRAFT_GROUP_VARS, "kafka_controller_heap_size": "lots"},
            "kafka_controller_heap_size a size such as 512m",
            id="bad-controller-heap",
        ),
    ],
)
def test_kraft_preflight_refuses_bad_input_with_a_clear_message(
    tmp_path: Path, hosts: dict[str, dict[str, Any]], group_vars: dict[str, Any], message: str
) -> None:
    result = _run_kraft(tmp_path, hosts, group_vars)
    assert result.returncode != 0
    assert message in result.stdout, result.stdout + result.stderr
