"""Property-based test: whatever the input, kafkalint ends with exit 0, 1 or 2 and one-line
messages, never a traceback or an internal error.

Inputs are real files mutated (bytes flipped, inserted or cut; lines duplicated, swapped,
replaced with Kafka-ish or YAML-ish fragments), random ``.properties`` files built from Kafka
keys and separators, random YAML cluster files built from the inventory contract's names, and
copies of a real inventory directory with one file mutated. Every input goes through the real
entry point ``kafkalint.cli.main`` in-process, in a random report format; a few go through a
subprocess (``python -m kafkalint``) too. The number of inputs tried is printed at the end of
the run (``fuzz: N inputs ...``).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkalint import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED_SUFFIXES = (".properties", ".cfg", ".yml", ".yaml")

SEED_FILES = sorted(
    path for path in (FIXTURES / "rules").glob("*/*/*") if path.is_file() and path.suffix in SEED_SUFFIXES
)
SEED_INVENTORIES = [
    FIXTURES / "fuzz" / "inventory",
    *sorted(path for path in (ROOT / "inventories").glob("*") if path.is_dir() and (path / "hosts.yml").is_file()),
]

KAFKA_KEYS = [
    "acks", "retries", "batch.size", "linger.ms", "buffer.memory", "compression.type", "max.request.size",
    "bootstrap.servers", "enable.idempotence", "max.in.flight.requests.per.connection", "transactional.id",
    "delivery.timeout.ms", "request.timeout.ms", "key.serializer", "value.serializer", "schema.registry.url",
    "broker.id", "node.id", "zookeeper.connect", "listeners", "advertised.listeners", "log.dirs",
    "min.insync.replicas", "default.replication.factor", "num.partitions", "auto.create.topics.enable",
    "unclean.leader.election.enable", "offsets.topic.replication.factor", "broker.rack", "message.max.bytes",
    "queued.max.request.bytes", "log.cleaner.enable", "inter.broker.listener.name", "sasl.enabled.mechanisms",
    "tickTime", "initLimit", "syncLimit", "dataDir", "clientPort", "server.1", "server.2",
    "zookeeper.session.timeout.ms", "retention.ms", "segment.ms", "min.compaction.lag.ms", "unknown.key",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["all", "-1", "0", "1", "3", "true", "false", "none", "lz4", "", "5", "-5", "2147483648",
                     "kafka1:9092,kafka2:9092", "PLAINTEXT://0.0.0.0:9092", "zk1:2181/kafka", "1e3", "0x10"]),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.text(max_size=20),
)  # fmt: skip
FRAGMENTS = [
    "min.insync.replicas: 3", "  replication_factor: 1", "acks=0", "retries=5", "- {name: x, partitions: -1}",
    "kafka_topics: 7", "kafka_broker:", "  h: {kafka_broker_id: one}", "[", "{", "]]", ": :", "\t- a", "&a *a",
    "!!python/object:os.system", "!vault |", "{{ undefined_var }}", "{% if %}", "key\\", "\\u12", "= =",
    "# kafkalint: disable=KL101", "# kafkalint: disable=KL101 -- r", "# kafkalint: kind=producer", "---",
    "...", "zookeeper:", "all:", "  children: []", "  hosts: 3", "kafka_version: 9.9", "kafka_version: x",
    "\x00", "\ufeff", "server.1=zk1:2888:3888", "kafka_producer_profiles: [{name: p, topics: 3}]",
]  # fmt: skip

SEPARATORS = ["=", ":", " ", " = ", "\t"]

TRIED: Counter[str] = Counter()
EXIT_CODES: Counter[int] = Counter()


@pytest.fixture(autouse=True)
def _report_count(request: pytest.FixtureRequest) -> Iterator[None]:
    """The count so far, after each test: the run's summary prints the last one
    (tests/conftest.py; the module's tests share one worker under pytest-xdist)."""
    yield
    detail = ", ".join(f"{kind} {count}" for kind, count in sorted(TRIED.items()))
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(EXIT_CODES.items()))
    line = f"fuzz: {sum(TRIED.values())} inputs tried ({detail}); exit codes {codes}"
    request.node.user_properties.append(("fuzz", line))


def _mutate_bytes(data: bytes, draw: st.DrawFn) -> bytes:
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if action == "flip" and data:
            index = min(position, len(data) - 1)
            data = data[:index] + bytes([data[index] ^ draw(st.integers(1, 255))]) + data[index + 1 :]
        elif action == "insert":
            data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
        elif action == "cut":
            data = data[:position] + data[position + draw(st.integers(1, 16)) :]
        else:
            data = data[:position]
    return data


def _mutate_lines(text: str, draw: st.DrawFn) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not lines:
            lines = [draw(st.sampled_from(FRAGMENTS))]
            continue
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["replace", "insert", "duplicate", "swap", "delete", "indent"]))
        if action == "replace":
            lines[index] = draw(st.sampled_from(FRAGMENTS))
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(FRAGMENTS)))
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "delete":
            del lines[index]
        else:
            lines[index] = draw(st.sampled_from([" ", "  ", "\t", "- "])) + lines[index]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEED_FILES))
    data = seed.read_bytes()
    if draw(st.booleans()):
        data = _mutate_lines(data.decode("utf-8", errors="replace"), draw).encode("utf-8", errors="surrogatepass")
    else:
        data = _mutate_bytes(data, draw)
    return seed.name, data


@st.composite
def random_properties(draw: st.DrawFn) -> tuple[str, bytes]:
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=15))):
        kind = draw(st.sampled_from(["pair", "pair", "pair", "comment", "continuation", "junk"]))
        key = draw(st.one_of(st.sampled_from(KAFKA_KEYS), st.text(max_size=12)))
        if kind == "pair":
            separator = draw(st.sampled_from(SEPARATORS))
            lines.append(f"{key}{separator}{draw(VALUES)}")
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["#", "!"])) + draw(st.text(max_size=30)))
        elif kind == "continuation":
            lines.append(f"{key}={draw(VALUES)}\\")
        else:
            lines.append(draw(st.text(max_size=40)))
    name = draw(
        st.sampled_from(["server.properties", "producer.properties", "consumer.properties", "zoo.cfg", "x.properties"])
    )
    return name, "\n".join(lines).encode("utf-8", errors="surrogatepass")


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.sampled_from(["all", "3", "", "a:b"]), st.text(max_size=10)
)
_VALUES_TREE = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KAFKA_KEYS), st.text(max_size=8)), children, max_size=4),
    ),
    max_leaves=12,
)
_HOST = st.dictionaries(
    st.sampled_from(
        ["kafka_broker_id", "zookeeper_id", "kafka_broker_rack", "ansible_host", "kafka_broker_port", "other"]
    ),
    _VALUES_TREE,
    max_size=4,
)


@st.composite
def random_cluster_files(draw: st.DrawFn) -> tuple[str, bytes]:
    document: dict[str, object] = {}
    for key in draw(st.lists(st.sampled_from(
        ["kafka_version", "kafka_cluster_environment", "zookeeper", "kafka_broker", "kafka_client",
         "kafka_broker_properties", "kafka_topics", "kafka_producer_profiles", "zookeeper_properties", "typo_key"]
    ), max_size=8, unique=True)):  # fmt: skip
        if key in ("zookeeper", "kafka_broker", "kafka_client"):
            document[key] = draw(
                st.dictionaries(st.sampled_from(["h1", "h2", "h3"]), st.one_of(_HOST, _SCALARS), max_size=3)
            )
        elif key in ("kafka_topics", "kafka_producer_profiles"):
            entry = st.dictionaries(
                st.sampled_from(["name", "partitions", "replication_factor", "config", "topics", "state"]),
                _VALUES_TREE,
                max_size=5,
            )
            document[key] = draw(st.one_of(st.lists(entry, max_size=3), _SCALARS))
        else:
            document[key] = draw(_VALUES_TREE)
    text = yaml.safe_dump(document, allow_unicode=True)
    return draw(st.sampled_from(["cluster.yml", "cluster.yaml"])), text.encode("utf-8", errors="surrogatepass")


def _run(paths: list[str], output_format: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--no-config", "--format", output_format, *paths])
    return code, err.getvalue()


def _check(code: int, stderr: str) -> None:
    EXIT_CODES[code] += 1
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_ERROR), stderr
    assert "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    if code == cli.EXIT_ERROR:
        lines = [line for line in stderr.splitlines() if line.startswith("kafkalint: error: ")]
        assert len(lines) == 1, stderr


FORMATS = st.sampled_from(cli.FORMATS)
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def _lint_file(name: str, data: bytes, output_format: str, kind: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        TRIED[kind] += 1
        _check(*_run([str(path)], output_format))


@FAST
@given(mutated_files(), FORMATS)
def test_mutated_fixture_files(case: tuple[str, bytes], output_format: str) -> None:
    _lint_file(*case, output_format, "mutated files")


@FAST
@given(random_properties(), FORMATS)
def test_random_properties(case: tuple[str, bytes], output_format: str) -> None:
    _lint_file(*case, output_format, "random properties")


@FAST
@given(random_cluster_files(), FORMATS)
def test_random_cluster_files(case: tuple[str, bytes], output_format: str) -> None:
    _lint_file(*case, output_format, "random cluster files")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.sampled_from(SEED_INVENTORIES), st.data(), FORMATS)
def test_mutated_inventories(seed: Path, data: st.DataObject, output_format: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        inventory = Path(directory) / seed.name
        shutil.copytree(seed, inventory)
        files = sorted(path for path in inventory.rglob("*") if path.is_file())
        target = data.draw(st.sampled_from(files))
        content = target.read_bytes()
        if data.draw(st.booleans()):
            mutated = _mutate_lines(content.decode("utf-8", errors="replace"), data.draw)
            target.write_text(mutated, encoding="utf-8", errors="surrogatepass")
        else:
            target.write_bytes(_mutate_bytes(content, data.draw))
        TRIED["mutated inventories"] += 1
        _check(*_run([str(inventory)], output_format))


def test_seeds_exist() -> None:
    assert len(SEED_FILES) >= 10
    assert SEED_INVENTORIES[0].is_dir()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("server.properties", "broker.id=one\nlisteners=PLAINTEXT://:9092,PLAINTEXT://:9092\n"),
        ("cluster.yml", "kafka_broker: [\n"),
        ("zoo.cfg", "tickTime=\\\n"),
    ],
)
def test_subprocess_runs(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "kafkalint", "--no-config", str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    TRIED["subprocess"] += 1
    _check(done.returncode, done.stderr)


def test_the_fuzz_command_finds_nothing_in_a_few_hundred_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """``scripts/fuzz.py`` (``make fuzz``: 10,000 inputs) with every family of hostile input,
    a few hundred of them here: not one traceback, internal error or hang."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_command", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fuzz_command", fuzz)  # its dataclasses look their module up
    spec.loader.exec_module(fuzz)
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    outcome = fuzz.run(count=350, seed=17, quiet=True)
    TRIED["fuzz command"] += sum(outcome.tried.values())
    assert outcome.failures == [], fuzz.summary(outcome)
    assert set(outcome.tried) == set(fuzz.FAMILIES)
    assert outcome.codes[cli.EXIT_FINDINGS] and outcome.codes[cli.EXIT_OK]  # inputs reach the rules, not only errors
