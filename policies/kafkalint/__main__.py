"""``python -m kafkalint``: the same as the ``kafkalint`` command (the lint gate uses it)."""

from __future__ import annotations

import sys

from kafkalint.cli import main

if __name__ == "__main__":
    sys.exit(main())
