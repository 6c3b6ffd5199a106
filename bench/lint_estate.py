#!/usr/bin/env python3
"""Benchmark: lint an estate of inventories, and the cold start of one server.properties.

    .venv/bin/python bench/lint_estate.py                 # 50 inventories, the issue's sizes
    .venv/bin/python bench/lint_estate.py --inventories 5 --runs 1   # a quick look
    .venv/bin/python bench/lint_estate.py --inventories 2 --profile   # where the time goes (cProfile)

The estate: ``--inventories`` Ansible inventories (3 to 9 brokers each, 3 ZooKeeper servers,
``--topics`` topics and ``--profiles`` producer profiles each, mostly safe values with a few
unsafe ones so there is something to find), generated into a temporary directory. It is
linted in-process (``engine.run_paths``) and through the console script, and the figures
printed: wall time, files/s, findings/s. The cold start is the median wall time of the
``kafkalint`` console script on one ``server.properties`` (bytecode cached, as after
``pip install``; the first run only warms the cache and is not counted). CPU time (user +
system) is printed beside wall time: on a busy machine wall time mostly measures the wait
for a core.

Targets (the issue): the estate under 10 s, the cold start under 300 ms on a 2-core machine.
This prints figures; it asserts nothing (timed assertions do not belong in tests).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policies"))

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
        "kafka_cluster_environment: production\n",
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


def lint_in_process(paths: list[Path]) -> dict[str, float]:
    """Wall and CPU seconds of loading and of the rule pass, files read, findings."""
    from kafkalint import engine
    from kafkalint.config import Config

    config = Config()
    started, cpu = time.perf_counter(), _cpu()
    model = engine.load([str(path) for path in paths], config)
    loaded, loaded_cpu = time.perf_counter(), _cpu()
    result = engine.run(model, config)
    done, done_cpu = time.perf_counter(), _cpu()
    return {
        "wall": done - started,
        "cpu": done_cpu - cpu,
        "load_wall": loaded - started,
        "load_cpu": loaded_cpu - cpu,
        "rules_wall": done - loaded,
        "rules_cpu": done_cpu - loaded_cpu,
        "files": len(result.files),
        "findings": len(result.findings),
    }


def _environment() -> dict[str, str]:
    """The console script's environment: bytecode cached (as an installed package has it),
    in a private cache so the work tree stays clean."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kafkalint-bench-pycache")
    env["NO_COLOR"] = "1"
    return env


def _console_script() -> str:
    script = Path(sys.executable).parent / "kafkalint"
    if not script.exists():
        raise SystemExit(f"no console script at {script}: pip install -e . first")
    return str(script)


def lint_cli(root: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of the console script on the whole estate, and its exit code."""
    command = [_console_script(), "--no-config", "--format", "json", "--output", os.devnull, str(root)]
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, env=_environment(), capture_output=True, text=True, check=False)
    elapsed, used = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"kafkalint failed ({done.returncode}): {done.stderr}")
    return elapsed, used, done.returncode


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


def cold_start(directory: Path, runs: int) -> dict[str, float]:
    """Median wall and CPU milliseconds of linting one server.properties, with and
    without cached bytecode."""
    path = directory / "server.properties"
    path.write_text(SERVER_PROPERTIES, encoding="utf-8")
    command = [_console_script(), "--no-config", str(path)]
    env = _environment()
    subprocess.run(command, env=env, capture_output=True, check=False)  # warm the bytecode cache
    walls, cpus = _timed(command, env, runs)
    nocache = dict(env)
    nocache["PYTHONDONTWRITEBYTECODE"] = "1"
    nocache["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.mkdtemp(prefix="kafkalint-nocache-")))
    cold_walls, cold_cpus = _timed(command, nocache, 3)
    return {
        "wall": statistics.median(walls) * 1000,
        "fastest": min(walls) * 1000,
        "cpu": statistics.median(cpus) * 1000,
        "uncached_wall": statistics.median(cold_walls) * 1000,
        "uncached_cpu": statistics.median(cold_cpus) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--inventories", type=int, default=50)
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=11, help="cold-start runs (median reported)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--keep", type=Path, help="generate the estate here and keep it")
    parser.add_argument("--profile", action="store_true", help="profile the in-process lint (cProfile) instead")
    args = parser.parse_args()

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
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lint_in_process, paths)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            return 0

        figures = lint_in_process(paths)
        wall, files, findings = figures["wall"], figures["files"], figures["findings"]
        print(
            f"in-process: {wall:.2f} s wall ({figures['cpu']:.2f} s CPU), {files:.0f} files "
            f"({files / wall:.1f} files/s), {findings:.0f} findings ({findings / wall:.0f} findings/s)"
        )
        print(
            f"  loading {figures['load_wall']:.2f} s wall ({figures['load_cpu']:.2f} s CPU), "
            f"rules and report list {figures['rules_wall']:.2f} s wall ({figures['rules_cpu']:.2f} s CPU)"
        )
        cold = cold_start(root, args.runs)  # first: it also warms the bytecode cache for the run below
        elapsed, cpu, code = lint_cli(root)
        print(f"console script, whole estate: {elapsed:.2f} s wall ({cpu:.2f} s CPU), exit {code}")
        print(
            f"cold start, one server.properties (median of {args.runs}): {cold['wall']:.0f} ms wall "
            f"(fastest {cold['fastest']:.0f} ms), {cold['cpu']:.0f} ms CPU; without cached bytecode "
            f"{cold['uncached_wall']:.0f} ms wall, {cold['uncached_cpu']:.0f} ms CPU"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
