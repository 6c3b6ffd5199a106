"""``--render=ansible``'s fast variables-file reader (kafkalint.loaders.fastvars) against
Ansible's own answers.

With ``render="ansible"`` the loader reads inventories through ansible-core
(kafkalint.loaders.ansible_inventory) and parses ``group_vars/`` and ``host_vars/`` files with
libyaml instead of ansible-core's tagging constructor; everything else stays Ansible's. These
tests hold it to:

- the variables it feeds the model equal ``ansible-inventory --list`` (Ansible's own answer)
  and the ones Ansible's own loader gives, for the repository's inventories and fixtures;
- every location in the model, and every finding, equals what Ansible's loader gives;
- what it does not take on (JSON, vault, ``!unsafe``, duplicate keys, YAML errors) is read
  by Ansible's loader, with Ansible's result or error.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkalint import engine
from kafkalint.errors import InputError
from kafkalint.loaders import _Display, load
from kafkalint.loaders import ansible_inventory as inventory_module
from kafkalint.loaders.vault import Vault
from kafkalint.model import Location, Model

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"

#: Inventories of the repository (YAML and INI hosts files, group_vars as files and as
#: directories, Jinja values).
SOURCES = [
    "inventories/production.example",
    "inventories/local",
    "tests/fixtures/fuzz/inventory",
    "tests/fixtures/rules/KL101/fail/inventory",
    "tests/fixtures/rules/KL304/fail/inventory/hosts.ini",
]

Writer = Callable[[str, str], Path]

SMALL_HOSTS = """
all:
  children:
    zookeeper:
      hosts:
        zk1: {zookeeper_id: 1}
    kafka_broker:
      hosts:
        kafka1: {kafka_broker_id: 1}
"""


def _canonical(value: Any) -> Any:
    """``value`` as plain JSON-like data whose comparison also tells types apart (``True``
    from ``1``, ``1`` from ``1.0``, a date from a string)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return ("date", value.isoformat())
    if isinstance(value, dict):
        return {str.__str__(k) if isinstance(k, str) else repr(_canonical(k)): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return ("other", repr(value))


def _json(value: Any) -> Any:
    """``value`` as ``ansible-inventory`` writes it (JSON, dates in ISO format)."""

    def other(item: Any) -> str:
        return item.isoformat() if isinstance(item, (datetime.date, datetime.datetime)) else str(item)

    return json.loads(json.dumps(inventory_module.plain(value), sort_keys=True, default=other))


@pytest.fixture
def ansible_loader(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """Switch between kafkalint's reader (True) and Ansible's own loader (False)."""

    def use(fast: bool) -> None:
        monkeypatch.setattr(inventory_module, "FAST_VARS", fast)

    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    yield use


def _resolve(source: Path) -> inventory_module.Resolved:
    return inventory_module.resolve(source, _Display(False))


def _ansible_inventory_list(source: Path) -> dict[str, dict[str, Any]]:
    done = subprocess.run(
        [str(ANSIBLE_INVENTORY), "-i", str(source), "--list"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path.cwd(),
        env={**os.environ, "ANSIBLE_DEPRECATION_WARNINGS": "False"},
    )
    hostvars: dict[str, dict[str, Any]] = json.loads(done.stdout)["_meta"]["hostvars"]
    return hostvars


def _locations(model: Model) -> list[tuple[str, str]]:
    """Every location in ``model``, named by what it belongs to."""
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
            for extra in ("partitions_location", "replication_factor_location"):
                if getattr(subject, extra, None) is not None:
                    found.append((f"{name} {extra}", str(getattr(subject, extra))))
    return found


def _findings(model: Model) -> list[tuple[str, str, str]]:
    return [(item.rule_id, str(item.location), item.message) for item in engine.lint(model)]


# -- the repository's inventories -------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_host_variables_equal_ansible_inventory_list(source: str) -> None:
    path = ROOT / source
    listed = _ansible_inventory_list(path)
    resolved = _resolve(path)
    hosts = {host for members in resolved.groups.values() for host in members}
    assert hosts and hosts <= set(listed)
    for host in sorted(hosts):
        fed = resolved.raw[host]
        missing = set(listed[host]) - set(fed)
        assert not missing, f"{host}: {sorted(missing)}"
        for name, value in listed[host].items():
            assert _json(fed[name]) == value, f"{host}: {name}"
            if "{{" not in json.dumps(value):  # rendering changes only templates
                assert _json(resolved.hostvars[host][name]) == value, f"{host}: {name}"


@pytest.mark.parametrize("source", SOURCES)
def test_rendered_variables_locations_and_findings_equal_ansibles_loader(
    source: str, ansible_loader: Callable[[bool], None]
) -> None:
    path = ROOT / source
    ansible_loader(False)
    reference = _resolve(path)
    reference_model = load([path], render="ansible")
    ansible_loader(True)
    fast = _resolve(path)
    fast_model = load([path], render="ansible")
    assert _canonical(fast.hostvars) == _canonical(reference.hostvars)
    assert _locations(fast_model) == _locations(reference_model)
    assert _findings(fast_model) == _findings(reference_model)
    if (path / "group_vars").is_dir():  # the fast reader did read them
        host = fast.groups["kafka_broker"][0]
        assert fast.positions.variable(fast.raw[host]["kafka_broker_properties"]) is not None


# -- a kitchen-sink inventory -----------------------------------------------------------------

KITCHEN_HOSTS = """
[zookeeper]
zk1 zookeeper_id=1 ansible_host=10.0.0.1
zk2 zookeeper_id=2 ansible_host=10.0.0.2
zk3 zookeeper_id=3 ansible_host=10.0.0.3

[kafka_broker]
kafka1 kafka_broker_id=1 kafka_broker_rack=a
kafka2 kafka_broker_id=2 kafka_broker_rack=b

[kafka_broker:vars]
kafka_broker_port=9093
"""

KITCHEN_FILES = {
    "group_vars/all.yml": """
        kafka_version: "3.9.1"
        kafka_cluster_name: kitchen
        base_retention: 86400000
        yes_is: yes
        octal: 0o17
        old_octal: 017
        hexadecimal: 0x1F
        sexagesimal: 1:30
        underscored: 1_000
        infinite: .inf
        nothing: ~
        day: 2024-05-01
        moment: 2024-05-01 10:20:30
        folded: >
          two
          lines
        literal: |
          kept
          as is
        """,
    "group_vars/kafka_broker/properties.yml": """
        defaults: &defaults
          num.partitions: 6
          log.retention.hours: 168
        kafka_broker_properties:
          <<: *defaults
          min.insync.replicas: 2
          default.replication.factor: 3
          "log.retention.ms": "{{ base_retention * 7 }}"
        """,
    "group_vars/kafka_broker/topics.yaml": """
        kafka_topics:
          - name: orders
            partitions: 6
            replication_factor: 3
            config: {retention.ms: "{{ base_retention }}", min.insync.replicas: 3}
          - name: payments
            partitions: 3
            replication_factor: 2
            config:
              cleanup.policy: compact
              min.insync.replicas: 2
          - &audit {name: audit, partitions: 1, replication_factor: 1, config: {retention.ms: 1000}}
        """,
    "group_vars/kafka_broker/profiles": """
        kafka_producer_profiles:
          - name: app
            topics: [orders, payments]
            config:
              acks: all
              retries: 3
              linger.ms: 10
        """,
    "group_vars/zookeeper.json": '{"zookeeper_properties": {"tickTime": 3000, "initLimit": 10}}',
    "host_vars/kafka2.yml": """
        kafka_broker_properties:
          num.partitions: 12
          min.insync.replicas: 1
        """,
    "host_vars/zk1/main.yml": """
        zookeeper_properties:
          tickTime: 2500
        """,
}


@pytest.fixture
def kitchen(write_file: Writer) -> Path:
    write_file("kitchen/hosts", KITCHEN_HOSTS)
    for name, text in KITCHEN_FILES.items():
        write_file(f"kitchen/{name}", text)
    return Path("kitchen")


def test_a_kitchen_sink_inventory_reads_as_with_ansibles_loader(
    kitchen: Path, ansible_loader: Callable[[bool], None]
) -> None:
    ansible_loader(False)
    reference, reference_model = _resolve(kitchen), load([kitchen], render="ansible")
    ansible_loader(True)
    fast, fast_model = _resolve(kitchen), load([kitchen], render="ansible")
    assert _canonical(fast.raw) == _canonical(reference.raw)
    assert _canonical(fast.hostvars) == _canonical(reference.hostvars)
    assert _findings(fast_model) == _findings(reference_model)
    # Where a variable is overridden, Ansible's merged mapping keeps the key (and its Origin)
    # of the first definition; the fast reader knows which definition won. Elsewhere the
    # locations are the same.
    differences = {
        name: (before, after)
        for (name, before), (_, after) in zip(_locations(reference_model), _locations(fast_model), strict=True)
        if before != after
    }
    assert differences == {
        "broker kafka2 config": (
            "kitchen/group_vars/kafka_broker/properties.yml:4:1",
            "kitchen/host_vars/kafka2.yml:1:1",
        ),
        "zookeeper zk1 config": ("kitchen/host_vars/zk1/main.yml:2:3", "kitchen/host_vars/zk1/main.yml:1:1"),
    }
    # Jinja rendered by Ansible, located at its key
    broker = fast_model.clusters[0].brokers[0]
    assert broker.config.get("log.retention.ms") == 86400000 * 7
    assert str(broker.config.location_of("log.retention.ms")) == "kitchen/group_vars/kafka_broker/properties.yml:8:3"
    assert str(broker.config.location_of("num.partitions")) == "kitchen/group_vars/kafka_broker/properties.yml:2:3"
    orders = next(topic for topic in fast_model.clusters[0].topics if topic.name == "orders")
    assert orders.config.get("retention.ms") == 86400000
    assert str(orders.config.location_of("min.insync.replicas")) == "kitchen/group_vars/kafka_broker/topics.yaml:5:52"


def test_the_kitchen_sink_matches_ansible_inventory_list(kitchen: Path) -> None:
    listed = _ansible_inventory_list(kitchen)
    resolved = _resolve(kitchen)
    for host, variables in listed.items():
        for name, value in variables.items():
            assert _json(resolved.raw[host][name]) == value, f"{host}: {name}"


def test_a_variable_points_at_the_definition_that_wins(write_file: Writer, where: Any) -> None:
    write_file("w/hosts.yml", SMALL_HOSTS)
    write_file("w/group_vars/all.yml", "kafka_broker_port: 9093\nkafka_broker_properties:\n  num.partitions: 3\n")
    write_file("w/group_vars/kafka_broker.yml", "# override\nkafka_broker_port: 9094\nkafka_broker_properties: {}\n")
    model = load(["w"], render="ansible")
    broker = model.clusters[0].brokers[0]
    assert broker.config.get("listeners") == "PLAINTEXT://0.0.0.0:9094"
    assert where(model, "broker kafka1", "listeners") == "w/group_vars/kafka_broker.yml:2"
    assert str(broker.config.location) == "w/group_vars/kafka_broker.yml:3:1"


# -- what the fast reader leaves to Ansible ------------------------------------------------------


def _fast_files(path: Path) -> tuple[Any, int]:
    from kafkalint.loaders.fastvars import FastDataLoader

    loader = FastDataLoader()
    data = loader.load_from_file(str(path.resolve()), cache="all", unsafe=True, trusted_as_template=True)
    return data, loader.fast_files


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ("a: 1\nb: [x, {c: d}]\n", True),
        ("a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n", True),
        ('{"a": 1}\n', False),  # JSON: Ansible reads it as JSON first
        ("a: !unsafe '{{ x }}'\n", False),
        ("a: 1\na: 2\n", False),  # Ansible warns about (or rejects) the duplicate
        ("a:\n  b: 1\n  b: 2\n", False),
        ("a: !!binary aGVsbG8=\n", False),
        ("a: !!set {x, y}\n", False),
        ("- a\n- b\n", False),  # not a mapping: Ansible's error
        ("", True),
    ],
)
def test_what_the_fast_reader_takes_on(write_file: Writer, text: str, fast: bool) -> None:
    from ansible.parsing.dataloader import DataLoader

    path = write_file("inv/group_vars/all.yml", text)
    data, count = _fast_files(path)
    assert count == (1 if fast else 0)
    expected = DataLoader().load_from_file(str(path.resolve()), cache="none", unsafe=True, trusted_as_template=True)
    assert _canonical(data) == _canonical(expected)


def test_unsafe_values_are_not_templated(write_file: Writer) -> None:
    write_file("u/hosts.yml", SMALL_HOSTS)
    write_file(
        "u/group_vars/kafka_broker.yml",
        "kafka_cluster_name: !unsafe '{{ literally }}'\nkafka_broker_properties:\n  log.cleaner.enable: true\n",
    )
    model = load(["u"], render="ansible")
    assert model.clusters[0].name == "{{ literally }}"
    assert str(model.clusters[0].brokers[0].config.location_of("log.cleaner.enable")) == (
        "u/group_vars/kafka_broker.yml:3:3"
    )


def test_a_yaml_error_in_a_variables_file_is_ansibles_with_its_line(write_file: Writer) -> None:
    write_file("e/hosts.yml", SMALL_HOSTS)
    write_file("e/group_vars/kafka_broker.yml", "kafka_broker_properties:\n  a: 1\n b: [\n")
    with pytest.raises(InputError) as error:
        load(["e"], render="ansible")
    assert error.value.location is not None
    assert error.value.location.path == "e/group_vars/kafka_broker.yml"
    assert error.value.location.line == 3


# -- vault -------------------------------------------------------------------------------------

VAULT_PASSWORD = "kafkalint-test-password"


def _encrypt(plaintext: str) -> str:
    from ansible.parsing.vault import VaultLib, VaultSecret

    vault = VaultLib([("default", VaultSecret(VAULT_PASSWORD.encode()))])
    encrypted: bytes = vault.encrypt(plaintext)
    return encrypted.decode()


@pytest.fixture
def vaulted(write_file: Writer) -> Path:
    write_file("v/hosts.yml", SMALL_HOSTS)
    write_file("v/group_vars/all.yml", _encrypt("kafka_cluster_name: vaulted\n"))
    cipher = "\n".join("    " + line for line in _encrypt("hunter2").splitlines())
    write_file(
        "v/group_vars/kafka_broker.yml",
        f"kafka_broker_properties:\n  num.partitions: 3\n  ssl.key.password: !vault |\n{cipher}\n",
    )
    write_file("password", VAULT_PASSWORD + "\n")
    return Path("v")


def test_vault_encrypted_files_and_values_need_the_password(vaulted: Path) -> None:
    with pytest.raises(InputError) as error:
        load([vaulted], render="ansible")
    assert "vault secrets" in error.value.message
    assert error.value.location == Location("v/group_vars/all.yml")
    (vaulted / "group_vars" / "all.yml").write_text("kafka_cluster_name: plain\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load([vaulted], render="ansible")
    assert "cannot decrypt a vault-encrypted value" in error.value.message
    assert error.value.location == Location("v/group_vars/kafka_broker.yml", 3)


def test_ansibles_vault_password_settings_are_not_used(vaulted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible import constants

    monkeypatch.setattr(constants, "DEFAULT_VAULT_PASSWORD_FILE", str(Path("password").resolve()))
    with pytest.raises(InputError):
        load([vaulted], render="ansible")


def test_vault_encrypted_files_and_values_are_decrypted_with_the_password_given(vaulted: Path) -> None:
    model = load([vaulted], render="ansible", vault=Vault(VAULT_PASSWORD.encode()))
    cluster = model.clusters[0]
    assert cluster.name == "vaulted"
    setting = cluster.brokers[0].config.explicit("ssl.key.password")
    assert setting is not None and setting.raw == "hunter2" and type(setting.raw) is str
    assert str(setting.location) == "v/group_vars/kafka_broker.yml:3:3"


def test_the_console_script_reads_the_vault_password_file_from_the_environment(vaulted: Path) -> None:
    script = shutil.which("kafkalint", path=str(Path(sys.executable).parent))
    assert script is not None
    environment = {**os.environ, "KAFKALINT_VAULT_PASSWORD_FILE": str(Path("password").resolve())}
    done = subprocess.run(
        [script, "--no-config", "--render=ansible", "--format", "json", str(vaulted)],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "vault" not in done.stderr
    assert "hunter2" not in done.stdout + done.stderr


# -- any YAML the fast reader takes on reads as Ansible reads it --------------------------------

_TEXT = st.sampled_from(
    ["a", "yes", "No", "on", "~", "null", "0x1F", "017", "0o17", "1_000", "1:30", ".inf", "-.5", "1e3", "2024-05-01"]
) | st.text(alphabet="ab :#{}-'\"\\\n\t!&*%@`|>,[]?", max_size=8)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _TEXT)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=4),
    flow=st.sampled_from([None, True, False]),
    as_text=st.booleans(),
)
def test_random_variables_files_read_as_ansible_reads_them(
    tmp_path: Path, data: dict[str, Any], flow: bool | None, as_text: bool
) -> None:
    from ansible.parsing.dataloader import DataLoader

    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    if as_text:  # plain scalars written by hand, so the resolver decides their types
        text = "\n".join(f"k{index}: {value}" for index, value in enumerate(str(item) for item in data.values()))
    path = tmp_path / "group_vars" / "all.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        expected = DataLoader().load_from_file(str(path), cache="none", unsafe=True, trusted_as_template=True)
    except Exception as error:  # whatever Ansible raises, the fast reader must raise too
        with pytest.raises(type(error)):
            _fast_files(path)
        return
    data_read, _count = _fast_files(path)
    assert _canonical(data_read) == _canonical(expected)


def test_the_merge_hash_behaviour_is_left_to_ansibles_loader(
    kitchen: Path, ansible_loader: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ansible import constants

    monkeypatch.setattr(constants, "DEFAULT_HASH_BEHAVIOUR", "merge")
    ansible_loader(False)
    reference, reference_model = _resolve(kitchen), load([kitchen], render="ansible")
    ansible_loader(True)
    fast, fast_model = _resolve(kitchen), load([kitchen], render="ansible")
    # merged mappings are new objects the positions table cannot know: Ansible reads it all
    assert fast.positions.variable(fast.raw["kafka1"]["kafka_topics"]) is None
    assert _canonical(fast.hostvars) == _canonical(reference.hostvars)
    assert fast.raw["kafka2"]["kafka_broker_properties"]["log.retention.hours"] == 168  # merged
    assert _locations(fast_model) == _locations(reference_model)
