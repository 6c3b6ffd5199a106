"""KL001 and KL002 agree with Kafka's own ``ConfigDef`` in the JVM, for every catalogued release.

For each release in :data:`kafkalint.versions.CATALOGUE_RELEASES`, the jars come from Maven
Central into the project's cache (``scripts/lib/kafkajars.py``, as the catalogue generator gets
them) and ``scripts/catalogue/ConfigDefs.java`` runs in one JVM per release:

- ``dump``: the committed catalogue is exactly what the jars say (same keys, types, defaults,
  validators), so nothing was edited by hand or generated from other jars;
- ``check``: for every key of every kind (broker, topic, producer, consumer), values generated
  from the key's type and validator (valid ones, the wrong type, out of range, not a choice,
  case variants, blanks around and inside, empty, list forms, negative, huge, a trailing
  ``# comment``, YAML-typed values as the roles render them) and unknown keys (typos, keys of
  other kinds and releases) are parsed as ``ConfigDef.parse`` does (``parseType``, then the
  key's validator). kafkalint's schema verdict on the same value (``schema_pass.check_setting``:
  KL001, KL002/KL003 or nothing) must be the JVM's (invalid, unknown, ok).

The counts (keys x values x releases, agreements, disagreements) are printed. Two differences
are accepted, counted apart and never hidden (see :func:`_accepted`):

- a well-formed class name that is not on the JVM's classpath (``com.example.MyPartitioner``):
  Kafka's ``Class.forName`` fails here, but the class is the application's, on its classpath,
  which kafkalint cannot see; kafkalint checks that the value is a Java class name;
- keys read outside ``ConfigDef`` (``schema_gen.EXTRA_KEYS``: ``listener.name.<l>.<key>``,
  ``super.users``, Schema Registry client settings, ...): Kafka's ``ConfigDef`` does not list
  them, yet the broker, the authorizer or the serializer reads them, so they are no typo.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import kafkajars
import pytest

from kafkalint import schema_gen, schema_pass
from kafkalint.effective import render_value
from kafkalint.versions import CATALOGUE_RELEASES, KafkaVersion

pytestmark = pytest.mark.jvm

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "scripts" / "catalogue" / "ConfigDefs.java"
CATALOGUE = ROOT / "policies" / "kafkalint" / "catalogue"
KINDS = ("broker", "topic", "producer", "consumer")
OK, INVALID, UNKNOWN = "ok", "invalid", "unknown"

_INT_BOUNDS = schema_gen.INT_BOUNDS


# -- values worth trying for one key ----------------------------------------------------------


def _variants(word: str) -> list[str]:
    """Case and blank variants of a valid word."""
    return [word.upper(), word.lower(), word.title(), f" {word} ", f"\t{word}\r", f"{word} # comment"]


def _numbers(spec: dict[str, Any]) -> list[Any]:
    low, high = _INT_BOUNDS[spec["type"]]
    found: list[Any] = [0, 1, -1, 7, low, high, low - 1, high + 1, 10**25, -(10**25)]
    for bound in spec.get("range") or []:
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            found += [int(bound) - 1, int(bound), int(bound) + 1]
    if isinstance(spec.get("default"), int):
        found.append(spec["default"])
    texts: list[Any] = [str(number) for number in found]
    texts += [
        "+7",
        "007",
        "-0",
        "2.5",
        "1e3",
        "0x10",
        "1_000",
        "\u0664\u0662",
        "\u00a042",
        " 42 ",
        "\t42\n",
        "42 # comment",
    ]
    texts += ["42,43", "abc", "true", "", " ", "NaN"]
    # YAML-typed values, as the roles render them into server.properties
    return [*texts, 42, True, 2.0, [1, 2], high + 1]


def _doubles(spec: dict[str, Any]) -> list[Any]:
    texts: list[Any] = ["0", "0.5", "1", "-1", "1.5", "1e3", "-0.0", "1e400", "NaN", "Infinity", "-Infinity"]
    texts += ["inf", "nan", "0.5f", "2d", "0x1p-1", "0x1.8p1", "0x10", "1,5", ".5", "5.", "1e", "abc", "", " 0.5 "]
    for bound in spec.get("range") or []:
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            texts += [str(bound - 0.25), str(bound), str(bound + 0.25)]
    if isinstance(spec.get("default"), (int, float)):
        texts.append(str(spec["default"]))
    return [*texts, 0.5, 1, True, float("inf"), [0.5]]


def _booleans() -> list[Any]:
    texts = ["true", "false", "TRUE", "False", "tRuE", " true ", "\tfalse", "yes", "no", "on", "1", "0", "t", ""]
    return [*texts, "true # comment", "true,false", True, False, 1, [True]]


def _strings(spec: dict[str, Any]) -> list[Any]:
    choices = [str(choice) for choice in spec.get("enum") or []]
    found: list[Any] = ["", " ", "bogus", "two words", "a,b", "x # comment"]
    default = spec.get("default")
    if isinstance(default, str):
        found += [default, *_variants(default)] if default else []
    for choice in choices:
        found += [choice, *_variants(choice), f"{choice},{choice}", f"{choice}x"]
    numeric = [int(choice) for choice in choices if re.fullmatch(r"-?\d+", choice)]
    return [*found, *numeric, 1, True, ["a", "b"]]


def _lists(spec: dict[str, Any]) -> list[Any]:
    choices = [str(choice) for choice in spec.get("enum") or []]
    first = choices[0] if choices else "a"
    found: list[Any] = ["", " ", ",", "a", "a,b", "a, b", " a , b ", "a,,b", "a,", ",a", "a;b", "a b", "a\t,\tb"]
    found += [f"{first},{first}", f"{first}, {first.upper()}", f"{first} # comment"]
    default = spec.get("default")
    if isinstance(default, list) and default:
        found += [",".join(default), ", ".join(default)]
    for choice in choices:
        found += [choice, *_variants(choice), f"{choice},bogus"]
    if len(choices) > 1:
        found += [",".join(choices), " , ".join(reversed(choices))]
    return [*found, ["a", "b"], [], [first, first], [first, ""], ["a,b"], 1, True]


def _classes(spec: dict[str, Any]) -> list[Any]:
    found: list[Any] = ["", " ", "not a class", "1abc", "a..b", "java.lang.String", " java.lang.String "]
    found += ["org.apache.kafka.common.serialization.StringSerializer", "java.lang.Strin", "com.example.NoSuchClass"]
    default = spec.get("default")
    if isinstance(default, str) and default:
        found += [default, f" {default} ", default.lower(), f"{default} # comment"]
    return [*found, 1, True]


#: Values in the forms that Kafka's validators written as code parse (schema_gen._custom_schema).
#: Hosts are literals or localhost: an InetSocketAddress of any other name would ask DNS.
_BY_VALIDATOR: dict[str, list[Any]] = {
    "MetadataVersionValidator": [
        "3.9",
        "3.9-IV0",
        "3.9.1",
        "3.9.",
        "3.9..",
        "3.9..x",
        "2.8-IV1.5",
        "2.8-iv1",
        "2.8",
        "0.10.0",
        "0.10.0-IV1",
        "0.10.0.1",
        "0.10",
        "0.8.0",
        "0.8",
        "1.0",
        "4.0",
        "99.9",
        "3",
    ],
    "ThrottledReplicaListValidator": [
        "*",
        " * ",
        "0:1",
        "0:1,1:2",
        "0:1, 1:2",
        "*,*",
        ",*",
        "*,",
        "0:1,*",
        "0:x",
        "0:1:2",
        "00:01",
        "-1:1",
        "0:\u0661",
    ],
    "ControllerQuorumVotersValidator": [
        "1@localhost:9093",
        "1@localhost:9093,2@127.0.0.2:9093",
        "1@[::1]:9093",
        "x@localhost:1",
        "1@localhost",
        "1@localhost:99999",
        "1@localhost:65535",
        "1@localhost:1@",
        "1@@localhost:1",
        "1@localhost:1@x",
        "-1@localhost:1",
        "+1@localhost:1",
        "2147483648@localhost:1",
        "1@:9093",
        "1@127.0.0.1 :1",
    ],
    "ControllerQuorumBootstrapServersValidator": [
        "localhost:9093",
        "localhost:9093,127.0.0.2:9093",
        "[::1]:9093",
        ":9093",
        "localhost",
        "localhost:",
        "localhost:99999",
        "localhost:2147483648",
        "127.0.0.1 :1",
        "localhost:9093 ",
    ],
    "auto.offset.reset": [
        "by_duration:PT1H",
        "by_duration:P1D",
        "by_duration:P1DT2H3M4.5S",
        "by_duration:pt1h",
        "BY_DURATION:PT1H",
        "by_duration:",
        "by_duration:1h",
        "by_duration:-PT1H",
        "by_duration:PT",
        "by_duration:P",
        "by_duration:PT0S",
        "by_duration:PT1,5S",
        "by_duration:+PT1H",
    ],
}
_BY_VALIDATOR["ApiVersionValidator$"] = _BY_VALIDATOR["MetadataVersionValidator"]
_BY_VALIDATOR["ThrottledReplicaListValidator$"] = _BY_VALIDATOR["ThrottledReplicaListValidator"]


def values_for(spec: dict[str, Any], key: str = "") -> list[Any]:
    kafka_type = spec["type"]
    if kafka_type in _INT_BOUNDS:
        values = _numbers(spec)
    elif kafka_type == "DOUBLE":
        values = _doubles(spec)
    elif kafka_type == "BOOLEAN":
        values = _booleans()
    elif kafka_type == "LIST":
        values = _lists(spec)
    elif kafka_type == "CLASS":
        values = _classes(spec)
    else:
        values = _strings(spec)
    values += _BY_VALIDATOR.get(spec.get("validator_kind") or "", []) + _BY_VALIDATOR.get(key, [])
    unique: dict[str, Any] = {}
    for value in values:
        unique.setdefault(json.dumps(value), value)
    return list(unique.values())


def _typos(key: str) -> list[str]:
    return [key[:-1], f"{key}s", f"{key}.x", key.replace(".", "_"), key.upper(), f" {key}"]


# -- one release ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    kind: str
    key: str
    raw: Any

    @property
    def text(self) -> str:
        """What Kafka reads: the value as a .properties file (or the roles' rendering) has it."""
        return render_value(self.raw)


@dataclass
class Outcome:
    release: str
    keys: int = 0
    values: int = 0
    #: of ``values``: probes of unknown keys (typos, other kinds' and releases' keys)
    key_probes: int = 0
    agreements: int = 0
    accepted: Counter[str] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def checked(self) -> int:
        return self.agreements + sum(self.accepted.values()) + len(self.disagreements)


@cache
def _catalogue(release: str) -> dict[str, dict[str, dict[str, Any]]]:
    line = ".".join(release.split(".")[:2])
    kinds: dict[str, dict[str, dict[str, Any]]] = json.loads(
        (CATALOGUE / f"kafka-{line}.json").read_text(encoding="utf-8")
    )["kinds"]
    return kinds


@cache
def _every_key() -> frozenset[str]:
    return frozenset(key for release in CATALOGUE_RELEASES for keys in _catalogue(release).values() for key in keys)


def cases(release: str) -> Iterator[Case]:
    kinds = _catalogue(release)
    for kind in KINDS:
        for key, spec in sorted(kinds[kind].items()):
            for raw in values_for(spec, key):
                yield Case(kind, key, raw)
            for typo in _typos(key):
                yield Case(kind, typo, "1")
        for key in sorted(_every_key() - kinds[kind].keys()):
            yield Case(kind, key, "1")


def _kafkalint(case: Case, version: KafkaVersion) -> str:
    result = schema_pass.verdict(case.kind, version, case.key, case.raw)
    if result is None:
        return OK
    return INVALID if result == schema_pass.INVALID else UNKNOWN


def _jvm(release: str, mode: str, stdin: str = "") -> str:
    jars = kafkajars.classpath(release)
    classes = kafkajars.compiled(SOURCE, jars, release)
    command = kafkajars.java_command("ConfigDefs", classes, jars, mode)
    proc = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"ConfigDefs {mode} on {release} exited {proc.returncode}: {proc.stderr[-2000:]}"
    return proc.stdout


def _accepted(case: Case, ours: str, theirs: dict[str, Any], version: KafkaVersion) -> str | None:
    """The name of an accepted difference, ``None`` when the difference is a bug."""
    message = str(theirs.get("m", ""))
    schema = schema_pass.subschema(case.kind, version, case.key) or {}
    if (
        ours == OK
        and theirs["v"] == INVALID
        and schema.get("x-kafka-type") == "CLASS"
        and "could not be found" in message
    ):
        return "class not on the check's classpath (the application's own)"
    if ours == OK and theirs["v"] == UNKNOWN and schema:
        return "key read outside ConfigDef (schema_gen.EXTRA_KEYS)"
    return None


def check_release(release: str) -> Outcome:
    started = time.monotonic()
    version = KafkaVersion.parse(release)
    outcome = Outcome(release, keys=sum(len(keys) for kind, keys in _catalogue(release).items() if kind in KINDS))
    chosen = list(cases(release))
    lines = "".join(f"{case.kind}\t{case.key}\t{base64.b64encode(case.text.encode()).decode()}\n" for case in chosen)
    answers = [json.loads(line) for line in _jvm(release, "check", lines).splitlines() if line.strip()]
    assert len(answers) == len(chosen), f"{release}: {len(chosen)} cases, {len(answers)} answers"
    outcome.values = len(chosen)
    known = _catalogue(release)
    outcome.key_probes = sum(1 for case in chosen if case.key not in known[case.kind])
    for case, theirs in zip(chosen, answers, strict=True):
        ours = _kafkalint(case, version)
        if ours == theirs["v"]:
            outcome.agreements += 1
            continue
        reason = _accepted(case, ours, theirs, version)
        if reason is not None:
            outcome.accepted[reason] += 1
            continue
        said = f"Kafka {theirs['v']} {theirs.get('m', '')}"
        outcome.disagreements.append(f"{release} {case.kind} {case.key}={case.raw!r}: kafkalint {ours}, {said}")
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    started = time.monotonic()
    found = {release: check_release(release) for release in CATALOGUE_RELEASES}
    keys = sum(outcome.keys for outcome in found.values())
    checked = sum(outcome.checked for outcome in found.values())
    agreed = sum(outcome.agreements for outcome in found.values())
    accepted: Counter[str] = sum((outcome.accepted for outcome in found.values()), Counter())
    wrong = sum(len(outcome.disagreements) for outcome in found.values())
    print(f"\nJVM check of {len(found)} catalogues ({', '.join(found)}) in {time.monotonic() - started:.1f} s:")
    for outcome in found.values():
        print(
            f"  {outcome.release}: {outcome.keys} keys, {outcome.values} values checked, {outcome.agreements} agree, "
            f"{sum(outcome.accepted.values())} accepted differences, {len(outcome.disagreements)} disagree "
            f"({outcome.seconds:.1f} s)"
        )
    probes = sum(outcome.key_probes for outcome in found.values())
    print(
        f"  total: {keys} keys; {checked} cases ({checked - probes} values of known keys, {probes} unknown-key "
        f"probes) over {len(found)} releases; {agreed} agreements, {wrong} disagreements"
    )
    for reason, count in sorted(accepted.items()):
        print(f"  accepted difference: {reason}: {count}")
    return found


@pytest.mark.parametrize("release", CATALOGUE_RELEASES)
def test_kafkalint_agrees_with_configdef(release: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[release]
    assert outcome.values > outcome.keys * 10
    shown = "\n".join(outcome.disagreements[:40])
    assert not outcome.disagreements, f"{len(outcome.disagreements)} disagreements with Kafka {release}:\n{shown}"


@pytest.mark.parametrize("release", CATALOGUE_RELEASES)
def test_committed_catalogue_is_what_the_jars_say(release: str) -> None:
    line = ".".join(release.split(".")[:2])
    committed = json.loads((CATALOGUE / f"kafka-{line}.json").read_text(encoding="utf-8"))
    assert committed["version"] == release
    dumped = json.loads(_jvm(release, "dump"))
    assert dumped == _catalogue(release), f"regenerate: .venv/bin/python scripts/gen_catalogue.py {release}"
