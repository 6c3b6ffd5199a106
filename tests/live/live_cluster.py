"""Reach the live test cluster: its hosts, its brokers' services, and the Java client probe.

The live tests observe Kafka's real behaviour through the real Java client
(``tests/live/java/KafkaProbe.java``, compiled against the jars of the assembled Kafka archive)
and change the cluster only through its hosts' systemd units (``docker exec <container>
systemctl ...``), as an operator would. Every wait here is bounded in time; every change a test
makes is undone by a context manager that leaves the cluster healthy again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
KAFKA_VERSION = "3.9.1"
ARCHIVE_NAME = f"kafka_2.13-{KAFKA_VERSION}.tgz"
PROBE_SOURCE = Path(__file__).resolve().parent / "java" / "KafkaProbe.java"
#: systemd units the roles install (roles/kafka_broker, roles/zookeeper); a KRaft controller
#: runs the same ``kafka`` unit as a broker.
KAFKA_UNIT = "kafka"
ZOOKEEPER_UNIT = "zookeeper"

JsonDict = dict[str, Any]


class LiveError(RuntimeError):
    """The cluster or a tool did not do what a live test needs (a clear one-line reason)."""


def cache_dir() -> Path:
    return Path(os.environ.get("KAFKA_IAC_CACHE") or Path.home() / ".cache" / "kafka-iac")


def run_id() -> str:
    """A short unique suffix so every run uses fresh topics."""
    return uuid.uuid4().hex[:6]


#: Figures measured by the tests of this session: test node id -> name -> value.
FIGURES: dict[str, dict[str, Any]] = {}


class Figures:
    """The measured figures of one test; each is printed as it is recorded (``pytest -s``)."""

    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid

    def __setitem__(self, key: str, value: Any) -> None:
        FIGURES.setdefault(self.nodeid, {})[key] = value
        print(f"    [{self.nodeid.rsplit('::', 1)[-1]}] {key}: {value}", flush=True)

    def update(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            self[key] = value


# ------------------------------------------------------------------------------------ probe


#: Probe modes answered by the long-running ``serve`` process (one JVM for the whole session);
#: the others (stream, burst) run in their own JVM in the background.
SERVED_MODES = frozenset(
    {"construct", "send", "consume", "create-topic", "delete-topics", "describe", "broker-config", "quorum"}
)


@dataclass
class Probe:
    """The compiled Java probe; :meth:`run` returns its JSON lines."""

    java: str
    classpath: str
    log_config: Path
    workdir: Path
    _server: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _pending: bytes = field(default=b"", repr=False)

    def command(self, mode: str, *args: object) -> list[str]:
        return [
            self.java,
            "-Xmx512m",
            "-XX:+UseSerialGC",
            f"-Dlog4j.configuration=file:{self.log_config}",
            "-cp",
            self.classpath,
            "KafkaProbe",
            mode,
            *(str(arg) for arg in args),
        ]

    def run(self, mode: str, *args: object, timeout: float = 120) -> list[JsonDict]:
        """Run one probe command to completion; its stdout JSON lines, in order."""
        if mode in SERVED_MODES:
            return self._served(mode, [str(arg) for arg in args], timeout)
        cmd = self.command(mode, *args)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise LiveError(f"probe {mode} did not finish within {timeout:.0f} s") from exc
        if proc.returncode != 0:
            raise LiveError(f"probe {mode} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
        return parse_lines(proc.stdout)

    def _served(self, mode: str, args: list[str], timeout: float) -> list[JsonDict]:
        if any("\t" in arg or "\n" in arg for arg in [mode, *args]):
            raise LiveError(f"probe {mode}: arguments must not contain tabs or newlines")
        server = self._server
        if server is None or server.poll() is not None:
            with (self.workdir / "probe-serve.log").open("ab") as log:
                server = subprocess.Popen(
                    self.command("serve"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log
                )
            self._server, self._pending = server, b""
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(("\t".join([mode, *args]) + "\n").encode())
        server.stdin.flush()
        lines: list[JsonDict] = []
        deadline = time.monotonic() + timeout
        fd = server.stdout.fileno()
        while True:
            # Raw reads on the pipe, so select() never misses lines a buffered reader holds.
            while b"\n" not in self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                    self.close()
                    raise LiveError(f"probe {mode} did not answer within {timeout:.0f} s (probe restarted)")
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.close()
                    raise LiveError(f"probe server exited during {mode}; see {self.workdir / 'probe-serve.log'}")
                self._pending += chunk
            raw, self._pending = self._pending.split(b"\n", 1)
            parsed = parse_lines(raw.decode(errors="replace"))
            if not parsed:
                continue
            if parsed[0].get("mode") == "done":
                break
            lines.extend(parsed)
        errors = [line for line in lines if line.get("mode") in {"usage-error", "probe-error"}]
        if errors:
            raise LiveError(f"probe {mode} failed: {errors[0]}")
        return lines

    def close(self) -> None:
        """End the serve process (it is ours: started by :meth:`_served`)."""
        server, self._server = self._server, None
        if server is not None and server.poll() is None:
            if server.stdin is not None:
                server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)

    def one(self, mode: str, *args: object, timeout: float = 120) -> JsonDict:
        """The single (last) JSON line of a probe command."""
        lines = self.run(mode, *args, timeout=timeout)
        if not lines:
            raise LiveError(f"probe {mode} printed nothing")
        return lines[-1]

    def start(self, mode: str, *args: object, log: Path) -> subprocess.Popen[str]:
        """Start a probe command in the background (stdout to ``log``); see :func:`finish`."""
        handle = log.open("w", encoding="utf-8")
        return subprocess.Popen(
            self.command(mode, *args), stdout=handle, stderr=subprocess.STDOUT, text=True, cwd=self.workdir
        )

    def properties(self, name: str, values: Mapping[str, object]) -> Path:
        """Write a client .properties file (values rendered as Kafka reads them)."""
        path = self.workdir / f"{name}.properties"
        lines = [f"{key}={_render(value)}" for key, value in values.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _render(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_lines(text: str) -> list[JsonDict]:
    """The JSON objects among ``text``'s lines (other lines, such as stray logging, ignored)."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("{") and line.endswith("}"):
            result.append(json.loads(line))
    return result


def finish(proc: subprocess.Popen[str], log: Path, timeout: float) -> list[JsonDict]:
    """Wait for a background probe (bounded), then its JSON lines; kill it if it overruns."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        raise LiveError(f"background probe did not finish within {timeout:.0f} s (killed); log: {log}") from None
    return parse_lines(log.read_text(encoding="utf-8"))


def build_probe(workdir: Path) -> Probe:
    """Extract the Kafka jars from the assembled archive (once) and compile the probe with them."""
    archive = cache_dir() / "artifacts" / ARCHIVE_NAME
    if not archive.is_file():
        raise LiveError(f"{archive} is missing: run `make artifacts` (scripts/artifacts.py) first")
    javac, java = shutil.which("javac"), shutil.which("java")
    if not javac or not java:
        raise LiveError("javac/java 17 not found on PATH: install openjdk-17-jdk-headless")
    stamp = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    base = cache_dir() / "live-probe" / stamp
    libs = base / "libs"
    if not (base / ".extracted").is_file():
        shutil.rmtree(base, ignore_errors=True)
        libs.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts
                if member.isfile() and len(parts) == 3 and parts[1] == "libs" and parts[2].endswith(".jar"):
                    source = tar.extractfile(member)
                    if source is not None:
                        (libs / parts[2]).write_bytes(source.read())
        if not any(libs.glob("kafka-clients-*.jar")):
            raise LiveError(f"{archive} has no */libs/kafka-clients-*.jar")
        (base / ".extracted").write_text(str(archive) + "\n", encoding="utf-8")
    source_hash = hashlib.sha256(PROBE_SOURCE.read_bytes()).hexdigest()[:16]
    classes = base / f"classes-{source_hash}"
    if not (classes / "KafkaProbe.class").is_file():
        tmp = base / f"classes-tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        proc = subprocess.run(
            [javac, "-Xlint:all", "-Werror", "-d", str(tmp), "-cp", f"{libs}/*", str(PROBE_SOURCE)],
            capture_output=True,
            text=True,
            check=False,
            timeout=180,
        )
        if proc.returncode != 0:
            raise LiveError(f"javac failed on {PROBE_SOURCE}: {proc.stderr.strip()[-2000:]}")
        shutil.rmtree(classes, ignore_errors=True)
        tmp.rename(classes)
    log_config = base / "log4j.properties"
    log_config.write_text(
        "log4j.rootLogger=ERROR, stderr\n"
        "log4j.appender.stderr=org.apache.log4j.ConsoleAppender\n"
        "log4j.appender.stderr.Target=System.err\n"
        "log4j.appender.stderr.layout=org.apache.log4j.PatternLayout\n"
        "log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n\n",
        encoding="utf-8",
    )
    return Probe(java, f"{classes}{os.pathsep}{libs}/*", log_config, workdir)


# ------------------------------------------------------------------------------------ hosts


@dataclass(frozen=True)
class Host:
    name: str
    address: str
    container: str
    broker_id: int | None
    zookeeper_id: int | None
    broker_port: int = 9092
    zookeeper_port: int = 2181
    #: KRaft: the node id of a host in kafka_controller (brokers' node ids are their broker_id).
    controller_id: int | None = None
    controller_port: int = 9093
    kafka_version: str = KAFKA_VERSION


def load_inventory(inventory: Path) -> list[Host]:
    """The hosts of ``inventory`` as Ansible resolves them (``ansible-inventory --list``)."""
    tool = Path(sys.executable).parent / "ansible-inventory"
    proc = subprocess.run(
        [str(tool), "-i", str(inventory), "--list"], capture_output=True, text=True, check=False, timeout=120
    )
    if proc.returncode != 0:
        raise LiveError(f"ansible-inventory cannot read {inventory}: {proc.stderr.strip()[-500:]}")
    data = json.loads(proc.stdout)
    hostvars: dict[str, JsonDict] = data.get("_meta", {}).get("hostvars", {})
    groups = {name: set(body.get("hosts", [])) for name, body in data.items() if isinstance(body, dict)}
    hosts = []
    for name in sorted(hostvars):
        hv = hostvars[name]
        is_broker = name in groups.get("kafka_broker", set())
        is_zk = name in groups.get("zookeeper", set())
        is_controller = name in groups.get("kafka_controller", set())
        if not (is_broker or is_zk or is_controller):
            continue
        # One id space in KRaft (kafka_node_id); ZooKeeper-mode brokers have kafka_broker_id.
        node_id = hv["kafka_broker_id"] if "kafka_broker_id" in hv else hv.get("kafka_node_id")
        hosts.append(
            Host(
                name=name,
                address=str(hv.get("ansible_host") or name),
                container=str(hv.get("ansible_docker_host") or name),
                broker_id=int(node_id) if is_broker and node_id is not None else None,
                zookeeper_id=int(hv["zookeeper_id"]) if is_zk else None,
                broker_port=int(hv.get("kafka_broker_port", 9092)),
                zookeeper_port=int(hv.get("zookeeper_client_port", 2181)),
                controller_id=int(hv["kafka_node_id"]) if is_controller else None,
                controller_port=int(hv.get("kafka_controller_port", 9093)),
                kafka_version=str(hv.get("kafka_version", KAFKA_VERSION)),
            )
        )
    return hosts


def docker(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise LiveError(f"docker {' '.join(args)} did not finish within {timeout:.0f} s") from exc
    if check and proc.returncode != 0:
        raise LiveError(f"docker {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return proc


# ------------------------------------------------------------------------------------ cluster


@dataclass
class Cluster:
    """The live cluster: its hosts, the probe, and bounded operations on its services."""

    hosts: list[Host]
    probe: Probe
    #: The inventory the hosts come from (playbooks run against it).
    inventory: Path
    topics_created: list[str] = field(default_factory=list)
    #: A service was stopped, killed or started since the last :meth:`restore`.
    touched: bool = False

    @property
    def brokers(self) -> dict[int, Host]:
        return {h.broker_id: h for h in self.hosts if h.broker_id is not None}

    @property
    def ensemble(self) -> dict[int, Host]:
        return {h.zookeeper_id: h for h in self.hosts if h.zookeeper_id is not None}

    @property
    def kafka_version(self) -> str:
        return next(iter(self.brokers.values())).kafka_version

    @property
    def controllers(self) -> dict[int, Host]:
        """KRaft controllers by node id (none in ZooKeeper mode)."""
        return {h.controller_id: h for h in self.hosts if h.controller_id is not None}

    @property
    def bootstrap(self) -> str:
        return ",".join(f"{h.address}:{h.broker_port}" for h in self.brokers.values())

    @property
    def bootstrap_controllers(self) -> str:
        return ",".join(f"{h.address}:{h.controller_port}" for h in self.controllers.values())

    # ---- services

    def systemctl(self, host: Host, *args: str, timeout: float = 90) -> None:
        self.touched = True
        docker("exec", host.container, "systemctl", *args, timeout=timeout)

    def kafka_tool(
        self, script: str, *args: str, timeout: float = 90, host: Host | None = None, bootstrap: bool = True
    ) -> str:
        """Run one of Kafka's bin/ tools from the installed distribution on a host (a broker
        unless ``host`` says), as an operator would, with ``--bootstrap-server`` unless
        ``bootstrap`` is false; its stdout."""
        host = host or next(iter(self.brokers.values()))
        # Kafka 4 tools log through Log4j 2, 3.x through reload4j; the roles install each's file.
        log_opts = (
            "-Dlog4j2.configurationFile=/etc/kafka/tools-log4j2.yaml"
            if int(self.kafka_version.split(".")[0]) >= 4
            else "-Dlog4j.configuration=file:/etc/kafka/tools-log4j.properties"
        )
        proc = docker(
            "exec",
            "-e",
            "LOG_DIR=/tmp",
            "-e",
            f"KAFKA_LOG4J_OPTS={log_opts}",
            host.container,
            f"/opt/kafka/current/bin/{script}",
            *(["--bootstrap-server", self.bootstrap] if bootstrap else []),
            *args,
            timeout=timeout,
        )
        return proc.stdout

    def unit_state(self, host: Host, unit: str) -> str:
        proc = docker("exec", host.container, "systemctl", "is-active", unit, check=False, timeout=30)
        return proc.stdout.strip()

    def stop_broker(self, broker_id: int) -> None:
        """A clean stop: Kafka's controlled shutdown moves leadership away first."""
        self.systemctl(self.brokers[broker_id], "stop", KAFKA_UNIT, timeout=150)

    def kill_broker(self, broker_id: int) -> None:
        """SIGKILL the broker's JVM: no controlled shutdown, the controller learns of it only
        when the broker's ZooKeeper session expires."""
        self.systemctl(self.brokers[broker_id], "kill", "--signal=SIGKILL", KAFKA_UNIT)

    def start_broker(self, broker_id: int) -> None:
        self.systemctl(self.brokers[broker_id], "start", KAFKA_UNIT)

    def kill_controller(self, node_id: int) -> None:
        """SIGKILL a KRaft controller's JVM: the other voters notice when its fetches stop."""
        self.systemctl(self.controllers[node_id], "kill", "--signal=SIGKILL", KAFKA_UNIT)

    def stop_controller(self, node_id: int) -> None:
        self.systemctl(self.controllers[node_id], "stop", KAFKA_UNIT, timeout=150)

    def start_controller(self, node_id: int) -> None:
        self.systemctl(self.controllers[node_id], "start", KAFKA_UNIT)

    def stop_zookeeper(self, zk_id: int) -> None:
        self.systemctl(self.ensemble[zk_id], "stop", ZOOKEEPER_UNIT)

    def start_zookeeper(self, zk_id: int) -> None:
        self.systemctl(self.ensemble[zk_id], "start", ZOOKEEPER_UNIT)

    # ---- observation

    def describe(self, *topics: str, timeout_ms: int = 10000) -> JsonDict:
        return self.probe.one("describe", self.bootstrap, *topics, f"timeout_ms={timeout_ms}", timeout=60)

    def leader(self, topic: str, partition: int = 0) -> int:
        info = self.describe(topic)
        if not info.get("ok"):
            raise LiveError(f"cannot describe {topic}: {info.get('message')}")
        for item in info["partitions"]:
            if item["partition"] == partition and item["leader"] is not None:
                return int(item["leader"])
        raise LiveError(f"{topic}-{partition} has no leader")

    def quorum(self, timeout_ms: int = 5000) -> JsonDict:
        """The KRaft quorum as the controllers report it (the probe's ``quorum``): ``leader``
        (-1 or absent without one), ``epoch``, ``voters`` and ``observers`` with log end offsets."""
        return self.probe.one("quorum", self.bootstrap_controllers, f"timeout_ms={timeout_ms}", timeout=60)

    def quorum_problem(self, max_lag: int = 20) -> str | None:
        """Why the quorum is not healthy (no leader, a controller that is not a voter or trails
        the leader by more than ``max_lag`` records), or None."""
        info = self.quorum()
        if not info.get("ok"):
            return f"quorum not described: {info.get('exception')}: {info.get('message')}"
        voters = {int(v["id"]): int(v["log_end_offset"]) for v in info["voters"]}
        if info.get("leader", -1) not in voters:
            return f"the quorum has no leader (epoch {info.get('epoch')})"
        lagging = [n for n in self.controllers if voters.get(n, -1) < voters[info["leader"]] - max_lag]
        return f"controllers not caught up: {lagging} ({voters})" if lagging else None

    def metadata_quorum_status(self) -> dict[str, str]:
        """``kafka-metadata-quorum describe --status`` on a running controller, as key: value."""
        host = next(
            (h for h in self.controllers.values() if self.unit_state(h, KAFKA_UNIT) == "active"),
            next(iter(self.controllers.values())),
        )
        text = self.kafka_tool(
            "kafka-metadata-quorum.sh",
            "--bootstrap-controller",
            f"{host.address}:{host.controller_port}",
            "describe",
            "--status",
            host=host,
            bootstrap=False,
        )
        return {
            key.strip(): value.strip()
            for key, sep, value in (line.partition(":") for line in text.splitlines())
            if sep and key.strip()
        }

    def health(self, quorum: bool | None = None) -> tuple[bool, str]:
        """Healthy: a KRaft quorum with a leader and every voter caught up (when ``quorum``; by
        default when the inventory has controllers), every broker registered, every partition of
        every topic fully in sync."""
        if self.controllers if quorum is None else quorum:
            problem = self.quorum_problem()
            if problem:
                return False, problem
        info = self.describe(timeout_ms=8000)
        if not info.get("ok"):
            return False, f"describe failed: {info.get('exception')}: {info.get('message')}"
        missing = sorted(set(self.brokers) - set(info["brokers"]))
        if missing:
            return False, f"brokers not registered: {missing}"
        lagging = [
            f"{p['topic']}-{p['partition']} isr={p['isr']} replicas={p['replicas']}"
            for p in info["partitions"]
            if set(p["isr"]) != set(p["replicas"]) or p["leader"] is None
        ]
        if lagging:
            return False, f"{len(lagging)} partitions not fully in sync, e.g. {lagging[0]}"
        return True, f"{len(info['brokers'])} brokers, {len(info['partitions'])} partitions in sync"

    def wait_healthy(self, timeout: float = 180, quorum: bool | None = None) -> float:
        """Wait (bounded) until :meth:`health` (``quorum`` as there); the seconds it took."""
        started = time.monotonic()
        reason = "not checked"
        while time.monotonic() - started < timeout:
            with contextlib.suppress(LiveError):
                ok, reason = self.health(quorum)
                if ok:
                    return time.monotonic() - started
            time.sleep(1.5)
        raise LiveError(f"cluster not healthy after {timeout:.0f} s: {reason}")

    def wait_until(self, what: str, predicate: Any, timeout: float, interval: float = 1.0) -> float:
        """Poll ``predicate()`` (bounded) until true; the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            with contextlib.suppress(LiveError):
                if predicate():
                    return time.monotonic() - started
            time.sleep(interval)
        raise LiveError(f"timed out after {timeout:.0f} s waiting until {what}")

    # ---- topics

    def create_topic(
        self, name: str, partitions: int, rf: int, config: Mapping[str, object] | None = None, timeout_ms: int = 30000
    ) -> JsonDict:
        args = [f"config.{key}={_render(value)}" for key, value in (config or {}).items()]
        result = self.probe.one(
            "create-topic", self.bootstrap, name, partitions, rf, *args, f"timeout_ms={timeout_ms}", timeout=90
        )
        if result.get("ok"):
            self.topics_created.append(name)
        return result

    def require_topic(self, name: str, partitions: int, rf: int, config: Mapping[str, object] | None = None) -> None:
        result = self.create_topic(name, partitions, rf, config)
        if not result.get("ok"):
            raise LiveError(f"cannot create topic {name}: {result.get('exception')}: {result.get('message')}")

        # Wait until every replica is in sync, so a test starts from a known state.
        def in_sync() -> bool:
            found = self.describe(name).get("partitions", [])
            return len(found) == partitions and all(len(p["isr"]) == rf and p["leader"] is not None for p in found)

        self.wait_until(f"{name} is fully in sync", in_sync, timeout=60)

    def retry_create(self, name: str, timeout: float = 90, interval: float = 3) -> JsonDict:
        """Create an RF 3 topic, retrying (bounded) while the metadata quorum (ZooKeeper, the
        KRaft controllers) comes back; the last result."""
        started = time.monotonic()
        result: JsonDict = {"ok": False, "message": "not tried"}
        while time.monotonic() - started < timeout:
            try:
                result = self.create_topic(name, 1, 3, timeout_ms=15000)
            except LiveError as exc:
                result = {"ok": False, "message": str(exc)}
            if result["ok"]:
                return result
            time.sleep(interval)
        return result

    def delete_created_topics(self) -> None:
        if self.topics_created:
            self.probe.one("delete-topics", self.bootstrap, *self.topics_created, timeout=60)
            self.topics_created.clear()

    # ---- faults, always undone

    @contextlib.contextmanager
    def brokers_stopped(self, *broker_ids: int) -> Iterator[None]:
        """Stop brokers (cleanly, in order); on exit start them all and wait for a healthy cluster."""
        try:
            for broker_id in broker_ids:
                self.stop_broker(broker_id)
            yield
        finally:
            self.restore()

    @contextlib.contextmanager
    def zookeepers_stopped(self, *zk_ids: int) -> Iterator[None]:
        try:
            for zk_id in zk_ids:
                self.stop_zookeeper(zk_id)
            yield
        finally:
            self.restore()

    def restore(self, timeout: float = 240) -> float:
        """Start every ZooKeeper, controller and broker unit that is not running, then wait
        until healthy."""
        for host in self.ensemble.values():
            if self.unit_state(host, ZOOKEEPER_UNIT) != "active":
                self.systemctl(host, "reset-failed", ZOOKEEPER_UNIT)
                self.systemctl(host, "start", ZOOKEEPER_UNIT)
        for host in [*self.controllers.values(), *self.brokers.values()]:
            if self.unit_state(host, KAFKA_UNIT) != "active":
                self.systemctl(host, "reset-failed", KAFKA_UNIT)
                self.systemctl(host, "start", KAFKA_UNIT)
        waited = self.wait_healthy(timeout)
        self.touched = False
        return waited

    def non_controller_brokers(self) -> list[int]:
        """Broker ids other than the controller (stopping those avoids a controller election)."""
        info = self.describe(timeout_ms=8000)
        controller = info.get("controller")
        return [broker_id for broker_id in sorted(self.brokers) if broker_id != controller]


def connect(inventory: Path, workdir: Path) -> Cluster:
    """The cluster of ``inventory``, checked to be up; :class:`LiveError` says what is missing."""
    hosts = load_inventory(inventory)
    brokers = [h for h in hosts if h.broker_id is not None]
    quorum = [h for h in hosts if h.zookeeper_id is not None or h.controller_id is not None]
    if len(brokers) < 3 or len(quorum) < 3:
        raise LiveError(
            f"{inventory} must describe 3 brokers and 3 ZooKeeper servers or KRaft controllers, "
            f"found {len(brokers)} brokers and {len(quorum)}"
        )
    for host in hosts:
        proc = docker("inspect", "-f", "{{.State.Running}}", host.container, check=False, timeout=30)
        if proc.stdout.strip() != "true":
            raise LiveError(f"test host {host.container} is not running (scripts/testhosts.py up)")
    probe = build_probe(workdir)
    cluster = Cluster(hosts, probe, inventory)
    for host in [*cluster.controllers.values(), *cluster.brokers.values()]:
        state = cluster.unit_state(host, KAFKA_UNIT)
        if state != "active":
            raise LiveError(f"{KAFKA_UNIT} on {host.container} is {state or 'unknown'} (playbooks/site.yml)")
    ok, reason = cluster.health()
    if not ok:
        # A previous run may have been interrupted: give the cluster its bounded chance to recover.
        try:
            cluster.wait_healthy(90)
        except LiveError as exc:
            raise LiveError(f"cluster at {cluster.bootstrap} is not healthy: {reason}") from exc
    return cluster


def session_cluster(inventory: Path, workdir: Path, bring_up: str) -> Iterator[Cluster]:
    """The cluster of ``inventory``, checked to be up and healthy (a failure names
    ``bring_up``); topics the session created are deleted at its end, and the cluster is left
    healthy (every unit started)."""
    import pytest

    try:
        live = connect(inventory, workdir)
    except LiveError as exc:
        pytest.fail(f"live cluster unavailable: {exc}. Bring it up with {bring_up}.", pytrace=False)
    yield live
    try:
        live.restore()
        live.delete_created_topics()
    finally:
        live.probe.close()


# ------------------------------------------------------------------------------------ playbooks

ROLLING_RESTART = REPO / "playbooks" / "rolling_restart.yml"


def run_playbook(
    cluster: Cluster, log: Path, timeout: float, playbook: Path = ROLLING_RESTART
) -> tuple[int, float, str]:
    """(exit code, seconds, output) of a playbook (the rolling restart) on the live inventory."""
    return ansible_playbook(cluster.inventory, playbook, log, timeout)


def ansible_playbook(
    inventory: Path, playbook: Path, log: Path, timeout: float, env: Mapping[str, str] | None = None
) -> tuple[int, float, str]:
    """(exit code, seconds, output) of ``playbook`` on ``inventory``, its output in ``log``;
    ``env`` adds to the environment."""
    tool = Path(sys.executable).parent / "ansible-playbook"
    environment = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **(env or {})}
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        try:
            proc = subprocess.run(
                [str(tool), "-i", str(inventory), str(playbook)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=environment,
                cwd=REPO,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LiveError(f"{playbook.name} did not finish within {timeout:.0f} s; log: {log}") from exc
    return proc.returncode, round(time.monotonic() - started, 1), log.read_text(encoding="utf-8")


def started_at(cluster: Cluster, host: Host) -> str:
    """When systemd last started the host's kafka unit (changes on every restart)."""
    proc = docker("exec", host.container, "systemctl", "show", "-p", "ExecMainStartTimestampMonotonic", KAFKA_UNIT)
    return proc.stdout.strip()


# ------------------------------------------------------------------------------------ kafkalint


def kafkalint_rules(
    cluster: Cluster,
    name: str,
    topics: Sequence[Mapping[str, Any]] = (),
    profiles: Sequence[Mapping[str, Any]] = (),
) -> dict[str, str]:
    """Rule id -> severity of what kafkalint reports for the live cluster's topology (its brokers and
    ensemble, as the inventory has them) carrying ``topics`` and producer ``profiles``: the
    same configuration a proof then runs on the cluster."""
    import yaml

    quorum: dict[str, Any]
    if cluster.controllers:
        quorum = {
            "kafka_controller": {
                h.name: {"kafka_node_id": h.controller_id, "ansible_host": h.address}
                for h in cluster.controllers.values()
            }
        }
        id_var = "kafka_node_id"
    else:
        quorum = {
            "zookeeper": {
                h.name: {"zookeeper_id": h.zookeeper_id, "ansible_host": h.address} for h in cluster.ensemble.values()
            }
        }
        id_var = "kafka_broker_id"
    document = {
        "kafka_version": cluster.kafka_version,
        "kafka_cluster_environment": "production",
        **quorum,
        "kafka_broker": {h.name: {id_var: h.broker_id, "ansible_host": h.address} for h in cluster.brokers.values()},
        "kafka_topics": [dict(topic) for topic in topics],
        "kafka_producer_profiles": [dict(profile) for profile in profiles],
    }
    path = cluster.probe.workdir / f"{name}.cluster.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kafkalint", "lint", "--no-config", "-f", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise LiveError(f"kafkalint exited {proc.returncode} on {path}: {proc.stderr.strip()[-1000:]}")
    return {finding["rule_id"]: finding["severity"] for finding in json.loads(proc.stdout)["findings"]}


# ------------------------------------------------------------------------------------ streams


@dataclass(frozen=True)
class StreamCheck:
    """What a consumer found compared with what the producer had acknowledged."""

    acknowledged: int
    consumed: int
    duplicated: int
    lost: int
    out_of_order_keys: int
    lost_examples: list[str]

    def as_dict(self) -> JsonDict:
        return {
            "acknowledged": self.acknowledged,
            "consumed": self.consumed,
            "duplicated": self.duplicated,
            "lost": self.lost,
            "out_of_order_keys": self.out_of_order_keys,
        }


def check_stream(acked_file: Path, consumed_file: Path) -> StreamCheck:
    """Compare acknowledged records ("key seq partition offset") with consumed ones: every
    acknowledged record must be consumed once, and per key in increasing sequence."""
    acked: set[tuple[str, int]] = set()
    for line in acked_file.read_text(encoding="utf-8").splitlines():
        acked_key, acked_seq, _partition, _offset = line.split()
        acked.add((acked_key, int(acked_seq)))
    seen: dict[tuple[str, int], int] = {}
    last: dict[str, int] = {}
    disordered: set[str] = set()
    consumed = 0
    rows: list[tuple[int, int, str, int]] = []
    for line in consumed_file.read_text(encoding="utf-8").splitlines():
        key, seq_text, partition, offset = line.split()
        rows.append((int(partition), int(offset), key, int(seq_text)))
    # Per-key order is the order of offsets within the key's partition.
    for _part, _off, key, number in sorted(rows):
        consumed += 1
        seen[(key, number)] = seen.get((key, number), 0) + 1
        if number < last.get(key, -1):
            disordered.add(key)
        last[key] = max(number, last.get(key, -1))
    duplicated = sum(count - 1 for count in seen.values() if count > 1)
    lost = sorted(acked - set(seen))
    return StreamCheck(
        acknowledged=len(acked),
        consumed=consumed,
        duplicated=duplicated,
        lost=len(lost),
        out_of_order_keys=len(disordered),
        lost_examples=[f"{key} {seq}" for key, seq in lost[:5]],
    )


#: The numbered stream of the fault proofs: records per second, keys.
STREAM_RATE = 250
STREAM_KEYS = 12


def line_count(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


@dataclass
class Stream:
    """A numbered keyed stream (the probe's ``stream``) running in the background: every
    acknowledgement goes to ``acked`` as the client reports it; :meth:`finish` stops it."""

    cluster: Cluster
    topic: str
    proc: subprocess.Popen[str]
    acked: Path
    stop: Path
    log: Path

    def acknowledged(self) -> int:
        return line_count(self.acked)

    def wait_acknowledged(self, records: int = STREAM_RATE * 3) -> None:
        self.cluster.wait_until("the stream is acknowledged", lambda: self.acknowledged() >= records, timeout=60)

    def finish(self, timeout: float = 200) -> JsonDict:
        """Stop the stream, wait for its last acknowledgements (bounded); its summary."""
        self.stop.touch()
        lines = finish(self.proc, self.log, timeout=timeout)
        summary = next((line for line in lines if line["mode"] == "stream-summary"), None)
        if summary is None:
            raise LiveError(f"stream printed no summary: {self.log.read_text(encoding='utf-8')[-2000:]}")
        return summary

    def check(self) -> tuple[JsonDict, StreamCheck]:
        """Consume the whole topic and compare it with what was acknowledged: (read, check)."""
        consumed = self.acked.with_name("consumed.txt")
        read = self.cluster.probe.one(
            "consume", self.cluster.bootstrap, self.topic, consumed, "timeout_s=90", timeout=150
        )
        return read, check_stream(self.acked, consumed)


def start_stream(
    cluster: Cluster, props: Path, topic: str, workdir: Path, *, rate: int = STREAM_RATE, duration_s: int = 240
) -> Stream:
    """Start a keyed stream of ``rate`` records a second into ``topic`` (stopped by
    :meth:`Stream.finish`, or after ``duration_s``)."""
    acked, stop, log = workdir / "acked.txt", workdir / "stop", workdir / "stream.log"
    proc = cluster.probe.start(
        "stream",
        props,
        topic,
        f"acked={acked}",
        f"keys={STREAM_KEYS}",
        f"rate={rate}",
        f"duration_s={duration_s}",
        f"stop={stop}",
        "close_timeout_ms=150000",
        log=log,
    )
    return Stream(cluster, topic, proc, acked, stop, log)


def stream_figures(figures: Figures, summary: JsonDict, result: StreamCheck) -> None:
    figures["sent / failed sends"] = f"{summary['sent']} / {summary['failed']} {summary['errors'] or ''}".strip()
    figures.update(result.as_dict())
    if result.lost_examples:
        figures["lost, e.g."] = result.lost_examples


def stream_through_leader_kill(
    cluster: Cluster, topic: str, props: Path, workdir: Path, figures: Figures, *, detected_by: str
) -> tuple[StreamCheck, JsonDict]:
    """Stream into ``topic``, SIGKILL the leader of partition 0, let systemd restart it, wait for
    the cluster to heal, stream a little longer, then consume everything and compare."""
    stream = start_stream(cluster, props, topic, workdir)
    try:
        stream.wait_acknowledged()
        victim = cluster.leader(topic, 0)
        killed_at = time.monotonic()
        cluster.kill_broker(victim)
        acked_at_kill = stream.acknowledged()
        cluster.wait_until(
            f"partition 0 has a leader other than {victim}",
            lambda: cluster.leader(topic, 0) != victim,
            timeout=90,
        )
        failover_s = round(time.monotonic() - killed_at, 1)
        # systemd restarts the unit itself (Restart=on-failure); start it in case it gave up.
        cluster.wait_until(
            f"kafka on broker {victim} is active again",
            lambda: cluster.unit_state(cluster.brokers[victim], KAFKA_UNIT) == "active",
            timeout=60,
        )
        cluster.restore(timeout=180)
        healed_s = round(time.monotonic() - killed_at, 1)
        time.sleep(3)  # the stream keeps going through the healed cluster
    finally:
        summary = stream.finish()
        cluster.restore(timeout=180)
    read, result = stream.check()
    assert read.get("complete"), f"consumer did not reach the end offsets: {read}"
    figures["killed leader"] = f"broker {victim} (SIGKILL), {acked_at_kill} records acknowledged before"
    figures["new leader elected after"] = f"{failover_s} s ({detected_by})"
    figures["cluster fully in sync after"] = f"{healed_s} s"
    stream_figures(figures, summary, result)
    return result, summary


#: The producer of the no-loss proofs: acks=all, idempotent, retrying for two minutes.
NO_LOSS_PRODUCER: dict[str, object] = {
    "acks": "all",
    "enable.idempotence": True,
    "linger.ms": 5,
    "delivery.timeout.ms": 120000,
}


def no_loss_through_leader_kill(
    cluster: Cluster, workdir: Path, figures: Figures, *, detected_by: str, partitions: int = 3
) -> tuple[dict[str, str], StreamCheck, JsonDict]:
    """The no-loss proof: kafkalint's verdict on an RF 3 / min ISR 2 topic written by
    :data:`NO_LOSS_PRODUCER`, then that stream through a SIGKILLed partition leader; (verdict,
    check, stream summary)."""
    topic = f"live-noloss-{run_id()}"
    verdict = kafkalint_rules(
        cluster,
        "noloss",
        [{"name": topic, "partitions": partitions, "replication_factor": 3, "config": {"min.insync.replicas": 2}}],
        [{"name": "noloss", "topics": [topic], "config": NO_LOSS_PRODUCER}],
    )
    figures["kafkalint on this configuration"] = verdict or "no findings"
    cluster.require_topic(topic, partitions, 3, {"min.insync.replicas": 2})
    props = cluster.probe.properties("noloss", {"bootstrap.servers": cluster.bootstrap, **NO_LOSS_PRODUCER})
    result, summary = stream_through_leader_kill(cluster, topic, props, workdir, figures, detected_by=detected_by)
    return verdict, result, summary


def assert_nothing_lost(result: StreamCheck, summary: JsonDict) -> None:
    """No failed send; every acknowledged record consumed once, each key in order."""
    assert summary["failed"] == 0, summary
    assert result.lost == 0, result.lost_examples
    assert result.duplicated == 0
    assert result.out_of_order_keys == 0


@dataclass(frozen=True)
class RollingRestart:
    """What :func:`rolling_restart_under_load` saw."""

    code: int
    seconds: float
    output: str
    #: systemd's start stamp of each node's kafka unit (controllers and brokers) before and after.
    before: dict[str, str]
    after: dict[str, str]
    summary: JsonDict
    read: JsonDict
    result: StreamCheck

    def restarted(self) -> list[str]:
        return [name for name in self.before if self.before[name] != self.after[name]]


def rolling_restart_under_load(cluster: Cluster, workdir: Path, figures: Figures, *, rate: int) -> RollingRestart:
    """Run playbooks/rolling_restart.yml while an acks=all idempotent stream writes to an RF 3 /
    min ISR 2 topic; the playbook's outcome, every node's restart, and the stream checked."""
    topic = f"live-rolling-{run_id()}"
    cluster.require_topic(topic, 3, 3, {"min.insync.replicas": 2})
    props = cluster.probe.properties(
        "rolling",
        {"bootstrap.servers": cluster.bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5},
    )
    nodes = [*cluster.controllers.values(), *cluster.brokers.values()]
    before = {host.name: started_at(cluster, host) for host in nodes}
    # The stream outlasts the playbook's bound; the stop file ends it.
    stream = start_stream(cluster, props, topic, workdir, rate=rate, duration_s=1800)
    try:
        stream.wait_acknowledged(rate * 3)
        cluster.touched = True  # the playbook restarts nodes: wait for a healthy cluster after the test
        code, seconds, output = run_playbook(cluster, workdir / "rolling.log", timeout=1500)
        time.sleep(2)
    finally:
        summary = stream.finish()
    after = {host.name: started_at(cluster, host) for host in nodes}
    read, result = stream.check()
    outcome = RollingRestart(code, seconds, output, before, after, summary, read, result)
    figures["playbook exit code"] = code
    figures["rolling restart took"] = f"{seconds} s"
    figures["nodes restarted"] = f"{len(outcome.restarted())} of {len(nodes)}"
    stream_figures(figures, summary, result)
    return outcome


def elapsed_since(started: float) -> float:
    return round(time.monotonic() - started, 1)


def first_error(lines: Sequence[JsonDict]) -> JsonDict | None:
    return next((line for line in lines if line.get("ok") is False), None)
