"""The pre-commit hook definition: the files it selects and the command it runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [hook for hook in hooks if hook["id"] == "kafkalint"]
    return dict(hook)


def test_entry_is_the_console_script() -> None:
    hook = _hook()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"] in scripts
    assert hook["language"] == "python"
    assert hook["require_serial"] is True  # cross-file rules need every file in one run


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("inventories/prod/hosts.yml", True),
        ("inventories/prod/hosts", True),
        ("inventories/prod/group_vars/kafka_broker.yml", True),
        ("inventories/prod/group_vars/kafka_broker/topics.yaml", True),
        ("deploy/inventories/prod/host_vars/kafka1.yml", True),
        ("config/server.properties", True),
        ("clients/orders-producer.properties", True),
        ("zoo.cfg", True),
        ("conf/zoo.cfg", True),
        ("roles/kafka_broker/defaults/main.yml", False),
        ("playbooks/site.yml", False),
        ("README.md", False),
        ("myzoo.cfg", False),
    ],
)
def test_files_pattern(path: str, selected: bool) -> None:
    assert bool(re.search(str(_hook()["files"]), path)) is selected
