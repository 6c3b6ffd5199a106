"""Load the scripts under ``scripts/`` as modules (they are files, not an installed package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS / "lib") not in sys.path:
    sys.path.insert(0, str(SCRIPTS / "lib"))


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def artifacts() -> ModuleType:
    return _load("kafka_iac_artifacts_script", SCRIPTS / "artifacts.py")


@pytest.fixture(scope="session")
def testhosts() -> ModuleType:
    return _load("kafka_iac_testhosts_script", SCRIPTS / "testhosts.py")


@pytest.fixture(scope="session")
def reprotar() -> ModuleType:
    return _load("reprotar", SCRIPTS / "lib" / "reprotar.py")
