"""The KRaft live cluster for the proofs in this directory (``make kraft-live``).

It is the one ``inventories/kraft`` describes (override with ``KAFKA_IAC_KRAFT_INVENTORY``):
three dedicated controllers and three brokers on Kafka 4.4, brought up by ``make
kraft-cluster``. One cluster serves every proof here; this ``cluster`` replaces the
ZooKeeper-mode one of ``tests/live/conftest.py`` for these tests only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_cluster import REPO, Cluster, session_cluster


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    inventory = Path(os.environ.get("KAFKA_IAC_KRAFT_INVENTORY") or REPO / "inventories" / "kraft")
    yield from session_cluster(
        inventory,
        tmp_path_factory.mktemp("kraft-live"),
        "`make kraft-cluster` (scripts/testhosts.py --testbed kraft up; "
        "ansible-playbook -i inventories/kraft playbooks/site.yml)",
    )
