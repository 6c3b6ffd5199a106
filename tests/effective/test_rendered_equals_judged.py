"""The file a role writes on a host equals the configuration kafkalint judged.

For every host of the shipped inventories, ZooKeeper mode and KRaft (dedicated controllers,
brokers), and of the KRaft inventories among the KL5xx rule fixtures (each pass/fail pair's
``kraft-inventory``: what kafkalint judged wrong there is what the roles would write), Ansible
renders the roles' real templates (server.properties.j2, zoo.cfg.j2, through the roles' filter
plugins) with the inventory as Ansible resolves it; kafkalint loads the same inventory with its
own loader. The rendered files, parsed as Java properties, must equal the explicit settings of
kafkalint's model, controllers included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kafkalint import effective, loaders
from kafkalint.loaders import properties

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
INVENTORIES = [
    *(ROOT / "inventories" / name for name in ("production.example", "local", "production-kraft.example", "kraft")),
    *sorted(FIXTURES.glob("KL5*/*/kraft-inventory")),
]


def _name(inventory: Path) -> str:
    return str(inventory.relative_to(FIXTURES).parent) if FIXTURES in inventory.parents else inventory.name


RENDER_PLAYBOOK = textwrap.dedent(
    """\
    - name: Render the role templates for every host, on the controller
      hosts: zookeeper:kafka_controller:kafka_broker
      gather_facts: false
      tasks:
        - name: Render server.properties
          ansible.builtin.template:
            src: "{{ repo }}/roles/kafka_broker/templates/server.properties.j2"
            dest: "{{ out }}/{{ inventory_hostname }}.server.properties"
            mode: "0600"
          when: inventory_hostname in groups['kafka_broker'] + groups['kafka_controller'] | default([])
        - name: Render zoo.cfg
          ansible.builtin.template:
            src: "{{ repo }}/roles/zookeeper/templates/zoo.cfg.j2"
            dest: "{{ out }}/{{ inventory_hostname }}.zoo.cfg"
            mode: "0600"
          when: inventory_hostname in groups['zookeeper'] | default([])
    """
)


@pytest.fixture(scope="module", params=INVENTORIES, ids=_name)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    inventory: Path = request.param
    out = tmp_path_factory.mktemp(_name(inventory).replace("/", "-"))
    playbook = out / "render.yml"
    playbook.write_text(RENDER_PLAYBOOK, encoding="utf-8")
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_FILTER_PLUGINS=f"{ROOT}/roles/kafka_broker/filter_plugins:{ROOT}/roles/zookeeper/filter_plugins",
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "-i",
            str(inventory),
            str(playbook),
            # Render on the controller whatever the inventory's connection is.
            "-e",
            "ansible_connection=local",
            "-e",
            f"ansible_python_interpreter={sys.executable}",
            "-e",
            f"repo={ROOT} out={out}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return inventory, out


def _file(path: Path) -> dict[str, str]:
    return properties.parse(path.read_text(encoding="utf-8")).values()


def _judged(config_settings: object) -> dict[str, str]:
    return {
        setting.key: effective.render_value(setting.raw)
        for setting in config_settings  # type: ignore[attr-defined]
        if setting.layer != "kafka-default"
    }


def test_every_host_renders_what_kafkalint_judged(rendered: tuple[Path, Path]) -> None:
    inventory, out = rendered
    (cluster,) = loaders.load([inventory]).clusters
    kraft = "kraft" in inventory.name
    assert cluster.brokers and (cluster.controllers if kraft else cluster.zookeepers)
    rendered_files = {path.name for path in out.glob("*.server.properties")}
    assert rendered_files == {f"{node.name}.server.properties" for node in cluster.nodes}
    for node in cluster.nodes:
        on_disk = _file(out / f"{node.name}.server.properties")
        assert on_disk == _judged(node.config), node.name
        if kraft:
            assert {"node.id", "process.roles", "min.insync.replicas"} <= on_disk.keys()
            # The dynamic quorum (bootstrap servers) or the static one (voters), as chosen.
            assert "controller.quorum.bootstrap.servers" in on_disk or "controller.quorum.voters" in on_disk
            assert on_disk["process.roles"] == ",".join(sorted(node.roles))
        else:
            assert {
                "broker.id",
                "zookeeper.connect",
                "min.insync.replicas",
                "auto.create.topics.enable",
            } <= on_disk.keys()
    for node in cluster.zookeepers:
        on_disk = _file(out / f"{node.name}.zoo.cfg")
        assert on_disk == _judged(node.config), node.name
        assert "server.1" in on_disk
    if kraft:
        assert len(cluster.controllers) >= 2 and all(node.roles == {"controller"} for node in cluster.controllers)
        assert all(node.roles == {"broker"} for node in cluster.brokers)
