"""KL202-KL206 on the real client: a KafkaProducer built from each unsafe configuration refuses
to start with the exact message the catalogue quotes, and the corrected configuration starts.

The probe constructs every producer in one JVM (construction validates the configuration and
opens no connection), against the live cluster's ``bootstrap.servers``. kafkalint, run on the
very same files, must report the rule exactly where the client refuses to start, and the rule's
documentation must quote the client's text, so kafkalint and Kafka agree word for word.
See docs/proofs.md#kl202 .. #kl206.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from live_cluster import Cluster, JsonDict

pytestmark = pytest.mark.live

#: rule id -> (unsafe config, corrected config, Kafka's message as the catalogue quotes it)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "KL202": (
        {"enable.idempotence": True, "acks": "1"},
        {"enable.idempotence": True, "acks": "all"},
        "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
    ),
    "KL203": (
        {"enable.idempotence": True, "retries": 0},
        {"enable.idempotence": True, "retries": 2147483647},
        "Must set retries to non-zero when using the idempotent producer.",
    ),
    "KL204": (
        {"enable.idempotence": True, "max.in.flight.requests.per.connection": 6},
        {"enable.idempotence": True, "max.in.flight.requests.per.connection": 5},
        "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.",
    ),
    "KL205": (
        {"transactional.id": "orders-tx", "enable.idempotence": False},
        {"transactional.id": "orders-tx", "enable.idempotence": True},
        "Cannot set a transactional.id without also enabling idempotence.",
    ),
    "KL206": (
        {"delivery.timeout.ms": 30000, "linger.ms": 5, "request.timeout.ms": 30000},
        {"delivery.timeout.ms": 30005, "linger.ms": 5, "request.timeout.ms": 30000},
        "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms",
    ),
}

#: Neighbouring cases that pin down where each rule's edge lies in 3.9.1:
#: name -> (config, rule, whether Kafka refuses it).
EDGES: dict[str, tuple[dict[str, Any], str, bool]] = {
    # KL205 "implied by KL202-204": acks=1 turns the default idempotence off, so a transactional.id is refused.
    "KL205-implied-by-acks-1": ({"transactional.id": "orders-tx", "acks": "1"}, "KL205", True),
    # KL204 in 3.x: with idempotence left at its default, in-flight 6 silently disables idempotence.
    "KL204-default-idempotence-in-flight-6": ({"max.in.flight.requests.per.connection": 6}, "KL204", False),
    # KL206: only an explicitly set delivery.timeout.ms is refused; the default is raised to fit.
    "KL206-default-delivery-timeout": ({"linger.ms": 100000, "request.timeout.ms": 30000}, "KL206", False),
}


@pytest.fixture(scope="module")
def linted(constructed: dict[str, JsonDict], cluster: Cluster) -> dict[str, set[str]]:
    """kafkalint's verdict on the same files: name -> the rule ids it reports (Kafka 3.9.1)."""
    workdir = cluster.probe.workdir
    names = sorted(constructed)
    proc = subprocess.run(
        [sys.executable, "-m", "kafkalint", "lint", "--no-config", "--kafka-version", "3.9.1", "-f", "json"]
        + [f"{name}.properties" for name in names],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), f"kafkalint exited {proc.returncode}: {proc.stderr[-2000:]}"
    found: dict[str, set[str]] = {name: set() for name in names}
    for finding in json.loads(proc.stdout)["findings"]:
        found[finding["path"].removesuffix(".properties")].add(finding["rule_id"])
    return found


@pytest.fixture(scope="module")
def constructed(cluster: Cluster) -> dict[str, JsonDict]:
    """Construct every case's producers in one probe run: name -> the probe's result."""
    files = {}
    for rule, (unsafe, safe, _message) in CASES.items():
        files[f"{rule}-unsafe"] = cluster.probe.properties(
            f"{rule}-unsafe", {"bootstrap.servers": cluster.bootstrap, **unsafe}
        )
        files[f"{rule}-safe"] = cluster.probe.properties(
            f"{rule}-safe", {"bootstrap.servers": cluster.bootstrap, **safe}
        )
    for name, (config, _rule, _refused) in EDGES.items():
        files[name] = cluster.probe.properties(name, {"bootstrap.servers": cluster.bootstrap, **config})
    results = cluster.probe.run("construct", *files.values(), timeout=120)
    by_file = {result["file"]: result for result in results}
    return {name: by_file[str(path)] for name, path in files.items()}


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_producer_refuses_unsafe_config(rule: str, constructed: dict[str, JsonDict], figures: Any) -> None:
    unsafe, safe, message = CASES[rule]
    refused, accepted = constructed[f"{rule}-unsafe"], constructed[f"{rule}-safe"]
    figures["unsafe config"] = unsafe
    figures["client says"] = f"{refused.get('exception')}: {refused.get('config_exception')}"
    figures["corrected config starts"] = accepted["ok"]
    assert refused["ok"] is False, f"{rule}: KafkaProducer accepted {unsafe}"
    assert refused.get("config_exception") == message
    assert accepted["ok"] is True, f"{rule}: KafkaProducer refused the corrected {safe}: {accepted}"


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_documentation_quotes_kafka(rule: str, constructed: dict[str, JsonDict]) -> None:
    """The rule's docstring (``kafkalint explain``) quotes the message the real client printed."""
    from kafkalint.rules import by_id

    real = constructed[f"{rule}-unsafe"].get("config_exception")
    assert real, f"{rule}: the client gave no ConfigException"
    assert _normalise(real) in _normalise(by_id()[rule].doc), f"{rule}'s documentation does not quote {real!r}"


@pytest.mark.parametrize("rule", sorted(CASES))
def test_kafkalint_agrees_with_the_client(rule: str, linted: dict[str, set[str]], figures: Any) -> None:
    """kafkalint reports the rule on the file the client refused, and not on the corrected one."""
    figures["kafkalint on the unsafe file"] = sorted(linted[f"{rule}-unsafe"])
    figures["kafkalint on the corrected file"] = sorted(linted[f"{rule}-safe"])
    assert rule in linted[f"{rule}-unsafe"]
    assert rule not in linted[f"{rule}-safe"]


@pytest.mark.parametrize("name", sorted(EDGES))
def test_rule_edges(name: str, constructed: dict[str, JsonDict], linted: dict[str, set[str]], figures: Any) -> None:
    """Where the client starts or refuses near a rule's edge, kafkalint reports the rule exactly then."""
    config, rule, refused = EDGES[name]
    result = constructed[name]
    figures["config"] = config
    figures["client says"] = result.get("config_exception") or "starts"
    figures[f"kafkalint reports {rule}"] = rule in linted[name]
    assert result["ok"] is (not refused), result
    assert (rule in linted[name]) is refused, f"kafkalint: {sorted(linted[name])}"
