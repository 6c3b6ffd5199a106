"""The kafka_producer_profiles role: what its filter renders, what the playbook writes, and that
no secret reaches Ansible's output."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
import topics_helpers
from ansible.errors import AnsibleFilterError

from kafkalint import effective
from kafkalint.loaders.properties import parse

filters = topics_helpers.load(topics_helpers.PROFILE_FILTERS, "kafka_producer_profiles_filters")
PLAYBOOK = topics_helpers.ROOT / "playbooks" / "producer_profiles.yml"
PRODUCTION = topics_helpers.ROOT / "inventories" / "production.example"
TASKS = ("Render the producer profiles", "Render the producer profiles that hold secrets")

BROKERS = {
    "k1": {"ansible_host": "10.0.0.1", "kafka_broker_id": 1},
    "k2": {"ansible_host": "10.0.0.2", "kafka_broker_id": 2, "kafka_broker_port": 9093},
    "k3": {"kafka_broker_id": 3},
}
GROUPS = {"kafka_broker": ["k1", "k2", "k3"], "zookeeper": []}
SECRET = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="s3cr3t-pw";'


def test_bootstrap_servers_list_every_broker() -> None:
    text = filters.kafka_producer_properties({"name": "p", "config": {"acks": "all"}}, BROKERS, GROUPS)
    assert text.splitlines() == ["acks=all", "bootstrap.servers=10.0.0.1:9092,10.0.0.2:9093,k3:9092"]


def test_rendered_profile_parses_back_to_its_config() -> None:
    config: dict[str, Any] = {
        "acks": "all",
        "enable.idempotence": True,
        "retries": 2147483647,
        "linger.ms": 10,
        "compression.type": "zstd",
        "client.id": "orders service: eu\\west",
        "sasl.jaas.config": SECRET,
    }
    text = filters.kafka_producer_properties({"name": "p", "config": config}, BROKERS, GROUPS)
    parsed = parse(text).values()
    expected = {key: effective.render_value(value) for key, value in config.items()}
    expected["bootstrap.servers"] = "10.0.0.1:9092,10.0.0.2:9093,k3:9092"
    assert parsed == expected


def test_profile_may_set_its_own_bootstrap_servers() -> None:
    text = filters.kafka_producer_properties({"name": "p", "config": {"bootstrap.servers": "lb:9092"}}, BROKERS, GROUPS)
    assert text == "bootstrap.servers=lb:9092\n"


@pytest.mark.parametrize(
    ("profile", "groups", "message"),
    [
        (
            {"name": "p", "config": {}},
            {"kafka_broker": []},
            "no host in group 'kafka_broker' to derive bootstrap.servers",
        ),
        ({"name": "../etc/passwd", "config": {}}, GROUPS, "is not a usable file name"),
        ({"name": "p", "config": ["acks=all"]}, GROUPS, "config must be a mapping"),
        ("acks=all", GROUPS, "an entry is not a mapping"),
    ],
)
def test_bad_profiles_are_named(profile: Any, groups: dict[str, list[str]], message: str) -> None:
    with pytest.raises(AnsibleFilterError, match=message):
        filters.kafka_producer_properties(profile, BROKERS, groups)


@pytest.mark.parametrize(
    ("key", "sensitive"),
    [
        ("sasl.jaas.config", True),
        ("ssl.keystore.password", True),
        ("ssl.key.password", True),
        ("basic.auth.user.info", True),
        ("sasl.oauthbearer.client.credentials.client.secret", True),
        ("acks", False),
        ("ssl.keystore.location", False),
    ],
)
def test_sensitive_keys(key: str, sensitive: bool) -> None:
    assert filters.kafka_producer_profile_is_sensitive({"name": "p", "config": {key: "x"}}) is sensitive


def test_select_by_name_and_secrecy() -> None:
    profiles = [{"name": "a", "config": {}}, {"name": "b", "config": {"ssl.key.password": "x"}}, {"name": "c"}]
    assert [p["name"] for p in filters.kafka_producer_profiles_select(profiles)] == ["a", "b", "c"]
    assert [p["name"] for p in filters.kafka_producer_profiles_select(profiles, [], False)] == ["a", "c"]
    assert [p["name"] for p in filters.kafka_producer_profiles_select(profiles, ["b", "c"], True)] == ["b"]
    with pytest.raises(AnsibleFilterError, match=r"no such profile\(s\): z \(declared: a, b, c\)"):
        filters.kafka_producer_profiles_select(profiles, ["z"])
    with pytest.raises(AnsibleFilterError, match="'a' is declared more than once"):
        filters.kafka_producer_profiles_select([*profiles, {"name": "a"}])


def _changed(report: dict[str, Any]) -> int:
    return sum(host["changed"] for host in report["stats"].values())


def test_playbook_renders_every_production_profile_on_localhost(tmp_path: Path) -> None:
    out = tmp_path / "clients"
    options = ("--skip-tags", "lint_gate")
    rc, report, stderr = topics_helpers.run_playbook(
        PLAYBOOK, PRODUCTION, *options, extra_vars={"kafka_producer_profiles_dir": str(out)}
    )
    assert rc == 0, stderr
    assert list(report["stats"]) == ["localhost"], "no kafka_client group: the play renders local files"
    hostvars, groups = topics_helpers.inventory_data(PRODUCTION)
    profiles = hostvars[groups["kafka_broker"][0]]["kafka_producer_profiles"]
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{p['name']}.properties" for p in profiles)
    brokers = ",".join(f"{hostvars[h]['ansible_host']}:9092" for h in groups["kafka_broker"])
    for profile in profiles:
        path = out / f"{profile['name']}.properties"
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        text = path.read_text(encoding="utf-8")
        # The file is exactly what kafkalint judges for this profile.
        assert text == effective.render(effective.producer_config(profile, hostvars, groups))
        assert parse(text).values()["bootstrap.servers"] == brokers
    assert stat.S_IMODE(out.stat().st_mode) == 0o750

    rc, report, _ = topics_helpers.run_playbook(
        PLAYBOOK, PRODUCTION, *options, extra_vars={"kafka_producer_profiles_dir": str(out)}
    )
    assert rc == 0 and _changed(report) == 0


def test_playbook_targets_kafka_client_hosts_and_hides_secrets(tmp_path: Path) -> None:
    out = tmp_path / "clients"
    inventory = topics_helpers.write_inventory(
        tmp_path / "hosts.yml",
        {
            "kafka_broker": {"k1": {"ansible_host": "10.0.0.1", "kafka_broker_id": 1}},
            # An application host reached locally (become off, the controller's Python).
            "kafka_client": {
                "app1": {
                    "ansible_connection": "local",
                    "ansible_become": False,
                    "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                }
            },
        },
        {
            "kafka_broker": {
                "kafka_producer_profiles": [
                    {"name": "plain", "topics": ["t"], "config": {"acks": "all"}},
                    {"name": "secured", "topics": ["t"], "config": {"acks": "all", "sasl.jaas.config": SECRET}},
                ]
            }
        },
    )
    rc, report, stderr = topics_helpers.run_playbook(
        PLAYBOOK, inventory, "--skip-tags", "lint_gate", "--diff", extra_vars={"kafka_producer_profiles_dir": str(out)}
    )
    assert rc == 0, stderr
    assert list(report["stats"]) == ["app1"]
    assert parse((out / "secured.properties").read_text(encoding="utf-8")).values()["sasl.jaas.config"] == SECRET
    assert "s3cr3t-pw" not in str(report) and "s3cr3t-pw" not in stderr
    (plain,) = topics_helpers.task_results(report, TASKS[0])
    (secured,) = topics_helpers.task_results(report, TASKS[1])
    assert plain["changed"] is True and "acks=all" in str(plain["results"][0]["diff"])
    assert secured["changed"] is True
