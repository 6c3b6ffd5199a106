"""Cold start of ``kafkalint`` on one ``server.properties``: the median of N runs.

A figure, not a test (issue 15's goal: under 150 ms wall). Each run is a fresh process of the
console script on the file ``lint_estate.py`` lints for its cold start, with cached bytecode
in a private cache (as an installed package has it); one warm-up run comes first. With
``--before REV`` the kafkalint of that revision runs too, alternating (A B A B), so that a
neighbour's load slows both alike. Then, unless ``--no-imports``, the slowest imports of one
run (``python -X importtime``, self time in ms, the median over the runs) say where the time
goes.

    .venv/bin/python bench/cold_start.py                       # 21 runs
    nice -n 10 .venv/bin/python bench/cold_start.py --runs 31 --before main
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import compare
import lint_estate


def import_times(runs: int, env: Mapping[str, str], path: Path) -> dict[str, tuple[float, float]]:
    """Module -> (self, cumulative) import time in ms, the median over ``runs`` runs of
    ``python -X importtime`` on the console script."""
    command = [sys.executable, "-X", "importtime", lint_estate.console_script(), "--no-config", str(path)]
    seen: dict[str, tuple[list[float], list[float]]] = {}
    for _ in range(runs):
        done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = line.removeprefix("import time:").split("|", 2)
            times = seen.setdefault(name.strip(), ([], []))
            times[0].append(int(own) / 1000)
            times[1].append(int(total) / 1000)
    return {name: (statistics.median(own), statistics.median(total)) for name, (own, total) in seen.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each kafkalint (default 21)")
    parser.add_argument("--before", metavar="REV", help="also time the kafkalint of this revision, alternating")
    parser.add_argument("--top", type=int, default=15, help="slowest imports shown (default 15)")
    parser.add_argument("--no-imports", action="store_true", help="skip the -X importtime breakdown")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="kafkalint-cold-start-"))
    try:
        sources: dict[str, Path | None] = {"kafkalint": None}
        if args.before:
            tree, commit = compare.git_tree(args.before, scratch / "before")
            compare.compile_bytecode(tree)
            sources[f"kafkalint of {args.before} ({commit})"] = tree
        for name, cold in lint_estate.cold_starts(args.runs, sources).items():
            print(f"{name}:")
            lint_estate.print_cold_start(cold)
        if not args.no_imports:
            path = scratch / "server.properties"
            path.write_text(lint_estate.SERVER_PROPERTIES, encoding="utf-8")
            times = import_times(5, lint_estate.environment(), path)
            total = sum(own for own, _ in times.values())
            print(f"imports of kafkalint (median of 5 runs of -X importtime): {total:.0f} ms of self time in all")
            for name, (own, cumulative) in sorted(times.items(), key=lambda item: -item[1][0])[: args.top]:
                print(f"  {own:6.1f} ms self {cumulative:7.1f} ms cumulative  {name}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
