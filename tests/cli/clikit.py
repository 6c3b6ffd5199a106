"""Running the command line in-process, for the CLI tests."""

from __future__ import annotations

import pytest

from kafkalint import cli

NOTICE = "kafkalint: notice: "


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of ``kafkalint ARGV``; stderr without the notices
    (what a run assumed: tests/cli/test_cli_context.py checks them)."""
    code, out, err = run_with_notices(capsys, *argv)
    return code, out, "".join(line for line in err.splitlines(keepends=True) if not line.startswith(NOTICE))


def run_with_notices(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
