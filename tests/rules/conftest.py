"""The rule tests import their shared builder, :mod:`rulekit`, from beside this file, and the
fixture runner of ``tests/test_rule_fixtures.py`` (importlib import mode puts neither on
``sys.path``)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for directory in (HERE, HERE.parent):
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
