"""scripts/testhosts.py: arguments, addresses, mirror, conflicts, state and ownership of dockerd.

Nothing here talks to Docker: the logic is tested with plain inputs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest


@pytest.mark.parametrize(("value", "message"), [("0", "out of range"), ("7", "out of range"), ("x", "not a number")])
def test_count_is_validated(
    testhosts: ModuleType, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        testhosts.parse_args(["up", "--count", value])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_defaults_and_commands(testhosts: ModuleType) -> None:
    assert testhosts.parse_args(["up"]).count == 3
    assert testhosts.parse_args(["up", "--count", "6"]).count == 6
    assert testhosts.parse_args(["down"]).command == "down"
    with pytest.raises(SystemExit):
        testhosts.parse_args(["destroy"])


def test_names_and_addresses(testhosts: ModuleType) -> None:
    hosts = testhosts.hosts_for(6)
    assert [h.name for h in hosts[:3]] == ["kafka-iac-1", "kafka-iac-2", "kafka-iac-3"]
    assert [h.ip for h in hosts] == [f"172.30.0.{n}" for n in range(11, 17)]


def test_run_flags_are_the_ones_that_work_here(testhosts: ModuleType) -> None:
    flags = " ".join(testhosts.RUN_FLAGS)
    assert "--privileged" not in flags
    for expected in ("--cap-add SYS_ADMIN", "--cgroupns=host", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs /run"):
        assert expected in flags


def test_inventory_matches_the_hosts(testhosts: ModuleType) -> None:
    import yaml

    inventory = yaml.safe_load((Path(__file__).resolve().parents[2] / "inventories/local/hosts.yml").read_text())
    hosts = inventory["all"]["hosts"]
    for host in testhosts.hosts_for(3):
        assert hosts[host.name]["ansible_host"] == host.ip
        assert hosts[host.name]["ansible_docker_host"] == host.name
    children = inventory["all"]["children"]
    assert {h: v["zookeeper_id"] for h, v in children["zookeeper"]["hosts"].items()} == {
        "kafka-iac-1": 1, "kafka-iac-2": 2, "kafka-iac-3": 3,
    }  # fmt: skip
    assert sorted(v["kafka_broker_id"] for v in children["kafka_broker"]["hosts"].values()) == [1, 2, 3]


DEB822 = """Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
"""


def test_mirror_from_deb822(testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_IAC_DEBIAN_MIRROR", raising=False)
    (tmp_path / "sources.list.d").mkdir()
    sources = tmp_path / "sources.list.d" / "debian.sources"
    sources.write_text(DEB822)
    assert testhosts.debian_mirror(sources) == "http://mirror.example/debian"


def test_mirror_from_legacy_list_then_default(
    testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAFKA_IAC_DEBIAN_MIRROR", raising=False)
    (tmp_path / "sources.list.d").mkdir()
    missing = tmp_path / "sources.list.d" / "debian.sources"
    assert testhosts.debian_mirror(missing) == "http://deb.debian.org/debian"
    (tmp_path / "sources.list").write_text("deb http://old.example/debian bookworm main\n")
    assert testhosts.debian_mirror(missing) == "http://old.example/debian"
    monkeypatch.setenv("KAFKA_IAC_DEBIAN_MIRROR", "http://override.example/debian")
    assert testhosts.debian_mirror(missing) == "http://override.example/debian"


def test_subnet_conflicts_are_named(testhosts: ModuleType) -> None:
    ours = {"bridge": ["172.17.0.0/16"], "kafka-iac-net": ["172.30.0.0/24"]}
    assert testhosts.find_subnet_conflict(ours, "default via 10.0.0.1 dev eth0\n") is None
    other = {**ours, "someone-else": ["172.30.0.0/16"]}
    assert "Docker network 'someone-else' already uses 172.30.0.0/16" in testhosts.find_subnet_conflict(other, "")
    routes = "default via 10.0.0.1 dev eth0\n172.30.0.0/25 dev vpn0 scope link\n"
    assert testhosts.find_subnet_conflict(ours, routes) == "host route '172.30.0.0/25 dev vpn0' overlaps 172.30.0.0/24"


def test_context_hash_follows_dockerfile_and_base(testhosts: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\n")
    first = testhosts.context_hash(tmp_path, "kafka-iac/bookworm-base")
    assert testhosts.context_hash(tmp_path, "kafka-iac/bookworm-base") == first
    assert testhosts.context_hash(tmp_path, "debian:bookworm") != first
    (tmp_path / "Dockerfile").write_text("FROM y\n")
    assert testhosts.context_hash(tmp_path, "kafka-iac/bookworm-base") != first


def test_broken_state_file_is_a_clear_error(testhosts: ModuleType, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json")
    with pytest.raises(testhosts.ScriptError, match=r"state\.json: unreadable state file"):
        testhosts.load_state(state)
    assert testhosts.load_state(tmp_path / "absent.json") == {}


@pytest.fixture
def state_file(testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KAFKA_IAC_CACHE", str(tmp_path))
    path: Path = testhosts.state_path()
    return path


def test_engine_not_started_by_us_is_left_alone(
    testhosts: ModuleType, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: killed.append(pid))
    assert testhosts.stop_engine_if_ours([]) == "Docker engine not started by this script: left running"
    assert killed == []


def test_recorded_pid_that_is_not_dockerd_is_never_killed(
    testhosts: ModuleType, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: killed.append(pid))
    testhosts.save_state(state_file, {"dockerd_pid": os.getpid()})  # this pytest process, not a dockerd
    assert "is gone: nothing to stop" in testhosts.stop_engine_if_ours([])
    assert killed == []
    assert not state_file.exists()


def test_our_dockerd_stays_while_other_containers_use_it(
    testhosts: ModuleType, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: killed.append(pid))
    monkeypatch.setattr(testhosts, "_is_dockerd", lambda pid: True)
    testhosts.save_state(state_file, {"dockerd_pid": 4242})
    assert "left running: 2 other container(s) use it" in testhosts.stop_engine_if_ours(["2 other container(s)"])
    assert killed == []
    assert json.loads(state_file.read_text())["dockerd_pid"] == 4242


def test_engine_users_count_what_is_not_running_too(testhosts: ModuleType) -> None:
    """A stopped or just-created container, a testbed's network before its containers, an image
    build: each keeps the engine (the record is shared by every testbed, CI included)."""
    assert testhosts.engine_users([], [], []) == []
    assert testhosts.engine_users(["a1", "b2"], [], []) == ["2 other container(s)"]
    assert testhosts.engine_users([], ["kafka-iac-kraft-net"], []) == ["network(s) kafka-iac-kraft-net"]
    assert testhosts.engine_users([], [], ["docker (pid 7)"]) == ["Docker client(s) docker (pid 7)"]


def test_docker_clients_are_found_by_program_or_script_name(testhosts: ModuleType, tmp_path: Path) -> None:
    def process(pid: int, *argv: str) -> None:
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")

    process(10, "/usr/bin/docker", "build", "-t", "x", ".")
    process(11, "/usr/bin/python3", "/venv/bin/molecule", "test")
    process(12, "/usr/sbin/dockerd")
    process(13, "bash", "-c", "docker ps")
    process(14, "/usr/bin/docker", "ps")  # the caller itself
    (tmp_path / "15").mkdir()  # a zombie: empty cmdline
    (tmp_path / "15" / "cmdline").write_bytes(b"")
    (tmp_path / "self").mkdir()
    assert testhosts.docker_clients(tmp_path, own_pid=14) == ["docker (pid 10)", "molecule (pid 11)"]


def test_our_idle_dockerd_is_stopped(testhosts: ModuleType, state_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alive = {4242}
    monkeypatch.setattr(os, "kill", lambda pid, sig: alive.discard(pid))
    monkeypatch.setattr(testhosts, "_is_dockerd", lambda pid: pid in alive)
    testhosts.save_state(state_file, {"dockerd_pid": 4242})
    assert testhosts.stop_engine_if_ours([]) == "dockerd 4242 stopped"
    assert not state_file.exists()


def test_not_root_is_exit_3(testhosts: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(testhosts.ScriptError) as exc:
        testhosts.require_root("debootstrap")
    assert exc.value.exit_code == 3
    assert exc.value.message == "debootstrap needs root (run with sudo)"


def test_not_root_without_engine_fails_cleanly(
    testhosts: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(testhosts, "engine_answers", lambda: False)
    assert testhosts.main(["up"]) == 3
    assert capsys.readouterr().err == "error: 'up' needs root (run with sudo)\n"


def test_low_disk_is_exit_7(testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import collections
    import shutil

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10, 10, 100 << 20))
    with pytest.raises(testhosts.ScriptError) as exc:
        testhosts.check_free_space(tmp_path / "not" / "yet", 2 << 30, "building the image")
    assert exc.value.exit_code == 7
    assert "only 100 MiB free, building the image needs at least 2048 MiB" in exc.value.message


def test_container_ownership_label_is_not_inherited_from_the_image(testhosts: ModuleType) -> None:
    """Containers inherit image labels: the one that marks our containers must not be on the image."""
    dockerfile = (testhosts.CONTEXT_DIR / "Dockerfile").read_text()
    assert testhosts.CONTAINER_LABEL != testhosts.LABEL
    assert testhosts.CONTAINER_LABEL not in dockerfile
    assert "ARG BASE_IMAGE=kafka-iac/bookworm-base" in dockerfile
    assert "STOPSIGNAL SIGRTMIN+3" in dockerfile


def test_started_engine_is_recorded_and_stopped_by_down(
    testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in dockerd (a sleep named dockerd) is started, recorded, and stopped by its pid."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "answering"
    fake = bin_dir / "dockerd"
    fake.write_text(f"#!/usr/bin/env bash\ntouch {marker}\nexec -a dockerd sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("KAFKA_IAC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(testhosts, "apt_install", lambda packages: None)
    monkeypatch.setattr(testhosts, "engine_answers", marker.exists)

    testhosts.ensure_engine()
    state = json.loads(testhosts.state_path().read_text())
    pid = state["dockerd_pid"]
    assert testhosts._is_dockerd(pid)

    assert testhosts.stop_engine_if_ours([]) == f"dockerd {pid} stopped"
    assert not testhosts._is_dockerd(pid)
    assert not testhosts.state_path().exists()


def test_engine_started_by_installing_docker_io_is_ours(
    testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([False, True])
    pidfile = tmp_path / "docker.pid"
    pidfile.write_text("4242\n")
    monkeypatch.setenv("KAFKA_IAC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(testhosts, "engine_answers", lambda: next(answers))
    monkeypatch.setattr(testhosts, "apt_install", lambda packages: ["docker.io", "iptables"])
    monkeypatch.setattr(testhosts, "DOCKERD_PIDFILE", pidfile)
    testhosts.ensure_engine()
    assert json.loads(testhosts.state_path().read_text())["dockerd_pid"] == 4242


def test_running_engine_is_not_recorded(testhosts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_IAC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(testhosts, "engine_answers", lambda: True)
    testhosts.ensure_engine()
    assert not testhosts.state_path().exists()


def test_the_kraft_testbed_has_names_network_and_subnet_of_its_own(testhosts: ModuleType) -> None:
    args = testhosts.parse_args(["--testbed", "kraft", "up"])
    assert args.testbed.name == "kraft" and args.count == 6
    assert testhosts.parse_args(["--testbed", "kraft", "up", "--count", "2"]).count == 2
    assert testhosts.parse_args(["up"]).testbed == testhosts.DEFAULT_TESTBED
    kraft = testhosts.TESTBEDS["kraft"]
    hosts = testhosts.hosts_for(6, kraft)
    assert [h.name for h in hosts] == [f"kafka-iac-kraft-{n}" for n in range(1, 7)]
    assert [h.ip for h in hosts] == [f"172.30.3.{n}" for n in range(11, 17)]
    assert (kraft.network, str(kraft.subnet), kraft.gateway) == ("kafka-iac-kraft-net", "172.30.3.0/24", "172.30.3.1")
    # Containers of the default testbed keep the label value earlier versions wrote; `down` of one
    # testbed filters on its own value, so it never removes the other testbed's hosts.
    assert testhosts.DEFAULT_TESTBED.label_value == "1" and kraft.label_value != "1"
    default_net = {"kafka-iac-net": ["172.30.0.0/24"]}
    assert testhosts.find_subnet_conflict(default_net, "", kraft) is None
    clash = {"kafka-iac-molecule-kraft": ["172.30.3.0/24"]}
    assert "overlaps 172.30.3.0/24" in testhosts.find_subnet_conflict(clash, "", kraft)


def test_the_kraft_inventory_matches_the_kraft_testbed(testhosts: ModuleType) -> None:
    import yaml

    inventory = yaml.safe_load((Path(__file__).resolve().parents[2] / "inventories/kraft/hosts.yml").read_text())
    hosts = inventory["all"]["hosts"]
    for host in testhosts.hosts_for(6, testhosts.TESTBEDS["kraft"]):
        assert hosts[host.name]["ansible_host"] == host.ip
        assert hosts[host.name]["ansible_docker_host"] == host.name
    children = inventory["all"]["children"]
    assert sorted(children["kafka_controller"]["hosts"]) == [
        "kafka-iac-kraft-1",
        "kafka-iac-kraft-2",
        "kafka-iac-kraft-3",
    ]
    ids = [v["kafka_node_id"] for group in children.values() for v in group["hosts"].values()]
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]


def test_the_migration_testbed_has_names_network_and_subnet_of_its_own(testhosts: ModuleType) -> None:
    import yaml

    args = testhosts.parse_args(["--testbed", "migration", "up"])
    assert args.testbed.name == "migration" and args.count == 6
    migration = testhosts.TESTBEDS["migration"]
    hosts = testhosts.hosts_for(6, migration)
    assert [h.name for h in hosts] == [f"kafka-iac-mig-{n}" for n in range(1, 7)]
    assert [h.ip for h in hosts] == [f"172.30.4.{n}" for n in range(11, 17)]
    assert (migration.network, str(migration.subnet)) == ("kafka-iac-mig-net", "172.30.4.0/24")
    others = {name: [str(t.subnet)] for name, t in testhosts.TESTBEDS.items() if t is not migration}
    assert testhosts.find_subnet_conflict(others, "", migration) is None
    labels = [t.label_value for t in testhosts.TESTBEDS.values()]
    assert len(set(labels)) == len(labels)
    inventory = yaml.safe_load((Path(__file__).resolve().parents[2] / "inventories/migration/hosts.yml").read_text())
    for host in hosts:
        assert inventory["all"]["hosts"][host.name]["ansible_host"] == host.ip
