"""The rules where Kafka refuses a broker or controller agree with Kafka's own ``KafkaConfig``.

For every catalogued release from 3.3 (KRaft production-ready; KL503 reports KRaft on older
ones), generated ``server.properties`` files go through ``new kafka.server.KafkaConfig(props)``
in the JVM (``scripts/catalogue/KafkaConfigs.java``, against the release's jars from
``scripts/lib/kafkajars.py``, as the catalogue check beside this file) and through every
kafkalint rule, read as a loose broker file of that version. The files are a base
configuration of each kind (a KRaft broker, controller and combined node; a ZooKeeper-mode
broker; a broker and a controller in migration mode) with one and with two mutations from a
list that covers every "Kafka rejects" case of KL502, KL503, KL504 and KL506 and the KL303 /
KL304 checks they touch (node ids, the quorum, controller listener names and their listeners,
advertised listeners, protocol maps, ZooKeeper keys, protocol versions, broker-id generation).

For each file:

- kafkalint says Kafka refuses it (a finding that quotes Kafka, ``(Kafka: "...")``, or a KL001
  value Kafka's ConfigDef refuses) exactly when ``KafkaConfig`` throws;
- when it throws, its message (without Scala's ``requirement failed:`` prefix) is word for word
  one of the texts kafkalint quotes (``Invalid value ...`` for KL001).

The counts per release (files, refused by Kafka, agreements, disagreements) and per rule (the
quoted texts Kafka's message matched) are printed with the time taken.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import kafkajars
import pytest

from kafkalint.loaders import files, properties
from kafkalint.model import Cluster, Location, Model
from kafkalint.rules import all_rules
from kafkalint.versions import CATALOGUE_RELEASES, KafkaVersion

pytestmark = pytest.mark.jvm

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "scripts" / "catalogue" / "KafkaConfigs.java"
KRAFT_READY = KafkaVersion(3, 3)
RELEASES = [release for release in CATALOGUE_RELEASES if KafkaVersion.parse(release) >= KRAFT_READY]
_QUOTE = re.compile(r'\(Kafka: "(.*)"\); ')

Config = dict[str, str]
Mutation = Callable[[Config], Config | None]


# -- the generated files ----------------------------------------------------------------------

VOTER = "1@localhost:9093"
BASES: dict[str, Config] = {
    "broker": {
        "process.roles": "broker",
        "node.id": "4",
        "controller.quorum.voters": VOTER,
        "listeners": "PLAINTEXT://:9092",
        "advertised.listeners": "PLAINTEXT://localhost:9092",
        "controller.listener.names": "CONTROLLER",
    },
    "controller": {
        "process.roles": "controller",
        "node.id": "1",
        "controller.quorum.voters": VOTER,
        "listeners": "CONTROLLER://:9093",
        "controller.listener.names": "CONTROLLER",
    },
    "combined": {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": VOTER,
        "listeners": "PLAINTEXT://:9092,CONTROLLER://:9093",
        "advertised.listeners": "PLAINTEXT://localhost:9092",
        "controller.listener.names": "CONTROLLER",
    },
    "zookeeper": {
        "broker.id": "1",
        "zookeeper.connect": "localhost:2181",
        "listeners": "PLAINTEXT://:9092",
        "advertised.listeners": "PLAINTEXT://localhost:9092",
    },
    "migrating-broker": {
        "broker.id": "1",
        "zookeeper.connect": "localhost:2181",
        "listeners": "PLAINTEXT://:9092",
        "advertised.listeners": "PLAINTEXT://localhost:9092",
        "zookeeper.metadata.migration.enable": "true",
        "inter.broker.protocol.version": "3.4",
        "controller.quorum.voters": "3000@localhost:9093",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    },
    "migrating-controller": {
        "process.roles": "controller",
        "node.id": "3000",
        "controller.quorum.voters": "3000@localhost:9093",
        "listeners": "CONTROLLER://:9093",
        "controller.listener.names": "CONTROLLER",
        "zookeeper.metadata.migration.enable": "true",
        "zookeeper.connect": "localhost:2181",
    },
}


def _set(key: str, value: str) -> Mutation:
    def mutate(config: Config) -> Config | None:
        return None if config.get(key) == value else {**config, key: value}

    return mutate


def _drop(key: str) -> Mutation:
    def mutate(config: Config) -> Config | None:
        return {k: v for k, v in config.items() if k != key} if key in config else None

    return mutate


def _node_id(transform: Callable[[Config, str], Config]) -> Mutation:
    def mutate(config: Config) -> Config | None:
        node = config.get("node.id") or config.get("broker.id")
        return transform(config, node) if node is not None else None

    return mutate


def _listener(key: str, entry: str, *, add: bool) -> Mutation:
    """Add ``entry`` to (or remove the entries named like it from) a listener list."""

    def mutate(config: Config) -> Config | None:
        current = [item for item in config.get(key, "").split(",") if item]
        name = entry.split("://", maxsplit=1)[0]
        if add:
            if any(item.split("://")[0] == name for item in current):
                return None
            updated = [*current, entry]
        else:
            updated = [item for item in current if item.split("://")[0] != name]
            if updated == current:
                return None
        if not updated:
            return {k: v for k, v in config.items() if k != key}
        return {**config, key: ",".join(updated)}

    return mutate


MUTATIONS: dict[str, Mutation] = {
    # node ids
    "no-node-id": _drop("node.id"),
    "negative-node-id": _node_id(lambda c, n: {**c, "node.id": "-5"} if "node.id" in c else None),  # type: ignore[dict-item]
    "broker-id-only": _node_id(lambda c, n: {**{k: v for k, v in c.items() if k != "node.id"}, "broker.id": n}),
    "broker-id-other": _node_id(lambda c, n: {**c, "broker.id": str(int(n) + 1)}),
    "no-broker-id": _drop("broker.id"),
    "generation-off": _set("broker.id.generation.enable", "false"),
    # the quorum
    "no-voters": _drop("controller.quorum.voters"),
    "bootstrap": _set("controller.quorum.bootstrap.servers", "localhost:9093"),
    "voters-other": _set("controller.quorum.voters", "7@localhost:9093"),
    "voters-three": _set("controller.quorum.voters", "3@localhost:9093,1@127.0.0.2:9093,2@127.0.0.3:9093"),
    "voters-five": _set(
        "controller.quorum.voters",
        "5@localhost:9093,3@127.0.0.2:9093,4@127.0.0.3:9093,1@127.0.0.4:9093,2@127.0.0.5:9093",
    ),
    "voters-large-ids": _set(
        "controller.quorum.voters",
        "17@localhost:9093,33@127.0.0.2:9093,100@127.0.0.3:9093,3000@127.0.0.4:9093,65537@127.0.0.5:9093,4@127.0.0.6:9093",
    ),
    "voters-four-wrap": _set(
        "controller.quorum.voters", "16@localhost:9093,1@127.0.0.2:9093,32@127.0.0.3:9093,4@127.0.0.4:9093"
    ),
    # controller listener names
    "no-controller-names": _drop("controller.listener.names"),
    "controller-names-lower": _set("controller.listener.names", "controller"),
    "controller-names-two": _set("controller.listener.names", "CONTROLLER,CTRL2"),
    "controller-names-other": _set("controller.listener.names", "CTRL"),
    # listeners and advertised listeners
    "listen-controller": _listener("listeners", "CONTROLLER://:9093", add=True),
    "unlisten-controller": _listener("listeners", "CONTROLLER://:9093", add=False),
    "listen-plaintext": _listener("listeners", "PLAINTEXT://:9092", add=True),
    "unlisten-plaintext": _listener("listeners", "PLAINTEXT://:9092", add=False),
    "listen-ctrl2": _listener("listeners", "CTRL2://:9094", add=True),
    "advertise-controller": _listener("advertised.listeners", "CONTROLLER://localhost:9093", add=True),
    "no-advertised": _drop("advertised.listeners"),
    # protocol maps
    "map-explicit": _set("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
    "map-without-controller": _set("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT"),
    "map-ctrl2": _set("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,CTRL2:PLAINTEXT"),
    # ZooKeeper and the migration
    "zookeeper-connect": _set("zookeeper.connect", "localhost:2181"),
    "no-zookeeper-connect": _drop("zookeeper.connect"),
    "migration-on": _set("zookeeper.metadata.migration.enable", "true"),
    "migration-off": _set("zookeeper.metadata.migration.enable", "false"),
    "controller-names": _set("controller.listener.names", "CONTROLLER"),
    "ibp-3.3": _set("inter.broker.protocol.version", "3.3"),
    "ibp-3.3-IV3": _set("inter.broker.protocol.version", "3.3-IV3"),
    "ibp-2.8": _set("inter.broker.protocol.version", "2.8"),
    "no-ibp": _drop("inter.broker.protocol.version"),
    "acl-authorizer": _set("authorizer.class.name", "kafka.security.authorizer.AclAuthorizer"),
}


def configurations() -> Iterator[tuple[str, Config]]:
    """Every base, with each mutation and each pair of mutations, once per distinct file."""
    seen: set[tuple[tuple[str, str], ...]] = set()
    names = list(MUTATIONS)
    for base_name, base in BASES.items():
        chains: list[tuple[str, ...]] = [(), *((name,) for name in names), *itertools.combinations(names, 2)]
        for chain in chains:
            config: Config | None = dict(base)
            for name in chain:
                config = MUTATIONS[name](config) if config is not None else None
            if config is None:
                continue
            identity = tuple(sorted(config.items()))
            if identity in seen:
                continue
            seen.add(identity)
            yield "+".join((base_name, *chain)), config


def text(config: Config) -> str:
    return "".join(f"{key}={value}\n" for key, value in config.items())


# -- both sides -------------------------------------------------------------------------------


def kafka_verdicts(release: str, texts: list[str]) -> list[dict[str, str]]:
    jars = kafkajars.classpath(release)
    classes = kafkajars.compiled(SOURCE, jars, release)
    command = kafkajars.java_command("KafkaConfigs", classes, jars)
    stdin = "".join(base64.b64encode(item.encode()).decode() + "\n" for item in texts)
    proc = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=1200, check=False)
    assert proc.returncode == 0, f"KafkaConfigs on {release} exited {proc.returncode}: {proc.stderr[-2000:]}"
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(answers) == len(texts), f"{release}: {len(texts)} files, {len(answers)} answers"
    return answers


@dataclass
class Claims:
    """What kafkalint says Kafka does with one file."""

    quotes: dict[str, str] = field(default_factory=dict)  # Kafka's text -> rule id
    invalid: bool = False  # a KL001 finding: Kafka's ConfigDef refuses a value

    @property
    def refused(self) -> bool:
        return bool(self.quotes) or self.invalid


def kafkalint_claims(version: KafkaVersion, content: str) -> Claims:
    parsed = properties.parse(content)
    broker = files.to_broker(files.LooseFile("broker", "server.properties", parsed), version)
    cluster = Cluster("generated", Location("server.properties"), version=version)
    cluster.brokers.append(broker)
    model = Model([cluster])
    claims = Claims()
    for rule in all_rules():
        for finding in rule.check(model, {}):
            if finding.rule_id == "KL001":
                claims.invalid = True
            match = _QUOTE.search(finding.message)
            if match:
                claims.quotes.setdefault(match.group(1), finding.rule_id)
    return claims


def kafka_message(answer: dict[str, str]) -> str:
    return answer["m"].removeprefix("requirement failed: ")


@dataclass
class Outcome:
    release: str
    files: int = 0
    refused: int = 0
    agreements: int = 0
    matched: Counter[str] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)
    seconds: float = 0.0


def check_release(release: str) -> Outcome:
    started = time.monotonic()
    version = KafkaVersion.parse(release)
    chosen = list(configurations())
    answers = kafka_verdicts(release, [text(config) for _name, config in chosen])
    outcome = Outcome(release, files=len(chosen))
    for (name, config), answer in zip(chosen, answers, strict=True):
        claims = kafkalint_claims(version, text(config))
        refused = answer["v"] == "refused"
        outcome.refused += refused
        if not refused and not claims.refused:
            outcome.agreements += 1
            continue
        if refused and claims.refused:
            said = kafka_message(answer)
            if said in claims.quotes:
                outcome.agreements += 1
                outcome.matched[claims.quotes[said]] += 1
                continue
            if claims.invalid and said.startswith("Invalid value "):
                outcome.agreements += 1
                outcome.matched["KL001"] += 1
                continue
        kafka = f"Kafka refuses: {kafka_message(answer)}" if refused else "Kafka accepts"
        ours = "; ".join(f"{rule}: {quote}" for quote, rule in claims.quotes.items()) or (
            "KL001" if claims.invalid else "no refusal"
        )
        outcome.disagreements.append(f"{release} {name}: {kafka} | kafkalint: {ours} | {dict(config)}")
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    started = time.monotonic()
    found = {release: check_release(release) for release in RELEASES}
    print(f"\nKafkaConfig check of the KL5xx refusals on {len(found)} releases ({', '.join(found)}):")
    for outcome in found.values():
        print(
            f"  {outcome.release}: {outcome.files} files, {outcome.refused} refused by Kafka, {outcome.agreements} "
            f"agree, {len(outcome.disagreements)} disagree ({outcome.seconds:.1f} s)"
        )
    files_total = sum(outcome.files for outcome in found.values())
    refused_total = sum(outcome.refused for outcome in found.values())
    agreed = sum(outcome.agreements for outcome in found.values())
    wrong = sum(len(outcome.disagreements) for outcome in found.values())
    matched: Counter[str] = sum((outcome.matched for outcome in found.values()), Counter())
    print(
        f"  total: {files_total} files, {refused_total} refused by Kafka, {agreed} agreements, {wrong} disagreements "
        f"in {time.monotonic() - started:.1f} s"
    )
    print(
        "  Kafka's message matched a quoted text of: " + ", ".join(f"{rule} {n}" for rule, n in sorted(matched.items()))
    )
    return found


@pytest.mark.parametrize("release", RELEASES)
def test_kafkalint_refuses_what_kafkaconfig_refuses(release: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[release]
    assert outcome.refused > 100 and outcome.files - outcome.refused > 100
    shown = "\n".join(outcome.disagreements[:30])
    assert not outcome.disagreements, f"{len(outcome.disagreements)} disagreements with Kafka {release}:\n{shown}"


def test_every_kafka_rejects_rule_is_exercised(outcomes: dict[str, Outcome]) -> None:
    matched: Counter[str] = sum((outcome.matched for outcome in outcomes.values()), Counter())
    assert {"KL502", "KL503", "KL504", "KL506"} <= set(matched), matched
