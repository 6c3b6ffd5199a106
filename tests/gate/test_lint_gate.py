"""The lint gate stops site.yml before any host is touched, and an override is logged.

These run the real playbooks with the real ansible-playbook against a copy of
inventories/local whose hosts do not exist: a play that reached them would show them in the
recap as unreachable, so a recap with localhost alone proves no host was touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "playbooks" / "site.yml"
GATE = ROOT / "playbooks" / "lint_gate.yml"


@pytest.fixture
def unsafe_inventory(tmp_path: Path) -> Path:
    """inventories/local with min.insync.replicas 3 on the RF-3 topic 'orders'."""
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventories" / "local", inventory)
    topics = inventory / "group_vars" / "kafka_broker.yml"
    text = topics.read_text(encoding="utf-8")
    unsafe, count = re.subn(r"(- name: orders\n(?:\s+.*\n)*?\s+min\.insync\.replicas: )2", r"\g<1>3", text, count=1)
    assert count == 1, "inventories/local should declare topic orders with min.insync.replicas: 2"
    topics.write_text(unsafe, encoding="utf-8")
    return inventory


def run_playbook(playbook: Path, inventory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), NO_COLOR="1", ANSIBLE_NOCOLOR="1")
    return subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), str(playbook), *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def recap_hosts(output: str) -> set[str]:
    return set(re.findall(r"^(\S+)\s+: ok=", output, re.MULTILINE))


def test_gate_stops_unsafe_inventory_before_any_host(unsafe_inventory: Path) -> None:
    result = run_playbook(SITE, unsafe_inventory)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "KL101" in output and "topic orders" in output
    assert "no host was touched" in output
    assert recap_hosts(output) == {"localhost"}


def test_override_needs_a_reason_and_is_logged(unsafe_inventory: Path, tmp_path: Path) -> None:
    log = tmp_path / "overrides.log"
    # The gate play alone: an overridden gate lets the run go on to the (absent) hosts.
    result = run_playbook(
        GATE,
        unsafe_inventory,
        "-e",
        'kafkalint_gate_override_reason="INC-42: accepted for the migration window"',
        "-e",
        f"kafkalint_gate_override_log={log}",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "kafkalint gate overridden" in output
    assert 'reason="INC-42: accepted for the migration window"' in log.read_text(encoding="utf-8")


def test_blank_reason_does_not_override(unsafe_inventory: Path) -> None:
    result = run_playbook(SITE, unsafe_inventory, "-e", "kafkalint_gate_override_reason=' '")
    assert result.returncode != 0
    assert recap_hosts(result.stdout + result.stderr) == {"localhost"}


def test_the_inventory_cannot_switch_the_gate_off(unsafe_inventory: Path, tmp_path: Path) -> None:
    """Every control variable of the gate set in the inventory, where a pull request could put
    them: the gate still runs, still stops, and writes no override log."""
    log = tmp_path / "planted-overrides.log"
    controls = (
        "_kafkalint_gate_done: true\n"
        'kafkalint_gate_override_reason: "set in the inventory"\n'
        f"kafkalint_gate_override_log: {log}\n"
    )
    for name in ("group_vars/all.yml", "host_vars/localhost.yml"):
        path = unsafe_inventory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n" + controls)
    result = run_playbook(SITE, unsafe_inventory)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "KL101" in output and "no host was touched" in output
    assert "kafkalint gate overridden" not in output
    assert not log.exists()
    assert recap_hosts(output) == {"localhost"}


def test_a_gate_that_lints_nothing_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_playbook(GATE, empty)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "nothing was linted" in output
