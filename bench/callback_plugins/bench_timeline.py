"""Ansible callback for bench/converge.py: every task's timing and result per host, as JSON.

Enabled by ``bench/converge.py`` only (``ANSIBLE_CALLBACK_PLUGINS`` points here and
``ANSIBLE_CALLBACKS_ENABLED`` names ``bench_timeline``), beside the configured stdout callback
and ``ansible.posix.profile_tasks``. When the run ends it writes ``BENCH_TIMELINE_FILE``:

    {"tasks": [{"play", "name", "path", "action", "handler", "start", "end",
                "hosts": {host: {"status", "changed", "seconds"}}}],
     "stats": {host: {"ok", "changed", "skipped", "failures", "unreachable", ...}},
     "start", "end"}

Times are seconds since the playbook started (monotonic clock); a task's ``end`` is its last
host result (a task without results, such as ``meta``, has ``end`` = ``start``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timeline
type: aggregate
short_description: write each task's per-host timing and result to BENCH_TIMELINE_FILE as JSON
description: Used by the kafka-iac converge benchmark (bench/converge.py).
requirements:
  - enable in configuration
"""


class CallbackModule(CallbackBase):  # type: ignore[misc]
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._origin = time.monotonic()
        self._play = ""
        self._tasks: list[dict[str, Any]] = []
        self._by_uuid: dict[str, dict[str, Any]] = {}
        self._host_start: dict[tuple[str, str], float] = {}

    def _now(self) -> float:
        return time.monotonic() - self._origin

    def v2_playbook_on_play_start(self, play: Any) -> None:
        self._play = play.get_name()

    def _task_start(self, task: Any, handler: bool) -> None:
        entry = {
            "play": self._play,
            "name": task.get_name(),
            "path": task.get_path() or "",
            "action": task.action,
            "handler": handler,
            "start": self._now(),
            "end": None,
            "hosts": {},
        }
        self._tasks.append(entry)
        self._by_uuid[str(task._uuid)] = entry

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._task_start(task, handler=False)

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._task_start(task, handler=True)

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        self._host_start[(host.get_name(), str(task._uuid))] = self._now()

    def _record(self, result: Any, status: str) -> None:
        task, host = result._task, result._host.get_name()
        entry = self._by_uuid.get(str(task._uuid))
        if entry is None:  # a result of a task whose start no callback announced
            self._task_start(task, handler=False)
            entry = self._tasks[-1]
        now = self._now()
        started = self._host_start.pop((host, str(task._uuid)), entry["start"])
        changed = bool(result._result.get("changed", False)) and status == "ok"
        entry["hosts"][host] = {"status": status, "changed": changed, "seconds": now - started}
        entry["end"] = now

    def v2_runner_on_ok(self, result: Any) -> None:
        self._record(result, "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._record(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        target = os.environ.get("BENCH_TIMELINE_FILE")
        if not target:
            return
        for entry in self._tasks:
            if entry["end"] is None:
                entry["end"] = entry["start"]
        summary = {host: stats.summarize(host) for host in sorted(stats.processed)}
        document = {"start": 0.0, "end": self._now(), "tasks": self._tasks, "stats": summary}
        with Path(target).open("w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
