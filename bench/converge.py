#!/usr/bin/env python3
"""Issue 16's benchmark: converge the 3-host testbed from bare hosts, then re-run, with the
per-task profile.

    .venv/bin/python bench/converge.py                 # make bench-converge
    .venv/bin/python bench/converge.py --reruns 3      # more re-runs
    .venv/bin/python bench/converge.py --save DIR      # keep each run's log and timeline

Steps, all while holding ``/tmp/kafka-iac-testbed.lock`` (the lock every user of the default
testbed takes; this waits for it): remove any test hosts left over, bring up 3 bare hosts
(``scripts/testhosts.py up --count 3``), run ``ansible-playbook -i inventories/local
playbooks/site.yml`` once (the first converge, including the lint gate and the wait until
every broker serves) and ``--reruns`` more times on the converged hosts, then remove the
hosts, however the run ends.

Each run is timed from outside (wall time, CPU time of the controller's process tree, and
the CPU time the three containers used, from their cgroups) and from inside by a callback
(``bench/callback_plugins/bench_timeline.py``) that records every task's duration and result
on each host. Printed: the times, the task counts (tasks run; host results ok / changed /
skipped / failed), the slowest tasks of the first converge and of a re-run, a re-run's time
by role and by module, and the time outside any task (Ansible's start-up, play set-up).
Figures only: nothing asserts a time; a re-run that reports changes is printed as such.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # a sibling script, not a package

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LOCK = Path("/tmp/kafka-iac-testbed.lock")
HOSTS = ("kafka-iac-1", "kafka-iac-2", "kafka-iac-3")
#: Where Docker puts a container's CPU accounting on a cgroup v1 host (this machine), then v2.
CGROUP_CPU = (
    "/sys/fs/cgroup/cpuacct/docker/{id}/cpuacct.usage",
    "/sys/fs/cgroup/cpu,cpuacct/docker/{id}/cpuacct.usage",
    "/sys/fs/cgroup/system.slice/docker-{id}.scope/cpu.stat",
)


# -- the lock ----------------------------------------------------------------------------------


@contextmanager
def testbed_lock(path: Path = LOCK) -> Iterator[None]:
    """Hold the testbed lock (flock(2), as ``flock /tmp/kafka-iac-testbed.lock`` takes it).
    The descriptor is not inherited by the commands run meanwhile (Python opens files
    non-inheritable), so a daemon started under it cannot keep the lock after this ends."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for {path} (another user of the default testbed holds it)", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        print(f"holding {path}", flush=True)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- one run's timeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One task as the callback saw it."""

    play: str
    name: str
    path: str
    action: str
    handler: bool
    start: float
    end: float
    hosts: Mapping[str, Mapping[str, Any]]

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)

    @property
    def role(self) -> str:
        """The role a task comes from (``roles/<name>/``), else its playbook's file name."""
        parts = Path(self.path.rsplit(":", 1)[0]).parts
        if "roles" in parts and parts.index("roles") + 1 < len(parts):
            return parts[parts.index("roles") + 1]
        return Path(self.path.rsplit(":", 1)[0]).name or "(no file)"

    @property
    def where(self) -> str:
        """``roles/kafka_broker/tasks/install.yml:12`` (relative to the repository)."""
        text = self.path
        prefix = str(ROOT) + os.sep
        return text[len(prefix) :] if text.startswith(prefix) else text

    def count(self, status: str) -> int:
        return sum(1 for result in self.hosts.values() if result.get("status") == status)

    @property
    def changed(self) -> int:
        return sum(1 for result in self.hosts.values() if result.get("changed"))


@dataclass(frozen=True)
class Timeline:
    tasks: list[Task]
    stats: Mapping[str, Mapping[str, int]]
    end: float

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Timeline:
        tasks = [
            Task(
                play=item.get("play", ""),
                name=item.get("name", ""),
                path=item.get("path", ""),
                action=item.get("action", ""),
                handler=bool(item.get("handler")),
                start=float(item.get("start", 0.0)),
                end=float(item.get("end") or item.get("start", 0.0)),
                hosts=item.get("hosts", {}),
            )
            for item in data.get("tasks", [])
        ]
        return cls(tasks, data.get("stats", {}), float(data.get("end", 0.0)))

    @property
    def ran(self) -> list[Task]:
        """Tasks with at least one host result (``meta`` tasks and empty ones have none)."""
        return [task for task in self.tasks if task.hosts]

    def totals(self) -> dict[str, int]:
        """Host results summed over the hosts (Ansible's recap)."""
        keys = ("ok", "changed", "skipped", "failures", "unreachable", "ignored", "rescued")
        return {key: sum(int(host.get(key, 0)) for host in self.stats.values()) for key in keys}

    @property
    def in_tasks(self) -> float:
        """Seconds inside tasks (from each task's start to its last host result)."""
        return sum(task.seconds for task in self.tasks)

    def slowest(self, count: int) -> list[Task]:
        return sorted(self.tasks, key=lambda task: -task.seconds)[:count]

    def by(self, key: str) -> list[tuple[str, float, int]]:
        """(group, seconds, tasks) by ``role`` or ``action``, slowest first."""
        groups: dict[str, list[float]] = {}
        for task in self.tasks:
            groups.setdefault(getattr(task, key), []).append(task.seconds)
        return sorted(((name, sum(times), len(times)) for name, times in groups.items()), key=lambda item: -item[1])

    def idle(self) -> list[Task]:
        """Tasks that ran and neither changed nor had anything to skip on any host: what a
        no-op re-run pays for checks."""
        return [task for task in self.ran if task.changed == 0 and task.count("skipped") == 0]


@dataclass
class Run:
    label: str
    sample: measure.Sample
    containers_cpu: float | None
    timeline: Timeline
    log: Path
    extra: dict[str, Any] = field(default_factory=dict)


# -- the testbed ---------------------------------------------------------------------------------


def testhosts(*arguments: str) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "testhosts.py"), *arguments]
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"converge: scripts/testhosts.py {' '.join(arguments)} failed (exit {done.returncode})")


def container_ids(names: Iterable[str]) -> dict[str, str]:
    ids = {}
    for name in names:
        done = subprocess.run(
            ["docker", "inspect", "--format", "{{.Id}}", name], capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and done.stdout.strip():
            ids[name] = done.stdout.strip()
    return ids


def cgroup_cpu_seconds(container_id: str) -> float | None:
    """CPU seconds a container has used so far (its cgroup), ``None`` when unreadable."""
    for pattern in CGROUP_CPU:
        path = Path(pattern.format(id=container_id))
        try:
            text = path.read_text(encoding="ascii")
        except OSError:
            continue
        if path.name == "cpu.stat":
            for line in text.splitlines():
                if line.startswith("usage_usec"):
                    return int(line.split()[1]) / 1e6
            continue
        return int(text.strip()) / 1e9
    return None


def containers_cpu(ids: Mapping[str, str]) -> float | None:
    values = [cgroup_cpu_seconds(value) for value in ids.values()]
    if not values or any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


# -- running the playbook ------------------------------------------------------------------------


def playbook_env(timeline: Path, profiles: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "ANSIBLE_CALLBACK_PLUGINS": str(BENCH / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks,bench_timeline",
            "BENCH_TIMELINE_FILE": str(timeline),
            # The producer profiles render on the controller: into a directory of this run,
            # not the work tree (the same one for every run, so a re-run finds them).
            "KAFKA_IAC_PROFILES_DIR": str(profiles),
            "NO_COLOR": "1",
            "ANSIBLE_NOCOLOR": "1",
        }
    )
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def converge(label: str, args: argparse.Namespace, work: Path, ids: Mapping[str, str]) -> Run:
    stem = label.replace(" ", "-")
    timeline = work / f"{stem}.timeline.json"
    log = work / f"{stem}.log"
    command = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        "-i",
        str(ROOT / args.inventory),
        str(ROOT / args.playbook),
    ]
    before = containers_cpu(ids)
    print(f"{label}: {' '.join(command[1:])}", flush=True)
    sample = measure.run(command, env=playbook_env(timeline, work / "profiles"), cwd=ROOT, stdout=log)
    after = containers_cpu(ids)
    used = after - before if after is not None and before is not None else None
    if not timeline.is_file():
        raise SystemExit(f"converge: {label} wrote no timeline (exit {sample.returncode}); see {log}")
    run = Run(label, sample, used, Timeline.parse(json.loads(timeline.read_text(encoding="utf-8"))), log)
    totals = run.timeline.totals()
    print(
        f"{label}: {sample.wall:.1f} s wall, exit {sample.returncode}, {len(run.timeline.ran)} tasks, "
        f"ok={totals['ok']} changed={totals['changed']} skipped={totals['skipped']} failed={totals['failures']}",
        flush=True,
    )
    if sample.returncode != 0:
        print(tail(log, 40))
        raise SystemExit(f"converge: {label} failed (exit {sample.returncode}); the log: {log}")
    return run


def tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- printing ------------------------------------------------------------------------------------


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def runs_table(runs: Sequence[Run]) -> list[str]:
    rows = [["run", "wall", "controller CPU", "hosts' CPU", "in tasks", "outside", "tasks", "ok", "changed", "skipped"]]
    for run in runs:
        totals = run.timeline.totals()
        hosts = f"{run.containers_cpu:.1f} s" if run.containers_cpu is not None else "n/a"
        rows.append(
            [
                run.label,
                f"{run.sample.wall:.1f} s",
                f"{run.sample.cpu:.1f} s",
                hosts,
                f"{run.timeline.in_tasks:.1f} s",
                f"{run.sample.wall - run.timeline.in_tasks:.1f} s",
                str(len(run.timeline.ran)),
                str(totals["ok"]),
                str(totals["changed"]),
                str(totals["skipped"]),
            ]
        )
    return table(rows)


def tasks_table(tasks: Iterable[Task], total: float) -> list[str]:
    rows = [["seconds", "share", "changed", "skipped", "task", "where"]]
    for task in tasks:
        rows.append(
            [
                f"{task.seconds:.2f}",
                f"{100 * task.seconds / total:.1f} %" if total > 0 else "-",
                f"{task.changed}/{len(task.hosts)}",
                f"{task.count('skipped')}/{len(task.hosts)}",
                task.name[:70],
                task.where,
            ]
        )
    return table(rows)


def groups_table(groups: Iterable[tuple[str, float, int]], total: float, title: str) -> list[str]:
    rows = [["seconds", "share", "tasks", title]]
    for name, seconds, count in groups:
        rows.append([f"{seconds:.1f}", f"{100 * seconds / total:.1f} %" if total > 0 else "-", str(count), name])
    return table(rows)


def summary(runs: Sequence[Run], top: int) -> list[str]:
    first, reruns = runs[0], runs[1:]
    lines = ["", "== runs", *runs_table(runs)]
    lines.append(
        "(wall: ansible-playbook from outside; in tasks: each task from its start to its last host result; "
        "outside: start-up, inventory, play set-up; hosts' CPU: the three containers' cgroups)"
    )
    lines += ["", f"== slowest tasks of the first converge ({first.sample.wall:.1f} s)"]
    lines += tasks_table(first.timeline.slowest(top), first.sample.wall)
    if reruns:
        rerun = reruns[-1]
        wall = rerun.sample.wall
        changed = rerun.timeline.totals()["changed"]
        lines += ["", f"== slowest tasks of {rerun.label} ({wall:.1f} s, {changed} changed)"]
        lines += tasks_table(rerun.timeline.slowest(top), wall)
        lines += ["", f"== {rerun.label} by role (or playbook)"]
        lines += groups_table(rerun.timeline.by("role"), wall, "role")
        lines += ["", f"== {rerun.label} by module"]
        lines += groups_table(rerun.timeline.by("action")[:top], wall, "module")
        idle = rerun.timeline.idle()
        lines += [
            "",
            f"{rerun.label}: {len(idle)} of {len(rerun.timeline.ran)} tasks ran on every host, changed nothing and "
            f"skipped nothing ({sum(task.seconds for task in idle):.1f} s); "
            f"{wall - rerun.timeline.in_tasks:.1f} s outside any task",
        ]
        verdict = "idempotent (0 changed)" if changed == 0 else f"NOT idempotent: {changed} changed"
        lines.append(f"second converge onward: {verdict}")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reruns", type=int, default=2, help="re-runs after the first converge (default 2)")
    parser.add_argument("--inventory", default="inventories/local")
    parser.add_argument("--playbook", default="playbooks/site.yml")
    parser.add_argument("--top", type=int, default=15, help="slowest tasks shown (default 15)")
    parser.add_argument("--save", type=Path, help="keep each run's log and timeline in this directory")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.save or Path(tempfile.mkdtemp(prefix="kafka-iac-converge-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with testbed_lock():
        try:
            print("removing test hosts left from earlier runs", flush=True)
            testhosts("down")
            up = time.perf_counter()
            testhosts("up", "--count", str(len(HOSTS)))
            hosts_up = time.perf_counter() - up
            print(f"bare hosts up in {hosts_up:.1f} s; machine load average {os.getloadavg()[0]:.2f}", flush=True)
            ids = container_ids(HOSTS)
            runs = [converge("first converge", args, work, ids)]
            for number in range(1, args.reruns + 1):
                runs.append(converge(f"re-run {number}", args, work, ids))
        finally:
            testhosts("down")
    print("\n".join(summary(runs, args.top)))
    print(
        f"\nhosts up from bare: {hosts_up:.1f} s; whole benchmark {time.perf_counter() - started:.0f} s; "
        f"load average now {os.getloadavg()[0]:.2f}"
    )
    if args.save is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"logs and timelines: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
