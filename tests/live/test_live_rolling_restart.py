"""playbooks/rolling_restart.yml on the live cluster.

1. It refuses to start while the cluster is unhealthy (a broker stopped: its partitions are
   under-replicated) and restarts nothing.
2. It restarts every broker, one at a time, while an acks=all idempotent producer writes a
   numbered stream to an RF 3 / min ISR 2 topic: no send fails, nothing acknowledged is lost.

See docs/proofs.md#rolling-restart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_cluster import (
    Cluster,
    Figures,
    assert_nothing_lost,
    rolling_restart_under_load,
    run_id,
    run_playbook,
    started_at,
)

pytestmark = pytest.mark.live

STREAM_RATE = 200


def test_rolling_restart_refuses_an_unhealthy_cluster(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    cluster.require_topic(f"live-refuse-{run_id()}", 3, 3, {"min.insync.replicas": 2})
    victim = cluster.non_controller_brokers()[0]
    others = [host for broker_id, host in cluster.brokers.items() if broker_id != victim]
    with cluster.brokers_stopped(victim):
        before = {host.name: started_at(cluster, host) for host in others}
        code, seconds, output = run_playbook(cluster, workdir / "refused.log", timeout=300)
        after = {host.name: started_at(cluster, host) for host in others}
    reason = next((line.strip() for line in output.splitlines() if "the cluster is not healthy" in line), "")
    figures[f"broker {victim} stopped: playbook exit code"] = code
    figures["refused in"] = f"{seconds} s"
    figures["message"] = reason[:300]
    assert code != 0, "the playbook ran on an unhealthy cluster"
    assert "under-replicated-partitions" in reason, output[-3000:]
    assert before == after, "a broker was restarted although the cluster was unhealthy"


def test_rolling_restart_under_load_loses_nothing(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    outcome = rolling_restart_under_load(cluster, workdir, figures, rate=STREAM_RATE)
    assert outcome.code == 0, outcome.output[-4000:]
    assert len(outcome.restarted()) == len(cluster.brokers), "not every broker was restarted"
    assert outcome.read.get("complete"), outcome.read
    assert_nothing_lost(outcome.result, outcome.summary)
