#!/usr/bin/env python3
"""Issue 15's comparison: kafkalint against conftest, the parse floor and ansible-inventory.

    .venv/bin/python bench/compare.py                  # make bench: the issue's estate, 3 rounds
    .venv/bin/python bench/compare.py --rounds 5       # more rounds, steadier medians
    .venv/bin/python bench/compare.py --inventories 4 --rounds 1 --cold-runs 3   # a quick look
    .venv/bin/python bench/compare.py --profile        # and a cProfile of loading vs rules

One estate (``bench/lint_estate.py``: 50 inventories, 100,000 topics, 10,000 producer
profiles) is generated, then these contenders run in rounds, alternating (A B C D E A B C D E
...), so that a noisy neighbour on the shared machine slows all of them alike:

- ``kafkalint``: the console script, every rule, JSON report;
- ``kafkalint-5``: the same, limited to KL101, KL104, KL105, KL202, KL207 (a generated
  configuration file sets every other rule ``off``);
- ``conftest``: conftest (Open Policy Agent) ``test --combine`` with the five Rego policies of
  ``bench/rego/``, equivalent to those five rules; built from the Go module proxy at a pinned
  version into ``~/.cache/kafka-iac/tools/`` the first time;
- ``parse-floor``: ``bench/parse_floor.py``, PyYAML's ``CSafeLoader`` over the same files,
  2 processes;
- ``ansible-inventory``: ``ansible-inventory -i DIR --list`` for each inventory, 2 at a time;
- with ``--before REV`` (e.g. ``main``), ``kafkalint-before``: the same command as ``kafkalint``
  with the code of that git revision (``git archive`` into the scratch directory, on
  ``PYTHONPATH``), right after ``kafkalint`` in every round: an A/B comparison of a change on
  the same estate, machine and load. Both must report exactly the same findings (every field,
  in order); the run exits 1 otherwise. The phases and the cold start then run for both too,
  alternating.

For each: medians of wall time, CPU time (user + system of the whole process tree) and peak
memory (the largest sum of RSS over the process tree). Then the ratios (kafkalint's figure
divided by the other's: below 1 kafkalint is faster), kafkalint's phases in-process (loading
alone, the rule pass alone, each rule alone), the cold start of one ``server.properties``
(median of ``--cold-runs``), and the issue's goals with the figure that answers each.

After the first round the findings of ``conftest`` and ``kafkalint-5`` are compared as sets
of (rule, inventory, subject): the comparison only means something while both find the same,
so a difference is printed and the run exits 1. Figures only: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lint_estate  # a sibling script, not a package
import measure

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REGO = BENCH / "rego"

#: The rules the Rego policies implement.
COMPARED_RULES = ("KL101", "KL104", "KL105", "KL202", "KL207")

CONFTEST_MODULE = "github.com/open-policy-agent/conftest"
CONFTEST_VERSION = "v0.71.1"

#: Exit codes each contender may end with on this estate (kafkalint and conftest: 1 = found).
ACCEPTED_EXIT = {"kafkalint": {0, 1}, "kafkalint-before": {0, 1}, "kafkalint-5": {0, 1}, "conftest": {0, 1}}

#: The issue's goals (kafka-iac issue 15).
RULE_PASS_GOAL_S = 1.0
LOADING_GOAL_RATIO = 1.2
MEMORY_GOAL_BYTES = 300_000_000
COLD_START_GOAL_MS = 150.0


def cache_root() -> Path:
    env = os.environ.get("KAFKA_IAC_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "kafka-iac"


# -- conftest, pinned ----------------------------------------------------------------------


def conftest_binary(version: str = CONFTEST_VERSION) -> Path:
    return cache_root() / "tools" / f"conftest-{version}" / "conftest"


def ensure_conftest(version: str = CONFTEST_VERSION) -> Path:
    """The pinned conftest, built with ``go install`` the first time (a few minutes on two
    cores; later runs reuse the binary)."""
    binary = conftest_binary(version)
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    go = shutil.which("go")
    if go is None:
        raise SystemExit("compare: conftest is built from the Go module proxy and needs Go (`go` is not on PATH)")
    print(f"installing conftest {version} with go install into {binary.parent} (once)", flush=True)
    binary.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GOBIN=str(binary.parent), GOFLAGS="-buildvcs=false")
    started = time.perf_counter()
    done = subprocess.run([go, "install", f"{CONFTEST_MODULE}@{version}"], env=env, check=False)
    if done.returncode != 0 or not binary.is_file():
        raise SystemExit(f"compare: go install {CONFTEST_MODULE}@{version} failed (exit {done.returncode})")
    print(f"installed conftest {version} in {time.perf_counter() - started:.0f} s", flush=True)
    return binary


# -- findings, as comparable sets ------------------------------------------------------------

#: One subject of a kafkalint finding: a finding that groups several names them "a, b and c".
_SUBJECT_SPLIT = re.compile(r"(?:, | and )(?=topic |profile |new topics )")

Key = tuple[str, str, str]


def split_subjects(subject: str) -> list[str]:
    return [part for part in _SUBJECT_SPLIT.split(subject) if part]


def inventory_of(path: str, root: Path, cwd: Path) -> str:
    """The estate inventory a path belongs to (its first directory below ``root``); a
    relative path is relative to ``cwd``, where kafkalint ran."""
    relative = (cwd / path).resolve().relative_to(root.resolve())
    return relative.parts[0]


def kafkalint_keys(report: Mapping[str, Any], root: Path, cwd: Path, rules: Iterable[str] = COMPARED_RULES) -> set[Key]:
    """(rule, inventory, subject) of each finding of a kafkalint JSON report, for ``rules``."""
    wanted = set(rules)
    keys: set[Key] = set()
    for finding in report["findings"]:
        if finding["rule_id"] not in wanted:
            continue
        inventory = inventory_of(finding["path"], root, cwd)
        for subject in split_subjects(finding.get("subject") or ""):
            keys.add((finding["rule_id"], inventory, subject))
    return keys


def conftest_keys(report: Sequence[Mapping[str, Any]]) -> set[Key]:
    """(rule, inventory, subject) of each failure and warning of a conftest JSON report (the
    policies put them in each result's metadata)."""
    keys: set[Key] = set()
    for result in report:
        for kind in ("failures", "warnings"):
            for item in result.get(kind) or []:
                meta = item.get("metadata") or {}
                keys.add((meta["rule"], Path(meta["inventory"]).name, meta["subject"]))
    return keys


def count_by_rule(keys: Iterable[Key]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule, _inventory, _subject in keys:
        counts[rule] = counts.get(rule, 0) + 1
    return dict(sorted(counts.items()))


def differences(left: set[Key], right: set[Key], limit: int = 10) -> list[str]:
    lines = [f"  only kafkalint-5: {' | '.join(key)}" for key in sorted(left - right)[:limit]]
    lines += [f"  only conftest:    {' | '.join(key)}" for key in sorted(right - left)[:limit]]
    return lines


# -- the contenders ----------------------------------------------------------------------------


#: Rules a configuration cannot turn off: KL000 reports a rule that crashed (a kafkalint bug,
#: which then exits 2 and stops the bench).
ALWAYS_ON = frozenset({"KL000"})


def five_rule_config(directory: Path, rule_ids: Iterable[str], keep: Iterable[str] = COMPARED_RULES) -> Path:
    """A kafkalint configuration file that turns every rule off but ``keep``."""
    kept = set(keep) | ALWAYS_ON
    lines = ["rules:"] + [f"  {rule}: off" for rule in rule_ids if rule not in kept]
    path = directory / "kafkalint-5.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rule_ids() -> list[str]:
    done = subprocess.run(
        [lint_estate.console_script(), "rules", "--format", "json"], capture_output=True, text=True, check=True
    )
    data = json.loads(done.stdout)
    items = data["rules"] if isinstance(data, dict) else data
    return [item["id"] for item in items]


@dataclass(frozen=True)
class Contender:
    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    #: Standard output goes here (None: discarded).
    output: Path | None = None
    #: The JSON report each run must leave (checked after every run: conftest exits 1 both
    #: for findings and for errors).
    report: Path | None = None


def contenders(root: Path, scratch: Path, conftest: Path | None, before: Path | None = None) -> list[Contender]:
    """What runs, in the order of a round. Each runs in an empty directory (conftest would
    read a ``conftest.*`` file there as its configuration) and writes its report below
    ``scratch/out``. ``before``: a source tree whose kafkalint runs after ``kafkalint``."""
    cwd, out = scratch / "cwd", scratch / "out"
    cwd.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    env = lint_estate.environment()
    # ansible-inventory with Ansible's defaults: no ansible.cfg of this repository (kafkalint
    # reads none either), run from a directory that has none.
    plain = {key: value for key, value in env.items() if key != "ANSIBLE_CONFIG"}
    kafkalint = lint_estate.console_script()
    ansible_inventory = lint_estate.console_script("ansible-inventory")
    inventories = out / "inventories.txt"
    inventories.write_text("".join(f"{path}\n" for path in lint_estate.inventories_under(root)), encoding="utf-8")
    config = five_rule_config(out, rule_ids())
    found: list[Contender] = [
        Contender(
            "kafkalint",
            [kafkalint, "--no-config", "--format", "json", "--output", str(out / "kafkalint.json"), str(root)],
            env,
            cwd,
            report=out / "kafkalint.json",
        ),
    ]
    if before is not None:
        found.append(
            Contender(
                "kafkalint-before",
                [
                    kafkalint,
                    "--no-config",
                    "--format",
                    "json",
                    "--output",
                    str(out / "kafkalint-before.json"),
                    str(root),
                ],
                lint_estate.environment(before),
                cwd,
                report=out / "kafkalint-before.json",
            )
        )
    found += [
        Contender(
            "kafkalint-5",
            [
                kafkalint,
                "--config",
                str(config),
                "--format",
                "json",
                "--output",
                str(out / "kafkalint-5.json"),
                str(root),
            ],
            env,
            cwd,
            report=out / "kafkalint-5.json",
        ),
    ]
    if conftest is not None:
        found.append(
            Contender(
                "conftest",
                [
                    str(conftest),
                    "test",
                    "--combine",
                    "--no-color",
                    "--output",
                    "json",
                    "--policy",
                    str(REGO),
                    str(root),
                ],
                env,
                cwd,
                output=out / "conftest-report.json",
                report=out / "conftest-report.json",
            )
        )
    found += [
        Contender(
            "parse-floor",
            [sys.executable, str(BENCH / "parse_floor.py"), "--processes", "2", str(root)],
            env,
            cwd,
        ),
        Contender(
            "ansible-inventory",
            ["xargs", "-a", str(inventories), "-P", "2", "-I", "{}", ansible_inventory, "-i", "{}", "--list"],
            plain,
            cwd,
        ),
    ]
    return found


def check_report(path: Path, name: str) -> None:
    """A run's JSON report is there and is a kafkalint report (an object with findings) or a
    conftest one (a list of results)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"compare: {name} left no JSON report at {path}: {error}") from None
    if not (isinstance(data, dict) and "findings" in data) and not isinstance(data, list):
        raise SystemExit(f"compare: {name}: {path} is not a report")


def starter(contender: Contender) -> Callable[[int], measure.Sample]:
    def start(number: int) -> measure.Sample:
        if contender.report is not None:
            contender.report.unlink(missing_ok=True)
        sample = measure.run(contender.command, env=contender.env, cwd=contender.cwd, stdout=contender.output)
        if sample.returncode not in ACCEPTED_EXIT.get(contender.name, {0}):
            raise SystemExit(
                f"compare: {contender.name} failed (exit {sample.returncode}): {' '.join(contender.command)}"
            )
        if contender.report is not None:
            check_report(contender.report, contender.name)
        return sample

    return start


def _report(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def equivalence(root: Path, scratch: Path) -> tuple[bool, list[str]]:
    """Whether conftest and kafkalint-5 found the same, and what to print about it."""
    cwd, out = scratch / "cwd", scratch / "out"
    five = kafkalint_keys(_report(out / "kafkalint-5.json"), root, cwd)
    everything = kafkalint_keys(_report(out / "kafkalint.json"), root, cwd)
    rego = conftest_keys(_report(out / "conftest-report.json"))
    lines = [
        f"kafkalint-5 findings (rule, inventory, subject): {sum(count_by_rule(five).values())} {count_by_rule(five)}"
    ]
    lines.append(
        f"conftest findings:                               {sum(count_by_rule(rego).values())} {count_by_rule(rego)}"
    )
    same = five == rego and five == everything
    if five != everything:
        lines.append("kafkalint with every rule finds other KL101/104/105/202/207 subjects than kafkalint-5:")
        lines += differences(everything, five)
    if five != rego:
        lines.append("conftest and kafkalint-5 disagree:")
        lines += differences(five, rego)
    missing = [rule for rule in COMPARED_RULES if rule not in count_by_rule(five)]
    if missing:
        lines.append(f"the estate gives no finding of {', '.join(missing)}: the comparison would not test them")
        same = False
    if same:
        lines.append("conftest and kafkalint-5 report the same findings")
    return same, lines


def same_findings(scratch: Path) -> tuple[bool, list[str]]:
    """Whether ``kafkalint`` and ``kafkalint-before`` reported exactly the same findings
    (every field of every finding, in the report's order), and what to print about it."""
    out = scratch / "out"
    after = _report(out / "kafkalint.json")["findings"]
    before = _report(out / "kafkalint-before.json")["findings"]
    if after == before:
        return True, [f"kafkalint and kafkalint-before report the same {len(after):,} findings (every field, in order)"]
    lines = [f"kafkalint reports {len(after):,} findings, kafkalint-before {len(before):,}; they differ:"]
    shown = 0
    for index in range(max(len(after), len(before))):
        now = after[index] if index < len(after) else None
        then = before[index] if index < len(before) else None
        if now != then and shown < 10:
            lines += [
                f"  #{index} now:    {json.dumps(now, sort_keys=True)}",
                f"  #{index} before: {json.dumps(then, sort_keys=True)}",
            ]
            shown += 1
    return False, lines


def compile_bytecode(tree: Path) -> None:
    """Write the bytecode of ``tree``'s kafkalint into the benchmark's cache before the first
    round, so that no round pays for compiling it (an installed package has its bytecode)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "policies")], env=lint_estate.environment(), check=True
    )


def git_tree(revision: str, directory: Path) -> tuple[Path, str]:
    """The source tree of ``revision`` of this repository, extracted into ``directory``
    (``git archive``: the committed files only), and the short commit it names."""
    import io
    import tarfile

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", revision], capture_output=True, text=True, check=False
    )
    if commit.returncode != 0:
        raise SystemExit(f"compare: --before {revision}: not a revision of {ROOT}: {commit.stderr.strip()}")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision], capture_output=True, check=True
    )
    directory.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(directory, filter="data")
    return directory, commit.stdout.strip()


# -- kafkalint's phases, in-process ------------------------------------------------------------


def phase_runs(
    root: Path, runs: int, sources: Mapping[str, Path | None] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``runs`` in-process phase runs of each of ``sources`` (name -> source tree, ``None``:
    this one), alternating."""
    sources = sources if sources is not None else {"kafkalint": None}
    figures: dict[str, list[dict[str, Any]]] = {name: [] for name in sources}
    for _ in range(runs):
        for name, source in sources.items():
            command = [sys.executable, str(BENCH / "lint_estate.py"), "--phases-of", str(root), "--json"]
            if source is not None:
                command += ["--source", str(source)]
            done = subprocess.run(command, env=lint_estate.environment(), capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"compare: the phases run failed (exit {done.returncode}): {done.stderr.strip()}")
            figures[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    return figures


def median_phases(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Medians of each figure over the phase runs (per rule too)."""
    keys = ("load_wall", "load_cpu", "rules_wall", "rules_cpu", "peak_rss")
    result: dict[str, Any] = {key: statistics.median(run[key] for run in runs) for key in keys}
    rules = sorted({rule for run in runs for rule in run["rule_seconds"]})
    result["rule_seconds"] = {
        rule: statistics.median(run["rule_seconds"].get(rule, 0.0) for run in runs) for rule in rules
    }
    result["engine_overhead"] = statistics.median(run.get("engine_overhead", 0.0) for run in runs)
    for key in ("files", "findings", "topics", "producers", "by_rule"):
        result[key] = runs[0][key]
    return result


# -- printing ----------------------------------------------------------------------------------


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def figures_table(summaries: Mapping[str, measure.Summary]) -> list[str]:
    rows = [["contender", "wall", "CPU", "peak RSS", "peak PSS", "runs", "walls (s)"]]
    for summary in summaries.values():
        rows.append(
            [
                summary.name,
                f"{summary.wall:.2f} s",
                f"{summary.cpu:.2f} s",
                measure.megabytes(summary.peak_rss),
                measure.megabytes(summary.peak_pss),
                str(summary.runs),
                " ".join(f"{wall:.1f}" for wall in summary.walls),
            ]
        )
    return table(rows)


RATIOS = (
    ("kafkalint", "kafkalint-before", "kafkalint / kafkalint before the change (--before)"),
    ("kafkalint", "conftest", "kafkalint (every rule) / conftest (five policies)"),
    ("kafkalint-5", "conftest", "kafkalint-5 / conftest"),
    ("kafkalint", "parse-floor", "kafkalint / the parse floor (CSafeLoader, 2 processes)"),
    ("kafkalint", "ansible-inventory", "kafkalint / ansible-inventory --list (2 processes)"),
)


def ratios_table(summaries: Mapping[str, measure.Summary]) -> list[str]:
    rows = [["ratio", "wall", "CPU", "peak RSS"]]
    for left, right, title in RATIOS:
        if left not in summaries or right not in summaries:
            continue
        a, b = summaries[left], summaries[right]
        rows.append(
            [
                title,
                f"{measure.ratio(a.wall, b.wall):.3g}",
                f"{measure.ratio(a.cpu, b.cpu):.3g}",
                f"{measure.ratio(a.peak_rss, b.peak_rss):.3g}",
            ]
        )
    return table(rows)


def goals(summaries: Mapping[str, measure.Summary], phases: Mapping[str, Any], cold: Mapping[str, float]) -> list[str]:
    """Each goal of the issue with the figure that answers it."""

    def verdict(met: bool, also: bool | None = None, on: str = "CPU") -> str:
        """``met`` / ``NOT met``; with ``also`` (the same goal on ``on``, e.g. CPU time, the
        figure to trust on a busy machine), ``met on CPU`` when only that one is met."""
        if also is None or met == also:
            return "met" if met else "NOT met"
        return f"met on {on} only" if also else "met on wall only"

    rows = [["goal", "measured", ""]]
    kafkalint = summaries["kafkalint"]
    if "conftest" in summaries:
        conftest = summaries["conftest"]
        wall, cpu = measure.ratio(kafkalint.wall, conftest.wall), measure.ratio(kafkalint.cpu, conftest.cpu)
        rows.append(
            [
                "kafkalint (every rule) faster than conftest (five)",
                f"wall {wall:.2f}x, CPU {cpu:.2f}x",
                verdict(wall < 1, cpu < 1),
            ]
        )
    rows.append(
        [
            f"rule pass over {phases['topics']:,} topics < {RULE_PASS_GOAL_S:g} s",
            f"{phases['rules_wall']:.2f} s wall, {phases['rules_cpu']:.2f} s CPU",
            verdict(phases["rules_wall"] < RULE_PASS_GOAL_S, phases["rules_cpu"] < RULE_PASS_GOAL_S),
        ]
    )
    floor = summaries["parse-floor"]
    loading = measure.ratio(phases["load_wall"], floor.wall)
    loading_cpu = measure.ratio(phases["load_cpu"], floor.cpu)
    rows.append(
        [
            f"loading <= {LOADING_GOAL_RATIO}x the parse floor",
            f"{phases['load_wall']:.2f} s / {floor.wall:.2f} s = {loading:.2f}x (CPU {loading_cpu:.2f}x)",
            verdict(loading <= LOADING_GOAL_RATIO, loading_cpu <= LOADING_GOAL_RATIO),
        ]
    )
    rows.append(
        [
            f"peak memory < {measure.megabytes(MEMORY_GOAL_BYTES)}",
            f"RSS {measure.megabytes(kafkalint.peak_rss)}, PSS {measure.megabytes(kafkalint.peak_pss)} (process tree)",
            verdict(kafkalint.peak_rss < MEMORY_GOAL_BYTES, kafkalint.peak_pss < MEMORY_GOAL_BYTES, on="PSS"),
        ]
    )
    rows.append(
        [
            f"cold start of one server.properties < {COLD_START_GOAL_MS:g} ms",
            f"{cold['wall']:.0f} ms wall, {cold['cpu']:.0f} ms CPU",
            verdict(cold["wall"] < COLD_START_GOAL_MS, cold["cpu"] < COLD_START_GOAL_MS),
        ]
    )
    rows.append(["`.ci/run` from a fresh clone < 30 min", "not measured here (time `.ci/run`)", ""])
    return table(rows)


def phases_lines(phases: Mapping[str, Any], runs: int) -> list[str]:
    five = sum(phases["rule_seconds"].get(rule, 0.0) for rule in COMPARED_RULES)
    ranked = sorted(phases["rule_seconds"].items(), key=lambda item: -item[1])
    lines = [
        f"kafkalint in-process (median of {runs}): {phases['files']} files, {phases['topics']:,} topics, "
        f"{phases['producers']:,} producer profiles, {phases['findings']:,} findings",
        f"  loading alone     {phases['load_wall']:.2f} s wall, {phases['load_cpu']:.2f} s CPU (2 processes)",
        f"  rule pass alone   {phases['rules_wall']:.2f} s wall, {phases['rules_cpu']:.2f} s CPU "
        f"(the five compared rules alone: {five:.2f} s)",
        f"  peak RSS of one process {measure.megabytes(int(phases['peak_rss']))}",
        f"  each rule alone (wall, slowest first, less the engine's {phases['engine_overhead']:.2f} s a run): "
        + ", ".join(f"{rule} {seconds:.3f} s" for rule, seconds in ranked[:12]),
        "  findings by rule: " + ", ".join(f"{rule} {count}" for rule, count in sorted(phases["by_rule"].items())),
    ]
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--inventories", type=int, default=lint_estate.INVENTORIES)
    parser.add_argument("--topics", type=int, default=lint_estate.TOPICS_PER_INVENTORY, help="per inventory")
    parser.add_argument("--profiles", type=int, default=lint_estate.PROFILES_PER_INVENTORY, help="per inventory")
    parser.add_argument("--seed", type=int, default=lint_estate.SEED)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the contenders (default 3)")
    parser.add_argument("--phase-runs", type=int, default=3, help="in-process phase runs (default 3)")
    parser.add_argument("--cold-runs", type=int, default=21, help="cold-start runs (default 21)")
    parser.add_argument("--estate", type=Path, help="use (or generate and keep) the estate in this directory")
    parser.add_argument("--no-conftest", action="store_true", help="leave conftest out (no Go here)")
    parser.add_argument("--profile", action="store_true", help="end with a cProfile of loading vs the rule pass")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also run the kafkalint of this git revision (e.g. main), alternating, and require the same findings",
    )
    return parser.parse_args(argv)


def conftest_version(binary: Path) -> str:
    """The module version the binary was built from (``go version -m``; ``conftest
    --version`` says "dev" for a ``go install`` build)."""
    go = shutil.which("go")
    if go is not None:
        done = subprocess.run([go, "version", "-m", str(binary)], capture_output=True, text=True, check=False)
        for line in done.stdout.splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[0] == "mod" and fields[1] == CONFTEST_MODULE:
                return f"{fields[1]} {fields[2]}"
    return str(binary)


def prepare(args: argparse.Namespace, root: Path, conftest: Path | None) -> None:
    if not lint_estate.inventories_under(root):
        started = time.perf_counter()
        lint_estate.generate(root, args.inventories, args.topics, args.profiles, args.seed)
        print(f"estate generated in {time.perf_counter() - started:.1f} s at {root}")
    inventories = lint_estate.inventories_under(root)
    size = sum(path.stat().st_size for path in root.rglob("*.yml"))
    print(
        f"estate: {len(inventories)} inventories, {size / 1e6:.1f} MB of YAML; "
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    if conftest is not None:
        print(f"conftest: {conftest_version(conftest)}")


def report(
    args: argparse.Namespace,
    summaries: Mapping[str, measure.Summary],
    phases: Mapping[str, Mapping[str, Any]],
    cold: Mapping[str, Mapping[str, float]],
) -> None:
    print(f"\n== figures (medians of {args.rounds} alternating rounds; load average now {os.getloadavg()[0]:.2f})")
    print("\n".join(figures_table(summaries)))
    print("\n== ratios (kafkalint's figure / the other's; below 1: kafkalint is faster or smaller)")
    print("\n".join(ratios_table(summaries)))
    for name in phases:
        print(f"\n[{name}]" if len(phases) > 1 else "")
        print("\n".join(phases_lines(phases[name], args.phase_runs)))
        lint_estate.print_cold_start(cold[name])
    print("\n== the issue's goals")
    print("\n".join(goals(summaries, phases["kafkalint"], cold["kafkalint"])))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    conftest = None if args.no_conftest else ensure_conftest()
    scratch = Path(tempfile.mkdtemp(prefix="kafkalint-compare-"))
    root = args.estate or scratch / "estate"
    try:
        prepare(args, root, conftest)
        sources: dict[str, Path | None] = {"kafkalint": None}
        if args.before:
            tree, commit = git_tree(args.before, scratch / "before")
            sources["kafkalint-before"] = tree
            print(f"kafkalint-before: {args.before} ({commit}), against the work tree {ROOT}")
        plan = contenders(root, scratch, conftest, sources.get("kafkalint-before"))
        for source in sources.values():
            compile_bytecode(source or ROOT)

        def progress(name: str, number: int, sample: measure.Sample) -> None:
            print(
                f"  round {number + 1}/{args.rounds} {name:<18} {sample.wall:7.2f} s wall {sample.cpu:7.2f} s CPU "
                f"RSS {measure.megabytes(sample.peak_rss):>8} PSS {measure.megabytes(sample.peak_pss):>8} "
                f"(exit {sample.returncode})",
                flush=True,
            )

        print(f"alternating {args.rounds} rounds of: {', '.join(item.name for item in plan)}")
        samples = measure.alternate([(item.name, starter(item)) for item in plan], args.rounds, progress)
        summaries = {name: measure.summarise(name, items) for name, items in samples.items()}
        same = True
        if conftest is not None:
            same, lines = equivalence(root, scratch)
            print("\n".join(lines))
        unchanged = True
        if args.before:
            unchanged, lines = same_findings(scratch)
            print("\n".join(lines))
        print(f"\nphases: {args.phase_runs} in-process runs of {', '.join(sources)}", flush=True)
        phases = {name: median_phases(runs) for name, runs in phase_runs(root, args.phase_runs, sources).items()}
        print(f"cold start: {args.cold_runs} runs of {', '.join(sources)}", flush=True)
        cold = lint_estate.cold_starts(args.cold_runs, sources)
        report(args, summaries, phases, cold)
        if args.profile:
            print("\n== profile (cProfile, one process: KAFKALINT_JOBS=1)", flush=True)
            subprocess.run(
                [sys.executable, str(BENCH / "lint_estate.py"), "--phases-of", str(root), "--profile"],
                env=lint_estate.environment(),
                check=False,
            )
        if not same:
            print("compare: the conftest policies and kafkalint-5 disagree: the ratios above compare unlike work")
            return 1
        if not unchanged:
            print(f"compare: kafkalint finds other findings than {args.before}: the change is not a pure speed-up")
            return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
