"""Shared helpers of the topic and producer-profile tests (imported by path: tests are not a
package, and ``--import-mode=importlib`` keeps their names apart)."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODULE_PATH = ROOT / "roles" / "kafka_topics" / "library" / "kafka_topics.py"
PROFILE_FILTERS = ROOT / "roles" / "kafka_producer_profiles" / "filter_plugins" / "kafka_producer_profiles_filters.py"
TOPIC_FILTERS = ROOT / "roles" / "kafka_topics" / "filter_plugins" / "kafka_topics_filters.py"


def load(path: Path, name: str) -> ModuleType:
    """Import a role's Python file (module, filter plugin) by path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_module(
    args: dict[str, Any], *, tmp: Path, check: bool = False, diff: bool = True
) -> tuple[int, dict[str, Any]]:
    """Run the kafka_topics module as Ansible does without AnsiballZ: a process reading its
    arguments from a JSON file and answering JSON on stdout. Returns (exit code, result)."""
    args_file = tmp / "args.json"
    payload = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": payload}), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(MODULE_PATH), str(args_file)], capture_output=True, text=True, timeout=180, check=False
    )
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"module printed no JSON (rc {proc.returncode}): {proc.stdout}\n{proc.stderr}") from exc
    return proc.returncode, result


def ansible_config(directory: Path) -> Path:
    """The project's ansible.cfg with the JSON stdout callback and no extra callbacks (the
    timing callback would print into the JSON report)."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "ansible.cfg")
    if not config.has_section("defaults"):
        config.add_section("defaults")
    config.remove_option("defaults", "callbacks_enabled")
    config.set("defaults", "stdout_callback", "ansible.posix.json")
    config.set("defaults", "roles_path", str(ROOT / "roles"))
    config.set("defaults", "host_key_checking", "False")
    path = directory / "ansible.cfg"
    with path.open("w", encoding="utf-8") as handle:
        config.write(handle)
    return path


def ansible_env(directory: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(
        {
            "ANSIBLE_CONFIG": str(ansible_config(directory)),
            "ANSIBLE_NOCOLOR": "1",
            "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    return env


def run_playbook(
    playbook: Path, inventory: Path, *options: str, extra_vars: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any], str]:
    """ansible-playbook with the JSON callback; returns (exit code, parsed report, stderr)."""
    command = [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *options]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    # The generated ansible.cfg goes to a scratch directory, never beside a shipped inventory.
    with tempfile.TemporaryDirectory(prefix="kafka-topics-cfg-") as scratch:
        env = ansible_env(Path(scratch))
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"no JSON report (rc {proc.returncode}): {proc.stdout[-3000:]}\n{proc.stderr}") from exc
    return proc.returncode, report, proc.stderr


def task_results(report: dict[str, Any], task_name: str) -> list[dict[str, Any]]:
    """The per-host results of every task called ``task_name`` in a JSON callback report."""
    found = []
    for play in report.get("plays", []):
        for task in play.get("tasks", []):
            # Role tasks are reported as "<role> : <name>".
            if task["task"]["name"] == task_name or task["task"]["name"].endswith(f" : {task_name}"):
                found.extend(task["hosts"].values())
    return found


def write_inventory(path: Path, hosts: dict[str, Any], group_vars: dict[str, Any] | None = None) -> Path:
    """A YAML inventory: ``hosts`` maps group to {host: vars}; ``group_vars`` maps group to vars."""
    children = {group: {"hosts": members} for group, members in hosts.items()}
    for group, variables in (group_vars or {}).items():
        children.setdefault(group, {})["vars"] = variables
    path.write_text(yaml.safe_dump({"all": {"children": children}}, sort_keys=False), encoding="utf-8")
    return path


# ---- producer profiles -> kafka-python: one mapping, shared with scripts/smoke.py ---------------

sys.path.insert(0, str(ROOT / "scripts" / "lib"))
from kafkaclient import IGNORED_PRODUCER_KEYS, producer_kwargs  # noqa: E402

__all__ = ["IGNORED_PRODUCER_KEYS", "producer_kwargs"]


def inventory_data(inventory: Path) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Host variables and groups as Ansible resolves them (``ansible-inventory --list``)."""
    with tempfile.TemporaryDirectory(prefix="kafka-topics-inv-") as scratch:
        proc = subprocess.run(
            [str(VENV_BIN / "ansible-inventory"), "-i", str(inventory), "--list"],
            capture_output=True,
            text=True,
            env=ansible_env(Path(scratch)),
            timeout=120,
            check=True,
        )
    data = json.loads(proc.stdout)
    hostvars: dict[str, dict[str, Any]] = data.get("_meta", {}).get("hostvars", {})
    groups = {name: list(body.get("hosts", [])) for name, body in data.items() if isinstance(body, dict)}
    return hostvars, groups
