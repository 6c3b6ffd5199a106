#!/usr/bin/env python3
"""Feed kafkalint generated and mutated hostile inputs; count them; fail on any traceback.

    .venv/bin/python scripts/fuzz.py                     # 10,000 inputs (make fuzz)
    .venv/bin/python scripts/fuzz.py --count 500 --seed 7
    .venv/bin/python scripts/fuzz.py --keep /tmp/fuzz-failures

Every input goes through the real entry point (``kafkalint.cli.main``, in this process, in a
random report format, never with ``--render=ansible``: the inputs are hostile) and must end
with exit code 0, 1 or 2, exactly one ``kafkalint: error:`` line when it is 2, no
``Traceback``, no ``internal error``, and within :data:`HANG_SECONDS`. The families:

- **mutated files**: the rule fixtures (``.properties``, ``zoo.cfg``, cluster YAML) with bytes
  flipped, inserted or cut, or lines duplicated, swapped and replaced by hostile fragments;
- **properties**: random keys, separators, escapes (``\\uXXXX``, broken ones), continuation
  runs, comments, NUL and non-Latin-1 bytes;
- **YAML**: cluster files built from the contract's names, with anchors, aliases, merge keys,
  deep flow and block nesting, tags (``!vault``, ``!unsafe``, ``!!binary``), several
  documents, duplicate keys, Jinja values (lookups, filters, huge multiplications);
- **inventories**: YAML and INI hosts files with ranges, ports, ``:vars``/``:children``,
  literal values, group_vars/host_vars as files and directories, executable scripts,
  ``plugin:`` files, symbolic links out of the tree, vault envelopes, and copies of the
  repository's inventories with one file mutated;
- **configurations**: ``.kafkalint.yaml`` with random levels, excludes and regular
  expressions (some catastrophic), in YAML and as ``pyproject.toml``.

It prints how many inputs it tried per family and exit code, and exits 1 when any input
failed (each is saved under ``--keep`` with the reason). Nothing here is timed in a test:
``tests/test_fuzz.py`` runs a few hundred inputs in ``make unit``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import signal
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policies"))

from kafkalint import cli, redact  # noqa: E402 - needs the path above

FIXTURES = ROOT / "tests" / "fixtures"
INVENTORIES = [
    FIXTURES / "fuzz" / "inventory",
    ROOT / "inventories" / "local",
    ROOT / "inventories" / "production.example",
]
FORMATS = ("text", "json", "sarif", "github", "junit")
HANG_SECONDS = 20

KEYS = [
    "acks", "retries", "batch.size", "linger.ms", "buffer.memory", "compression.type", "max.request.size",
    "bootstrap.servers", "enable.idempotence", "max.in.flight.requests.per.connection", "transactional.id",
    "delivery.timeout.ms", "request.timeout.ms", "key.serializer", "value.serializer", "broker.id", "node.id",
    "process.roles", "zookeeper.connect", "listeners", "advertised.listeners", "log.dirs", "min.insync.replicas",
    "default.replication.factor", "num.partitions", "auto.create.topics.enable", "unclean.leader.election.enable",
    "offsets.topic.replication.factor", "broker.rack", "inter.broker.listener.name", "listener.security.protocol.map",
    "tickTime", "initLimit", "syncLimit", "dataDir", "clientPort", "server.1", "server.2", "retention.ms",
    "segment.ms", "min.compaction.lag.ms", "cleanup.policy", "unknown.key",
]  # fmt: skip
VALUES = [
    "all", "-1", "0", "1", "3", "true", "false", "none", "lz4", "", "2147483648", "kafka1:9092,kafka2:9092",
    "PLAINTEXT://0.0.0.0:9092", "zk1:2181/kafka", "1e3", "0x10", "\\u0041", "\\u12", "a\\", "é", "\r",
    "x" * 300, "{{ x }}", "${VAR}", "<host>", "%VAR%", "1 # comment",
]  # fmt: skip
TEMPLATES = [
    "{{ lookup('pipe', 'touch /tmp/fuzz-pwned') }}", "{{ query('url', 'http://127.0.0.1:1/') }}",
    "{{ lookup('env', 'HOME') }}", "{{ 'x' * 1000000000 }}", "{{ 9 ** 99999 }}", "{{ base * 2 }}",
    "{{ missing | default(3) }}", "{{ names | join(',') }}", "{{ a.b.c }}", "{{ hostvars[inventory_hostname] }}",
    "{% for i in range(9) %}{{ i }}{% endfor %}", "{{ (((((1))))) }}", "{{ '%9999999s' % 1 }}", "{{ self }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ x | regex_replace('(a+)+$', '') }}", "{{", "{% if %}",
    "{{ groups['kafka_broker'] | length }}", "{{ base if base > 1 else 2 }}", "{{ names | first | upper }}",
]  # fmt: skip
FRAGMENTS = [
    "min.insync.replicas: 3", "  replication_factor: 1", "acks=0", "retries=5", "- {name: x, partitions: -1}",
    "kafka_topics: 7", "kafka_broker:", "  h: {kafka_broker_id: one}", "[", "{", "]]", ": :", "\t- a", "&a *a",
    "!!python/object:os.system", "!vault |", "{{ undefined_var }}", "{% if %}", "key\\", "\\u12", "= =",
    "# kafkalint: disable=KL101", "# kafkalint: disable=KL101 -- r", "# kafkalint: kind=producer", "---", "...",
    "zookeeper:", "all:", "  children: []", "  hosts: 3", "kafka_version: 9.9", "kafka_version: x", "\x00",
    "\ufeff", "server.1=zk1:2888:3888", "<<: *a", "? [a]", "a: !!binary aGk=", "a: !unsafe '{{ x }}'",
    "a: " + "[" * 200, "- " * 150 + "x", "kafka[1:99999999]", "[g:children]", "[g:vars]", "x=[1, 2]",
]  # fmt: skip


class _Hang(Exception):
    pass


def _alarm(_signal: int, _frame: FrameType | None) -> None:
    raise _Hang


@dataclass
class Outcome:
    tried: Counter[str] = field(default_factory=Counter)
    codes: Counter[int] = field(default_factory=Counter)
    failures: list[tuple[str, str, Path]] = field(default_factory=list)


# -- generators --------------------------------------------------------------------------------------


def _text(rng: random.Random, size: int = 12) -> str:
    alphabet = "abcdefghij.=:# \t\\{}[]-'\"!&*|>%,\r\né€😀\u2028"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(data))
        action = rng.choice(["flip", "insert", "cut", "truncate"])
        if action == "flip" and data:
            index = min(position, len(data) - 1)
            data = data[:index] + bytes([data[index] ^ rng.randint(1, 255)]) + data[index + 1 :]
        elif action == "insert":
            data = data[:position] + bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8))) + data[position:]
        elif action == "cut":
            data = data[:position] + data[position + rng.randint(1, 16) :]
        else:
            data = data[:position]
    return data


def _mutate_lines(rng: random.Random, text: str) -> str:
    lines = text.splitlines() or [rng.choice(FRAGMENTS)]
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(lines))
        action = rng.choice(["replace", "insert", "duplicate", "swap", "delete", "indent", "template"])
        if action == "replace":
            lines[index] = rng.choice(FRAGMENTS)
        elif action == "insert":
            lines.insert(index, rng.choice(FRAGMENTS))
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "template" and ":" in lines[index]:
            lines[index] = lines[index].split(":", 1)[0] + ': "' + rng.choice(TEMPLATES).replace('"', "'") + '"'
        else:
            lines[index] = rng.choice([" ", "  ", "\t", "- "]) + lines[index]
    return "\n".join(lines) + rng.choice(["\n", "", "\r\n"])


def _seed_files() -> list[Path]:
    suffixes = (".properties", ".cfg", ".yml", ".yaml")
    return sorted(path for path in (FIXTURES / "rules").glob("*/*/*") if path.is_file() and path.suffix in suffixes)


def mutated_file(rng: random.Random, directory: Path, seeds: list[Path]) -> list[str]:
    seed = rng.choice(seeds)
    data = seed.read_bytes()
    if rng.random() < 0.5:
        data = _mutate_lines(rng, data.decode("utf-8", errors="replace")).encode("utf-8", errors="surrogatepass")
    else:
        data = _mutate_bytes(rng, data)
    (directory / seed.name).write_bytes(data)
    return [seed.name]


def properties_file(rng: random.Random, directory: Path, _seeds: list[Path]) -> list[str]:
    lines = []
    for _ in range(rng.randint(0, 20)):
        kind = rng.choice(["pair", "pair", "pair", "comment", "continuation", "escape", "junk"])
        key = rng.choice(KEYS) if rng.random() < 0.8 else _text(rng)
        value = rng.choice(VALUES) if rng.random() < 0.7 else _text(rng, 40)
        separator = rng.choice(["=", ":", " ", " = ", "\t", "\\=", ""])
        if kind == "pair":
            lines.append(f"{key}{separator}{value}")
        elif kind == "comment":
            lines.append(rng.choice(["#", "!"]) + _text(rng, 30))
        elif kind == "continuation":
            lines.append(f"{key}={value}" + "\\\n  " * rng.randint(1, 200) + "end")
        elif kind == "escape":
            lines.append(f"{key}=" + rng.choice(["\\u00", "\\uZZZZ", "\\u0041\\u0042", "\\", "\\t\\n\\r\\f"]))
        else:
            lines.append(_text(rng, 40))
    name = rng.choice(["server.properties", "producer.properties", "consumer.properties", "zoo.cfg", "x.properties"])
    if rng.random() < 0.03:
        lines.append("nul=\x00")
    (directory / name).write_bytes("\n".join(lines).encode(rng.choice(["utf-8", "latin-1"]), errors="replace"))
    return [name]


def _yaml_value(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if roll < 0.03:
        return rng.choice(['!vault "$ANSIBLE_VAULT;1.1;AES256\\n6162"', "!unsafe '{{ x }}'", "!!binary aGk="])
    if depth > 3 or roll < 0.45:
        return rng.choice(
            [*(repr(value) for value in VALUES[:14]), '"' + rng.choice(TEMPLATES).replace('"', "'") + '"', "~", "yes"]
        )
    if roll < 0.6:
        return "[" + ", ".join(_yaml_value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    if roll < 0.8:
        items = ", ".join(f"{rng.choice(KEYS)}: {_yaml_value(rng, depth + 1)}" for _ in range(rng.randint(0, 3)))
        return "{" + items + "}"
    return "*anchor"


def yaml_file(rng: random.Random, directory: Path, _seeds: list[Path]) -> list[str]:
    lines = [f"kafka_cluster_name: &anchor {_yaml_value(rng)}"]
    keys = ["kafka_version", "kafka_cluster_environment", "kafka_broker_properties", "kafka_topics",
            "kafka_producer_profiles", "zookeeper_properties", "typo_key", "kafka_broker", "zookeeper"]  # fmt: skip
    for key in rng.sample(keys, rng.randint(1, len(keys))):
        if key in ("kafka_broker", "zookeeper"):
            hosts = ", ".join(
                f"h{index}: {{kafka_broker_id: {_yaml_value(rng)}, zookeeper_id: {index}, "
                f"ansible_host: {_yaml_value(rng)}}}"
                for index in range(rng.randint(1, 4))
            )
            lines.append(f"{key}: {{{hosts}}}")
        elif key in ("kafka_topics", "kafka_producer_profiles"):
            entries = [
                f"  - {{name: t{index}, partitions: {_yaml_value(rng)}, replication_factor: {_yaml_value(rng)}, "
                f"topics: [t0], config: {_yaml_value(rng)}}}"
                for index in range(rng.randint(0, 3))
            ]
            lines.extend([f"{key}:", *entries])
        else:
            lines.append(f"{key}: {_yaml_value(rng)}")
    extra = rng.random()
    if extra < 0.1:
        lines.append("bomb: " + "[" * rng.randint(50, 5000))
    elif extra < 0.2:
        lines.append("---\nsecond: document")
    elif extra < 0.3:
        lines.append(lines[-1] if lines else "a: 1")  # a duplicate key
    elif extra < 0.4:
        lines.append("merged:\n  <<: *anchor\n  x: 1")
    name = rng.choice(["cluster.yml", "cluster.yaml", "manifest.yml"])
    (directory / name).write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    return [name]


def _hosts_yaml(rng: random.Random) -> str:
    version = rng.choice(["'3.9.1'", "'4.0'", "x", '"{{ v }}"', "3.9"])
    lines = ["all:", "  vars:", f"    kafka_version: {version}", "  children:"]
    for group in rng.sample(["zookeeper", "kafka_broker", "kafka_client", "other"], rng.randint(1, 4)):
        lines.append(f"    {group}:")
        lines.append("      hosts:")
        for index in range(rng.randint(0, 3)):
            name = rng.choice(
                [f"{group}{index}", f"{group}[1:3]", f"{group}{index}:2222", "../escape", f"{group}[a:c]"]
            )
            lines.append(f"        {name}: {{kafka_broker_id: {index}, zookeeper_id: {index + 1}}}")
        if rng.random() < 0.4:
            lines.append(f"      vars: {{ansible_group_priority: {rng.randint(-2, 5)}, x: {_yaml_value(rng)}}}")
    return "\n".join(lines) + "\n"


def _hosts_ini(rng: random.Random) -> str:
    lines = []
    for group in rng.sample(["zookeeper", "kafka_broker", "kafka_client", "other"], rng.randint(1, 4)):
        lines.append(f"[{group}]")
        for index in range(rng.randint(0, 3)):
            lines.append(
                f"{group}{rng.choice(['', '[1:2]', '[01:03]'])}{index} "
                f"kafka_broker_id={index} zookeeper_id={index + 1} "
                + rng.choice(
                    ["", "", "", "x=[1,2]", "y={'a': 1}", "z='quoted value'", "w=" + "(" * 300, "u=" + "0" * 5000]
                )
                + (" bad" if rng.random() < 0.03 else "")
            )
        lines.append(f"[{group}:vars]")
        lines.append(f"{rng.choice([*KEYS, 'kafka_broker_port', 'ansible_group_priority'])}={rng.choice(VALUES)}")
        if rng.random() < 0.3:
            lines.append(f"[{group}:children]\n{rng.choice(['other', 'missing', group])}")
    return "\n".join(lines) + "\n"


def inventory(rng: random.Random, directory: Path, _seeds: list[Path]) -> list[str]:
    root = directory / "inventory"
    (root / "group_vars").mkdir(parents=True)
    if rng.random() < 0.5:
        hosts = _hosts_yaml(rng).replace("*anchor", "anchored")
        (root / "hosts.yml").write_text(_mutate_lines(rng, hosts) if rng.random() < 0.3 else hosts)
    else:
        (root / "hosts").write_text(_mutate_lines(rng, _hosts_ini(rng)) if rng.random() < 0.3 else _hosts_ini(rng))
    for group in rng.sample(["all", "kafka_broker", "zookeeper", "other"], rng.randint(0, 4)):
        text = "anchored: &anchor {a: 1}\n" + "\n".join(f"{key}: {_yaml_value(rng)}" for key in rng.sample(
            ["kafka_broker_properties", "kafka_topics", "kafka_producer_profiles", "zookeeper_properties",
             "kafka_broker_port", "base", "names", "kafka_cluster_environment"], rng.randint(1, 4)
        ))  # fmt: skip
        if rng.random() < 0.5:
            (root / "group_vars" / f"{group}.yml").write_text(text)
        else:
            (root / "group_vars" / group).mkdir()
            (root / "group_vars" / group / "main.yml").write_text(text)
    extra = rng.random()
    if extra < 0.15:
        script = root / "inventory.sh"
        script.write_text("#!/bin/sh\ntouch /tmp/kafkalint-fuzz-script-ran\necho '{}'\n")
        script.chmod(0o755)
    elif extra < 0.3:
        (root / "plugin.yml").write_text("plugin: constructed\ncompose: {x: \"lookup('pipe', 'id')\"}\n")
    elif extra < 0.4:
        (root / "group_vars" / "linked.yml").symlink_to("/etc/hostname")
    elif extra < 0.5:
        (root / "group_vars" / "vaulted.yml").write_text("$ANSIBLE_VAULT;1.1;AES256\n6162636465\n")
    return ["inventory"]


def mutated_inventory(rng: random.Random, directory: Path, _seeds: list[Path]) -> list[str]:
    seed = rng.choice(INVENTORIES)
    target = directory / seed.name
    shutil.copytree(seed, target)
    files = sorted(path for path in target.rglob("*") if path.is_file())
    chosen = rng.choice(files)
    content = chosen.read_bytes()
    if rng.random() < 0.5:
        chosen.write_text(_mutate_lines(rng, content.decode("utf-8", errors="replace")), errors="surrogatepass")
    else:
        chosen.write_bytes(_mutate_bytes(rng, content))
    return [seed.name]


def configuration(rng: random.Random, directory: Path, seeds: list[Path]) -> list[str]:
    patterns = ["^myco\\.", "(a+)+$", "[", "a{1,3}", "((x*)*)*", "x" * 2000, "(?P<n>a)(?P=n)", "\\"]
    entries = []
    if rng.random() < 0.8:
        entries.append(f"fail_on: {rng.choice(['error', 'warning', 'info', 'nope', 3])}")
    if rng.random() < 0.5:
        entries.append(f"kafka_version: {rng.choice(['3.9', '4.0', '3.9.1', 'x', 9])}")
    if rng.random() < 0.5:
        entries.append(f"exclude: [{rng.choice(['*.example', '**', '[', 'x' * 500])!r}]")
    if rng.random() < 0.7:
        entries.append(
            "rules:\n  KL002: {options: {allow: [" + ", ".join(repr(rng.choice(patterns)) for _ in range(2)) + "]}}\n"
            f"  {rng.choice(['KL101', 'KL999', 'XX', 'KL105'])}: "
            f"{rng.choice(['off', 'error', '{level: warning}', '7'])}"
        )
    text = "\n".join(entries) + "\n"
    if rng.random() < 0.3:
        text = _mutate_lines(rng, text)
    if rng.random() < 0.3:
        toml = text.replace(": ", " = ").replace("rules:\n", "[tool.kafkalint.rules]\n")
        (directory / "pyproject.toml").write_text("[tool.kafkalint]\n" + toml, errors="surrogatepass")
    else:
        (directory / ".kafkalint.yaml").write_text(text, errors="surrogatepass")
    return properties_file(rng, directory, seeds)


def evil_name(rng: random.Random, directory: Path, _seeds: list[Path]) -> list[str]:
    name = rng.choice(["a\r\n::error::x", "::add-mask::y", "\x1b[2J", "z\u202e", "n\x00"]) + rng.choice(
        ["-producer.properties", ".properties", "-server.properties", ".yml"]
    )
    name = name.replace("\x00", "")
    (directory / name).write_bytes(b"acks=0\nretries=3\n" if name.endswith(".properties") else b"kafka_broker: [\n")
    return [name] if rng.random() < 0.5 else ["."]


FAMILIES: dict[str, Callable[[random.Random, Path, list[Path]], list[str]]] = {
    "mutated files": mutated_file,
    "properties": properties_file,
    "yaml": yaml_file,
    "inventories": inventory,
    "mutated inventories": mutated_inventory,
    "configurations": configuration,
    "file names": evil_name,
}


# -- running ----------------------------------------------------------------------------------------------


def _check(code: int, stderr: str) -> str | None:
    if code not in (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_ERROR):
        return f"exit code {code}"
    if "Traceback" in stderr:
        return "a traceback"
    if "internal error" in stderr:
        return "an internal error"
    if code == cli.EXIT_ERROR:
        errors = [line for line in stderr.splitlines() if line.startswith("kafkalint: error: ")]
        if len(errors) != 1:
            return f"{len(errors)} error lines"
    return None


def run_one(paths: list[str], directory: Path, output_format: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(directory)
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["--format", output_format, *paths])
    except _Hang:
        return -1, f"no answer within {HANG_SECONDS} s"
    except BaseException:  # whatever escapes cli.main is the finding
        return -2, "Traceback:\n" + traceback.format_exc()
    finally:
        signal.alarm(0)
        os.chdir(previous)
        redact.forget()
    return code, err.getvalue()


def inputs(count: int, seed: int) -> Iterator[tuple[str, random.Random]]:
    rng = random.Random(seed)
    names = list(FAMILIES)
    for index in range(count):
        yield names[index % len(names)], random.Random(rng.getrandbits(64))


def run(count: int, seed: int, keep: Path | None = None, quiet: bool = False) -> Outcome:
    """Try ``count`` inputs from ``seed``; the outcome counts them and lists the failures."""
    outcome = Outcome()
    seeds = _seed_files()
    sentinel = Path("/tmp/kafkalint-fuzz-script-ran")  # what an inventory script that ran would leave
    sentinel.unlink(missing_ok=True)
    for index, (family, rng) in enumerate(inputs(count, seed), start=1):
        with tempfile.TemporaryDirectory(prefix="kafkalint-fuzz-") as name:
            directory = Path(name)
            paths = FAMILIES[family](rng, directory, seeds)
            code, stderr = run_one(paths, directory, rng.choice(FORMATS))
            outcome.tried[family] += 1
            outcome.codes[code] += 1
            problem = _check(code, stderr) if code >= 0 else stderr.splitlines()[0]
            if sentinel.exists():
                problem, _ = "an inventory script was executed", sentinel.unlink()
            if problem is not None:
                saved = directory
                if keep is not None:
                    saved = keep / f"{index:05d}-{family.replace(' ', '-')}"
                    shutil.copytree(directory, saved, symlinks=True)
                    (saved / "REASON.txt").write_text(f"{problem}\npaths: {paths}\n{stderr}", errors="replace")
                outcome.failures.append((family, problem, saved))
        if not quiet and index % 1000 == 0:
            sys.stderr.write(f"fuzz: {index} inputs...\n")
    return outcome


def summary(outcome: Outcome) -> str:
    families = ", ".join(f"{family} {count}" for family, count in sorted(outcome.tried.items()))
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(outcome.codes.items()))
    tracebacks = sum(1 for _, problem, _ in outcome.failures if "traceback" in problem.lower())
    internal = sum(1 for _, problem, _ in outcome.failures if "internal" in problem)
    return (
        f"fuzz: {sum(outcome.tried.values())} inputs tried ({families}); exit codes {codes}; "
        f"{tracebacks} tracebacks, {internal} internal errors, {len(outcome.failures)} failures"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs to try (default 10,000)")
    parser.add_argument("--seed", type=int, default=20261201, help="random seed (a failure is reproducible)")
    parser.add_argument("--keep", type=Path, help="save each failing input under this directory")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    os.environ["KAFKALINT_JOBS"] = "1"
    outcome = run(args.count, args.seed, args.keep)
    print(summary(outcome))
    for family, problem, saved in outcome.failures[:20]:
        print(f"  {family}: {problem} ({saved})")
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
