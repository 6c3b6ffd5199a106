"""kafkalint's own inventory reader (kafkalint.loaders.inventory) against Ansible's answers.

The reader imports nothing of Ansible; precedence is the contract. These tests hold it to:

- every host's variables equal ``ansible-inventory --list`` for the repository's inventories,
  the fixtures and a kitchen-sink inventory (YAML and INI hosts files, ranges, ports, children
  sections, ``ansible_group_priority``, nested groups, group_vars and host_vars as files and
  directories, INI value typing), and equal what ansible-core's own inventory and variable
  managers give for generated inventories;
- the model (every location) and the findings equal those of ``--render=ansible`` where
  nothing is templated;
- the reader never imports Ansible.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkalint import engine
from kafkalint.loaders import _Display, load, yamlread
from kafkalint.loaders import inventory as static
from kafkalint.model import Model

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"

SOURCES = [
    "inventories/production.example",
    "inventories/local",
    "tests/fixtures/fuzz/inventory",
    "tests/fixtures/rules/KL101/fail/inventory",
    "tests/fixtures/rules/KL304/fail/inventory/hosts.ini",
]

Writer = Callable[[str, str], Path]


def _json(value: Any) -> Any:
    """``value`` as ``ansible-inventory`` writes it (JSON, dates in ISO format)."""

    def other(item: Any) -> str:
        return item.isoformat() if hasattr(item, "isoformat") else str(item)

    return json.loads(json.dumps(value, sort_keys=True, default=other))


def _listed(source: Path) -> dict[str, dict[str, Any]]:
    done = subprocess.run(
        [str(ANSIBLE_INVENTORY), "-i", str(source), "--list"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "ANSIBLE_DEPRECATION_WARNINGS": "False"},
    )
    listed: dict[str, dict[str, Any]] = json.loads(done.stdout)["_meta"]["hostvars"]
    return listed


def _assert_same_variables(source: Path) -> None:
    listed = _listed(source)
    resolved = static.resolve(source, _Display(False))
    hosts = {host for members in resolved.groups.values() for host in members}
    assert hosts and hosts <= set(listed)
    assert set(resolved.raw) == set(listed)
    for host, variables in listed.items():
        assert _json(resolved.raw[host]) == variables, host
        if host in resolved.hostvars:
            for name, value in variables.items():
                if "{{" not in json.dumps(value):  # rendering changes only templates
                    assert _json(resolved.hostvars[host][name]) == value, f"{host}: {name}"


def _locations(model: Model) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for cluster in model.clusters:
        subjects: list[tuple[str, Any]] = [
            *(("broker " + item.name, item) for item in cluster.brokers),
            *(("zookeeper " + item.name, item) for item in cluster.zookeepers),
            *(("topic " + item.name, item) for item in cluster.topics),
            *(("profile " + item.name, item) for item in cluster.producers),
        ]
        for name, subject in subjects:
            found.append((name, str(subject.location)))
            found.append((name + " config", str(subject.config.location)))
            found.extend((f"{name} {setting.key}", str(setting.location)) for setting in subject.config)
    return found


def _line_locations(model: Model) -> list[tuple[str, str]]:
    """Locations to the line (Ansible's INI origins have no column)."""
    return [(name, ":".join(where.split(":")[:2])) for name, where in _locations(model)]


def _findings(model: Model) -> list[tuple[str, str, str]]:
    return [(item.rule_id, str(item.location), item.message) for item in engine.lint(model)]


@pytest.mark.parametrize("source", SOURCES)
def test_variables_equal_ansible_inventory_list(source: str) -> None:
    _assert_same_variables(ROOT / source)


@pytest.mark.parametrize("source", SOURCES)
def test_model_and_findings_equal_the_ansible_path(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    path = ROOT / source
    reference = load([path], render="ansible")
    model = load([path])
    assert _line_locations(model) == _line_locations(reference)
    assert _findings(model) == _findings(reference)


# -- a kitchen sink ----------------------------------------------------------------------------

KITCHEN: dict[str, str] = {
    "hosts": """
        # INI: host lines, ranges, ports, :vars and :children sections, Python-literal typing
        ungrouped-one ansible_host=10.9.9.9

        [zookeeper]
        zk[1:3] ansible_python_interpreter=/usr/bin/python3

        [kafka_broker]
        kafka[01:02]:9999 rack_list="['a', 'b']" quoted='7' plain=7 word=yes
        kafka3 kafka_broker_id=3 kafka_broker_rack=c

        [kafka_broker:vars]
        kafka_broker_port=9093
        level=inventory-group
        quoted='7'
        mapping={'a': 1, 'b': [2, 3]}

        [east]
        kafka01

        [east:vars]
        ansible_group_priority=10
        level=east

        [west]
        kafka01

        [west:vars]
        level=west

        [racks:children]
        east
        west

        [racks:vars]
        level=racks
        """,
    "more.yml": """
        all:
          vars:
            level: all
            kafka_version: "3.9.1"
          children:
            kafka_broker:
              hosts:
                kafka01: {kafka_broker_id: 1, kafka_broker_rack: a}
                kafka02: {kafka_broker_id: 2, kafka_broker_rack: b}
              children:
                nested:
                  hosts:
                    kafka02: {}
                  vars: {level: nested, nested_only: true}
        """,
    "README.md": "not an inventory: Ansible ignores .md files in an inventory directory\n",
    "group_vars/all.yml": """
        kafka_cluster_name: kitchen
        level: group_vars-all
        day: 2024-05-01
        octal: 0o17
        old_octal: 017
        sexagesimal: 1:30
        """,
    "group_vars/kafka_broker/main.yml": """
        level: group_vars-kafka_broker
        kafka_broker_properties:
          num.partitions: 6
        """,
    "group_vars/kafka_broker/topics": """
        kafka_topics:
          - {name: orders, partitions: 6, replication_factor: 3}
        """,
    "group_vars/east.yaml": "level: group_vars-east\n",
    "group_vars/west.json": '{"level": "group_vars-west", "west_only": [1, 2.5, null]}',
    "group_vars/nested.yml": "nested_file: yes\n",
    "host_vars/kafka02.yml": "level: host_vars\nkafka_broker_properties: {num.partitions: 12}\n",
    "host_vars/zk1/a.yml": "zookeeper_id: 1\n",
    "host_vars/zk1/b/deeper.yml": "deep: true\n",
    "host_vars/zk2": "zookeeper_id: 2\n",
    "host_vars/zk3.yml": "zookeeper_id: 3\n",
}


@pytest.fixture
def kitchen(write_file: Writer) -> Path:
    for name, text in KITCHEN.items():
        write_file(f"kitchen/{name}", text)
    return Path("kitchen")


def test_a_kitchen_sink_inventory_equals_ansible_inventory_list(kitchen: Path) -> None:
    _assert_same_variables(kitchen)
    resolved = static.resolve(kitchen, _Display(True))
    kafka01 = resolved.raw["kafka01"]
    assert kafka01["level"] == "group_vars-east"  # the highest priority group wins among siblings
    assert kafka01["ansible_port"] == 9999
    assert kafka01["quoted"] == 7  # a host line is split as a shell would: the quotes go first
    assert resolved.raw["kafka02"]["level"] == "host_vars"
    assert str(resolved.locator.var("kafka02", "level")) == "kitchen/host_vars/kafka02.yml:1:1"
    assert str(resolved.locator.var("kafka01", "kafka_broker_port")) == "kitchen/hosts:12"
    assert str(resolved.locator.host("zk2")) == "kitchen/hosts:5"


def test_a_kitchen_sink_model_equals_the_ansible_paths(kitchen: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    mine, reference = _line_locations(load([kitchen])), _line_locations(load([kitchen], render="ansible"))
    assert [name for name, _ in mine] == [name for name, _ in reference]
    # Ansible keeps no line for an INI host: the Ansible path looks for a line starting with
    # the host's name, which a range (kafka[01:02], zk[1:3]) does not spell out, and guesses
    # wrong or not at all. This reader knows the line of the range.
    ranged = {"kafka01": "kitchen/hosts:8", "kafka02": "kitchen/hosts:8", "zk1": "kitchen/hosts:5",
              "zk2": "kitchen/hosts:5", "zk3": "kitchen/hosts:5"}  # fmt: skip
    for (name, here), (_, there) in zip(mine, reference, strict=True):
        if here != there:
            assert here == ranged[name.split()[1]], (name, here, there)
    assert _findings(load([kitchen])) == _findings(load([kitchen], render="ansible"))


def test_the_reader_never_imports_ansible(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from kafkalint.loaders import load\n"
        f"load([{str(ROOT / 'inventories' / 'production.example')!r}])\n"
        "print(sorted(name for name in sys.modules if name == 'ansible' or name.startswith('ansible.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path, env=dict(os.environ)
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_reader_is_freed_without_the_cyclic_collector() -> None:
    # the loader pauses the collector while it reads and then freezes what is alive: a reader
    # kept by a reference cycle would keep every file's values and positions for the whole run
    gc.collect()
    gc.disable()
    try:
        cluster = static.load(ROOT / "inventories" / "production.example", _Display(False), None)
        alive = [item for item in gc.get_objects() if isinstance(item, (static._Reader, yamlread.Positions))]
    finally:
        gc.enable()
    assert cluster.brokers
    assert alive == []


# -- generated inventories against ansible-core in process ---------------------------------------

_NAMES = ["alpha", "beta", "gamma", "delta", "kafka_broker", "zookeeper"]


@st.composite
def inventories(draw: st.DrawFn) -> dict[str, str]:
    """A random tree of groups (children, priorities), hosts in several groups, the same
    variable set at many levels (hosts files, group_vars, host_vars), as YAML or INI."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    groups = rng.sample(_NAMES, rng.randint(2, len(_NAMES)))
    hosts = [f"h{index}" for index in range(rng.randint(1, 5))]
    parents = {
        group: [other for other in groups if other < group][:1] if rng.random() < 0.5 else [] for group in groups
    }
    members = {group: rng.sample(hosts, rng.randint(0, len(hosts))) for group in groups}
    levels = ["v", "w"]
    files: dict[str, str] = {}
    if draw(st.booleans()):
        lines = []
        for group in groups:
            lines.append(f"[{group}]")
            lines.extend(f"{host} v={group}-{host}" if rng.random() < 0.3 else host for host in members[group])
            lines.append(f"[{group}:vars]")
            lines.extend(f"{name}={group}" for name in levels if rng.random() < 0.6)
            if rng.random() < 0.4:
                lines.append(f"ansible_group_priority={rng.randint(1, 3)}")
            children = [child for child in groups if group in parents[child]]
            if children:
                lines.append(f"[{group}:children]")
                lines.extend(children)
        files["hosts"] = "\n".join(lines) + "\n"
    else:
        document: dict[str, Any] = {}
        for group in groups:
            entry: dict[str, Any] = {}
            if members[group]:
                entry["hosts"] = {
                    host: ({"v": f"{group}-{host}"} if rng.random() < 0.3 else None) for host in members[group]
                }
            variables = {name: group for name in levels if rng.random() < 0.6}
            if rng.random() < 0.4:
                variables["ansible_group_priority"] = rng.randint(1, 3)
            if variables:
                entry["vars"] = variables
            children = [child for child in groups if group in parents[child]]
            if children:
                entry["children"] = dict.fromkeys(children)
            document[group] = entry or None
        files["hosts.yml"] = json.dumps(document)
    for group in ["all", *groups]:
        if rng.random() < 0.5:
            files[f"group_vars/{group}.yml"] = "".join(f"{name}: gv-{group}\n" for name in levels if rng.random() < 0.7)
    for host in hosts:
        if rng.random() < 0.3:
            files[f"host_vars/{host}.yml"] = "w: hv\n"
    return files


def _ansible_variables(path: Path) -> dict[str, dict[str, Any]]:
    os.environ.setdefault("ANSIBLE_DEPRECATION_WARNINGS", "False")
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.vars import host_group_vars
    from ansible.vars.manager import VariableManager

    host_group_vars.FOUND.clear()
    host_group_vars.NAK.clear()
    host_group_vars.CANONICAL_PATHS.clear()
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(path)])
    manager = VariableManager(loader=loader, inventory=inventory)
    internal = {"inventory_file", "inventory_dir", "inventory_hostname", "inventory_hostname_short", "group_names",
                "groups", "omit", "playbook_dir", "ansible_playbook_python", "ansible_config_file", "ansible_version",
                "ansible_check_mode", "ansible_diff_mode", "ansible_forks", "ansible_inventory_sources",
                "ansible_skip_tags", "ansible_run_tags", "ansible_verbosity", "ansible_facts", "ansible_limit",
                "ansible_search_path", "ansible_dependent_role_names", "ansible_play_role_names", "ansible_role_names",
                "role_names", "ansible_collection_name"}  # fmt: skip
    result = {}
    for host in inventory.get_hosts():
        variables = manager.get_vars(host=host, include_hostvars=False)
        result[host.name] = {name: value for name, value in variables.items() if name not in internal}
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=inventories())
def test_generated_inventories_resolve_as_ansible_resolves_them(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    root = tmp_path_factory.mktemp("generated")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    expected = _ansible_variables(root)
    try:
        resolved = static.resolve(root, _Display(False))
    except Exception as error:  # an inventory without the contract's groups: compare all hosts anyway
        from kafkalint.errors import InputError

        assert isinstance(error, InputError)
        reader = static._Reader(root, _Display(False), static.Vault(), [])
        reader.read_sources()
        reader.inventory.reconcile()
        actual = {host: {n: d.value for n, d in reader.variables(host).items()} for host in reader.inventory.hosts}
    else:
        actual = resolved.raw
    assert _json(actual) == _json(expected)
