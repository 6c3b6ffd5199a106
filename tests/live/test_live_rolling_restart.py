"""playbooks/rolling_restart.yml on the live cluster.

1. It refuses to start while the cluster is unhealthy (a broker stopped: its partitions are
   under-replicated) and restarts nothing.
2. It restarts every broker, one at a time, while an acks=all idempotent producer writes a
   numbered stream to an RF 3 / min ISR 2 topic: no send fails, nothing acknowledged is lost.

See docs/proofs.md#rolling-restart.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from live_cluster import REPO, Cluster, Figures, Host, LiveError, check_stream, finish, run_id

pytestmark = pytest.mark.live

PLAYBOOK = REPO / "playbooks" / "rolling_restart.yml"
STREAM_RATE = 200


def inventory() -> Path:
    return Path(os.environ.get("KAFKA_IAC_INVENTORY") or REPO / "inventories" / "local")


def run_playbook(log: Path, timeout: float) -> tuple[int, float, str]:
    """(exit code, seconds, output) of the rolling restart playbook on the live inventory."""
    tool = Path(sys.executable).parent / "ansible-playbook"
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        try:
            proc = subprocess.run(
                [str(tool), "-i", str(inventory()), str(PLAYBOOK)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=REPO,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LiveError(f"rolling_restart.yml did not finish within {timeout:.0f} s; log: {log}") from exc
    return proc.returncode, round(time.monotonic() - started, 1), log.read_text(encoding="utf-8")


def started_at(cluster: Cluster, host: Host) -> str:
    """When systemd last started the host's kafka unit (changes on every restart)."""
    proc = subprocess.run(
        ["docker", "exec", host.container, "systemctl", "show", "-p", "ExecMainStartTimestampMonotonic", "kafka"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return proc.stdout.strip()


def test_rolling_restart_refuses_an_unhealthy_cluster(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    cluster.require_topic(f"live-refuse-{run_id()}", 3, 3, {"min.insync.replicas": 2})
    victim = cluster.non_controller_brokers()[0]
    others = [host for broker_id, host in cluster.brokers.items() if broker_id != victim]
    with cluster.brokers_stopped(victim):
        before = {host.name: started_at(cluster, host) for host in others}
        code, seconds, output = run_playbook(workdir / "refused.log", timeout=300)
        after = {host.name: started_at(cluster, host) for host in others}
    reason = next((line.strip() for line in output.splitlines() if "the cluster is not healthy" in line), "")
    figures[f"broker {victim} stopped: playbook exit code"] = code
    figures["refused in"] = f"{seconds} s"
    figures["message"] = reason[:300]
    assert code != 0, "the playbook ran on an unhealthy cluster"
    assert "under-replicated-partitions" in reason, output[-3000:]
    assert before == after, "a broker was restarted although the cluster was unhealthy"


def test_rolling_restart_under_load_loses_nothing(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    topic = f"live-rolling-{run_id()}"
    cluster.require_topic(topic, 3, 3, {"min.insync.replicas": 2})
    props = cluster.probe.properties(
        "rolling",
        {"bootstrap.servers": cluster.bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5},
    )
    before = {host.name: started_at(cluster, host) for host in cluster.brokers.values()}
    acked, stop, log = workdir / "acked.txt", workdir / "stop", workdir / "stream.log"
    proc = cluster.probe.start(
        "stream",
        props,
        topic,
        f"acked={acked}",
        "keys=12",
        f"rate={STREAM_RATE}",
        "duration_s=900",
        f"stop={stop}",
        log=log,
    )
    try:
        cluster.wait_until(
            "the stream is acknowledged", lambda: acked.exists() and acked.stat().st_size > 10_000, timeout=60
        )
        cluster.touched = True  # the playbook restarts brokers: wait for a healthy cluster after the test
        code, seconds, output = run_playbook(workdir / "rolling.log", timeout=900)
        time.sleep(2)
    finally:
        stop.touch()
        lines = finish(proc, log, timeout=200)
    after = {host.name: started_at(cluster, host) for host in cluster.brokers.values()}
    summary = next((line for line in lines if line["mode"] == "stream-summary"), None)
    assert summary is not None, f"stream printed no summary: {log.read_text(encoding='utf-8')[-2000:]}"
    consumed = workdir / "consumed.txt"
    read = cluster.probe.one("consume", cluster.bootstrap, topic, consumed, "timeout_s=90", timeout=150)
    result = check_stream(acked, consumed)
    figures["playbook exit code"] = code
    figures["rolling restart of 3 brokers took"] = f"{seconds} s"
    figures["brokers restarted"] = sum(1 for name in before if before[name] != after[name])
    figures["sends / failed sends"] = f"{summary['sent']} / {summary['failed']} {summary['errors'] or ''}".strip()
    figures.update(result.as_dict())
    assert code == 0, output[-4000:]
    assert all(before[name] != after[name] for name in before), "not every broker was restarted"
    assert read.get("complete"), read
    assert summary["failed"] == 0, summary
    assert result.lost == 0, result.lost_examples
    assert result.duplicated == 0
    assert result.out_of_order_keys == 0
