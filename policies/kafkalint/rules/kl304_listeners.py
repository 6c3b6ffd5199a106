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
  several hosts (another broker advertises a routable address, or one on the same port): the
  only check Kafka does not make.

**Why.** The broker validates these at startup and exits; or, for an advertised loopback
address, starts and hands every client and every other broker an address that points at
themselves, so replication and clients fail with connection errors.

**Kafka rejects** them at startup with (values filled in; the two long ones are one line each)::

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
<message>``.

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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, ConfigMap, Location, Model
from kafkalint.rules._cluster_facts import (
    Collector,
    brokers_phrase,
    is_kraft,
    list_value,
    str_value,
    where_to_change,
)

ID = "KL304"
NAME = "listeners"
SEVERITY = Severity.ERROR

LISTENERS = "listeners"
ADVERTISED = "advertised.listeners"
MAP = "listener.security.protocol.map"
INTER_NAME = "inter.broker.listener.name"
INTER_PROTOCOL = "security.inter.broker.protocol"
PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")

_URI = re.compile(r"^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$")
_SPLIT = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class Endpoint:
    name: str
    host: str | None
    port: int
    text: str


@dataclass(frozen=True)
class _Problem:
    broker: Broker
    message: str


def _entries(text: str) -> list[str]:
    return [entry for entry in _SPLIT.split(text.strip()) if entry]


def parse_map(text: str) -> dict[str, str]:
    """``NAME:PROTOCOL,...`` as Kafka reads it (names and protocols upper case)."""
    result = {}
    for entry in _entries(text):
        name, sep, protocol = entry.partition(":")
        if sep and name.strip() and protocol.strip():
            result[name.strip().upper()] = protocol.strip().upper()
    return result


def protocol_map(broker: Broker) -> dict[str, str]:
    """The broker's effective listener.security.protocol.map (KafkaConfig's
    ``effectiveListenerSecurityProtocolMap``)."""
    config = broker.config
    mapping = parse_map(str_value(config, MAP) or "")
    if is_kraft(broker) and MAP not in config:
        # KRaft maps controller listeners to PLAINTEXT when nothing secure is in use.
        controllers = [name.upper() for name in list_value(config, "controller.listener.names")]
        entries = _entries(str_value(config, LISTENERS) or "")
        listener_names = [match.group(1).upper() for entry in entries if (match := _URI.match(entry))]
        secure = {"SSL", "SASL_SSL", "SASL_PLAINTEXT"}
        if not secure & {*controllers, *listener_names}:
            mapping.update(dict.fromkeys(controllers, "PLAINTEXT"))
    return mapping


def _is_ip(host: str | None) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _BrokerListeners:
    """One broker's listeners, parsed as Kafka parses them, with the problems found."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.config: ConfigMap = broker.config
        self.map = protocol_map(broker)
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

    def add(self, where: Location, kind: str, message: str) -> None:
        self.problems.append((where, kind, message))

    @property
    def advertised_where(self) -> Location:
        return where_to_change(self.config, ADVERTISED if self.advertised_explicit else LISTENERS)

    def _parse(self, text: str, key: str) -> list[Endpoint]:
        result = []
        for entry in _entries(text):
            match = _URI.match(entry)
            if match is None:
                self.add(
                    where_to_change(self.config, key),
                    f"parse:{entry}",
                    f'{key} entry "{entry}" is not NAME://host:port: Kafka refuses to start with "Error creating '
                    f"broker listeners from '{text}': Unable to parse {entry} to a broker endpoint\"; fix the entry",
                )
                continue
            name, host, port = match.group(1).upper(), match.group(2) or None, int(match.group(3))
            if name not in self.map and name not in self.unmapped:
                self.unmapped.add(name)
                # The map's line when written; else the line naming the listener (a properties
                # file has no line for a key it lacks).
                self.add(
                    where_to_change(self.config, MAP if MAP in self.config else key),
                    f"map:{name}",
                    f'listener name {name} of {key} has no security protocol: Kafka refuses to start with "Error '
                    f"creating broker listeners from '{text}': No security protocol defined for listener {name}\"; "
                    f"add {name}:<PROTOCOL> to {MAP}",
                )
            # Kept for the later checks: they are what Kafka reports once the map is fixed.
            result.append(Endpoint(name, host, port, entry))
        names_seen = [endpoint.name for endpoint in result]
        if len(set(names_seen)) != len(names_seen):
            self.add(
                where_to_change(self.config, key),
                f"names:{key}",
                f'{key} repeats a listener name: Kafka refuses to start with "Each listener must have a different '
                f'name, {LISTENERS}: {text}"; give each listener its own name',
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
            with_ip = [endpoint for endpoint in endpoints if _is_ip(endpoint.host)]
            without_ip = [endpoint for endpoint in endpoints if not _is_ip(endpoint.host)]
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
                f'two listeners share port {port}: Kafka refuses to start with "{kafka}"; give each its own port',
            )

    def inter_broker_name(self) -> str | None:
        config = self.config
        if INTER_NAME in config:
            name = (str_value(config, INTER_NAME) or "").strip().upper()
            if INTER_PROTOCOL in config:
                self.add(
                    where_to_change(config, INTER_PROTOCOL),
                    "both",
                    f'both {INTER_NAME} and {INTER_PROTOCOL} are set: Kafka refuses to start with "Only one of '
                    f'{INTER_NAME} and {INTER_PROTOCOL} should be set."; remove {INTER_PROTOCOL}',
                )
            if name and name not in self.map:
                self.add(
                    where_to_change(config, INTER_NAME),
                    f"inter-map:{name}",
                    f'{INTER_NAME}={name} has no security protocol: Kafka refuses to start with "Listener with name '
                    f'{name} defined in {INTER_NAME} not found in {MAP}."; add {name}:<PROTOCOL> to {MAP}',
                )
                return None
            return name or None
        protocol = (str_value(config, INTER_PROTOCOL) or "PLAINTEXT").strip().upper()
        return protocol if protocol in PROTOCOLS else None  # an unknown protocol is KL001's finding

    def check_advertised(self, inter: str | None) -> None:
        controllers = {name.upper() for name in list_value(self.config, "controller.listener.names")}
        roles = set(list_value(self.config, "process.roles"))
        broker_advertised = [endpoint for endpoint in self.advertised if endpoint.name not in controllers]
        if not roles or "broker" in roles:
            self._check_broker_advertised(broker_advertised, inter, roles)
        if any(endpoint.host == "0.0.0.0" for endpoint in self.advertised):
            self.add(
                self.advertised_where,
                "meta",
                f"{ADVERTISED} "
                + ("" if self.advertised_explicit else f"(unset, so {LISTENERS}) ")
                + 'names 0.0.0.0: Kafka refuses to start with "advertised.listeners cannot use the nonroutable '
                'meta-address 0.0.0.0. Use a routable IP address."; advertise the address clients use',
            )

    def _check_broker_advertised(self, advertised: list[Endpoint], inter: str | None, roles: set[str]) -> None:
        if not advertised:
            if self.listeners or self.advertised_text is not None:
                extra = " Perhaps all listeners appear in controller.listener.names?" if "broker" in roles else ""
                self.add(
                    self.advertised_where,
                    "none",
                    f'no broker listener is advertised: Kafka refuses to start with "There must be at least one '
                    f'broker advertised listener.{extra}"; advertise a broker listener',
                )
            return
        advertised_names = list(dict.fromkeys(endpoint.name for endpoint in advertised))
        if inter is not None and inter not in advertised_names:
            where = where_to_change(self.config, INTER_NAME) if INTER_NAME in self.config else self.advertised_where
            self.add(
                where,
                f"inter:{inter}",
                f'the inter-broker listener {inter} is not advertised: Kafka refuses to start with "{INTER_NAME} '
                f"must be a listener name defined in {ADVERTISED}. The valid options based on currently configured "
                f'listeners are {",".join(advertised_names)}"; advertise {inter} or pick an advertised listener',
            )
        listener_names = list(dict.fromkeys(endpoint.name for endpoint in self.listeners))
        if not set(advertised_names) <= set(listener_names):
            undefined = ",".join(name for name in advertised_names if name not in listener_names)
            self.add(
                self.advertised_where,
                f"subset:{undefined}",
                f"{ADVERTISED} names {undefined}, which {LISTENERS} does not define: Kafka refuses to start "
                f'with "{ADVERTISED} listener names must be equal to or a subset of the ones defined in {LISTENERS}. '
                f"Found {','.join(advertised_names)}. The valid options based on the current configuration are "
                f'{",".join(listener_names)}"; advertise only defined listeners',
            )


def _loopback(cluster: Cluster, parsed: list[_BrokerListeners]) -> Iterator[tuple[Location, str, _Problem]]:
    for item in parsed:
        for endpoint in item.advertised:
            if not _is_loopback(endpoint.host):
                continue
            others = [other for other in parsed if other is not item]
            elsewhere = any(
                not _is_loopback(e.host) or e.port == endpoint.port for other in others for e in other.advertised
            )
            if not elsewhere:
                continue
            message = (
                f"broker {item.broker.name} advertises {endpoint.text} in a cluster of {len(cluster.brokers)} brokers "
                f"on several hosts: other brokers and clients connect to themselves, not to it; advertise its "
                f"routable address"
            )
            yield item.advertised_where, f"loopback:{endpoint.text}", _Problem(item.broker, message)


def _check_cluster(cluster: Cluster) -> Iterator[Finding]:
    found: Collector[_Problem] = Collector()
    parsed = []
    for broker in cluster.brokers:
        item = _BrokerListeners(broker)
        item.check_ports()
        inter = item.inter_broker_name()
        item.check_advertised(inter)
        parsed.append(item)
        for where, kind, message in item.problems:
            found.add(where, kind, _Problem(broker, message))
    for where, kind, problem in _loopback(cluster, parsed):
        found.add(where, kind, problem)
    for group in found:
        who = brokers_phrase(problem.broker for problem in group.items)
        message = group.items[0].message
        if not message.startswith("broker "):
            message = f"{who}: {message}"
        yield Finding(
            rule_id=ID,
            message=message,
            location=group.location,
            subject=who,
            hint="listeners binds, advertised.listeners tells others where to connect; every name needs a protocol",
        )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from _check_cluster(cluster)
