"""KL207 on the live cluster: the seeds' example, ``batch.size`` 16 KiB x 5 partitions.

A producer whose ``buffer.memory`` (64 KiB) is below ``batch.size`` x partitions (80 KiB) writes
a burst to a 5-partition topic while one partition leader stalls for a few seconds (its JVM is
stopped with SIGSTOP, as a long GC pause or a stuck disk would). The batches for the stalled
leader's partitions hold the whole buffer, so ``send()`` blocks for ``max.block.ms`` and fails
with BufferExhaustedException for every partition, the healthy ones included. The same burst
with the default 32 MiB buffer is accepted without blocking and delivered once the leader
resumes. A 96 KiB buffer (just above the rule's threshold) is measured too, as a figure.
See docs/proofs.md#kl207.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_cluster import Cluster, Figures, JsonDict, finish, kafkalint_rules, run_id

pytestmark = pytest.mark.live

PARTITIONS = 5
BATCH_SIZE = 16 * 1024
MAX_BLOCK_MS = 1500
RECORDS = 2000
RECORD_BYTES = 1000
STALL_SECONDS = 7.0
BUFFER_EXHAUSTED = "BufferExhaustedException"


@contextlib.contextmanager
def broker_stalled(cluster: Cluster, broker_id: int) -> Iterator[None]:
    """Freeze the broker's JVM (SIGSTOP) and always thaw it (SIGCONT). The stall stays far below
    zookeeper.session.timeout.ms and replica.lag.time.max.ms, so no leader or ISR changes."""
    host = cluster.brokers[broker_id]
    cluster.systemctl(host, "kill", "--signal=SIGSTOP", "kafka")
    try:
        yield
    finally:
        cluster.systemctl(host, "kill", "--signal=SIGCONT", "kafka")


def producer(cluster: Cluster, name: str, buffer_memory: int | None) -> Path:
    config: dict[str, Any] = {
        "bootstrap.servers": cluster.bootstrap,
        "acks": "all",
        "batch.size": BATCH_SIZE,
        "linger.ms": 5,
        "max.block.ms": MAX_BLOCK_MS,
        "compression.type": "none",
    }
    if buffer_memory is not None:
        config["buffer.memory"] = buffer_memory
    return cluster.probe.properties(name, config)


def burst_during_stall(cluster: Cluster, props: Path, topic: str, victim: int, workdir: Path) -> JsonDict:
    """Warm the producer up, stall ``victim``, run the burst, thaw after STALL_SECONDS; the
    burst's summary."""
    log, go = workdir / f"{props.stem}.log", workdir / f"{props.stem}.go"
    proc = cluster.probe.start(
        "burst",
        props,
        topic,
        RECORDS,
        f"size={RECORD_BYTES}",
        f"partitions={PARTITIONS}",
        "stop_after_errors=4",
        "close_timeout_ms=60000",
        f"go={go}",
        log=log,
    )
    try:
        cluster.wait_until(
            "the producer is warmed up", lambda: '"burst-ready"' in log.read_text(encoding="utf-8"), timeout=90
        )
        with broker_stalled(cluster, victim):
            go.touch()
            time.sleep(STALL_SECONDS)
    finally:
        lines = finish(proc, log, timeout=120)
    summary = next((line for line in lines if line["mode"] == "burst-summary"), None)
    assert summary is not None, f"burst printed no summary: {log.read_text(encoding='utf-8')[-2000:]}"
    return summary


def describe_run(summary: JsonDict) -> str:
    return (
        f"{summary['acked']}/{summary['attempted']} acked, errors {summary['errors'] or 'none'}, "
        f"longest send() block {summary['max_send_block_ms']} ms, "
        f"failing sends blocked {summary['failed_send_block_ms'][:4]} ms"
    )


def test_kl207_buffer_below_batch_size_times_partitions_fails_sends_under_stall(
    cluster: Cluster, figures: Figures, workdir: Path
) -> None:
    topic = f"live-kl207-{run_id()}"
    entry = {"name": topic, "partitions": PARTITIONS, "replication_factor": 3}
    verdicts = {
        buffer: kafkalint_rules(
            cluster,
            f"kl207-{buffer}",
            [entry],
            [
                {
                    "name": "burst",
                    "topics": [topic],
                    "config": {"acks": "all", "batch.size": BATCH_SIZE, "buffer.memory": buffer},
                }
            ],
        )
        for buffer in (64 * 1024, 96 * 1024, 32 * 1024 * 1024)
    }
    figures["kafkalint reports KL207 for buffer.memory"] = {b: "KL207" in v for b, v in verdicts.items()}
    assert "KL207" in verdicts[64 * 1024]
    assert "KL207" not in verdicts[32 * 1024 * 1024]
    cluster.require_topic(topic, PARTITIONS, 3)
    leaders = cluster.describe(topic)["partitions"]
    candidates = cluster.non_controller_brokers()
    victim = max(candidates, key=lambda b: sum(1 for p in leaders if p["leader"] == b))
    figures["topic"] = f"{PARTITIONS} partitions, batch.size {BATCH_SIZE}, max.block.ms {MAX_BLOCK_MS}"
    figures["stalled broker"] = f"{victim}, leader of {sum(1 for p in leaders if p['leader'] == victim)} partitions"

    small = burst_during_stall(cluster, producer(cluster, "kl207-64k", 64 * 1024), topic, victim, workdir)
    figures["buffer.memory 65536 (< 16 KiB x 5)"] = describe_run(small)
    figures["BufferExhaustedException says"] = small.get("first_error", "")
    cluster.wait_healthy(60)
    above = burst_during_stall(cluster, producer(cluster, "kl207-96k", 96 * 1024), topic, victim, workdir)
    figures["buffer.memory 98304 (> 16 KiB x 5)"] = describe_run(above)
    cluster.wait_healthy(60)
    default = burst_during_stall(cluster, producer(cluster, "kl207-default", None), topic, victim, workdir)
    figures["buffer.memory default 33554432"] = describe_run(default)

    assert small["errors"].get(BUFFER_EXHAUSTED, 0) >= 1, small
    # send() itself blocked for max.block.ms before failing (the rule's prediction).
    assert small["failed_send_block_ms"] and min(small["failed_send_block_ms"]) >= MAX_BLOCK_MS - 50, small
    assert default["failed"] == 0 and default["acked"] == RECORDS, default
    assert default["max_send_block_ms"] < MAX_BLOCK_MS, default
