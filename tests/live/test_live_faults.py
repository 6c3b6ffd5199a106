"""Fault tests on the live cluster: a partition leader killed (SIGKILL) under a numbered stream,
and ZooKeeper losing one, then two, of its three servers.

The stream writes ``key seq`` values (``seq`` counting per key) and the probe logs every
acknowledgement the moment the client reports it; after the fault, a consumer reads the whole
topic and :func:`live_cluster.check_stream` compares the two: acknowledged, consumed,
duplicated, lost, keys out of order. See docs/proofs.md#fault-no-loss, #fault-acks-1 and
#fault-zookeeper.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest
from live_cluster import (
    STREAM_RATE,
    Cluster,
    Figures,
    assert_nothing_lost,
    kafkalint_rules,
    no_loss_through_leader_kill,
    run_id,
    stream_through_leader_kill,
)

pytestmark = pytest.mark.live

PARTITIONS = 3
#: How the controller learns that a SIGKILLed broker is gone, in ZooKeeper mode.
DETECTED_BY = "ZooKeeper session expiry"


def test_no_acknowledged_write_lost_when_leader_is_killed(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    """RF 3, min ISR 2, acks=all idempotent producer: nothing acknowledged is lost or repeated."""
    verdict, result, summary = no_loss_through_leader_kill(cluster, workdir, figures, detected_by=DETECTED_BY)
    # The proof is about durability and producers (KL1xx, KL2xx); the testbed's own transport
    # findings (KL6xx: its listeners are PLAINTEXT) are true of it and say nothing here.
    reported = {rule for rule, severity in verdict.items() if severity in {"error", "warning"}}
    assert not {rule for rule in reported if rule.startswith(("KL1", "KL2"))}
    assert result.acknowledged > STREAM_RATE * 5
    assert_nothing_lost(result, summary)


def test_acks_1_with_unclean_election_contrast(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    """The same fault with acks=1 and unclean.leader.election.enable=true: loss is possible and
    reported, not asserted (it depends on how far the followers lagged at the kill)."""
    topic = f"live-acks1-{run_id()}"
    config: dict[str, object] = {
        "acks": "1",
        "enable.idempotence": False,
        "linger.ms": 5,
        "delivery.timeout.ms": 120000,
    }
    verdict = kafkalint_rules(
        cluster,
        "acks1",
        [
            {
                "name": topic,
                "partitions": PARTITIONS,
                "replication_factor": 3,
                "config": {"unclean.leader.election.enable": True},
            }
        ],
        [{"name": "acks1", "topics": [topic], "config": config}],
    )
    figures["kafkalint on this configuration"] = verdict
    assert "KL106" in verdict
    cluster.require_topic(topic, PARTITIONS, 3, {"unclean.leader.election.enable": True})
    props = cluster.probe.properties("acks1", {"bootstrap.servers": cluster.bootstrap, **config})
    result, _summary = stream_through_leader_kill(cluster, topic, props, workdir, figures, detected_by=DETECTED_BY)
    assert result.acknowledged > STREAM_RATE * 5
    assert result.consumed > 0


# ------------------------------------------------------------------------------------ ZooKeeper


def zookeeper_mode(address: str, port: int) -> str:
    """``leader``, ``follower``, ``standalone``, ``not serving`` or ``down`` (the ``srvr`` word)."""
    try:
        with socket.create_connection((address, port), timeout=3) as conn:
            conn.sendall(b"srvr")
            conn.settimeout(3)
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
    except OSError:
        return "down"
    text = data.decode(errors="replace")
    for line in text.splitlines():
        if line.startswith("Mode:"):
            return line.split(":", 1)[1].strip()
    return "not serving" if "not currently serving" in text else text.strip()[:60] or "no answer"


def modes(cluster: Cluster) -> dict[int, str]:
    return {zk_id: zookeeper_mode(h.address, h.zookeeper_port) for zk_id, h in sorted(cluster.ensemble.items())}


def produce_and_read(
    cluster: Cluster, props: Path, topic: str, workdir: Path, name: str, *, count: int = 20
) -> tuple[str, int]:
    """("<acknowledged>/<count>[, <first error>]", records a consumer read or -1)."""
    lines = [line for line in cluster.probe.run("send", props, topic, count, timeout=150) if line["mode"] == "send"]
    ok = sum(1 for line in lines if line["ok"])
    failure = next((line for line in lines if not line["ok"]), None)
    sent = f"{ok}/{count}" + (f", {failure['exception'].rsplit('.', 1)[-1]}" if failure else "")
    read = cluster.probe.one("consume", cluster.bootstrap, topic, workdir / f"{name}.txt", "timeout_s=20", timeout=60)
    return sent, int(read.get("records", 0)) if read.get("complete") else -1


def test_zookeeper_quorum_loss_freezes_metadata_until_it_returns(
    cluster: Cluster, workdir: Path, figures: Figures
) -> None:
    topic = f"live-zk-{run_id()}"
    cluster.require_topic(topic, 1, 3)
    props = cluster.probe.properties(
        "zk",
        {
            "bootstrap.servers": cluster.bootstrap,
            "acks": "all",
            "linger.ms": 0,
            "request.timeout.ms": 10000,
            "delivery.timeout.ms": 20000,
            "max.block.ms": 20000,
        },
    )
    before = modes(cluster)
    figures["ensemble before"] = before
    zk_leader = next((zk_id for zk_id, mode in before.items() if mode == "leader"), None)
    assert zk_leader is not None, f"no ZooKeeper leader: {before}"
    second = next(zk_id for zk_id in sorted(cluster.ensemble) if zk_id != zk_leader)
    observed: dict[str, Any] = {}
    with cluster.zookeepers_stopped(zk_leader):
        started = time.monotonic()
        cluster.wait_until(
            "the two remaining ZooKeeper servers elect a leader",
            lambda: "leader" in modes(cluster).values(),
            timeout=60,
        )
        observed["one down: new ZooKeeper leader after (s)"] = round(time.monotonic() - started, 1)
        observed["one down: ensemble"] = modes(cluster)
        observed["one down: acks=all sends ok / records read"] = produce_and_read(cluster, props, topic, workdir, "one")
        created = cluster.create_topic(f"live-zk-one-down-{run_id()}", 1, 3, timeout_ms=30000)
        observed["one down: create topic"] = "created" if created["ok"] else created.get("exception")

        cluster.stop_zookeeper(second)
        cluster.wait_until(
            "the last ZooKeeper server stops serving",
            lambda: all(mode in {"down", "not serving"} for mode in modes(cluster).values()),
            timeout=30,
        )
        observed["two down: ensemble"] = modes(cluster)
        during_name = f"live-zk-two-down-{run_id()}"
        # Deleted at the end whatever happens: the request may complete once ZooKeeper returns.
        cluster.topics_created.append(during_name)
        during = cluster.create_topic(during_name, 1, 3, timeout_ms=10000)
        observed["two down: create topic"] = (
            "created" if during["ok"] else f"{during.get('exception')}: {during.get('message')}"
        )
        # Writes during the outage are not measured: whether they wait for ZooKeeper depends on
        # whether an ISR change is due, and a Java producer then blocked past every bound we set
        # (seen once in CI-like runs), which made the test flaky without proving a rule.
        outage_started = time.monotonic()
    # The context manager started both servers again and waited for a healthy cluster.
    observed["both back: cluster healthy after (s)"] = round(time.monotonic() - outage_started, 1)
    recovered = cluster.retry_create(f"live-zk-after-{run_id()}")
    observed["both back: create topic"] = "created" if recovered["ok"] else recovered.get("message")
    late = cluster.describe(during_name)
    observed["both back: the topic requested during the outage exists"] = bool(late.get("ok"))
    figures.update(observed)
    assert created["ok"], f"one ZooKeeper server down: topic creation failed: {created}"
    assert observed["one down: acks=all sends ok / records read"][0] == "20/20"
    assert not during["ok"], "two of three ZooKeeper servers down, yet a topic was created"
    assert recovered["ok"], f"topic creation still fails after ZooKeeper returned: {recovered}"
