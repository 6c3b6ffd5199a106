"""Fault proofs on the live KRaft cluster (three dedicated controllers, three brokers, Kafka 4.4).

1. A partition leader SIGKILLed under a keyed acks=all idempotent stream: nothing acknowledged is
   lost, duplicated or out of order (the same stream and check as ZooKeeper mode).
2. The active controller SIGKILLed: the two other voters elect a new leader (time measured with
   DescribeMetadataQuorum polled on the controllers) while the stream goes on without a failed send.
3. Two of the three controllers down: what produce and topic creation do without a quorum,
   observed and recorded, then how long the cluster takes to serve metadata again when they return.

kafkalint's verdict on the same topology is part of each proof (KL501: three voters tolerate one
failure, not two). See docs/proofs.md#kraft.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from live_cluster import (
    NO_LOSS_PRODUCER,
    STREAM_RATE,
    Cluster,
    Figures,
    LiveError,
    assert_nothing_lost,
    elapsed_since,
    kafkalint_rules,
    no_loss_through_leader_kill,
    run_id,
    start_stream,
    stream_figures,
)

pytestmark = pytest.mark.live

PARTITIONS = 3
#: A SIGKILLed KRaft broker stops heartbeating; the active controller fences it after
#: broker.session.timeout.ms (9 s by default) and moves leadership.
DETECTED_BY = "controller fences the broker after broker.session.timeout.ms"


def no_loss_topic(cluster: Cluster, name: str) -> str:
    topic = f"live-kraft-{name}-{run_id()}"
    cluster.require_topic(topic, PARTITIONS, 3, {"min.insync.replicas": 2})
    return topic


def quorum_leader(cluster: Cluster) -> tuple[int, int]:
    """(leader id, epoch) of the quorum; leader -1 while there is none."""
    info = cluster.quorum(timeout_ms=2000)
    if not info.get("ok"):
        raise LiveError(f"quorum not described: {info.get('exception')}: {info.get('message')}")
    return int(info["leader"]), int(info["epoch"])


def test_kraft_no_acknowledged_write_lost_when_partition_leader_is_killed(
    cluster: Cluster, workdir: Path, figures: Figures
) -> None:
    verdict, result, summary = no_loss_through_leader_kill(cluster, workdir, figures, detected_by=DETECTED_BY)
    # Durability, producers and the quorum (KL1xx, KL2xx, KL5xx); the testbed's PLAINTEXT
    # listeners (KL6xx) are true of it and say nothing here.
    reported = {rule for rule, severity in verdict.items() if severity in {"error", "warning"}}
    assert not {rule for rule in reported if rule.startswith(("KL1", "KL2", "KL5"))}
    assert result.acknowledged > STREAM_RATE * 5
    assert_nothing_lost(result, summary)


def test_kraft_active_controller_killed_new_leader_and_produce_goes_on(
    cluster: Cluster, workdir: Path, figures: Figures
) -> None:
    topic = no_loss_topic(cluster, "controller-kill")
    props = cluster.probe.properties("controller-kill", {"bootstrap.servers": cluster.bootstrap, **NO_LOSS_PRODUCER})
    status_before = cluster.metadata_quorum_status()
    stream = start_stream(cluster, props, topic, workdir)
    try:
        stream.wait_acknowledged()
        old_leader, old_epoch = quorum_leader(cluster)
        killed_at = time.monotonic()
        cluster.kill_controller(old_leader)
        acked_at_kill = stream.acknowledged()
        elected: dict[str, Any] = {}

        def new_leader() -> bool:
            leader, epoch = quorum_leader(cluster)
            if leader not in (-1, old_leader):
                elected.update(leader=leader, epoch=epoch, after_s=elapsed_since(killed_at))
                return True
            return False

        cluster.wait_until(f"a quorum leader other than {old_leader}", new_leader, timeout=60, interval=0.2)
        # Metadata goes on: the new active controller creates a topic.
        created = cluster.create_topic(f"live-kraft-after-kill-{run_id()}", 1, 3, timeout_ms=30000)
        created_s = elapsed_since(killed_at)
        # systemd restarts the killed controller (Restart=on-failure); restore waits until it
        # is a caught-up voter again and every partition is in sync.
        cluster.restore(timeout=180)
        rejoined_s = elapsed_since(killed_at)
        time.sleep(3)  # the stream keeps going through the healed cluster
    finally:
        summary = stream.finish()
        cluster.restore(timeout=180)
    status_after = cluster.metadata_quorum_status()
    read, result = stream.check()
    figures["kafka-metadata-quorum before"] = _status(status_before)
    figures["killed active controller"] = (
        f"node {old_leader} (SIGKILL, epoch {old_epoch}), {acked_at_kill} records acknowledged before"
    )
    figures["new quorum leader elected after"] = (
        f"{elected['after_s']} s: node {elected['leader']}, epoch {elected['epoch']}"
        " (DescribeMetadataQuorum on the controllers, polled every 0.2 s)"
    )
    figures["topic created through the new leader after"] = (
        f"{created_s} s" if created["ok"] else f"failed: {created.get('exception')}: {created.get('message')}"
    )
    figures["killed controller a caught-up voter again, cluster in sync after"] = f"{rejoined_s} s"
    figures["kafka-metadata-quorum after"] = _status(status_after)
    stream_figures(figures, summary, result)
    assert elected["leader"] != old_leader
    assert created["ok"], created
    assert read.get("complete"), read
    assert_nothing_lost(result, summary)


def _status(status: dict[str, str]) -> str:
    """LeaderId, LeaderEpoch, HighWatermark and the voters' ids of ``describe --status``."""
    try:
        voters = [voter["id"] for voter in json.loads(status.get("CurrentVoters", "[]"))]
    except (ValueError, TypeError, KeyError):
        voters = [status.get("CurrentVoters", "?")]
    keys = ("LeaderId", "LeaderEpoch", "HighWatermark")
    return ", ".join([*(f"{key} {status.get(key, '?')}" for key in keys), f"CurrentVoters {voters}"])


def produce(cluster: Cluster, props: Path, topic: str, count: int = 20) -> str:
    """``<acknowledged>/<count>[, <first error>]`` of ``count`` synchronous sends (one new
    producer; each send may wait its delivery.timeout.ms, 20 s here, when it cannot complete)."""
    timeout = 30 + 25 * count
    lines = [line for line in cluster.probe.run("send", props, topic, count, timeout=timeout) if line["mode"] == "send"]
    ok = sum(1 for line in lines if line["ok"])
    failure = next((line for line in lines if not line["ok"]), None)
    return f"{ok}/{count}" + (f", {failure['exception'].rsplit('.', 1)[-1]}: {failure['message']}" if failure else "")


def test_kraft_two_of_three_controllers_down_freezes_metadata_until_they_return(
    cluster: Cluster, workdir: Path, figures: Figures
) -> None:
    verdict = kafkalint_rules(cluster, "kraft-quorum")
    figures["kafkalint on this topology (3 voters)"] = {r: s for r, s in verdict.items() if r.startswith("KL5")} or (
        "no KL5xx finding"
    )
    assert "KL501" not in verdict
    topic = no_loss_topic(cluster, "no-quorum")
    props = cluster.probe.properties(
        "kraft-no-quorum",
        {
            "bootstrap.servers": cluster.bootstrap,
            "acks": "all",
            "enable.idempotence": True,
            "linger.ms": 0,
            "request.timeout.ms": 10000,
            "delivery.timeout.ms": 20000,
            "max.block.ms": 20000,
        },
    )
    leader, epoch = quorum_leader(cluster)
    follower = next(node for node in sorted(cluster.controllers) if node != leader)
    survivor = next(node for node in sorted(cluster.controllers) if node not in (leader, follower))
    observed: dict[str, Any] = {"quorum before": f"leader {leader}, epoch {epoch}"}
    # A new idempotent producer needs a producer id, and a KRaft broker allocates its blocks of
    # ids from the controllers (AllocateProducerIds): without a quorum it may wait for one (seen:
    # a new idempotent producer's first send not done after 80 s, while these sends completed).
    # Writes to an existing topic need no controller, so the outage's sends are not idempotent.
    plain = cluster.probe.properties(
        "kraft-no-quorum-plain",
        {
            "bootstrap.servers": cluster.bootstrap,
            "acks": "all",
            "enable.idempotence": False,
            "linger.ms": 0,
            "request.timeout.ms": 10000,
            "delivery.timeout.ms": 20000,
            "max.block.ms": 20000,
        },
    )
    observed["all up: acks=all sends"] = produce(cluster, props, topic)
    during_name = f"live-kraft-no-quorum-{run_id()}"
    try:
        cluster.stop_controller(follower)
        observed[f"controller {follower} (follower) stopped: quorum"] = "leader {}, epoch {}".format(
            *quorum_leader(cluster)
        )
        cluster.stop_controller(leader)
        stopped_at = time.monotonic()
        observed[f"controller {leader} (the leader) stopped too: only {survivor} runs"] = "two of three down"
        # Deleted at the end whatever happens: the request may complete once the quorum returns.
        cluster.topics_created.append(during_name)
        during = cluster.create_topic(during_name, 1, 3, timeout_ms=10000)
        observed["no quorum: create topic (10 s timeout)"] = (
            "created" if during["ok"] else f"{during.get('exception')}: {during.get('message')}"
        )
        observed["no quorum: acks=all sends to an existing topic (not idempotent)"] = produce(cluster, plain, topic)
        # After broker.session.timeout.ms (9 s) without a controller to heartbeat to.
        time.sleep(max(0.0, 12 - (time.monotonic() - stopped_at)))
        observed["no quorum, 12 s on: acks=all sends (not idempotent)"] = produce(cluster, plain, topic)
        info = cluster.quorum(timeout_ms=3000)
        observed[f"no quorum: DescribeMetadataQuorum via controller {survivor}"] = (
            f"leader {info.get('leader')}, epoch {info.get('epoch')}"
            if info.get("ok")
            else f"{info.get('exception')}: {info.get('message')}"
        )
        outage_s = elapsed_since(stopped_at)
        returned_at = time.monotonic()
        cluster.start_controller(leader)
        cluster.start_controller(follower)
        cluster.wait_until(
            "the quorum has a leader again",
            lambda: quorum_leader(cluster)[0] in cluster.controllers,
            timeout=120,
            interval=0.5,
        )
        observed["both back: quorum leader after (s)"] = elapsed_since(returned_at)
        recovered = cluster.retry_create(f"live-kraft-after-quorum-{run_id()}", timeout=120, interval=1)
        observed["both back: topic created after (s)"] = elapsed_since(returned_at)
        observed["both back: create topic"] = "created" if recovered["ok"] else recovered.get("message")
        cluster.restore(timeout=180)
        observed["both back: cluster healthy after (s)"] = elapsed_since(returned_at)
    finally:
        cluster.restore(timeout=240)
    observed["outage lasted (s)"] = outage_s
    late = cluster.describe(during_name)
    observed["the topic requested during the outage exists afterwards"] = bool(late.get("ok"))
    observed["all back: acks=all sends"] = produce(cluster, props, topic)
    figures.update(observed)
    assert not during["ok"], "two of three controllers down, yet a topic was created"
    assert recovered["ok"], f"topic creation still fails after the controllers returned: {recovered}"
