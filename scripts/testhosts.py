#!/usr/bin/env python3
"""Bring up and tear down the local test hosts: Debian 12 containers with systemd as PID 1.

Usage::

    scripts/testhosts.py image [--rebuild] [--base-image IMAGE]
    scripts/testhosts.py [--testbed default|kraft|migration] up [--count N]   # N from 1 to 6
    scripts/testhosts.py [--testbed default|kraft|migration] status
    scripts/testhosts.py [--testbed default|kraft|migration] down

Testbeds run side by side, each with its own names, network and subnet:

    default    kafka-iac-1..N        kafka-iac-net        172.30.0.0/24  3 hosts (inventories/local)
    kraft      kafka-iac-kraft-1..N  kafka-iac-kraft-net  172.30.3.0/24  6 hosts (inventories/kraft)
    migration  kafka-iac-mig-1..N    kafka-iac-mig-net    172.30.4.0/24  6 hosts (inventories/migration)

``image`` builds ``kafka-iac/bookworm-systemd:latest`` from ``scripts/testhost/Dockerfile``.
Without ``--base-image`` its base is ``kafka-iac/bookworm-base``, made without any registry:
``debootstrap --variant=minbase bookworm`` from the machine's Debian mirror (the ``URIs:`` of
``/etc/apt/sources.list.d/debian.sources``, or ``KAFKA_IAC_DEBIAN_MIRROR``), then
``docker import``. With a registry, ``--base-image debian:bookworm`` skips debootstrap. A built
image is reused (it carries a label with the hash of the Dockerfile; a changed Dockerfile or
``--rebuild`` builds again).

``up`` builds the image if needed, creates the testbed's network (``kafka-iac-net``, 172.30.0.0/24,
for the default one) and containers (``kafka-iac-1..N`` at 172.30.0.11..), hostname = container
name, then waits until
``systemctl is-system-running`` says running (or degraded) in each and shows Java's version.
Containers run with ``--cap-add SYS_ADMIN --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw
--tmpfs /run --tmpfs /run/lock --tmpfs /tmp:exec`` (``--privileged`` fails on hosts without
CAP_SYS_RESOURCE; /tmp must allow exec because the JVM loads native compression libraries from
it). Everything this script creates carries a label (``org.kafka-iac.testhosts=1`` on images and
networks, ``org.kafka-iac.testhosts.container=<testbed>`` on containers, ``1`` for the default
testbed, which a container made by hand from our image does not inherit), and nothing without
it is touched: ``down`` removes the containers and network of its own testbed only.

When no Docker engine answers, the script installs ``docker.io`` (and ``debootstrap``,
``iptables``) from Debian with apt if they are missing, starts ``dockerd`` in the background and
records that in ``<cache>/testhosts/state.json`` (cache: ``${KAFKA_IAC_CACHE:-~/.cache/kafka-iac}``).
``down`` removes the containers and the network, and stops the daemon only if this script started
it and nothing else uses it: no container in any state (other testbeds, molecule, one being
created), no other network this script made (a testbed being set up), no other Docker client
running (``docker`` or ``molecule``: an image build, another script's ``up``). The record is
shared by every testbed and user of the engine, so the one that started it is not the only one
using it. An engine that was already running is left alone.

Exit codes:
    0  success
    1  a docker command failed (its message is shown)
    2  usage error
    3  prerequisite missing: not root, or no Docker engine possible (apt or dockerd failed)
    6  a host did not reach systemd "running"/"degraded" in time
    7  not enough disk space
    8  conflict: a container, network or subnet of that name/range exists and is not ours
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from scriptkit import (
    EXIT_CONFLICT,
    EXIT_FAILURE,
    EXIT_PREREQUISITE,
    EXIT_RESOURCE,
    EXIT_VERIFY,
    ScriptError,
    fmt_duration,
    main_wrapper,
    run,
    say,
    step,
    tail,
)

IMAGE = "kafka-iac/bookworm-systemd:latest"
BASE_IMAGE = "kafka-iac/bookworm-base"
FIRST_HOST_OCTET = 11
MAX_HOSTS = 6
LABEL = "org.kafka-iac.testhosts"
# Containers inherit their image's labels, so a container made by hand from our image carries
# LABEL too: containers we create get a label of their own that the image does not have.
CONTAINER_LABEL = "org.kafka-iac.testhosts.container"
CONTEXT_LABEL = "org.kafka-iac.context-sha256"
CONTEXT_DIR = Path(__file__).resolve().parent / "testhost"
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
APT_PACKAGES = ("docker.io", "debootstrap", "iptables")
DOCKERD_PIDFILE = Path("/var/run/docker.pid")
RUN_FLAGS = (
    "--cap-add", "SYS_ADMIN",
    "--cgroupns=host",
    "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
    "--tmpfs", "/run",
    "--tmpfs", "/run/lock",
    "--tmpfs", "/tmp:exec",
)  # fmt: skip
BOOT_TIMEOUT_S = 120.0
IMAGE_FREE_BYTES = 2 << 30
UP_FREE_BYTES = 512 << 20


@dataclass(frozen=True)
class Testbed:
    """A set of test hosts: container names, network, subnet, and the value of the container
    label that marks them (the default testbed keeps ``1``, what earlier versions wrote)."""

    name: str
    prefix: str
    network: str
    subnet: ipaddress.IPv4Network
    label_value: str
    default_count: int

    @property
    def gateway(self) -> str:
        return str(self.subnet.network_address + 1)


TESTBEDS = {
    "default": Testbed("default", "kafka-iac-", "kafka-iac-net", ipaddress.IPv4Network("172.30.0.0/24"), "1", 3),
    "kraft": Testbed(
        "kraft", "kafka-iac-kraft-", "kafka-iac-kraft-net", ipaddress.IPv4Network("172.30.3.0/24"), "kraft", 6
    ),
    # ZooKeeper servers and brokers on 1-3, the KRaft controllers they migrate to on 4-6.
    "migration": Testbed(
        "migration", "kafka-iac-mig-", "kafka-iac-mig-net", ipaddress.IPv4Network("172.30.4.0/24"), "migration", 6
    ),
}
DEFAULT_TESTBED = TESTBEDS["default"]


@dataclass(frozen=True)
class Host:
    """One test host: container name (also its hostname and Ansible's docker host) and address."""

    index: int
    testbed: Testbed = DEFAULT_TESTBED

    @property
    def name(self) -> str:
        return f"{self.testbed.prefix}{self.index}"

    @property
    def ip(self) -> str:
        return str(self.testbed.subnet.network_address + FIRST_HOST_OCTET - 1 + self.index)


def hosts_for(count: int, testbed: Testbed = DEFAULT_TESTBED) -> list[Host]:
    return [Host(i, testbed) for i in range(1, count + 1)]


# ---------------------------------------------------------------------------------------------
# Arguments and state


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/testhosts.py",
        description="Local test hosts: Debian 12 containers with systemd on the network kafka-iac-net.",
        epilog="Exit codes: 0 ok, 1 docker failed, 2 usage, 3 not root / no Docker possible, "
        "6 systemd did not come up, 7 disk space, 8 name or subnet in use by something else.",
    )
    parser.add_argument(
        "--testbed",
        choices=sorted(TESTBEDS),
        default="default",
        help="which set of hosts: default (kafka-iac-N, 172.30.0.0/24), kraft (kafka-iac-kraft-N, "
        "172.30.3.0/24) or migration (kafka-iac-mig-N, 172.30.4.0/24)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{image,up,down,status}")
    image = sub.add_parser("image", help=f"build {IMAGE} (reused when already built)")
    up = sub.add_parser("up", help="start N hosts of the testbed (builds the image if needed)")
    for p in (image, up):
        p.add_argument("--rebuild", action="store_true", help="build the image even if it is cached")
        p.add_argument(
            "--base-image",
            default=None,
            help=f"base image of the Dockerfile (default: {BASE_IMAGE}, made with debootstrap; "
            "with a registry: debian:bookworm)",
        )
    up.add_argument(
        "--count", type=_count, default=None, help=f"number of hosts, 1 to {MAX_HOSTS} (default 3; kraft, migration: 6)"
    )
    sub.add_parser("down", help="remove the hosts and the network (and a Docker engine this script started)")
    sub.add_parser("status", help="show the engine, image, network and hosts")
    args = parser.parse_args(argv)
    args.testbed = TESTBEDS[args.testbed]
    if args.command == "up" and args.count is None:
        args.count = args.testbed.default_count
    return args


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 1 <= value <= MAX_HOSTS:
        raise argparse.ArgumentTypeError(f"{value} is out of range: 1 to {MAX_HOSTS} hosts")
    return value


def cache_root() -> Path:
    env = os.environ.get("KAFKA_IAC_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "kafka-iac"


def state_path() -> Path:
    return cache_root() / "testhosts" / "state.json"


def load_state(path: Path) -> dict[str, object]:
    """The state file's content; an unreadable file is reported, never a traceback."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ScriptError(f"{path}: unreadable state file ({exc}); delete it if no dockerd was started by us") from exc
    if not isinstance(data, dict):
        raise ScriptError(f"{path}: line 1: expected a JSON object")
    return data


def save_state(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(path)


def require_root(action: str) -> None:
    if os.geteuid() != 0:
        raise ScriptError(f"{action} needs root (run with sudo)", EXIT_PREREQUISITE)


def check_free_space(path: Path, needed: int, what: str) -> None:
    probe = path
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < needed:
        raise ScriptError(
            f"{probe}: only {free >> 20} MiB free, {what} needs at least {needed >> 20} MiB", EXIT_RESOURCE
        )


# ---------------------------------------------------------------------------------------------
# Docker engine


def docker(*args: str, timeout: float = 300.0, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the docker CLI; a failure is a ScriptError showing docker's own message."""
    result = run(["docker", *args], timeout=timeout)
    if check and result.returncode != 0:
        raise ScriptError(f"docker {' '.join(args[:2])} failed: {tail(result.stderr or result.stdout, 3)}")
    return result


def engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    result = run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout=20)
    return result.returncode == 0 and bool(result.stdout.strip())


def apt_install(packages: Sequence[str]) -> list[str]:
    """Install the packages that are missing; return the ones installed now."""
    missing = [p for p in packages if run(["dpkg-query", "-W", "-f=${Status}", p]).stdout != "install ok installed"]
    if not missing:
        return []
    require_root(f"installing {', '.join(missing)}")
    with step(f"Install {' '.join(missing)} with apt"):
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        update = run(["apt-get", "update"], timeout=600, env=env)
        if update.returncode != 0:
            raise ScriptError(f"apt-get update failed: {tail(update.stderr, 2)}", EXIT_PREREQUISITE)
        result = run(["apt-get", "install", "-y", "--no-install-recommends", *missing], timeout=900, env=env)
        if result.returncode != 0:
            raise ScriptError(
                f"apt-get install {' '.join(missing)} failed: {tail(result.stderr, 2)}", EXIT_PREREQUISITE
            )
    return missing


def ensure_engine() -> None:
    """Use the running Docker engine, or start dockerd (installing it first) and record that."""
    if engine_answers():
        return
    require_root("starting a Docker engine")
    installed = apt_install(APT_PACKAGES)
    if engine_answers():
        # Installing docker.io started the daemon through an init script: it is ours to stop.
        pid = _pid_from_file(DOCKERD_PIDFILE) if "docker.io" in installed else None
        if pid is not None:
            save_state(state_path(), {"dockerd_pid": pid, "started_by": "docker.io installed by this script"})
        return
    dockerd = shutil.which("dockerd")
    if dockerd is None:
        raise ScriptError("no Docker engine answers and dockerd is not installed (docker.io)", EXIT_PREREQUISITE)
    path = state_path()
    log = path.with_name("dockerd.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with step("Start dockerd in the background (no Docker engine answered)"):
        with log.open("ab") as out:
            process = subprocess.Popen(
                [dockerd], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while not engine_answers():
            if process.poll() is not None:
                raise ScriptError(
                    f"dockerd exited with {process.returncode}: {tail(log.read_text(), 2)}", EXIT_PREREQUISITE
                )
            if time.monotonic() > deadline:
                raise ScriptError(f"dockerd did not answer within 60 s; see {log}", EXIT_PREREQUISITE)
            time.sleep(0.5)
        save_state(path, {"dockerd_pid": process.pid, "dockerd_log": str(log), "started_by": "scripts/testhosts.py"})
        say(f"    dockerd pid {process.pid}, log {log}; 'down' will stop it")


def _pid_from_file(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _is_dockerd(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return Path(cmdline.decode(errors="replace")).name == "dockerd"


#: Programs that use the Docker engine while they run, without a container of their own at every
#: moment (an image build, another testbed's ``up`` before its containers, molecule's create).
DOCKER_CLIENTS = frozenset({"docker", "molecule"})


def docker_clients(proc: Path = Path("/proc"), own_pid: int | None = None) -> list[str]:
    """Other running processes that are Docker clients (:data:`DOCKER_CLIENTS`), as
    ``name (pid N)``: the program's name, or the script's after an interpreter."""
    mine = os.getpid() if own_pid is None else own_pid
    found = []
    for entry in sorted(proc.iterdir(), key=lambda e: (len(e.name), e.name)):
        if not entry.name.isdigit() or int(entry.name) == mine:
            continue
        try:
            argv = [a.decode(errors="replace") for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
        except OSError:
            continue
        names = {Path(a).name for a in argv[:2]}
        hit = sorted(names & DOCKER_CLIENTS)
        if hit:
            found.append(f"{hit[0]} (pid {entry.name})")
    return found


def engine_users(containers: Sequence[str], networks: Sequence[str], clients: Sequence[str]) -> list[str]:
    """What still uses the engine after a ``down``: containers in any state, networks this
    script made, running Docker clients; empty when nothing does."""
    users = []
    if containers:
        users.append(f"{len(containers)} other container(s)")
    if networks:
        users.append(f"network(s) {', '.join(sorted(networks))}")
    if clients:
        users.append(f"Docker client(s) {', '.join(clients)}")
    return users


def stop_engine_if_ours(users: Sequence[str]) -> str:
    """Stop the dockerd recorded in the state file unless ``users`` (:func:`engine_users`) say
    something else uses it; return what was done, for the summary."""
    path = state_path()
    state = load_state(path)
    pid = state.get("dockerd_pid")
    if not isinstance(pid, int):
        return "Docker engine not started by this script: left running"
    if not _is_dockerd(pid):
        path.unlink(missing_ok=True)
        return f"dockerd {pid} recorded in {path} is gone: nothing to stop"
    if users:
        return f"dockerd {pid} (started by this script) left running: {'; '.join(users)} use it"
    with step(f"Stop dockerd {pid} (started by this script)"):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _is_dockerd(pid) and time.monotonic() < deadline:
            time.sleep(0.3)
        if _is_dockerd(pid):
            raise ScriptError(f"dockerd {pid} did not stop within 30 s")
        path.unlink(missing_ok=True)
    return f"dockerd {pid} stopped"


# ---------------------------------------------------------------------------------------------
# Image


def debian_mirror(sources: Path = Path("/etc/apt/sources.list.d/debian.sources")) -> str:
    """The Debian mirror to debootstrap from: env override, then the deb822 file, then sources.list."""
    override = os.environ.get("KAFKA_IAC_DEBIAN_MIRROR")
    if override:
        return override
    if sources.is_file():
        for stanza in sources.read_text(encoding="utf-8").split("\n\n"):
            fields = {
                key.strip().lower(): value.strip()
                for key, _, value in (line.partition(":") for line in stanza.splitlines() if not line.startswith("#"))
                if value
            }
            if SUITE in fields.get("suites", "").split() and fields.get("uris"):
                return fields["uris"].split()[0]
    legacy = sources.parent.parent / "sources.list"
    if legacy.is_file():
        for line in legacy.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb" and parts[2] == SUITE:
                return parts[1]
    return DEFAULT_MIRROR


def context_hash(context: Path = CONTEXT_DIR, base_image: str = BASE_IMAGE) -> str:
    """Hash of the build context and base image: the image is rebuilt when either changes."""
    digest = hashlib.sha256(base_image.encode())
    for path in sorted(p for p in context.rglob("*") if p.is_file()):
        digest.update(path.relative_to(context).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def image_label(image: str, label: str) -> str | None:
    """A label of a local image, '' when the image has no such label, None when there is no image."""
    result = docker("image", "inspect", "--format", f'{{{{index .Config.Labels "{label}"}}}}', image, check=False)
    if result.returncode != 0:
        return None
    value = result.stdout.strip()
    return "" if value == "<no value>" else value


def build_base_image() -> None:
    require_root("debootstrap")
    apt_install(("debootstrap",))
    mirror = debian_mirror()
    work = cache_root() / "testhosts"
    work.mkdir(parents=True, exist_ok=True)
    check_free_space(work, IMAGE_FREE_BYTES, "debootstrap")
    rootfs = Path(tempfile.mkdtemp(prefix="rootfs-", dir=work))
    try:
        with step(f"debootstrap --variant=minbase {SUITE} from {mirror}"):
            result = run(["debootstrap", "--variant=minbase", SUITE, rootfs, mirror], timeout=900)
            if result.returncode != 0:
                raise ScriptError(f"debootstrap failed: {tail(result.stdout + result.stderr, 3)}", EXIT_FAILURE)
        with step(f"docker import the root file system as {BASE_IMAGE}"):
            tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
            imported = subprocess.run(
                ["docker", "import", "--change", f"LABEL {LABEL}=1", "-", BASE_IMAGE],
                stdin=tar.stdout,
                capture_output=True,
                text=True,
                check=False,
            )
            assert tar.stdout is not None
            tar.stdout.close()
            tar.wait()
            if tar.returncode != 0 or imported.returncode != 0:
                raise ScriptError(f"docker import failed: {tail(imported.stderr, 2)}")
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


def ensure_image(rebuild: bool, base_image: str | None) -> None:
    """Build the test-host image unless an identical one (same context hash) exists."""
    base = base_image or BASE_IMAGE
    wanted = context_hash(base_image=base)
    have = image_label(IMAGE, CONTEXT_LABEL)
    if have == wanted and not rebuild:
        say(f"==> Image {IMAGE} is cached (context {wanted[:12]}): reusing it")
        return
    if have is not None and not rebuild:
        say(f"    {IMAGE} was built from another Dockerfile or base: rebuilding")
    require_root("building the image")
    root_dir = docker("info", "--format", "{{.DockerRootDir}}").stdout.strip() or "/var/lib/docker"
    check_free_space(Path(root_dir), IMAGE_FREE_BYTES, "building the image")
    if base_image is None and (rebuild or image_label(BASE_IMAGE, LABEL) is None):
        build_base_image()
    elif base_image is None:
        say(f"==> Base image {BASE_IMAGE} is cached: reusing it")
    with step(f"docker build {IMAGE} (FROM {base})"):
        result = run(
            ["docker", "build", "--build-arg", f"BASE_IMAGE={base}",
             "--label", f"{LABEL}=1", "--label", f"{CONTEXT_LABEL}={wanted}",
             "-t", IMAGE, CONTEXT_DIR],
            timeout=1800,
            env={"DOCKER_BUILDKIT": "0"},
        )  # fmt: skip
        if result.returncode != 0:
            raise ScriptError(f"docker build failed: {tail(result.stdout + result.stderr, 4)}")


# ---------------------------------------------------------------------------------------------
# Network and containers


def labels_of(kind: str, name: str) -> dict[str, str] | None:
    """Labels of a network or container, or None when it does not exist."""
    result = docker(kind, "inspect", "--format", "{{json .Labels}}" if kind == "network" else "{{json .Config.Labels}}",
                    name, check=False)  # fmt: skip
    if result.returncode != 0:
        return None
    loaded = json.loads(result.stdout.strip() or "null")
    return {str(k): str(v) for k, v in (loaded or {}).items()}


def network_subnets() -> dict[str, list[str]]:
    """Every Docker network's IPv4 subnets, by network name."""
    names = docker("network", "ls", "--format", "{{.Name}}").stdout.split()
    subnets: dict[str, list[str]] = {}
    if names:
        result = docker("network", "inspect", "--format", "{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{end}}", *names)
        for line in result.stdout.splitlines():
            parts = line.split()
            if parts:
                subnets[parts[0]] = [s for s in parts[1:] if "." in s]
    return subnets


def find_subnet_conflict(
    subnets: dict[str, list[str]], route_table: str, testbed: Testbed = DEFAULT_TESTBED
) -> str | None:
    """Name whatever else already uses the testbed's subnet: another Docker network or a host route."""
    subnet = testbed.subnet
    for name, ranges in sorted(subnets.items()):
        if name == testbed.network:
            continue
        for cidr in ranges:
            if ipaddress.IPv4Network(cidr, strict=False).overlaps(subnet):
                return f"Docker network '{name}' already uses {cidr}, which overlaps {subnet}"
    for line in route_table.splitlines():
        parts = line.split()
        if not parts or parts[0] == "default":
            continue
        try:
            route = ipaddress.IPv4Network(parts[0], strict=False)
        except ValueError:
            continue
        if route.overlaps(subnet) and "dev" in parts:
            device = parts[parts.index("dev") + 1]
            return f"host route '{parts[0]} dev {device}' overlaps {subnet}"
    return None


def ensure_network(testbed: Testbed) -> None:
    network = testbed.network
    labels = labels_of("network", network)
    if labels is not None:
        if labels.get(LABEL) != "1":
            raise ScriptError(f"network '{network}' exists and was not created by this script", EXIT_CONFLICT)
        say(f"==> Network {network} exists (ours): reusing it")
        return
    routes = run(["ip", "-4", "route", "show"]).stdout if shutil.which("ip") else ""
    conflict = find_subnet_conflict(network_subnets(), routes, testbed)
    if conflict:
        raise ScriptError(conflict, EXIT_CONFLICT)
    with step(f"Create network {network} ({testbed.subnet})"):
        docker("network", "create", "--driver", "bridge", "--subnet", str(testbed.subnet),
               "--gateway", testbed.gateway, "--label", f"{LABEL}=1", network)  # fmt: skip


def container_state(name: str) -> str | None:
    result = docker("container", "inspect", "--format", "{{.State.Status}}", name, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def start_host(host: Host) -> None:
    labels = labels_of("container", host.name)
    if labels is not None and labels.get(CONTAINER_LABEL) != host.testbed.label_value:
        raise ScriptError(f"container '{host.name}' exists and was not created by this script", EXIT_CONFLICT)
    if labels is not None:
        state = container_state(host.name)
        if state == "running":
            say(f"==> {host.name} is already running: reusing it")
            image_id = docker("image", "inspect", "--format", "{{.Id}}", IMAGE, check=False).stdout.strip()
            used = docker("container", "inspect", "--format", "{{.Image}}", host.name, check=False).stdout.strip()
            if image_id and used != image_id:
                say(f"    note: {host.name} runs an older build of {IMAGE}; 'down' then 'up' to use the new one")
            return
        with step(f"Start existing {host.name} ({state})"):
            docker("start", host.name)
        return
    with step(f"Start {host.name} at {host.ip}"):
        label = f"{CONTAINER_LABEL}={host.testbed.label_value}"
        docker("run", "-d", "--name", host.name, "--hostname", host.name, "--network", host.testbed.network,
               "--ip", host.ip, "--label", label, *RUN_FLAGS, IMAGE)  # fmt: skip


def wait_for_systemd(hosts: Sequence[Host]) -> dict[str, str]:
    """Poll ``systemctl is-system-running`` until every host is running or degraded."""
    states: dict[str, str] = {}
    pending = list(hosts)
    deadline = time.monotonic() + BOOT_TIMEOUT_S
    started = time.monotonic()
    while pending:
        for host in list(pending):
            result = docker("exec", host.name, "systemctl", "is-system-running", check=False, timeout=30)
            state = result.stdout.strip() or "unknown"
            states[host.name] = state
            if state in ("running", "degraded"):
                say(f"    {host.name}: systemd {state} after {fmt_duration(time.monotonic() - started)}")
                if state == "degraded":
                    failed = docker("exec", host.name, "systemctl", "--failed", "--no-legend", check=False).stdout
                    say(f"    {host.name}: failed units: {tail(failed, 5) or 'none listed'}")
                pending.remove(host)
        if pending and time.monotonic() > deadline:
            details = ", ".join(f"{h.name}={states.get(h.name)}" for h in pending)
            raise ScriptError(f"systemd did not reach running within {BOOT_TIMEOUT_S:.0f} s: {details}", EXIT_VERIFY)
        if pending:
            time.sleep(1)
    return states


def java_version(host: Host) -> str:
    result = docker("exec", host.name, "java", "-version", check=False)
    first = (result.stderr or result.stdout).splitlines()
    return first[0].strip() if result.returncode == 0 and first else "java not found"


def our_containers(testbed: Testbed) -> list[str]:
    result = docker("ps", "-a", "--filter", f"label={CONTAINER_LABEL}={testbed.label_value}", "--format", "{{.Names}}")
    return sorted(result.stdout.split())


# ---------------------------------------------------------------------------------------------
# Commands


def cmd_image(args: argparse.Namespace) -> int:
    ensure_engine()
    ensure_image(args.rebuild, args.base_image)
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    ensure_engine()
    ensure_image(args.rebuild, args.base_image)
    root_dir = docker("info", "--format", "{{.DockerRootDir}}").stdout.strip() or "/var/lib/docker"
    check_free_space(Path(root_dir), UP_FREE_BYTES, "starting the hosts")
    testbed: Testbed = args.testbed
    hosts = hosts_for(args.count, testbed)
    for host in hosts:  # fail on a foreign name before creating anything
        labels = labels_of("container", host.name)
        if labels is not None and labels.get(CONTAINER_LABEL) != testbed.label_value:
            raise ScriptError(f"container '{host.name}' exists and was not created by this script", EXIT_CONFLICT)
    ensure_network(testbed)
    for host in hosts:
        start_host(host)
    with step(f"Wait for systemd in {len(hosts)} host(s)"):
        states = wait_for_systemd(hosts)
    extra = [name for name in our_containers(testbed) if name not in {h.name for h in hosts}]
    say("")
    for host in hosts:
        say(f"{host.name:<12} {host.ip:<12} systemd {states[host.name]:<9} {java_version(host)}")
    if extra:
        say(f"note: also running from an earlier 'up': {', '.join(extra)}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    testbed: Testbed = args.testbed
    network = testbed.network
    if not engine_answers():
        state = load_state(state_path())
        say("No Docker engine answers: no hosts to remove")
        if state:
            state_path().unlink(missing_ok=True)
        return 0
    names = our_containers(testbed)
    if names:
        with step(f"Remove {', '.join(names)}"):
            docker("rm", "-f", "-v", *names, timeout=120)
    else:
        say("==> No test hosts to remove")
    labels = labels_of("network", network)
    if labels is None:
        say(f"==> Network {network} does not exist")
    elif labels.get(LABEL) != "1":
        say(f"==> Network {network} was not created by this script: left alone")
    else:
        with step(f"Remove network {network}"):
            docker("network", "rm", network)
    # Every container, running or not: a stopped testbed or one being created still needs the engine.
    containers = docker("ps", "-aq").stdout.split()
    networks = docker("network", "ls", "--filter", f"label={LABEL}=1", "--format", "{{.Name}}").stdout.split()
    say(stop_engine_if_ours(engine_users(containers, networks, docker_clients())))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    testbed: Testbed = args.testbed
    network_name = testbed.network
    if not engine_answers():
        say("Docker engine: not answering")
        return 0
    state = load_state(state_path())
    owner = f"started by this script (pid {state['dockerd_pid']})" if "dockerd_pid" in state else "not ours"
    say(f"Docker engine: answering, {owner}")
    wanted = context_hash()
    have = image_label(IMAGE, CONTEXT_LABEL)
    image_state = "missing" if have is None else ("built, up to date" if have == wanted else "built, outdated")
    say(f"Image {IMAGE}: {image_state}")
    network = labels_of("network", network_name)
    network_owner = "missing" if network is None else ("ours" if network.get(LABEL) == "1" else "NOT ours")
    say(f"Network {network_name}: {network_owner}")
    names = our_containers(testbed)
    if not names:
        say("Hosts: none")
    for name in names:
        status = container_state(name) or "missing"
        systemd = "-"
        if status == "running":
            systemd = docker("exec", name, "systemctl", "is-system-running", check=False).stdout.strip() or "unknown"
        address_format = f'{{{{(index .NetworkSettings.Networks "{network_name}").IPAddress}}}}'
        ip = docker("container", "inspect", "--format", address_format, name, check=False).stdout.strip()
        say(f"{name:<12} {ip or '-':<12} {status:<8} systemd {systemd}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    def body() -> int:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        if args.command in ("image", "up", "down") and os.geteuid() != 0 and not engine_answers():
            require_root(f"'{args.command}'")
        handler = {"image": cmd_image, "up": cmd_up, "down": cmd_down, "status": cmd_status}[args.command]
        return handler(args)

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
