"""playbooks/rolling_restart.yml on the live KRaft cluster, under load.

The playbook restarts the three controllers (followers first, the active controller last, each
only while every voter is caught up) and then the three brokers one at a time, while an acks=all
idempotent producer writes a numbered stream to an RF 3 / min ISR 2 topic: no send fails, nothing
acknowledged is lost, duplicated or out of order. See docs/proofs.md#kraft-rolling-restart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_cluster import Cluster, Figures, assert_nothing_lost, rolling_restart_under_load

pytestmark = pytest.mark.live

STREAM_RATE = 200


def test_kraft_rolling_restart_under_load_loses_nothing(cluster: Cluster, workdir: Path, figures: Figures) -> None:
    leader_before = cluster.quorum().get("leader")
    outcome = rolling_restart_under_load(cluster, workdir, figures, rate=STREAM_RATE)
    # The order the playbook restarted the nodes in: systemd's start stamps (monotonic, one clock
    # for every container of the testbed).
    nodes = [*cluster.controllers.values(), *cluster.brokers.values()]
    order = sorted(nodes, key=lambda host: int(outcome.after[host.name].partition("=")[2] or 0))
    figures["active controller before"] = leader_before
    figures["restart order"] = [
        f"{'controller' if host.controller_id is not None else 'broker'} {host.controller_id or host.broker_id}"
        for host in order
    ]
    assert outcome.code == 0, outcome.output[-4000:]
    assert len(outcome.restarted()) == len(nodes), "not every controller and broker was restarted"
    # Controllers first, the active one last among them; then the brokers.
    assert [host.controller_id is not None for host in order] == [True] * 3 + [False] * 3
    assert order[2].controller_id == leader_before
    assert outcome.read.get("complete"), outcome.read
    assert_nothing_lost(outcome.result, outcome.summary)
