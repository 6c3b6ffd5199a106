"""KL5xx predictions shown on the live KRaft cluster.

Refusals (KL502, KL503, KL504): a node's real server.properties, as the roles rendered it on
the test host, gets one mistake; kafkalint judges the file and quotes Kafka; the installed
Kafka 4.4 then starts with it on the same host (``kafka-server-start.sh``, a throwaway log
directory, the running node untouched) and exits, and its own refusal text is exactly the text
the rule quotes.

Durability (KL507): with eligible leader replicas (KIP-966, on for clusters created with 4.1+)
the controllers apply min.insync.replicas when the ISR shrinks. The testbed's controllers carry
the brokers' value 2, as KL507 asks: when two of three replicas stop, the one that leaves the
ISR below min ISR is kept as an eligible leader replica (``Elr``) by the controller.
See docs/proofs.md#kraft-predictions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from live_cluster import Cluster, Figures, Host, JsonDict, docker, run_id

from kafkalint.loaders import properties

pytestmark = pytest.mark.live

_QUOTE = re.compile(r'\(Kafka: "(.*?)"\)')

Config = dict[str, str]


def _without(key: str) -> Callable[[Config], Config]:
    return lambda config: {k: v for k, v in config.items() if k != key}


def _controller_listener_on_broker(config: Config) -> Config:
    return {**config, "listeners": f"{config['listeners']},CONTROLLER://0.0.0.0:9093"}


@dataclass(frozen=True)
class Refusal:
    """One of a rule's "Kafka rejects it" cases on 4.x, made on a node of the live cluster."""

    rule: str
    kind: str  # broker or controller
    mistake: Callable[[Config], Config]
    what: str


REFUSALS = [
    Refusal("KL504", "broker", _controller_listener_on_broker, "the controller listener added to a broker's listeners"),
    Refusal("KL502", "controller", _without("node.id"), "node.id removed from a controller"),
    Refusal("KL503", "broker", _without("process.roles"), "process.roles removed from a broker"),
]


def server_properties(host: Host) -> Config:
    text = docker("exec", host.container, "cat", "/etc/kafka/server.properties").stdout
    return properties.parse(text).values()


def kafkalint_findings(path: Path, version: str) -> list[JsonDict]:
    proc = subprocess.run(
        [sys.executable, "-m", "kafkalint", "lint", "--no-config", "-f", "json", "--kafka-version", version, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    findings: list[JsonDict] = json.loads(proc.stdout)["findings"]
    return findings


def start_kafka(host: Host, name: str, config: Config) -> tuple[int, str]:
    """Start the installed Kafka on ``host`` with ``config`` in a directory of its own (its log
    directories there too); (exit code, output). Bounded: a node that would start is killed."""
    base = f"/tmp/kafkalint-live/{name}"
    config = {**config, "log.dirs": f"{base}/data"}
    if "metadata.log.dir" in config:
        config["metadata.log.dir"] = f"{base}/metadata"
    text = "".join(f"{key}={value}\n" for key, value in config.items())
    docker("exec", host.container, "sh", "-c", f"rm -rf {base} && mkdir -p {base}/logs")
    subprocess.run(
        ["docker", "exec", "-i", host.container, "sh", "-c", f"cat > {base}/server.properties"],
        input=text,
        text=True,
        timeout=30,
        check=True,
    )
    proc = docker(
        "exec",
        "-e",
        f"LOG_DIR={base}/logs",
        "-e",
        "KAFKA_HEAP_OPTS=-Xmx128m",
        "-e",
        "KAFKA_LOG4J_OPTS=-Dlog4j2.configurationFile=/etc/kafka/tools-log4j2.yaml",
        host.container,
        "timeout",
        "90",
        "/opt/kafka/current/bin/kafka-server-start.sh",
        f"{base}/server.properties",
        timeout=120,
        check=False,
    )
    docker("exec", host.container, "rm", "-rf", base)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("case", REFUSALS, ids=[case.rule for case in REFUSALS])
def test_kafka_refuses_what_the_rule_says_in_the_rules_words(
    cluster: Cluster, workdir: Path, figures: Figures, case: Refusal
) -> None:
    rule = case.rule
    host = next(iter((cluster.brokers if case.kind == "broker" else cluster.controllers).values()))
    config = case.mistake(server_properties(host))
    path = workdir / f"{rule}-{host.name}.properties"
    path.write_text("".join(f"{key}={value}\n" for key, value in config.items()), encoding="utf-8")
    findings = [f for f in kafkalint_findings(path, cluster.kafka_version) if f["rule_id"] == rule]
    assert findings, f"kafkalint does not report {rule} on {path}"
    quotes = [match for finding in findings for match in _QUOTE.findall(finding["message"])]
    assert quotes, f"{rule} does not quote Kafka: {findings}"
    code, output = start_kafka(host, f"{rule}-{run_id()}", config)
    refused = [quote for quote in quotes if quote in output]
    said = next((line.strip() for line in output.splitlines() if any(q in line for q in quotes)), "")
    figures[f"{rule}: the mistake in {host.name}'s server.properties"] = case.what
    figures[f"{rule}: kafkalint quotes"] = quotes
    figures[f"{rule}: Kafka {cluster.kafka_version} on {host.name} exited"] = code
    figures[f"{rule}: Kafka said"] = said[:400] or output.strip()[-600:]
    assert code not in (0, 124), f"Kafka started with the configuration {rule} says it refuses (exit {code})"
    assert refused, f"Kafka's refusal is not the text {rule} quotes: {output[-2000:]}"


def partition_state(cluster: Cluster, topic: str) -> dict[str, str]:
    """Leader, Replicas, Isr, Elr, LastKnownElr of partition 0 as kafka-topics --describe prints them."""
    text = cluster.kafka_tool("kafka-topics.sh", "--describe", "--topic", topic)
    line = next((row for row in text.splitlines() if "Partition: 0" in row), "")
    fields = {}
    for part in line.split("\t"):
        key, sep, value = part.strip().partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def test_kl507_controllers_apply_min_isr_when_the_isr_shrinks(cluster: Cluster, figures: Figures) -> None:
    topic = f"live-kraft-elr-{run_id()}"
    features = cluster.kafka_tool("kafka-features.sh", "describe")
    elr = next((line.split("\t") for line in features.splitlines() if "eligible.leader.replicas" in line), [])
    figures["kafka-features describe"] = " ".join(part.strip() for part in elr) or "no eligible.leader.replicas line"
    controller_min_isr = {
        node: server_properties(host).get("min.insync.replicas", "1 (unset)")
        for node, host in sorted(cluster.controllers.items())
    }
    figures["controllers' min.insync.replicas (server.properties)"] = controller_min_isr
    cluster.require_topic(topic, 1, 3)  # no topic override: the cluster-wide value decides
    replicas = [int(r) for r in partition_state(cluster, topic)["Replicas"].split(",")]
    first, second = (r for r in replicas if r != replicas[0])
    figures["all up"] = partition_state(cluster, topic)
    with cluster.brokers_stopped(first):
        figures[f"broker {first} stopped"] = one_down = partition_state(cluster, topic)
        cluster.stop_broker(second)
        cluster.wait_until(
            f"broker {second} leaves the ISR", lambda: str(second) not in partition_state(cluster, topic)["Isr"], 60
        )
        figures[f"brokers {first} and {second} stopped"] = two_down = partition_state(cluster, topic)
    assert "Elr" in two_down, f"kafka-topics prints no Elr: {two_down}"
    assert all(value == "2" for value in controller_min_isr.values())
    # ISR 2 of 3 is min ISR: nothing below it, no ELR. ISR 1 < 2: the replica that left is kept.
    assert one_down.get("Elr", "") in ("", "N/A"), one_down
    assert str(second) in two_down["Elr"].split(","), two_down
