"""The controller listeners are misplaced: the node does not start.

**What it checks.** ``controller.listener.names`` against each node's ``listeners``,
``advertised.listeners`` and ``listener.security.protocol.map``, as ``KafkaConfig`` validates them
for the node's roles (Kafka 3.3 and later):

- a broker-only node: ``controller.listener.names`` empty; one of its names in ``listeners`` (a
  broker-only node connects to the controllers, it does not listen for them); one of its names
  without a protocol map entry (an explicit map must name it; unset, Kafka maps it to PLAINTEXT
  when nothing secure is in use);
- a controller-only node: ``listeners`` that are no controller listener;
  ``advertised.listeners`` set (refused up to 3.8; from 3.9 controllers advertise, KIP-853);
- a controller or combined node: no name of ``controller.listener.names`` in ``listeners``, or a
  name that is not;
- a broker or combined node advertising a controller listener (refused up to 3.8);
- a ZooKeeper-mode broker outside a migration with ``controller.listener.names`` set.

KL304 judges the listeners themselves, every name in ``listeners`` and ``advertised.listeners``
included (a controller listener there without a protocol is its "No security protocol defined
for listener"); this rule only the places of the controller listener names, so one mistake is
one finding. A migrating ZooKeeper-mode broker's controller listener is KL506's.

**Why.** KRaft nodes reach the controller quorum through the first listener named in
``controller.listener.names``; controllers accept only it. Kafka checks the placement at
startup and exits.

**Kafka rejects it** at startup (``KafkaConfig.validateValues``; each message one line)::

    controller.listener.names must contain at least one value when running KRaft with just the broker role
    controller.listener.names must not contain a value appearing in the 'listeners' configuration
        when running KRaft with just the broker role
    Controller listener with name CONTROLLER defined in controller.listener.names not found in
        listener.security.protocol.map  (an explicit security mapping for each controller listener is
        required if listener.security.protocol.map is non-empty, or if there are security protocols
        other than PLAINTEXT in use)
    The listeners config must only contain KRaft controller listeners from controller.listener.names
        when process.roles=controller
    The advertised.listeners config must be empty when process.roles=controller
    controller.listener.names must contain at least one value appearing in the 'listeners'
        configuration when running the KRaft controller role
    controller.listener.names must only contain values appearing in the 'listeners' configuration
        when running the KRaft controller role
    The advertised.listeners config must not contain KRaft controller listeners from
        controller.listener.names when process.roles contains the broker role because Kafka clients
        that send requests via advertised listeners do not send requests to KRaft controllers -- they
        only send requests to KRaft brokers.
    controller.listener.names must be empty when not running in KRaft mode: [CONTROLLER]

and from 4.2, where the key has no default, for an empty one::

    Missing required configuration "controller.listener.names" which has no default value.

Kafka logs the checks it makes with Scala's ``require`` as ``java.lang.IllegalArgumentException:
requirement failed: <message>``.

**Where.** ``listeners`` for a listener in the wrong place, ``advertised.listeners`` for an
advertised one, the protocol map (when written, else ``controller.listener.names``) for a
missing protocol, else ``controller.listener.names``.

Problematic::

    # broker.properties of a broker-only node
    process.roles=broker
    listeners=PLAINTEXT://:9092,CONTROLLER://:9093
    controller.listener.names=CONTROLLER

Correct::

    process.roles=broker
    listeners=PLAINTEXT://:9092
    controller.listener.names=CONTROLLER

**Source.** apache/kafka ``core/src/main/scala/kafka/server/KafkaConfig.scala``
(``validateValues``: the broker-only, controller-only and combined branches,
``effectiveListenerSecurityProtocolMap``); KIP-631, KIP-853; Kafka documentation, KRaft:
Configuration. Every quoted text is checked against ``KafkaConfig`` of every release from 3.3
in the JVM (``tests/catalogue/test_kafkaconfig_jvm.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import listeners
from kafkalint.findings import Finding, Severity
from kafkalint.listeners import ADVERTISED, CONTROLLER_NAMES, LISTENERS, PROTOCOL_MAP
from kafkalint.model import Broker, Location, Model
from kafkalint.rules._cluster import KRAFT_READY, migrating, roles
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import list_value, raw, where_to_change
from kafkalint.versions import KafkaVersion

ID = "KL504"
NAME = "controller-listeners"
SEVERITY = Severity.ERROR

#: Controllers advertise their listeners from 3.9 (KIP-853); brokers may advertise them too.
ADVERTISED_SINCE = KafkaVersion(3, 9)
#: ``controller.listener.names`` has no default from 4.2.
REQUIRED_SINCE = KafkaVersion(4, 2)
ZOOKEEPER_REMOVED = KafkaVersion(4, 0)

BROKER_EMPTY = f"{CONTROLLER_NAMES} must contain at least one value when running KRaft with just the broker role"
REQUIRED = f'Missing required configuration "{CONTROLLER_NAMES}" which has no default value.'
BROKER_LISTENS = (
    f"{CONTROLLER_NAMES} must not contain a value appearing in the '{LISTENERS}' configuration when running KRaft "
    "with just the broker role"
)
CONTROLLER_OTHER = (
    f"The {LISTENERS} config must only contain KRaft controller listeners from {CONTROLLER_NAMES} when "
    "process.roles=controller"
)
CONTROLLER_ADVERTISED = f"The {ADVERTISED} config must be empty when process.roles=controller"
NONE_BOUND = (
    f"{CONTROLLER_NAMES} must contain at least one value appearing in the '{LISTENERS}' configuration when running "
    "the KRaft controller role"
)
NOT_ALL_BOUND = (
    f"{CONTROLLER_NAMES} must only contain values appearing in the '{LISTENERS}' configuration when running the "
    "KRaft controller role"
)
BROKER_ADVERTISES = (
    f"The {ADVERTISED} config must not contain KRaft controller listeners from {CONTROLLER_NAMES} when "
    "process.roles contains the broker role because Kafka clients that send requests via advertised listeners do "
    "not send requests to KRaft controllers -- they only send requests to KRaft brokers."
)
HINT = "controllers listen on the controller listener; broker-only nodes only name it in controller.listener.names"


def unmapped(name: str) -> str:
    return (
        f"Controller listener with name {name} defined in {CONTROLLER_NAMES} not found in {PROTOCOL_MAP}  (an "
        f"explicit security mapping for each controller listener is required if {PROTOCOL_MAP} is non-empty, or if "
        "there are security protocols other than PLAINTEXT in use)"
    )


def zookeeper_mode(names: list[str]) -> str:
    return f"{CONTROLLER_NAMES} must be empty when not running in KRaft mode: {listeners.java_list(names)}"


def _refused(problem: str, change: str, kafka: str) -> str:
    return message(problem, "the node does not start", change, kafka=kafka)


class _Node:
    """One node's controller listener names and listeners, as Kafka reads them."""

    def __init__(self, node: Broker) -> None:
        self.node = node
        self.config = node.config
        # as written: Kafka compares them with the upper-cased listener names as they are
        self.names = list_value(self.config, CONTROLLER_NAMES)
        self.bound = [endpoint.name for endpoint in listeners.parse(raw(self.config, LISTENERS))[0]]
        advertised = raw(self.config, ADVERTISED) if ADVERTISED in self.config else None
        self.advertised = [endpoint.name for endpoint in listeners.parse(advertised)[0]]
        self.version = self.config.version

    def at(self, key: str) -> Location:
        return where_to_change(self.config, key)

    def broker_only(self) -> Iterator[tuple[Location, str]]:
        if not self.names:
            yield (
                self.at(CONTROLLER_NAMES),
                _refused(
                    f"broker-only node {self.node.name} names no {CONTROLLER_NAMES}",
                    f"set {CONTROLLER_NAMES} to the controllers' listener name",
                    REQUIRED if self.version >= REQUIRED_SINCE else BROKER_EMPTY,
                ),
            )
            return
        yield from self._advertises_controller()
        listening = [name for name in self.names if name in self.bound]
        if listening:
            yield (
                self.at(LISTENERS),
                _refused(
                    f"broker-only node {self.node.name} listens on the controller listener {','.join(listening)}",
                    f"remove {','.join(listening)} from {LISTENERS}",
                    BROKER_LISTENS,
                ),
            )
            return
        mapping = listeners.protocol_map(self.config)
        for name in self.names:
            normalised = name.upper()  # Kafka looks the name up as ListenerName.normalised
            if normalised not in mapping:
                where = self.at(PROTOCOL_MAP if PROTOCOL_MAP in self.config else CONTROLLER_NAMES)
                yield (
                    where,
                    _refused(
                        f"controller listener {normalised} of broker-only node {self.node.name} has no protocol",
                        f"add {normalised}:<PROTOCOL> to {PROTOCOL_MAP}",
                        unmapped(normalised),
                    ),
                )
                return

    def _advertises_controller(self) -> Iterator[tuple[Location, str]]:
        advertised = [name for name in self.names if name in self.advertised]
        if advertised and self.version < ADVERTISED_SINCE:
            yield (
                self.at(ADVERTISED),
                _refused(
                    f"node {self.node.name} runs the broker role and advertises the controller listener "
                    f"{','.join(advertised)}",
                    f"remove {','.join(advertised)} from {ADVERTISED}",
                    BROKER_ADVERTISES,
                ),
            )

    def controller(self, *, combined: bool) -> Iterator[tuple[Location, str]]:
        if not self.names and self.version >= REQUIRED_SINCE:
            yield (
                self.at(CONTROLLER_NAMES),
                _refused(
                    f"controller {self.node.name} names no {CONTROLLER_NAMES}",
                    f"set {CONTROLLER_NAMES} to its controller listener's name",
                    REQUIRED,
                ),
            )
            return
        if combined:
            yield from self._advertises_controller()
        else:
            # Kafka's checks come in an order that changed between releases: every true one is reported
            if ADVERTISED in self.config and self.version < ADVERTISED_SINCE:
                yield (
                    self.at(ADVERTISED),
                    _refused(
                        f"controller-only node {self.node.name} sets {ADVERTISED}",
                        f"remove {ADVERTISED} (Kafka {self.version.line} controllers do not advertise)",
                        CONTROLLER_ADVERTISED,
                    ),
                )
            other = [name for name in self.bound if name not in self.names]
            if other:
                yield (
                    self.at(LISTENERS),
                    _refused(
                        f"controller-only node {self.node.name} has the listeners {','.join(other)}, which are no "
                        f"controller listener",
                        f"remove {','.join(other)} from {LISTENERS} or run the broker role too",
                        CONTROLLER_OTHER,
                    ),
                )
        bound = [name for name in self.names if name in self.bound]
        if not bound:
            yield (
                self.at(LISTENERS if self.names else CONTROLLER_NAMES),
                _refused(
                    f"controller {self.node.name} does not listen on any of {CONTROLLER_NAMES}="
                    f"{','.join(self.names) or '(none)'}",
                    f"add a {LISTENERS} entry named {self.names[0] if self.names else 'CONTROLLER'}",
                    NONE_BOUND,
                ),
            )
        if (bound and len(bound) < len(self.names)) or (not bound and self.names):
            missing = [name for name in self.names if name not in self.bound]
            yield (
                self.at(CONTROLLER_NAMES),
                _refused(
                    f"controller {self.node.name} names {','.join(missing)} in {CONTROLLER_NAMES}, not in {LISTENERS}",
                    f"add it to {LISTENERS} or remove it from {CONTROLLER_NAMES}",
                    NOT_ALL_BOUND,
                ),
            )

    def zookeeper(self) -> Iterator[tuple[Location, str]]:
        if self.names and not migrating(self.node) and self.version < ZOOKEEPER_REMOVED:
            yield (
                self.at(CONTROLLER_NAMES),
                _refused(
                    f"ZooKeeper-mode broker {self.node.name} sets {CONTROLLER_NAMES} outside a migration",
                    f"remove {CONTROLLER_NAMES}, or set zookeeper.metadata.migration.enable=true to migrate",
                    zookeeper_mode(self.names),
                ),
            )


def _problems(node: Broker) -> Iterator[tuple[Location, str]]:
    item = _Node(node)
    found = roles(node)
    if not found:
        yield from item.zookeeper()
    elif found == {"broker"}:
        yield from item.broker_only()
    elif "controller" in found:
        yield from item.controller(combined="broker" in found)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        if cluster.version < KRAFT_READY:
            continue  # KRaft before 3.3: KL503
        found = ((node, where, text) for node in cluster.nodes for where, text in _problems(node))
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
