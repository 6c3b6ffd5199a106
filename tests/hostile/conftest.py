"""Fixtures of the hostile-input suite: inventories written by an attacker, and a way to run
kafkalint on them in a separate, audited process (tests/hostile/audited_run.py)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDITED = Path(__file__).resolve().parent / "audited_run.py"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    events: list[list[str]] = field(default_factory=list)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def opened(self) -> list[str]:
        return [path for kind, path in self.events if kind == "open"]

    def executed(self) -> list[str]:
        return [what for kind, what in self.events if kind == "exec"]

    def connected(self) -> list[str]:
        return [what for kind, what in self.events if kind == "net"]


def audited(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """kafkalint ``args`` in a new process under the audit hook, from ``cwd``."""
    events = cwd / ".audit-events.json"
    environment = {**os.environ, "KAFKALINT_JOBS": "1", "NO_COLOR": "1", **(env or {})}
    environment["PYTHONPATH"] = str(ROOT / "policies")
    done = subprocess.run(
        [sys.executable, str(AUDITED), str(events), "--", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    recorded = json.loads(events.read_text(encoding="utf-8")) if events.exists() else []
    events.unlink(missing_ok=True)
    return Run(done.returncode, done.stdout, done.stderr, recorded)


def write(root: Path, name: str, text: str, *, executable: bool = False) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if executable:
        path.chmod(0o755)
    return path


class _Trap(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Trap.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"stolen")

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def http_trap() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request (a lookup('url') would reach it)."""
    _Trap.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Trap.hits
    finally:
        server.shutdown()
        server.server_close()


SECRET = "TOPSECRET-5f1c9e-not-for-any-report"
TOKEN = "tok-8d2b77-environment-secret"
VAULT_PASSWORD = "vault-pw-hostile-suite"


@dataclass
class Hostile:
    """The hostile layout: ``work`` (the working directory, with an ansible.cfg naming a
    vault-password script), ``inventory`` inside it, and ``outside`` (a secret beside, not in,
    the inventory). ``markers`` are the files a run that executed anything would create."""

    work: Path
    inventory: Path
    outside: Path
    markers: list[Path]
    cr_line: int


@pytest.fixture
def hostile(tmp_path: Path, http_trap: tuple[str, list[str]]) -> Hostile:
    url, _ = http_trap
    work = tmp_path / "work"
    outside = tmp_path / "outside"
    markers = [tmp_path / f"ran-{name}" for name in ("pipe", "script", "plugin", "vault", "cfg")]
    write(outside, "secret.txt", SECRET + "\n")
    write(outside, "secret.yml", f"zookeeper_properties: {{tickTime: '{SECRET}'}}\n")
    write(
        work,
        "ansible.cfg",
        f"""
        [defaults]
        vault_password_file = {work / "vault-pass.sh"}
        inventory = {work / "inventory"}
        [inventory]
        enable_plugins = script, constructed, yaml, ini
        """,
    )
    write(work, "vault-pass.sh", f"#!/bin/sh\ntouch {markers[3]}\necho {VAULT_PASSWORD}\n", executable=True)
    inventory = work / "inventory"
    write(
        inventory,
        "hosts.yml",
        """
        all:
          children:
            zookeeper:
              hosts:
                zk1: {zookeeper_id: 1}
            kafka_broker:
              hosts:
                kafka1: {kafka_broker_id: 1}
            other:
              hosts:
                ../../outside/secret: {}
        """,
    )
    write(inventory, "inventory.sh", f'#!/bin/sh\ntouch {markers[1]}\necho "{{}}"\n', executable=True)
    write(
        inventory,
        "constructed.yml",
        f"""
        plugin: ansible.builtin.constructed
        compose:
          pwned: lookup('pipe', 'touch {markers[2]}')
        """,
    )
    write(
        inventory,
        "group_vars/all.yml",
        f"""
        kafka_version: "3.9.1"
        kafka_cluster_name: "{{{{ lookup('pipe', 'touch {markers[0]}; echo pwned') }}}}"
        base_partitions: 3
        """,
    )
    brokers = write(
        inventory,
        "group_vars/kafka_broker.yml",
        f"""
        kafka_broker_properties:
          ssl.keystore.password: "{{{{ lookup('file', '{outside / "secret.txt"}') }}}}"
          sasl.jaas.config: "{{{{ lookup('env', 'KAFKALINT_HOSTILE_TOKEN') }}}}"
          ssl.truststore.password: "{{{{ query('url', '{url}/steal') | first }}}}"
          ssl.key.password: "{{{{ lookup('ansible.builtin.pipe', 'touch {markers[4]}') }}}}"
          num.partitions: "{{{{ base_partitions * 2 }}}}"
          log.retention.hours: "168\\runclean.leader.election.enable=true"
        """,
    )
    (inventory / "group_vars" / "zookeeper.yml").symlink_to(outside / "secret.yml")
    line = next(number for number, text in enumerate(brokers.read_text().splitlines(), 1) if "log.retention" in text)
    return Hostile(work, inventory, outside, markers, line)


def hostile_env(hostile: Hostile) -> dict[str, str]:
    """The environment of a CI job with secrets in it, and Ansible pointed at the scripts."""
    return {
        "KAFKALINT_HOSTILE_TOKEN": TOKEN,
        "ANSIBLE_VAULT_PASSWORD_FILE": str(hostile.work / "vault-pass.sh"),
        "ANSIBLE_CONFIG": str(hostile.work / "ansible.cfg"),
    }
