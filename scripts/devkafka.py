#!/usr/bin/env python3
"""A throwaway ZooKeeper + Kafka on loopback for developing and testing the topic and producer
roles, run straight from the assembled archives (no test hosts, no systemd).

    devkafka.py start [--dir DIR] [--zk-port 22181] [--kafka-port 29092] [--brokers 1] [--secure]
    devkafka.py status [--dir DIR]
    devkafka.py stop [--dir DIR]

``start`` verifies and unpacks ``kafka_2.13-<v>.tgz`` and ``apache-zookeeper-<v>-bin.tar.gz``
from ``${KAFKA_IAC_CACHE:-~/.cache/kafka-iac}/artifacts`` (made by ``scripts/artifacts.py``)
into ``${KAFKA_IAC_CACHE}/devkafka/``, writes ``zoo.cfg`` and ``server.properties`` with the
same code the roles render them with (``kafkalint.effective``), bound to 127.0.0.1 only, starts
one ZooKeeper and ``--brokers`` brokers (ports ``--kafka-port`` upwards) in the background,
waits until every broker is registered, and prints ``bootstrap.servers``. Its state (process
ids, ports, logs, data) lives in ``--dir`` (default ``/tmp/kafka-iac-devkafka``); ``stop``
ends exactly those processes and removes the directory.

``--secure`` starts the brokers as the secured clusters run (the design in
``roles/kafka_tls/README.md``): clients on a SASL_SSL listener with SCRAM-SHA-512 (the ports
from ``--kafka-port``), brokers among themselves on a mutual-TLS listener (the ports after
those), the AclAuthorizer denying whatever no ACL allows, ``super.users`` the brokers'
certificates and the ``admin`` user. The TLS material comes from the ``kafka_tls`` role (run
with ``ansible-playbook`` on this machine, into ``--dir``), the broker keys from
``kafkalint.security``; the ``admin`` SCRAM user is bootstrapped in ZooKeeper before the
brokers start, as ZooKeeper mode must. ``<dir>/admin.properties`` (0600) is a Java client
configuration for that user (``bootstrap.servers`` and the security keys).

Exit codes: 0 done; 1 a process did not come up (its log's tail is printed); 2 usage;
3 a prerequisite is missing (java, an archive); 5 an archive does not match its checksum;
8 something already runs in ``--dir`` or a port is taken.
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "policies"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

import kafkaclient  # noqa: E402
import reprotar  # noqa: E402
import scriptkit  # noqa: E402
from scriptkit import ScriptError  # noqa: E402

from kafkalint import effective, security  # noqa: E402

KAFKA_VERSION = "3.9.1"
ZOOKEEPER_VERSION = "3.8.4"
EXIT_OK: int = scriptkit.EXIT_OK
EXIT_FAILURE: int = scriptkit.EXIT_FAILURE
DEFAULT_DIR = Path("/tmp/kafka-iac-devkafka")
STATE_FILE = "devkafka.json"
LOOPBACK = "127.0.0.1"
#: The secured cluster's administrator (a super user) and its listeners.
ADMIN_USER = "admin"
CLIENT_LISTENER, INTERNAL_LISTENER = "CLIENT", "INTERNAL"

#: Settings only a one-machine cluster wants, on top of what the roles render.
DEV_BROKER_PROPERTIES: dict[str, Any] = {
    "group.initial.rebalance.delay.ms": 0,  # consumers in tests join at once
    "num.partitions": 1,
    "log.segment.bytes": 16 * 1024 * 1024,
}

LOG4J = """\
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File={log}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
"""

LOGBACK = """\
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>{log}</file>
    <encoder><pattern>%d %-5level [%thread] %logger{{36}} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
"""


def cache_dir() -> Path:
    return Path(os.environ.get("KAFKA_IAC_CACHE") or Path.home() / ".cache" / "kafka-iac")


@dataclass
class DevKafka:
    """A running dev cluster, as recorded in ``<dir>/devkafka.json``."""

    workdir: str
    zookeeper_port: int
    kafka_ports: list[int]
    pids: dict[str, int] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    #: Secured only: each broker's mutual-TLS listener (between brokers).
    internal_ports: list[int] = field(default_factory=list)

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(f"{LOOPBACK}:{port}" for port in self.kafka_ports)

    @property
    def secure(self) -> bool:
        return bool(self.internal_ports)

    @property
    def admin_properties(self) -> Path:
        """The Java client configuration of the admin user (secured only)."""
        return Path(self.workdir) / "admin.properties"

    @property
    def ca_file(self) -> Path:
        """The PEM trust bundle the clients use (secured only)."""
        return Path(self.workdir) / "secrets" / "trust-bundle.pem"

    def server_log(self, index: int = 1) -> Path:
        return Path(self.workdir) / f"kafka{index}" / "server.log"

    def client_kwargs(self) -> dict[str, Any]:
        """kafka-python arguments that connect as the admin user (empty when not secured)."""
        if not self.secure:
            return {}
        settings = kafkaclient.read_properties(self.admin_properties)
        return kafkaclient.security_kwargs(settings)

    def inventory(self) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
        """Host variables and groups of the dev cluster in the inventory contract's shape."""
        hostvars: dict[str, dict[str, Any]] = {
            "devzk": {"ansible_host": LOOPBACK, "zookeeper_id": 1, "zookeeper_client_port": self.zookeeper_port}
        }
        for index, port in enumerate(self.kafka_ports, start=1):
            hostvars[f"devkafka{index}"] = {
                "ansible_host": LOOPBACK,
                "kafka_broker_id": index,
                "kafka_broker_port": port,
                "kafka_broker_listen_address": LOOPBACK,
                "kafka_broker_data_dirs": [str(Path(self.workdir) / f"kafka{index}" / "data")],
                "kafka_broker_properties": DEV_BROKER_PROPERTIES,
            }
        groups = {"zookeeper": ["devzk"], "kafka_broker": [f"devkafka{i}" for i in range(1, len(self.kafka_ports) + 1)]}
        return hostvars, groups


def unpack(archive_name: str, top: str) -> Path:
    """Verify an archive against its ``.sha512`` and unpack it into the cache, once per digest:
    a rebuilt archive gets a new directory, so a dev cluster still running from the old one
    keeps its jars."""
    artifacts = cache_dir() / "artifacts"
    archive = artifacts / archive_name
    checksum = archive.with_name(archive.name + ".sha512")
    if not archive.is_file() or not checksum.is_file():
        raise ScriptError(
            f"{archive} (or its .sha512) not found: run scripts/artifacts.py first (or set KAFKA_IAC_CACHE)",
            scriptkit.EXIT_PREREQUISITE,
        )
    try:
        expected, _ = reprotar.parse_sha512_text(checksum.read_text(encoding="utf-8", errors="replace"), str(checksum))
    except reprotar.ChecksumError as exc:
        raise ScriptError(str(exc), scriptkit.EXIT_CHECKSUM) from exc
    target = cache_dir() / "devkafka" / f"{top}-{expected[:16]}"
    if (target / ".verified").is_file():
        return target
    try:
        reprotar.verify_sha512(archive, checksum)
    except reprotar.ChecksumError as exc:
        raise ScriptError(str(exc), scriptkit.EXIT_CHECKSUM) from exc
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(partial, filter="data")
    unpacked = partial / top
    if not unpacked.is_dir():
        shutil.rmtree(partial, ignore_errors=True)
        raise ScriptError(f"{archive}: has no top-level directory {top}/", scriptkit.EXIT_PREREQUISITE)
    (unpacked / ".verified").write_text(expected + "\n", encoding="utf-8")
    try:
        unpacked.rename(target)
    except OSError:
        if not (target / ".verified").is_file():  # not a concurrent start that won the race
            raise
    shutil.rmtree(partial, ignore_errors=True)
    return target


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on now (for tests that must not collide with a running dev cluster)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def ruok(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1) as sock:
            sock.sendall(b"ruok")
            return sock.recv(16) == b"imok"
    except OSError:
        return False


def registered_brokers(bootstrap: str, client_kwargs: dict[str, Any] | None = None) -> int:
    """How many brokers the cluster metadata lists (0 while none answers)."""
    import logging

    from kafka import KafkaAdminClient

    logging.getLogger("kafka").addHandler(logging.NullHandler())
    logging.getLogger("kafka").propagate = False
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap, bootstrap_timeout_ms=2000, request_timeout_ms=3000, **(client_kwargs or {})
        )
    except Exception:
        return 0
    try:
        return len(admin.describe_cluster().get("brokers", []))
    except Exception:
        return 0
    finally:
        admin.close()


def java_command(home: Path, classpath: str, main_class: str, config: Path, extra: list[str]) -> list[str]:
    java = scriptkit.require_tool("java", "install openjdk-17-jre-headless (scripts/bootstrap.sh does)")
    return [
        java,
        "-Xms128m",
        "-Xmx512m",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        *extra,
        "-cp",
        str(home / classpath),
        main_class,
        str(config),
    ]


def launch(name: str, command: list[str], log: Path) -> int:
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return process.pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child we started and that died stays a zombie until reaped.
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return waited == 0


def wait_for(what: str, check: Any, dev: DevKafka, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        for name, pid in dev.pids.items():
            if not alive(pid):
                log_tail = scriptkit.tail(Path(dev.logs[name]).read_text(errors="replace"), 6)
                raise ScriptError(f"{name} exited while waiting for {what}: {log_tail}")
        time.sleep(0.5)
    raise ScriptError(f"{what} not ready within {timeout:.0f} s (logs in {dev.workdir})")


def read_state(workdir: Path) -> DevKafka | None:
    path = workdir / STATE_FILE
    if not path.is_file():
        return None
    return DevKafka(**json.loads(path.read_text(encoding="utf-8")))


def _write_secret(path: Path, text: str) -> None:
    """A file only its owner reads (written 0600 from the start, never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def issue_tls(workdir: Path, hosts: list[str], timeout: float) -> dict[str, security.BrokerTls]:
    """Run the ``kafka_tls`` role on this machine for ``hosts`` (each its own directory
    ``<workdir>/kafka<N>/tls``; CA, trust bundle and generated passwords in
    ``<workdir>/secrets``) and return each broker's stores."""
    secrets_dir = workdir / "secrets"
    hostvars = {
        host: {
            "ansible_connection": "local",
            "ansible_host": LOOPBACK,
            "ansible_python_interpreter": sys.executable,
            "kafka_tls_dir": str(workdir / f"kafka{index}" / "tls"),
        }
        for index, host in enumerate(hosts, start=1)
    }
    inventory = {
        "all": {
            "hosts": hostvars,
            "vars": {
                "kafka_tls_secrets_dir": str(secrets_dir),
                "kafka_tls_owner": pwd.getpwuid(os.getuid()).pw_name,
                "kafka_tls_service_group": grp.getgrgid(os.getgid()).gr_name,
                "kafka_tls_generate_passwords": True,
                "kafka_tls_packages": [],
            },
        }
    }
    ansible_dir = workdir / "ansible"
    ansible_dir.mkdir(parents=True)
    (ansible_dir / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")
    playbook = [
        {"name": "Issue the dev cluster's TLS material", "hosts": "all", "gather_facts": False, "roles": ["kafka_tls"]}
    ]
    (ansible_dir / "tls.yml").write_text(json.dumps(playbook), encoding="utf-8")
    (ansible_dir / "ansible.cfg").write_text(
        f"[defaults]\nroles_path = {ROOT / 'roles'}\nretry_files_enabled = false\ninterpreter_python = auto_silent\n"
        "stdout_callback = ansible.builtin.default\nforks = 5\n",
        encoding="utf-8",
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update({"ANSIBLE_CONFIG": str(ansible_dir / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"})
    playbook_tool = Path(sys.executable).parent / "ansible-playbook"
    log = ansible_dir / "tls.log"
    with log.open("wb") as out:
        try:
            proc = subprocess.run(
                [str(playbook_tool), "-i", str(ansible_dir / "inventory.json"), str(ansible_dir / "tls.yml")],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=max(timeout, 300),
                check=False,
            )
        except FileNotFoundError:
            raise ScriptError(f"{playbook_tool} not found: run make bootstrap", scriptkit.EXIT_PREREQUISITE) from None
        except subprocess.TimeoutExpired:
            raise ScriptError(f"the kafka_tls role did not finish in time (log: {log})") from None
    if proc.returncode != 0:
        raise ScriptError(f"the kafka_tls role failed: {scriptkit.tail(log.read_text(errors='replace'), 8)}")
    group = inventory["all"]["vars"]["kafka_tls_service_group"]
    keystore_password = (secrets_dir / "passwords" / "keystore").read_text(encoding="utf-8").strip()
    truststore_password = (secrets_dir / "passwords" / "truststore").read_text(encoding="utf-8").strip()
    return {
        host: security.BrokerTls(
            keystore=str(workdir / f"kafka{index}" / "tls" / f"{group}.keystore.p12"),
            keystore_password=keystore_password,
            truststore=str(workdir / f"kafka{index}" / "tls" / f"{group}.truststore.p12"),
            truststore_password=truststore_password,
        )
        for index, host in enumerate(hosts, start=1)
    }


def admin_user() -> security.ScramUser:
    """The secured cluster's admin user. Its password holds the characters every layer must
    escape (JAAS quotes and backslashes, a properties file's backslashes and non-ASCII, the
    commas of Kafka's SCRAM argument lists), so the dev cluster proves they survive."""
    password = secrets.token_urlsafe(18) + ',"\\ =ü'
    return security.ScramUser(ADMIN_USER, password, "SCRAM-SHA-512", 8192, "present")


def bootstrap_admin(kafka_home: Path, workdir: Path, zk_port: int, user: security.ScramUser) -> None:
    """Create the admin's SCRAM credential in ZooKeeper, before any broker runs (ZooKeeper
    mode's bootstrap: nobody can yet authenticate to a broker to create it)."""
    config = workdir / "secrets" / "admin-scram.properties"
    _write_secret(config, security.scram_bootstrap_properties(user))
    log4j = workdir / "tools-log4j.properties"
    log4j.write_text(
        "log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\n"
        "log4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\n",
        encoding="utf-8",
    )
    java = scriptkit.require_tool("java", "install openjdk-17-jre-headless (scripts/bootstrap.sh does)")
    try:
        proc = subprocess.run(
            [
                java,
                f"-Dlog4j.configuration=file:{log4j}",
                "-cp",
                str(kafka_home / "libs" / "*"),
                "kafka.admin.ConfigCommand",
                "--zookeeper",
                f"{LOOPBACK}:{zk_port}",
                "--alter",
                "--entity-type",
                "users",
                "--entity-name",
                user.name,
                "--add-config-file",
                str(config),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        config.unlink()
    if proc.returncode != 0 or "Completed updating config" not in proc.stdout:
        raise ScriptError(
            f"cannot create the admin's SCRAM credential in ZooKeeper: {scriptkit.tail(proc.stdout + proc.stderr, 6)}"
        )


def secure_broker_config(
    dev: DevKafka, index: int, config: dict[str, effective.Value], *, tls: security.BrokerTls, hosts: list[str]
) -> dict[str, effective.Value]:
    """Broker ``index``'s rendered configuration with the secured listeners and security keys."""
    client = f"{CLIENT_LISTENER}://{LOOPBACK}:{dev.kafka_ports[index - 1]}"
    internal = f"{INTERNAL_LISTENER}://{LOOPBACK}:{dev.internal_ports[index - 1]}"
    keys: dict[str, Any] = {
        "listeners": f"{client},{internal}",
        "advertised.listeners": f"{client},{internal}",
        "listener.security.protocol.map": f"{CLIENT_LISTENER}:SASL_SSL,{INTERNAL_LISTENER}:SSL",
        "inter.broker.listener.name": INTERNAL_LISTENER,
    }
    keys.update(
        security.broker_security_properties(
            "zookeeper",
            tls,
            sasl_listeners=[CLIENT_LISTENER],
            mtls_listeners=[INTERNAL_LISTENER],
            principals=[*(security.tls_principal(name) for name in hosts), f"User:{ADMIN_USER}"],
        )
    )
    merged = dict(config)
    merged.update({key: effective.Value(value, "derived") for key, value in keys.items()})
    return dict(sorted(merged.items()))


def start_zookeeper(
    dev: DevKafka,
    zk_home: Path,
    hostvars: dict[str, dict[str, Any]],
    groups: dict[str, list[str]],
    save: Any,
) -> None:
    """Write zoo.cfg (rendered as the role renders it, bound to loopback) and start ZooKeeper."""
    zk_dir = Path(dev.workdir) / "zookeeper"
    (zk_dir / "data").mkdir(parents=True)
    hostvars["devzk"]["zookeeper_data_dir"] = str(zk_dir / "data")
    zoo = dict(effective.zookeeper_config("devzk", hostvars, groups))
    text = effective.render(zoo) + f"clientPortAddress={LOOPBACK}\n"
    (zk_dir / "zoo.cfg").write_text(text, encoding="utf-8")
    (zk_dir / "logback.xml").write_text(LOGBACK.format(log=zk_dir / "zookeeper.log"), encoding="utf-8")
    dev.logs["zookeeper"] = str(zk_dir / "console.log")
    dev.pids["zookeeper"] = launch(
        "zookeeper",
        java_command(
            zk_home,
            "lib/*",
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            zk_dir / "zoo.cfg",
            [f"-Dlogback.configurationFile={zk_dir / 'logback.xml'}", "-Dzookeeper.admin.enableServer=false"],
        ),
        Path(dev.logs["zookeeper"]),
    )
    save()


def prepare_security(
    dev: DevKafka, hosts: list[str], admin: security.ScramUser, timeout: float
) -> dict[str, security.BrokerTls]:
    """The brokers' stores (from the kafka_tls role) and the admin's client configuration."""
    with scriptkit.step("Issue the brokers' TLS material (roles/kafka_tls)"):
        stores = issue_tls(Path(dev.workdir), hosts, timeout)
    client = {"protocol": "SASL_SSL", "truststore_location": str(dev.ca_file), "truststore_type": "PEM"}
    properties = {"bootstrap.servers": dev.bootstrap_servers, **security.client_properties(client, admin)}
    _write_secret(
        dev.admin_properties,
        effective.render({key: effective.Value(value, "derived") for key, value in properties.items()}),
    )
    return stores


def start(
    workdir: Path, zk_port: int, kafka_port: int, brokers: int = 1, timeout: float = 120, *, secure: bool = False
) -> DevKafka:
    """Start ZooKeeper and ``brokers`` brokers (secured: see the module docstring); return once
    every broker is registered."""
    existing = read_state(workdir)
    if existing and any(alive(pid) for pid in existing.pids.values()):
        raise ScriptError(
            f"a dev cluster already runs from {workdir} ({existing.bootstrap_servers}); stop it first",
            scriptkit.EXIT_CONFLICT,
        )
    kafka_ports = list(range(kafka_port, kafka_port + brokers))
    internal_ports = list(range(kafka_port + brokers, kafka_port + 2 * brokers)) if secure else []
    taken = [str(port) for port in [zk_port, *kafka_ports, *internal_ports] if not port_free(port)]
    if taken:
        raise ScriptError(f"port(s) {', '.join(taken)} on {LOOPBACK} already in use", scriptkit.EXIT_CONFLICT)
    with scriptkit.step("Unpack the ZooKeeper and Kafka archives"):
        zk_home = unpack(
            f"apache-zookeeper-{ZOOKEEPER_VERSION}-bin.tar.gz", f"apache-zookeeper-{ZOOKEEPER_VERSION}-bin"
        )
        kafka_home = unpack(f"kafka_2.13-{KAFKA_VERSION}.tgz", f"kafka_2.13-{KAFKA_VERSION}")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    dev = DevKafka(str(workdir), zk_port, kafka_ports, internal_ports=internal_ports)
    hostvars, groups = dev.inventory()
    state = workdir / STATE_FILE

    def save() -> None:
        _write_secret(state, json.dumps(asdict(dev), indent=2) + "\n")

    admin = admin_user()
    stores = prepare_security(dev, groups["kafka_broker"], admin, timeout) if secure else {}
    client_kwargs = dev.client_kwargs()

    try:
        with scriptkit.step(f"Start ZooKeeper on {LOOPBACK}:{zk_port}"):
            start_zookeeper(dev, zk_home, hostvars, groups, save)
            wait_for("ZooKeeper (ruok)", lambda: ruok(zk_port), dev, timeout)
        if secure:
            with scriptkit.step(f"Create the {ADMIN_USER} SCRAM user in ZooKeeper"):
                bootstrap_admin(kafka_home, workdir, zk_port, admin)
        with scriptkit.step(f"Start {brokers} Kafka broker(s) on {dev.bootstrap_servers}"):
            for index, host in enumerate(groups["kafka_broker"], start=1):
                broker_dir = workdir / f"kafka{index}"
                (broker_dir / "data").mkdir(parents=True)
                config = effective.broker_config(host, hostvars, groups)
                if secure:
                    config = secure_broker_config(dev, index, config, tls=stores[host], hosts=groups["kafka_broker"])
                _write_secret(broker_dir / "server.properties", effective.render(config))
                (broker_dir / "log4j.properties").write_text(
                    LOG4J.format(log=broker_dir / "server.log"), encoding="utf-8"
                )
                name = f"kafka{index}"
                dev.logs[name] = str(broker_dir / "console.log")
                dev.pids[name] = launch(
                    name,
                    java_command(
                        kafka_home,
                        "libs/*",
                        "kafka.Kafka",
                        broker_dir / "server.properties",
                        [
                            f"-Dlog4j.configuration=file:{broker_dir / 'log4j.properties'}",
                            f"-Dkafka.logs.dir={broker_dir}",
                        ],
                    ),
                    Path(dev.logs[name]),
                )
                save()
            wait_for(
                f"{brokers} registered broker(s)",
                lambda: registered_brokers(dev.bootstrap_servers, client_kwargs) >= brokers,
                dev,
                timeout,
            )
    except BaseException:
        stop(workdir)
        raise
    return dev


def stop(workdir: Path, grace: float = 30) -> list[str]:
    """End the processes recorded in ``workdir`` (brokers first), remove it; return what was stopped."""
    dev = read_state(workdir)
    if dev is None:
        shutil.rmtree(workdir, ignore_errors=True)
        return []
    stopped = []
    # Brokers before ZooKeeper, so they deregister cleanly instead of waiting for it.
    order = sorted(dev.pids.items(), key=lambda item: item[0] == "zookeeper")
    for name, pid in order:
        if not alive(pid):
            continue
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
        stopped.append(f"{name} (pid {pid})")
    shutil.rmtree(workdir, ignore_errors=True)
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"state directory (default {DEFAULT_DIR})")
    parser.add_argument("--zk-port", type=int, default=22181)
    parser.add_argument("--kafka-port", type=int, default=29092, help="first broker's port (default 29092)")
    parser.add_argument("--brokers", type=int, default=1, choices=range(1, 6), metavar="1..5")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for readiness (default 120)")
    parser.add_argument("--secure", action="store_true", help="TLS, SASL/SCRAM and ACLs (see the docstring)")
    args = parser.parse_args(argv)

    def body() -> int:
        if args.command == "start":
            dev = start(args.dir, args.zk_port, args.kafka_port, args.brokers, args.timeout, secure=args.secure)
            scriptkit.say(f"bootstrap.servers={dev.bootstrap_servers}")
            if dev.secure:
                scriptkit.say(f"client configuration (SASL_SSL, user {ADMIN_USER}): {dev.admin_properties}")
            scriptkit.say(f"zookeeper={LOOPBACK}:{dev.zookeeper_port} state={args.dir / STATE_FILE}")
        elif args.command == "stop":
            stopped = stop(args.dir)
            scriptkit.say(f"stopped: {', '.join(stopped)}" if stopped else f"nothing runs from {args.dir}")
        else:
            running = read_state(args.dir)
            if running is None:
                scriptkit.say(f"not running (no {args.dir / STATE_FILE})")
                return EXIT_FAILURE
            states = [f"{name} pid {pid} {'up' if alive(pid) else 'DOWN'}" for name, pid in running.pids.items()]
            scriptkit.say(f"bootstrap.servers={running.bootstrap_servers}; " + "; ".join(states))
            return EXIT_OK if all(alive(pid) for pid in running.pids.values()) else EXIT_FAILURE
        return EXIT_OK

    return scriptkit.main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
