#!/usr/bin/env python3
"""The benchmark estate, and kafkalint's own phases on it: loading, the rule pass, each rule,
the cold start of one ``server.properties``.

    .venv/bin/python bench/lint_estate.py                          # generate, then the phases once
    .venv/bin/python bench/lint_estate.py --inventories 5          # a quick look
    .venv/bin/python bench/lint_estate.py --keep /tmp/estate       # keep the generated estate
    .venv/bin/python bench/lint_estate.py --profile                # cProfile: loading vs rules
    .venv/bin/python bench/lint_estate.py --phases-of DIR --json   # what bench/compare.py runs

The estate: ``--inventories`` Ansible inventories of the inventory contract (3 to 9 brokers
each, 3 ZooKeeper servers, ``--topics`` topics and ``--profiles`` producer profiles each; the
defaults make the issue's 50 inventories, 100,000 topics and 10,000 profiles), mostly safe
values with a few unsafe ones so that every compared rule has something to find (KL101,
KL104, KL105, KL202, KL207, and others). One inventory in ten is a development cluster.

The phases run in this process through kafkalint's public engine (``engine.load``,
``engine.run``, ``engine.load_rules``), so they keep working while the loader and the rules
are rewritten. CPU time (user + system, worker processes included) is printed beside wall
time: on a busy machine wall time mostly measures the wait for a core.

``bench/compare.py`` (``make bench``) runs this against conftest, the parse floor and
``ansible-inventory``. Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policies"))

#: The issue's estate: 50 inventories, 100,000 topics, 10,000 producer profiles in total.
INVENTORIES = 50
TOPICS_PER_INVENTORY = 2000
PROFILES_PER_INVENTORY = 200
SEED = 20261121

SERVER_PROPERTIES = """\
broker.id=1
zookeeper.connect=zk1:2181,zk2:2181,zk3:2181
listeners=PLAINTEXT://0.0.0.0:9092
advertised.listeners=PLAINTEXT://kafka1:9092
log.dirs=/var/lib/kafka/data
default.replication.factor=3
min.insync.replicas=2
auto.create.topics.enable=false
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
unclean.leader.election.enable=false
"""


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cluster_environment(index: int) -> str:
    """One inventory in ten is a development cluster (KL105 leaves those alone)."""
    return "development" if index % 10 == 9 else "production"


def write_inventory(
    directory: Path, index: int, brokers: int, *, topics: int, profiles: int, rng: random.Random
) -> None:
    """One inventory of the contract (hosts.yml and group_vars), written as plain text:
    generating with PyYAML would dominate the benchmark's setup."""
    (directory / "group_vars").mkdir(parents=True)
    hosts = ["all:", "  children:", "    zookeeper:", "      hosts:"]
    for zk in range(1, 4):
        hosts.append(f"        c{index}-zk{zk}: {{zookeeper_id: {zk}, ansible_host: 10.{index}.0.{zk}}}")
    hosts += ["    kafka_broker:", "      hosts:"]
    for broker in range(1, brokers + 1):
        rack = "abc"[broker % 3]
        hosts.append(
            f"        c{index}-kafka{broker}: {{kafka_broker_id: {broker}, kafka_broker_rack: {rack}, "
            f"ansible_host: 10.{index}.1.{broker}}}"
        )
    (directory / "hosts.yml").write_text("\n".join(hosts) + "\n", encoding="utf-8")
    (directory / "group_vars" / "all.yml").write_text(
        f'kafka_version: "3.9.1"\nzookeeper_version: "3.8.4"\nkafka_cluster_name: estate-{index}\n'
        f"kafka_cluster_environment: {cluster_environment(index)}\n",
        encoding="utf-8",
    )
    (directory / "group_vars" / "zookeeper.yml").write_text(
        "zookeeper_properties:\n  tickTime: 2000\n  initLimit: 10\n  syncLimit: 5\n", encoding="utf-8"
    )
    lines = [
        "kafka_broker_properties:",
        "  default.replication.factor: 3",
        "  min.insync.replicas: 2",
        "  auto.create.topics.enable: false",
        "  num.partitions: 6",
        "  log.retention.hours: 168",
        "kafka_topics:",
    ]
    topic_names = []
    for topic in range(topics):
        name = f"svc{topic % 97}.events-{topic}"
        topic_names.append(name)
        replication = 3
        config: dict[str, object] = {"retention.ms": rng.choice([604800000, 1209600000]), "cleanup.policy": "delete"}
        roll = rng.random()
        if roll < 0.01:
            config["min.insync.replicas"] = 3  # KL101
        elif roll < 0.015:
            replication = 1  # KL105
        elif roll < 0.02:
            config["min.compaction.lag.ms"] = 7200000
            config["max.compaction.lag.ms"] = 3600000  # KL401
        elif roll < 0.022:
            replication = brokers + 1  # KL104
        rendered = ", ".join(f"{key}: {_yaml_scalar(value)}" for key, value in config.items())
        lines.append(
            f"  - {{name: {name}, partitions: {rng.choice([3, 6, 12])}, replication_factor: {replication}, "
            f"config: {{{rendered}}}}}"
        )
    lines.append("kafka_producer_profiles:")
    for profile in range(profiles):
        writes = rng.sample(topic_names, 3)
        config = {
            "acks": "all",
            "compression.type": rng.choice(["lz4", "zstd", "snappy"]),
            "linger.ms": 10,
            "request.timeout.ms": 40000,
        }
        roll = rng.random()
        if roll < 0.02:
            config["acks"] = 0
            config["retries"] = 3  # KL201
        elif roll < 0.04:
            config["enable.idempotence"] = True
            config["acks"] = 1  # KL202
        elif roll < 0.06:
            config["buffer.memory"] = 16384  # KL207
        rendered = ", ".join(f"{key}: {_yaml_scalar(value)}" for key, value in config.items())
        lines.append(f"  - {{name: app-{profile}, topics: [{', '.join(writes)}], config: {{{rendered}}}}}")
    (directory / "group_vars" / "kafka_broker.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(root: Path, inventories: int, topics: int, profiles: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for index in range(inventories):
        directory = root / f"cluster-{index:02d}"
        write_inventory(directory, index, 3 + index % 7, topics=topics, profiles=profiles, rng=rng)
        paths.append(directory)
    return paths


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the loader reads inventories in
    worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def _children_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _peak_rss() -> int:
    """Bytes: the largest resident set of this process or of one reaped child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, child) * 1024


def phases(paths: Sequence[Path], *, per_rule: bool = True) -> dict[str, Any]:
    """Loading, the whole rule pass, and (``per_rule``) each rule alone over the same model:
    wall and CPU seconds, files read, findings."""
    from kafkalint import engine
    from kafkalint.config import Config

    config = Config()
    started, cpu = time.perf_counter(), _cpu()
    model = engine.load([str(path) for path in paths], config)
    loaded, loaded_cpu = time.perf_counter(), _cpu()
    result = engine.run(model, config)
    done, done_cpu = time.perf_counter(), _cpu()
    figures: dict[str, Any] = {
        "load_wall": loaded - started,
        "load_cpu": loaded_cpu - cpu,
        "rules_wall": done - loaded,
        "rules_cpu": done_cpu - loaded_cpu,
        "files": len(result.files),
        "findings": len(result.findings),
        "topics": sum(len(cluster.topics) for cluster in model.clusters),
        "producers": sum(len(cluster.producers) for cluster in model.clusters),
        "by_rule": {},
        "rule_seconds": {},
    }
    for finding in result.findings:
        figures["by_rule"][finding.rule_id] = figures["by_rule"].get(finding.rule_id, 0) + 1
    if per_rule:
        # engine.run costs something with no rule at all (the report list, the suppression
        # index over the model's files): measured alone, and taken off each rule's time.
        overhead = []
        for _ in range(3):
            begun = time.perf_counter()
            engine.run(model, config, rules=())
            overhead.append(time.perf_counter() - begun)
        figures["engine_overhead"] = statistics.median(overhead)
        for rule in engine.load_rules():
            if not config.enabled(rule.id):
                continue
            begun = time.perf_counter()
            engine.run(model, config, rules=[rule])
            elapsed = time.perf_counter() - begun
            figures["rule_seconds"][rule.id] = max(0.0, elapsed - figures["engine_overhead"])
    figures["peak_rss"] = _peak_rss()
    return figures


def print_phases(figures: dict[str, Any], *, slowest: int = 8) -> None:
    wall, files, findings = figures["load_wall"] + figures["rules_wall"], figures["files"], figures["findings"]
    print(
        f"in-process: {wall:.2f} s wall ({figures['load_cpu'] + figures['rules_cpu']:.2f} s CPU), "
        f"{files} files, {figures['topics']} topics, {figures['producers']} producer profiles, {findings} findings"
    )
    print(
        f"  loading {figures['load_wall']:.2f} s wall ({figures['load_cpu']:.2f} s CPU), "
        f"rule pass and report list {figures['rules_wall']:.2f} s wall ({figures['rules_cpu']:.2f} s CPU)"
    )
    ranked = sorted(figures["rule_seconds"].items(), key=lambda item: -item[1])
    if ranked:
        print(
            f"  slowest rules alone (less the engine's {figures['engine_overhead']:.2f} s per run): "
            + ", ".join(f"{rule} {seconds:.2f} s" for rule, seconds in ranked[:slowest])
        )
    print("  findings by rule: " + ", ".join(f"{rule} {count}" for rule, count in sorted(figures["by_rule"].items())))


def area(filename: str) -> str:
    """Which part of the code a profiled function belongs to (for the breakdown)."""
    path = filename.replace("\\", "/")
    if "/kafkalint/" in path:
        tail = path.rsplit("/kafkalint/", 1)[1]
        parts = tail.split("/")
        if parts[0] == "rules" and len(parts) > 1:
            return "kafkalint.rules." + parts[1].removesuffix(".py")
        return "kafkalint." + parts[0].removesuffix(".py")
    for marker, name in (
        ("/ansible/", "ansible-core"),
        ("/yaml/", "PyYAML"),
        ("/jsonschema", "jsonschema"),
        ("/jinja2/", "Jinja2"),
        ("/referencing/", "jsonschema"),
        ("/rpds", "jsonschema"),
    ):
        if marker in path:
            return name
    if path.startswith("~") or path.startswith("<"):
        return "builtins"
    return "Python stdlib / other"


def profile(paths: Sequence[Path], *, top: int = 15) -> None:
    """cProfile of loading and of the rule pass, in one process (``KAFKALINT_JOBS=1``, so
    the profile sees every inventory being read): time by area, then the heaviest functions."""
    import cProfile
    import pstats

    from kafkalint import engine
    from kafkalint.config import Config

    os.environ["KAFKALINT_JOBS"] = "1"
    config = Config()
    loading, rules = cProfile.Profile(), cProfile.Profile()
    model = loading.runcall(engine.load, [str(path) for path in paths], config)
    rules.runcall(engine.run, model, config)
    for title, profiler in (("loading", loading), ("rule pass", rules)):
        stats = pstats.Stats(profiler)
        raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        total = sum(entry[2] for entry in raw.values())
        by_area: dict[str, float] = {}
        for (filename, _line, _name), entry in raw.items():
            by_area[area(filename)] = by_area.get(area(filename), 0.0) + entry[2]
        print(f"\n{title}: {total:.2f} s of own time under the profiler, by area:")
        for name, seconds in sorted(by_area.items(), key=lambda item: -item[1])[:top]:
            print(f"  {seconds:7.2f} s  {100 * seconds / total:5.1f} %  {name}")
        print(f"{title}: heaviest functions (own time, then cumulative):")
        ranked = sorted(raw.items(), key=lambda item: -item[1][2])[:top]
        for (filename, line, name), entry in ranked:
            print(
                f"  {entry[2]:7.2f} s own {entry[3]:7.2f} s cum {entry[1]:9d} calls  {name} ({_where(filename, line)})"
            )
        print(f"{title}: kafkalint and Ansible functions by cumulative time (what they and their callees cost):")
        ours = [item for item in raw.items() if area(item[0][0]).startswith(("kafkalint", "ansible"))]
        for (filename, line, name), entry in sorted(ours, key=lambda item: -item[1][3])[:top]:
            print(
                f"  {entry[3]:7.2f} s cum {entry[2]:7.2f} s own {entry[1]:9d} calls  {name} ({_where(filename, line)})"
            )


def _where(filename: str, line: int) -> str:
    if not line:
        return filename
    path = filename.replace("\\", "/")
    for marker in ("/kafkalint/", "/site-packages/"):
        if marker in path:
            return f"{path.rsplit(marker, 1)[1]}:{line}"
    return f"{Path(filename).name}:{line}"


def environment(source: Path | None = None) -> dict[str, str]:
    """The console scripts' environment: bytecode cached (as an installed package has it),
    in a private cache so the work tree stays clean. ``source``: a source tree (a checkout
    with ``policies/``) whose kafkalint runs instead of the installed one, e.g. the code
    before a change (``compare.py --before``)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kafkalint-bench-pycache")
    env["NO_COLOR"] = "1"
    if source is not None:
        env["PYTHONPATH"] = str(source / "policies")
    return env


def console_script(name: str = "kafkalint") -> str:
    script = Path(sys.executable).parent / name
    if not script.exists():
        raise SystemExit(f"no console script at {script}: make bootstrap first")
    return str(script)


def _timed(command: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"cold-start file is not clean ({done.returncode}): {done.stdout}{done.stderr}")
    return walls, cpus


def cold_start(runs: int, source: Path | None = None) -> dict[str, float]:
    """Median wall and CPU milliseconds of the console script on one server.properties, with
    cached bytecode (``runs`` runs after one that warms the cache) and without (3 runs)."""
    return cold_starts(runs, {"": source})[""]


def cold_starts(runs: int, sources: Mapping[str, Path | None]) -> dict[str, dict[str, float]]:
    """:func:`cold_start` of each of ``sources`` (name -> source tree, ``None`` for the
    installed kafkalint), their runs alternating (A B A B ...)."""
    directory = Path(tempfile.mkdtemp(prefix="kafkalint-cold-"))
    try:
        path = directory / "server.properties"
        path.write_text(SERVER_PROPERTIES, encoding="utf-8")
        command = [console_script(), "--no-config", str(path)]
        envs = {name: environment(source) for name, source in sources.items()}
        for env in envs.values():
            subprocess.run(command, env=env, capture_output=True, check=False)  # warm the bytecode cache
        timed: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in envs}
        for _ in range(runs):
            for name, env in envs.items():
                walls, cpus = _timed(command, env, 1)
                timed[name][0].extend(walls)
                timed[name][1].extend(cpus)
        uncached: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in envs}
        for _ in range(3):
            for name, env in envs.items():
                nocache = dict(env)
                nocache["PYTHONDONTWRITEBYTECODE"] = "1"
                nocache["PYTHONPYCACHEPREFIX"] = str(directory / "nocache")
                walls, cpus = _timed(command, nocache, 1)
                uncached[name][0].extend(walls)
                uncached[name][1].extend(cpus)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return {
        name: {
            "wall": statistics.median(walls) * 1000,
            "fastest": min(walls) * 1000,
            "cpu": statistics.median(cpus) * 1000,
            "runs": runs,
            "uncached_wall": statistics.median(uncached[name][0]) * 1000,
            "uncached_cpu": statistics.median(uncached[name][1]) * 1000,
        }
        for name, (walls, cpus) in timed.items()
    }


def print_cold_start(cold: Mapping[str, float]) -> None:
    print(
        f"cold start, one server.properties (median of {cold['runs']:.0f}): {cold['wall']:.0f} ms wall "
        f"(fastest {cold['fastest']:.0f} ms), {cold['cpu']:.0f} ms CPU; without cached bytecode "
        f"{cold['uncached_wall']:.0f} ms wall, {cold['uncached_cpu']:.0f} ms CPU"
    )


def inventories_under(root: Path) -> list[Path]:
    """The estate's inventories (directories holding hosts.yml), sorted."""
    return sorted(path.parent for path in root.glob("*/hosts.yml"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--inventories", type=int, default=INVENTORIES)
    parser.add_argument("--topics", type=int, default=TOPICS_PER_INVENTORY, help="topics per inventory")
    parser.add_argument("--profiles", type=int, default=PROFILES_PER_INVENTORY, help="producer profiles per inventory")
    parser.add_argument("--runs", type=int, default=21, help="cold-start runs (median reported)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", type=Path, help="generate the estate here and keep it")
    parser.add_argument("--profile", action="store_true", help="cProfile of loading and of the rule pass instead")
    parser.add_argument("--phases-of", type=Path, metavar="DIR", help="measure an estate generated before")
    parser.add_argument("--json", action="store_true", help="with --phases-of: the figures as one JSON line")
    parser.add_argument("--no-per-rule", action="store_true", help="skip timing each rule alone")
    parser.add_argument(
        "--source", type=Path, metavar="TREE", help="measure the kafkalint of this source tree (with policies/)"
    )
    args = parser.parse_args(argv)
    if args.source is not None:
        sys.path.insert(0, str(args.source.resolve() / "policies"))

    if args.phases_of is not None:
        paths = inventories_under(args.phases_of)
        if not paths:
            raise SystemExit(f"{args.phases_of}: no inventories (*/hosts.yml)")
        if args.profile:
            profile(paths)
            return 0
        figures = phases(paths, per_rule=not args.no_per_rule)
        if args.json:
            print(json.dumps(figures, sort_keys=True))
        else:
            print_phases(figures)
        return 0

    root = args.keep or Path(tempfile.mkdtemp(prefix="kafkalint-estate-"))
    try:
        started = time.perf_counter()
        paths = generate(root, args.inventories, args.topics, args.profiles, args.seed)
        print(
            f"estate: {args.inventories} inventories x {args.topics} topics, {args.profiles} producer profiles, "
            f"3-9 brokers (generated in {time.perf_counter() - started:.1f} s at {root})"
        )
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        if args.profile:
            profile(paths)
            return 0
        print_phases(phases(paths, per_rule=not args.no_per_rule))
        print_cold_start(cold_start(args.runs))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
