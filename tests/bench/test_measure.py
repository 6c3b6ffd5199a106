"""bench/measure.py: what one run reports, and the order runs alternate in (no timed checks)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import measure

# A parent that starts a child holding 150 MB and waits for it: the peak must count the child.
_PARENT = (
    "import subprocess, sys; "
    "subprocess.run([sys.executable, '-c', "
    "'import time; x = bytearray(150_000_000); x[::4096] = b\"1\" * len(x[::4096]); time.sleep(0.5)'], check=True); "
    "sys.exit(3)"
)


def test_run_measures_the_whole_process_tree(tmp_path: Path) -> None:
    sample = measure.run([sys.executable, "-c", _PARENT], stdout=tmp_path / "out.txt")
    assert sample.returncode == 3
    assert sample.peak_rss >= 150_000_000  # the child's pages, seen from the parent's tree
    assert sample.peak_pss >= 100_000_000
    assert sample.cpu > 0
    assert sample.wall > 0
    assert (tmp_path / "out.txt").exists()
    assert (tmp_path / "out.txt.stderr").exists()


def test_run_passes_environment_and_directory(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    code = "import os; print(os.environ['BENCH_PROBE'], os.getcwd())"
    sample = measure.run([sys.executable, "-c", code], env={"BENCH_PROBE": "yes"}, cwd=tmp_path, stdout=out)
    assert sample.returncode == 0
    assert out.read_text(encoding="utf-8").split() == ["yes", str(tmp_path)]


def test_tree_lists_descendants() -> None:
    import subprocess

    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess; subprocess.run(['sleep', '5'])"],
    )
    try:
        for _ in range(200):
            members = measure.tree(parent.pid)
            if len(members) >= 2:
                break
            subprocess.run(["sleep", "0.02"], check=True)
        assert members[0] == parent.pid
        assert len(members) >= 2
        assert measure.tree_rss(parent.pid) > measure.rss(parent.pid)
    finally:
        for pid in reversed(measure.tree(parent.pid)):
            subprocess.run(["kill", str(pid)], check=False)
        parent.wait()


def test_a_process_that_is_gone_has_no_memory() -> None:
    assert measure.rss(2**22 + 12345) == 0
    assert measure.pss(2**22 + 12345) == 0
    assert measure.children(2**22 + 12345) == []


def test_alternate_runs_every_contender_once_per_round_in_order() -> None:
    order: list[tuple[str, int]] = []

    def contender(name: str) -> measure.Sample:
        def start(number: int) -> measure.Sample:
            order.append((name, number))
            return measure.Sample(wall=1.0, cpu=1.0, peak_rss=1, returncode=0)

        return start  # type: ignore[return-value]

    samples = measure.alternate([("a", contender("a")), ("b", contender("b"))], 3)  # type: ignore[list-item]
    assert order == [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2)]
    assert {name: len(items) for name, items in samples.items()} == {"a": 3, "b": 3}


def test_summarise_takes_medians() -> None:
    samples = [
        measure.Sample(wall=3.0, cpu=1.0, peak_rss=300, returncode=0, peak_pss=30),
        measure.Sample(wall=1.0, cpu=5.0, peak_rss=100, returncode=0, peak_pss=10),
        measure.Sample(wall=2.0, cpu=2.0, peak_rss=900, returncode=0, peak_pss=90),
    ]
    summary = measure.summarise("x", samples)
    assert (summary.wall, summary.cpu, summary.peak_rss, summary.peak_pss, summary.runs) == (2.0, 2.0, 300, 30, 3)
    assert summary.walls == (3.0, 1.0, 2.0)
    with pytest.raises(ValueError, match="no runs"):
        measure.summarise("x", [])


def test_ratio_of_nothing_is_infinite() -> None:
    assert measure.ratio(2.0, 4.0) == 0.5
    assert measure.ratio(1.0, 0.0) == float("inf")
