"""Shared plumbing for the operational scripts in ``scripts/``.

Each script prints one line per step with its duration, and turns every expected failure into a
:class:`ScriptError` carrying a one-line message and a documented exit code, so a person sees
``error: ...`` and never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

# Exit codes shared by the scripts; each script documents which ones it uses.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PREREQUISITE = 3
EXIT_FETCH = 4
EXIT_CHECKSUM = 5
EXIT_VERIFY = 6
EXIT_RESOURCE = 7
EXIT_CONFLICT = 8
EXIT_INTERRUPTED = 130


class ScriptError(Exception):
    """An expected failure: a one-line message for a person and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def fmt_duration(seconds: float) -> str:
    """Render a duration the way the progress lines show it (``0.4 s``, ``1 min 05 s``)."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def say(message: str) -> None:
    """Print a progress line immediately (output is often piped into a log file)."""
    print(message, flush=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    """Announce a step, then report how long it took, or that it failed and after how long."""
    say(f"==> {title}")
    started = time.monotonic()
    try:
        yield
    except BaseException:
        say(f"    failed after {fmt_duration(time.monotonic() - started)}")
        raise
    say(f"    done in {fmt_duration(time.monotonic() - started)}")


def require_tool(name: str, hint: str) -> str:
    """Return the path of an executable, or fail with a message saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise ScriptError(f"'{name}' not found on PATH: {hint}", EXIT_PREREQUISITE)
    return found


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    capture: bool = True,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command without raising on a non-zero exit; a missing program is a ScriptError."""
    merged_env = None if env is None else {**os.environ, **env}
    try:
        return subprocess.run(
            [str(part) for part in cmd],
            capture_output=capture,
            text=True,
            timeout=timeout,
            env=merged_env,
            cwd=cwd,
            input=input_text,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ScriptError(f"cannot run '{cmd[0]}': {exc.strerror}", EXIT_PREREQUISITE) from exc
    except subprocess.TimeoutExpired as exc:
        raise ScriptError(f"'{' '.join(str(p) for p in cmd)}' did not finish within {timeout:.0f} s") from exc


def tail(text: str, lines: int = 8) -> str:
    """The last non-empty lines of a command's output, joined for a one-line error message."""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def main_wrapper(body: Callable[[], int]) -> int:
    """Run a script's body and map ScriptError / Ctrl-C to a message and an exit code."""
    started = time.monotonic()
    try:
        code = body()
    except ScriptError as exc:
        print(f"error: {exc.message}", file=sys.stderr, flush=True)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Whoever read our output went away (`... | head`): stop quietly, and keep Python from
        # complaining about the unflushable stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INTERRUPTED
    say(f"total: {fmt_duration(time.monotonic() - started)}")
    return code
