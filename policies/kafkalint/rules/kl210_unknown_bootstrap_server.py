"""``bootstrap.servers`` names an address that is no broker listener of the cluster.

**What it checks.** Every ``host:port`` of a producer profile's ``bootstrap.servers`` against
the brokers of its cluster. An entry is known when it is an advertised listener of a broker
(``advertised.listeners``, else ``listeners``), a listener bound to that host, or a broker's
host name (inventory name or address) on the port of a listener bound to every interface
(``0.0.0.0``, ``::`` or no host). Controller listeners (``controller.listener.names``) and
controller-only nodes do not count. Judged only when every broker is given (an inventory or
cluster file, or loose files with a stated broker count they reach): an address no given
broker has may be another broker's. An entry without a port is reported too: Kafka refuses it at start-up.

**Why.** The producer makes its first connection to these addresses; an address where no broker
listens (a typo, a decommissioned host, the wrong port, a controller port) fails at run time
with connection errors until ``max.block.ms`` runs out, or, when every entry is wrong, the
producer never starts working. Kafka only finds out when it tries.

Problematic (brokers listen on 9092)::

    bootstrap.servers=kafka1:9093,kafka4:9092

Correct::

    bootstrap.servers=kafka1:9092,kafka2:9092,kafka3:9092

**Source.** Kafka documentation, ``bootstrap.servers``, broker ``listeners`` /
``advertised.listeners``; apache/kafka
``clients/src/main/java/org/apache/kafka/clients/ClientUtils.java``
(``parseAndValidateAddresses``: "Invalid url in bootstrap.servers: ..."); seeds ``000`` /
``001`` (bootstrap.servers: 카프카 클러스터에 처음 연결을 하기 위한 호스트와 포트 정보).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint import listeners
from kafkalint.facts import producers_where
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, ConfigMap, Model, ProducerProfile
from kafkalint.rules import _producer
from kafkalint.rules._cluster import all_brokers_given, runs_broker
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import location_of

ID = "KL210"
NAME = "unknown-bootstrap-server"
SEVERITY = Severity.ERROR

BOOTSTRAP = "bootstrap.servers"


def _known_addresses(cluster: Cluster) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(host:port pairs a broker advertises or binds by name, pairs reachable through a
    listener bound to every interface); controller-only nodes do not count."""
    exact: set[tuple[str, int]] = set()
    wildcard: set[tuple[str, int]] = set()
    for broker in cluster.brokers:
        if not runs_broker(broker):
            continue
        named, through_wildcard = listeners.client_addresses(broker.config, {broker.name})
        exact |= named
        wildcard |= through_wildcard
    return exact, wildcard


def _unknown(config: ConfigMap, exact: set[tuple[str, int]], wildcard: set[tuple[str, int]]) -> list[str]:
    """The bootstrap entries no broker listener serves, as the message names them."""
    unknown: list[str] = []
    for entry in _producer.bootstrap_entries(config):
        host, port = listeners.split_address(entry)
        if port is None:
            refusal = f"Invalid url in bootstrap.servers: {entry}"
            unknown.append(f'{entry} (no port: Kafka refuses it, "{refusal}")')
        elif (host, port) not in exact and (host, port) not in wildcard:
            unknown.append(entry)
    return unknown


def _names_unknown(exact: set[tuple[str, int]], wildcard: set[tuple[str, int]], profile: ProducerProfile) -> bool:
    return bool(_unknown(profile.config, exact, wildcard))


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if not all_brokers_given(cluster):
            continue  # an address no given broker has may be another broker's
        exact, wildcard = _known_addresses(cluster)
        if not exact and not wildcard:
            continue
        for profile in producers_where(cluster, partial(_names_unknown, exact, wildcard)):
            config = profile.config
            unknown = _unknown(config, exact, wildcard)
            known = sorted(listeners.address(host, port) for host, port in exact)
            yield Finding(
                rule_id=ID,
                message=message(
                    f"bootstrap.servers names {', '.join(unknown)}, no broker listener of the cluster "
                    f"({', '.join(known) or 'none advertised'})",
                    "the producer cannot connect there",
                    "replace it with the brokers' listeners",
                ),
                location=location_of(config, BOOTSTRAP),
                subject=profile_subject(profile),
                hint="Leave bootstrap.servers out of an inventory profile: it is derived from the brokers.",
            )
