"""Measure one command: wall time, CPU time of its whole process tree, and peak memory.

Shared by the benchmarks under ``bench/``. A run is started with :func:`run`; while it runs
a thread samples the resident memory of the process and every descendant (``/proc``), and
when it ends ``os.wait4`` gives the CPU time (user + system) of the process and of every
descendant it waited for. The peak RSS is the largest sum of RSS seen at one sample, so pages
shared by forked workers count once per process (as ``ps`` shows them): a ceiling. The peak
PSS (proportional set size: a page shared by two processes counts half in each) is sampled
less often, as reading it walks the page tables: it is what the tree costs the machine. A run
shorter than one sampling period may show no peak (0).

Figures only: nothing here asserts a time. :func:`alternate` runs contenders in rounds
(A B C A B C ...) so that a noisy neighbour on a shared machine slows all of them alike,
and :func:`summarise` turns the samples into medians.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_EVERY_S = 0.02
#: PSS is read at every this many RSS samples.
PSS_EVERY = 5


@dataclass(frozen=True)
class Sample:
    """One run of a command."""

    wall: float
    cpu: float
    peak_rss: int
    returncode: int
    peak_pss: int = 0


@dataclass(frozen=True)
class Summary:
    """Medians of a contender's runs (seconds, bytes), and how many runs they came from."""

    name: str
    wall: float
    cpu: float
    peak_rss: int
    runs: int
    walls: tuple[float, ...] = field(default=())
    peak_pss: int = 0


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's ``children`` file), empty once it is gone."""
    found: list[int] = []
    try:
        tasks = [entry.name for entry in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text(encoding="ascii")
        except OSError:
            continue
        found.extend(int(item) for item in text.split())
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    result, todo = [], [pid]
    while todo:
        current = todo.pop()
        result.append(current)
        todo.extend(children(current))
    return result


def rss(pid: int) -> int:
    """Resident bytes of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()
    except OSError:
        return 0
    return int(fields[1]) * PAGE if len(fields) > 1 else 0


def pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 when it is gone or unreadable)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_rss(pid: int) -> int:
    return sum(rss(member) for member in tree(pid))


def tree_pss(pid: int) -> int:
    return sum(pss(member) for member in tree(pid))


class _Sampler(threading.Thread):
    def __init__(self, pid: int, every: float) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        self.peak = 0
        self.peak_pss = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        count = 0
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            if count % PSS_EVERY == 0:
                self.peak_pss = max(self.peak_pss, tree_pss(self.pid))
            count += 1
            self.stopped.wait(self.every)


def run(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    stdout: Path | None = None,
    stdin: Path | None = None,
    every: float = SAMPLE_EVERY_S,
) -> Sample:
    """Run ``command`` to its end; its output goes to ``stdout`` (a file) or nowhere, its
    errors to a file beside it (or nowhere)."""
    out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
    err = stdout.with_suffix(stdout.suffix + ".stderr").open("wb") if stdout is not None else subprocess.DEVNULL
    given = stdin.open("rb") if stdin is not None else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), env=dict(env) if env else None, cwd=cwd, stdout=out, stderr=err, stdin=given
        )
        sampler = _Sampler(process.pid, every)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for handle in (out, err, given):
            if not isinstance(handle, int):
                handle.close()
    return Sample(wall, usage.ru_utime + usage.ru_stime, sampler.peak, process.returncode, sampler.peak_pss)


def alternate(
    contenders: Sequence[tuple[str, Callable[[int], Sample]]],
    rounds: int,
    report: Callable[[str, int, Sample], None] | None = None,
) -> dict[str, list[Sample]]:
    """Run every contender once per round, in the given order (A B C A B C ...); the
    callable gets the round number (0 first, e.g. to keep the first run's output)."""
    samples: dict[str, list[Sample]] = {name: [] for name, _ in contenders}
    for number in range(rounds):
        for name, start in contenders:
            sample = start(number)
            samples[name].append(sample)
            if report is not None:
                report(name, number, sample)
    return samples


def summarise(name: str, samples: Iterable[Sample]) -> Summary:
    items = list(samples)
    if not items:
        raise ValueError(f"{name}: no runs to summarise")
    return Summary(
        name=name,
        wall=statistics.median(item.wall for item in items),
        cpu=statistics.median(item.cpu for item in items),
        peak_rss=int(statistics.median(item.peak_rss for item in items)),
        runs=len(items),
        walls=tuple(item.wall for item in items),
        peak_pss=int(statistics.median(item.peak_pss for item in items)),
    )


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; infinity when the denominator is 0 (a run too short to see)."""
    return numerator / denominator if denominator > 0 else float("inf")


def megabytes(value: int) -> str:
    return f"{value / 1e6:.0f} MB"
