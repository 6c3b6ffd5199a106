"""Helpers for the loader tests: write files, load them, find settings."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalint.model import Model


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run in ``tmp_path`` so locations are short relative paths."""
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


def _where(model: Model, subject: str, key: str) -> str:
    """``path:line`` of ``key`` in the config of ``subject`` ("broker kafka1", "topic orders",
    "profile app", "zookeeper zk1", "consumer x")."""
    kind, name = subject.split(" ", 1)
    for cluster in model.clusters:
        groups: dict[str, list[Any]] = {
            "broker": cluster.brokers,
            "controller": cluster.controllers,
            "topic": cluster.topics,
            "profile": cluster.producers,
            "zookeeper": cluster.zookeepers,
            "consumer": cluster.consumers,
        }
        for item in groups[kind]:
            if item.name == name:
                location = item.config.location_of(key)
                return f"{location.path}:{location.line}"
    raise AssertionError(f"no {subject}")


Writer = Callable[[str, str], Path]
Where = Callable[[Model, str, str], str]


@pytest.fixture
def write_file(in_tmp: Path) -> Writer:
    """Write a dedented file under the temporary working directory."""
    return lambda name, text: write(in_tmp, name, text)


@pytest.fixture
def where() -> Where:
    return _where
