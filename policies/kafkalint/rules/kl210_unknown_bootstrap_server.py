"""``bootstrap.servers`` names an address that is no broker listener of the cluster.

What it checks
    Every ``host:port`` of a producer profile's ``bootstrap.servers`` against the brokers of
    its cluster. An entry is known when it is an advertised listener of a broker
    (``advertised.listeners``, else ``listeners``), a listener bound to that host, or a
    broker's host name (inventory name or address) on the port of a listener bound to every
    interface (``0.0.0.0``, ``::`` or no host). Controller listeners
    (``controller.listener.names``) and controller-only nodes do not count. Judged only for a
    complete broker list (an inventory or cluster file). An entry without a port is reported
    too: Kafka refuses it at start-up.

Why
    The producer makes its first connection to these addresses; an address where no broker
    listens (a typo, a decommissioned host, the wrong port, a controller port) fails at run
    time with connection errors until ``max.block.ms`` runs out, or, when every entry is
    wrong, the producer never starts working. Kafka only finds out when it tries.

Problematic (brokers listen on 9092)::

    bootstrap.servers=kafka1:9093,kafka4:9092

Correct::

    bootstrap.servers=kafka1:9092,kafka2:9092,kafka3:9092

Source
    Kafka documentation, ``bootstrap.servers``, broker ``listeners`` / ``advertised.listeners``;
    apache/kafka ``clients/src/main/java/org/apache/kafka/clients/ClientUtils.java``
    (``parseAndValidateAddresses``: "Invalid url in bootstrap.servers: ..."); seeds ``000`` /
    ``001`` (bootstrap.servers: 카프카 클러스터에 처음 연결을 하기 위한 호스트와 포트 정보).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Model
from kafkalint.rules import _producer

ID = "KL210"
NAME = "unknown-bootstrap-server"
SEVERITY = Severity.ERROR

BOOTSTRAP = "bootstrap.servers"
_LISTENER = re.compile(r"^\s*([A-Za-z0-9_]+)://(\[[^\]]*\]|[^:/]*):(\d+)\s*$")
_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}


def _listeners(broker: Broker, key: str) -> list[tuple[str, str, int]]:
    """(name, host, port) of the listeners in ``key``, controller listeners left out."""
    controllers = {name.upper() for name in _producer.as_list(broker.config.get("controller.listener.names"))}
    result = []
    for entry in _producer.as_list(broker.config.get(key)):
        match = _LISTENER.match(entry)
        if match is None:
            continue  # KL304 judges malformed listeners
        name, host, port = match.groups()
        if name.upper() in controllers:
            continue
        result.append((name.upper(), host.strip("[]").lower(), int(port)))
    return result


def _known_addresses(cluster: Cluster) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(exact host:port pairs, pairs reachable through a wildcard bind)."""
    exact: set[tuple[str, int]] = set()
    wildcard: set[tuple[str, int]] = set()
    for broker in cluster.brokers:
        roles = {role.lower() for role in _producer.as_list(broker.config.get("process.roles"))}
        if roles == {"controller"}:
            continue
        bound = _listeners(broker, "listeners")
        advertised = _listeners(broker, "advertised.listeners") if "advertised.listeners" in broker.config else []
        if not advertised:
            advertised = [item for item in bound if item[1] not in _WILDCARDS]
        aliases = {broker.name.lower()} | {host for _name, host, _port in advertised}
        aliases |= {host for _name, host, _port in bound if host not in _WILDCARDS}
        exact |= {(host, port) for _name, host, port in advertised}
        for _name, host, port in bound:
            if host in _WILDCARDS:
                wildcard |= {(alias, port) for alias in aliases}
            else:
                exact.add((host, port))
    return exact, wildcard


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if not cluster.complete or not cluster.brokers:
            continue
        exact, wildcard = _known_addresses(cluster)
        if not exact and not wildcard:
            continue
        for profile in cluster.producers:
            config = profile.config
            unknown: list[str] = []
            for entry in _producer.bootstrap_entries(config):
                host, port = _producer.split_address(entry)
                if port is None:
                    refusal = f"Invalid url in bootstrap.servers: {entry}"
                    unknown.append(f'{entry} (no port: Kafka refuses it, "{refusal}")')
                elif (host, port) not in exact and (host, port) not in wildcard:
                    unknown.append(entry)
            if not unknown:
                continue
            listeners = sorted(f"{host}:{port}" for host, port in exact)
            yield Finding(
                rule_id=ID,
                message=(
                    f"Replace {', '.join(unknown)} in bootstrap.servers with broker listeners of the cluster "
                    f"({', '.join(listeners) or 'none advertised'}): the producer cannot connect there"
                ),
                location=config.location_of(BOOTSTRAP),
                subject=_producer.subject(profile),
                hint="Leave bootstrap.servers out of an inventory profile: it is derived from the brokers.",
            )
