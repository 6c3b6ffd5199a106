"""``bootstrap.servers`` names one host of a multi-broker cluster: no failover at connect time.

**What it checks.** A producer profile whose ``bootstrap.servers`` names a single host while
its cluster has two or more brokers (an inventory's, or loose broker files of one cluster);
the ``bootstrap.servers`` an inventory derives lists every broker.

**Why.** Any broker can answer the first metadata request, since a Kafka cluster has no master
(seeds: "클러스터 마스터라는 개념이 없어서 모든 서버가 클라이언트의 요청을 받을 수
있음"). The bootstrap list is only used to make that first connection, but when the one
host named is down, restarting or replaced, the application cannot start at all although the
rest of the cluster is fine. Kafka accepts a single entry.

Problematic (three brokers)::

    bootstrap.servers=kafka1:9092

Correct::

    bootstrap.servers=kafka1:9092,kafka2:9092,kafka3:9092

**Source.** seeds ``001`` ("하나만 입력해도 되지만, 해당 호스트가 장애날 경우 접속이
불가하므로 리스트 전체를 입력" -- one entry works, but list them all, or a failure of that
host blocks the connection); Kafka documentation, ``bootstrap.servers``. A single DNS name
that resolves to every broker is a valid design: suppress the finding with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import ConfigMap, Model
from kafkalint.rules import _producer
from kafkalint.rules._cluster import known_brokers, least_brokers
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import location_of

ID = "KL209"
NAME = "single-bootstrap-server"
SEVERITY = Severity.WARNING

BOOTSTRAP = "bootstrap.servers"


def _one_host(config: ConfigMap) -> bool:
    return len({listeners.split_address(entry)[0] for entry in _producer.bootstrap_entries(config)}) == 1


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        brokers = least_brokers(cluster)
        if brokers < 2:
            continue
        for profile in producers_where(cluster, lambda profile: _one_host(profile.config)):
            config = profile.config
            entries = _producer.bootstrap_entries(config)
            yield Finding(
                rule_id=ID,
                message=message(
                    f"bootstrap.servers names one host ({', '.join(entries)}) of a cluster of "
                    f"{brokers if known_brokers(cluster) is not None else f'at least {brokers}'} brokers",
                    "the producer cannot connect while this one host is down",
                    "list more brokers in bootstrap.servers",
                ),
                location=location_of(config, BOOTSTRAP),
                subject=profile_subject(profile),
                hint="Leave bootstrap.servers out of an inventory profile: it is derived from every broker.",
            )
