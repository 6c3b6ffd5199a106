"""bench/converge.py and its callback: the timeline a real ansible-playbook run leaves, and
what the summary makes of it (no test hosts: a local play; no timed checks)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import converge

PLAYBOOK = """\
- name: Bench timeline probe
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Change something
      ansible.builtin.command: "true"
      changed_when: true
      notify: Probe handler
    - name: Check something
      ansible.builtin.command: "true"
      changed_when: false
    - name: Skip something
      ansible.builtin.debug:
        msg: never
      when: false
  handlers:
    - name: Probe handler
      ansible.builtin.command: "true"
      changed_when: false
"""


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> converge.Timeline:
    work = tmp_path_factory.mktemp("timeline")
    (work / "play.yml").write_text(PLAYBOOK, encoding="utf-8")
    target = work / "timeline.json"
    env = converge.playbook_env(target, work / "profiles")
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "h1,h2,", str(work / "play.yml")]
    done = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return converge.Timeline.parse(json.loads(target.read_text(encoding="utf-8")))


def test_the_callback_records_each_task_per_host(timeline: converge.Timeline) -> None:
    names = [task.name for task in timeline.tasks]
    assert names == ["Change something", "Check something", "Skip something", "Probe handler"]
    change, check, skip, handler = timeline.tasks
    assert set(change.hosts) == {"h1", "h2"}
    assert (change.changed, check.changed, skip.count("skipped")) == (2, 0, 2)
    assert handler.handler and not change.handler
    assert all(task.end >= task.start for task in timeline.tasks)
    assert all(result["seconds"] >= 0 for task in timeline.tasks for result in task.hosts.values())
    assert change.where.endswith("play.yml:6")
    assert change.action == "ansible.builtin.command"


def test_the_totals_are_ansibles_recap(timeline: converge.Timeline) -> None:
    totals = timeline.totals()
    assert (totals["ok"], totals["changed"], totals["skipped"], totals["failures"]) == (6, 2, 2, 0)
    assert len(timeline.ran) == 4
    # Ran on every host, changed nothing, skipped nothing: the check and the handler.
    assert [task.name for task in timeline.idle()] == ["Check something", "Probe handler"]
    assert timeline.in_tasks <= timeline.end


def _task(name: str, path: str, start: float, end: float, action: str = "ansible.builtin.stat") -> dict[str, object]:
    hosts = {"a": {"status": "ok", "changed": False, "seconds": end - start}}
    return {
        "play": "p",
        "name": name,
        "path": path,
        "action": action,
        "handler": False,
        "start": start,
        "end": end,
        "hosts": hosts,
    }


def test_grouping_by_role_and_module() -> None:
    root = str(converge.ROOT)
    data = {
        "end": 10.0,
        "stats": {"a": {"ok": 3, "changed": 0, "skipped": 0}},
        "tasks": [
            _task("Copy", f"{root}/roles/kafka_broker/tasks/install.yml:3", 0.0, 4.0, "ansible.builtin.copy"),
            _task("Stat", f"{root}/roles/kafka_broker/tasks/install.yml:9", 4.0, 5.0),
            _task("Gate", f"{root}/playbooks/lint_gate.yml:12", 5.0, 7.0, "ansible.builtin.command"),
            {"play": "p", "name": "meta", "path": "", "action": "meta", "handler": False, "start": 7.0, "end": None},
        ],
    }
    timeline = converge.Timeline.parse(data)
    assert [task.role for task in timeline.tasks[:3]] == ["kafka_broker", "kafka_broker", "lint_gate.yml"]
    assert timeline.tasks[0].where == "roles/kafka_broker/tasks/install.yml:3"
    assert timeline.by("role") == [("kafka_broker", 5.0, 2), ("lint_gate.yml", 2.0, 1), ("(no file)", 0.0, 1)]
    assert timeline.by("action")[0] == ("ansible.builtin.copy", 4.0, 1)
    assert [task.name for task in timeline.slowest(2)] == ["Copy", "Gate"]
    assert len(timeline.ran) == 3
    assert timeline.in_tasks == 7.0


def test_the_lock_is_the_testbed_lock_and_is_not_inherited(tmp_path: Path) -> None:
    assert Path("/tmp/kafka-iac-testbed.lock") == converge.LOCK
    lock = tmp_path / "lock"
    with converge.testbed_lock(lock):
        # Another holder (flock(1) takes the same flock(2) lock) cannot have it meanwhile ...
        busy = subprocess.run(["flock", "--nonblock", str(lock), "true"], check=False)
        assert busy.returncode != 0
        # ... and a child process does not inherit the descriptor.
        fds = subprocess.run(["ls", "-l", f"/proc/{os.getpid()}/fd"], capture_output=True, text=True, check=True)
        child = subprocess.run(["ls", "-l", "/proc/self/fd"], capture_output=True, text=True, check=True)
        assert str(lock) in fds.stdout
        assert str(lock) not in child.stdout
    with lock.open() as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
