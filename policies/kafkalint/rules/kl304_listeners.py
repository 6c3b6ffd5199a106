"""Broker listeners are inconsistent: the broker refuses to start, or clients cannot reach it.

**What it checks.** On every broker, the listener settings as Kafka 3.9 validates them
(``KafkaConfig`` and ``CoreUtils.listenerListToEndPoints``), whether they are written by hand in
``server.properties`` or derived from an inventory (``kafka_broker_listen_address``,
``kafka_broker_port``, ``ansible_host``):

- an entry of ``listeners`` / ``advertised.listeners`` that is not ``NAME://host:port``, or whose
  listener name has no ``listener.security.protocol.map`` entry;
- two ``listeners`` with the same name, or on the same port (unless exactly one IPv4 and one
  IPv6 address share it); two ``advertised.listeners`` with the same name;
- both ``inter.broker.listener.name`` and ``security.inter.broker.protocol`` set; an
  ``inter.broker.listener.name`` without a protocol map entry;
- the inter-broker listener (``inter.broker.listener.name``, else the listener named after
  ``security.inter.broker.protocol``, PLAINTEXT by default) is not advertised; no broker
  listener is advertised at all;
- advertised listener names that ``listeners`` does not define;
- an advertised ``0.0.0.0`` (also when ``advertised.listeners`` is unset and ``listeners`` binds
  ``0.0.0.0``, since Kafka then advertises ``listeners``);
- an advertised loopback address (``localhost``, ``127.x``, ``::1``) in a cluster that spans
  several hosts (another broker advertises a routable address, or one on the same port), and
  two brokers advertising the same ``host:port``: the checks Kafka does not make.

Broker and controller nodes alike get the checks of their own listeners; what is advertised
to clients is judged on nodes with the broker role.

**Why.** The broker validates these at startup and exits; or, for an advertised loopback
address, starts and hands every client and every other broker an address that points at
themselves, so replication and clients fail with connection errors. Two brokers advertising
one address (a copied ``ansible_host`` or ``advertised.listeners``) both start, but the
metadata sends every client to the same machine for the partitions of both.

**Kafka rejects it** them at startup with (values filled in; the two long ones are one line each)::

    Error creating broker listeners from '<listeners>': No security protocol defined for listener <NAME>
    Error creating broker listeners from '<listeners>': Unable to parse <entry> to a broker endpoint
    Each listener must have a different name, listeners: <listeners>
    Each listener must have a different port, listeners: <listeners>
    Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.
    Listener with name <NAME> defined in inter.broker.listener.name not found in listener.security.protocol.map.
    There must be at least one broker advertised listener.
    inter.broker.listener.name must be a listener name defined in advertised.listeners.
        The valid options based on currently configured listeners are <names>
    advertised.listeners listener names must be equal to or a subset of the ones defined in
        listeners. Found <names>. The valid options based on the current configuration are <names>
    advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.

Kafka logs the checks it makes with Scala's ``require`` (the duplicate name and port, advertised
listener and 0.0.0.0 messages) as ``java.lang.IllegalArgumentException: requirement failed:
<message>``. Before 3.9 the advertised-listener text is ``There must be at least one advertised
listener.``; from 4.2 Kafka prints ``<listeners>`` as a list, ``[PLAINTEXT://:9092,
CONTROLLER://:9093]``.

The places of the KRaft controller listeners (``controller.listener.names`` in a broker-only
node's ``listeners``, a controller-only node's other listeners, a controller name without a
protocol on a broker-only node) are KL504's; every name in ``listeners`` and
``advertised.listeners`` without a protocol, controller listeners included, is this rule's.

**Where.** The line to change: the protocol map for an unmapped name (when unset, the line
naming the listener); ``inter.broker.listener.name`` when set; else ``advertised.listeners``
(when unset, ``listeners``, whose value Kafka advertises); in an inventory, the variable the
derived key comes from (the host's line for ``ansible_host``).

Problematic::

    listeners=INTERNAL://0.0.0.0:9093,EXTERNAL://0.0.0.0:9092
    advertised.listeners=EXTERNAL://kafka1.example.com:9092
    inter.broker.listener.name=INTERNAL

Correct::

    listeners=INTERNAL://0.0.0.0:9093,EXTERNAL://0.0.0.0:9092
    advertised.listeners=INTERNAL://kafka1.internal:9093,EXTERNAL://kafka1.example.com:9092
    listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:SSL
    inter.broker.listener.name=INTERNAL

**Source.** apache/kafka 3.9 ``core/src/main/scala/kafka/server/KafkaConfig.scala``
(``validateValues``, ``getInterBrokerListenerNameAndSecurityProtocol``),
``core/src/main/scala/kafka/utils/CoreUtils.scala`` (``listenerListToEndPoints``),
``server/src/main/java/org/apache/kafka/network/SocketServerConfigs.java``; Kafka
documentation, ``listeners`` and ``advertised.listeners`` (KIP-103).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import (
    ADVERTISED,
    CONTROLLER_NAMES,
    INTER_BROKER_NAME,
    INTER_BROKER_PROTOCOL,
    LISTENERS,
    PROTOCOL_MAP,
    PROTOCOLS,
    Endpoint,
)
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Model
from kafkalint.rules._cluster import roles, runs_broker
from kafkalint.rules._report import Collector, brokers_phrase, message
from kafkalint.rules._values import str_value, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL304"
NAME = "listeners"
SEVERITY = Severity.ERROR

#: Kafka 3.9 separates broker and controller advertised listeners (KIP-853); 4.2 reads listener
#: lists as LIST values.
CONTROLLERS_ADVERTISED = KafkaVersion(3, 9)
LIST_SINCE = KafkaVersion(4, 2)


@dataclass(frozen=True)
class _Problem:
    """A broker whose listeners Kafka refuses, and why."""

    broker: Broker
    message: str


def _refuses(problem: str, change: str, kafka: str) -> str:
    return message(problem, "the broker does not start", change, kafka=kafka)


class _BrokerListeners:
    """One broker's listeners, parsed as Kafka parses them, with the problems found."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.config: ConfigMap = broker.config
        self.map = listeners.protocol_map(broker.config)
        self.problems: list[tuple[Location, str, str]] = []
        self.unmapped: set[str] = set()
        self.listeners_text = str_value(self.config, LISTENERS) or ""
        self.advertised_explicit = ADVERTISED in self.config
        self.advertised_text = str_value(self.config, ADVERTISED) if self.advertised_explicit else None
        self.listeners = self._parse(self.listeners_text, LISTENERS)
        if self.advertised_text is not None:
            self.advertised = self._parse(self.advertised_text, ADVERTISED)
        else:
            self.advertised = self.listeners

    def add(self, where: Location, kind: str, text: str) -> None:
        self.problems.append((where, kind, text))

    @property
    def advertised_where(self) -> Location:
        return where_to_change(self.config, ADVERTISED if self.advertised_explicit else LISTENERS)

    def _parse(self, text: str, key: str) -> list[Endpoint]:
        # Kafka 4.2+ reads listeners as a LIST and prints it as one: [A, B]
        shown = listeners.java_list(listeners.entries(text)) if self.config.version >= LIST_SINCE else text
        result = []
        for entry in listeners.entries(text):
            endpoint = listeners.parse_endpoint(entry)
            if endpoint is None:
                self.add(
                    where_to_change(self.config, key),
                    f"parse:{entry}",
                    _refuses(
                        f'{key} entry "{entry}" is not NAME://host:port',
                        "fix the entry",
                        f"Error creating broker listeners from '{shown}': Unable to parse {entry} to a broker endpoint",
                    ),
                )
                continue
            name = endpoint.name
            if name not in self.map and name not in self.unmapped:
                self.unmapped.add(name)
                # The map's line when written; else the line naming the listener (a properties
                # file has no line for a key it lacks).
                self.add(
                    where_to_change(self.config, PROTOCOL_MAP if PROTOCOL_MAP in self.config else key),
                    f"map:{name}",
                    _refuses(
                        f"listener name {name} of {key} has no security protocol",
                        f"add {name}:<PROTOCOL> to {PROTOCOL_MAP}",
                        f"Error creating broker listeners from '{shown}': No security protocol defined for listener "
                        f"{name}",
                    ),
                )
            # Kept for the later checks: they are what Kafka reports once the map is fixed.
            result.append(endpoint)
        names_seen = [endpoint.name for endpoint in result]
        if len(set(names_seen)) != len(names_seen):
            self.add(
                where_to_change(self.config, key),
                f"names:{key}",
                _refuses(
                    f"{key} repeats a listener name",
                    "give each listener its own name",
                    f"Each listener must have a different name, {LISTENERS}: {text}",
                ),
            )
        return result

    def check_ports(self) -> None:
        text = self.listeners_text
        by_port: dict[int, list[Endpoint]] = {}
        for endpoint in self.listeners:
            if endpoint.port != 0:
                by_port.setdefault(endpoint.port, []).append(endpoint)
        for port, endpoints in by_port.items():
            if len(endpoints) < 2:
                continue
            with_ip = [endpoint for endpoint in endpoints if listeners.is_ip(endpoint.host)]
            without_ip = [endpoint for endpoint in endpoints if not listeners.is_ip(endpoint.host)]
            if len(without_ip) > 1:
                kafka = f"Each listener must have a different port, listeners: {text}"
            elif len(with_ip) == 2:
                versions = {ipaddress.ip_address(endpoint.host or "").version for endpoint in with_ip}
                if versions == {4, 6} and not without_ip:
                    continue
                kafka = (
                    f"If you have two listeners on the same port then one needs to be IPv4 and the other IPv6, "
                    f"listeners: {text}, port: {port}"
                )
            elif with_ip:
                kafka = (
                    f"Each listener must have a different port unless exactly one listener has an IPv4 address and "
                    f"the other IPv6 address, listeners: {text}, port: {port}"
                )
            else:  # pragma: no cover - two endpoints always fall in one of the cases above
                continue
            self.add(
                where_to_change(self.config, LISTENERS),
                f"port:{port}",
                _refuses(f"two listeners share port {port}", "give each its own port", kafka),
            )

    def inter_broker_name(self) -> str | None:
        config = self.config
        if INTER_BROKER_NAME in config:
            name = (str_value(config, INTER_BROKER_NAME) or "").strip().upper()
            if INTER_BROKER_PROTOCOL in config:
                self.add(
                    where_to_change(config, INTER_BROKER_PROTOCOL),
                    "both",
                    _refuses(
                        f"both {INTER_BROKER_NAME} and {INTER_BROKER_PROTOCOL} are set",
                        f"remove {INTER_BROKER_PROTOCOL}",
                        f"Only one of {INTER_BROKER_NAME} and {INTER_BROKER_PROTOCOL} should be set.",
                    ),
                )
            if name and name not in self.map:
                self.add(
                    where_to_change(config, INTER_BROKER_NAME),
                    f"inter-map:{name}",
                    _refuses(
                        f"{INTER_BROKER_NAME}={name} has no security protocol",
                        f"add {name}:<PROTOCOL> to {PROTOCOL_MAP}",
                        f"Listener with name {name} defined in {INTER_BROKER_NAME} not found in {PROTOCOL_MAP}.",
                    ),
                )
                return None
            return name or None
        protocol = (str_value(config, INTER_BROKER_PROTOCOL) or "PLAINTEXT").strip().upper()
        return protocol if protocol in PROTOCOLS else None  # an unknown protocol is KL001's finding

    def check_advertised(self, inter: str | None) -> None:
        controllers = listeners.controller_names(self.config)
        node_roles = roles(self.broker)
        if not node_roles and self.config.version < CONTROLLERS_ADVERTISED:
            controllers = set()  # before 3.9 a ZooKeeper-mode broker's advertised names are all its own
        broker_advertised = [endpoint for endpoint in self.advertised if endpoint.name not in controllers]
        if not node_roles or "broker" in node_roles:
            self._check_broker_advertised(broker_advertised, inter, node_roles)
        if any(endpoint.host == "0.0.0.0" for endpoint in self.advertised):
            self.add(
                self.advertised_where,
                "meta",
                _refuses(
                    f"{ADVERTISED} "
                    + ("" if self.advertised_explicit else f"(unset, so {LISTENERS}) ")
                    + "names 0.0.0.0",
                    "advertise the address clients use",
                    "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.",
                ),
            )

    def _check_broker_advertised(
        self, advertised: list[Endpoint], inter: str | None, node_roles: frozenset[str]
    ) -> None:
        if not advertised:
            if self.listeners or self.advertised_text is not None:
                extra = f" Perhaps all listeners appear in {CONTROLLER_NAMES}?" if "broker" in node_roles else ""
                which = "broker " if self.config.version >= CONTROLLERS_ADVERTISED else ""
                self.add(
                    self.advertised_where,
                    "none",
                    _refuses(
                        "no broker listener is advertised",
                        "advertise a broker listener",
                        f"There must be at least one {which}advertised listener.{extra}",
                    ),
                )
            return
        advertised_names = list(dict.fromkeys(endpoint.name for endpoint in advertised))
        if inter is not None and inter not in advertised_names:
            where = (
                where_to_change(self.config, INTER_BROKER_NAME)
                if INTER_BROKER_NAME in self.config
                else self.advertised_where
            )
            self.add(
                where,
                f"inter:{inter}",
                _refuses(
                    f"the inter-broker listener {inter} is not advertised",
                    f"advertise {inter} or pick an advertised listener",
                    f"{INTER_BROKER_NAME} must be a listener name defined in {ADVERTISED}. The valid options based "
                    f"on currently configured listeners are {','.join(advertised_names)}",
                ),
            )
        listener_names = list(dict.fromkeys(endpoint.name for endpoint in self.listeners))
        if not set(advertised_names) <= set(listener_names):
            undefined = ",".join(name for name in advertised_names if name not in listener_names)
            self.add(
                self.advertised_where,
                f"subset:{undefined}",
                _refuses(
                    f"{ADVERTISED} names {undefined}, which {LISTENERS} does not define",
                    "advertise only defined listeners",
                    f"{ADVERTISED} listener names must be equal to or a subset of the ones defined in {LISTENERS}. "
                    f"Found {','.join(advertised_names)}. The valid options based on the current configuration are "
                    f"{','.join(listener_names)}",
                ),
            )


def _loopback(cluster: Cluster, parsed: list[_BrokerListeners]) -> Iterator[tuple[Location, str, _Problem]]:
    for item in parsed:
        for endpoint in item.advertised:
            if not listeners.is_loopback(endpoint.host):
                continue
            others = [other for other in parsed if other is not item]
            elsewhere = any(
                not listeners.is_loopback(e.host) or e.port == endpoint.port
                for other in others
                for e in other.advertised
            )
            if not elsewhere:
                continue
            text = message(
                f"broker {item.broker.name} advertises {endpoint.text} in a cluster of {len(cluster.brokers)} "
                f"brokers on several hosts",
                "other brokers and clients connect to themselves, not to it",
                "advertise its routable address",
            )
            yield item.advertised_where, f"loopback:{endpoint.text}", _Problem(item.broker, text)


def _duplicates(parsed: list[_BrokerListeners]) -> Iterator[tuple[Location, str, _Problem]]:
    """Two brokers advertising one routable address: only one of them answers there."""
    owners: dict[tuple[str, int], _BrokerListeners] = {}
    for item in parsed:
        controllers = listeners.controller_names(item.config)
        for endpoint in item.advertised:
            if endpoint.name in controllers or listeners.is_wildcard(endpoint.host) or endpoint.port == 0:
                continue
            if listeners.is_loopback(endpoint.host):
                continue  # the loopback check names it
            first = owners.setdefault(endpoint.address, item)
            if first is item:
                continue
            text = message(
                f"broker {item.broker.name} advertises {endpoint.text}, the address broker {first.broker.name} "
                f"advertises too",
                "clients and the other brokers reach only one of them there, and the other one's partitions stay "
                "out of reach",
                "advertise each broker's own host and port",
            )
            yield item.advertised_where, f"duplicate:{endpoint.address}", _Problem(item.broker, text)


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    found: Collector[_Problem] = Collector()
    parsed = []
    for broker in cluster.nodes:
        item = _BrokerListeners(broker)
        item.check_ports()
        inter = item.inter_broker_name()
        item.check_advertised(inter)
        parsed.append(item)
        for where, kind, text in item.problems:
            found.add(where, kind, _Problem(broker, text))
    brokers = [item for item in parsed if runs_broker(item.broker)]
    for where, kind, problem in (*_loopback(cluster, brokers), *_duplicates(brokers)):
        found.add(where, kind, problem)
    for group in found:
        who = brokers_phrase(problem.broker for problem in group.items)
        text = group.items[0].message
        if not text.startswith("broker "):
            text = f"{who}: {text}"
        yield Finding(
            rule_id=ID,
            message=text,
            location=group.location,
            subject=who,
            hint="listeners binds, advertised.listeners tells others where to connect; every name needs a protocol",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
