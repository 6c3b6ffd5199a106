"""queued.max.request.bytes is positive but below socket.request.max.bytes: the broker does not start.

**What it checks.** On every Kafka node (broker or controller), ``queued.max.request.bytes`` (default -1: no limit) set
above 0 but below ``socket.request.max.bytes`` (default 104857600, 100 MiB).

**Why.** ``queued.max.request.bytes`` caps the memory of requests waiting for the I/O threads;
a single request may be up to ``socket.request.max.bytes``. A cap below the largest request
could never admit it, so Kafka refuses the combination at startup.

**Kafka rejects it** it at startup (``KafkaConfig.validateValues``)::

    queued.max.request.bytes must be larger or equal to socket.request.max.bytes

Kafka logs the checks it makes with Scala's ``require`` (the message above) as
``java.lang.IllegalArgumentException: requirement failed: <message>``.

**Where.** The ``queued.max.request.bytes`` line (reported once for a line shared by brokers).

Problematic::

    queued.max.request.bytes=10485760

Correct::

    queued.max.request.bytes=209715200
    socket.request.max.bytes=104857600

**Source.** apache/kafka ``core/src/main/scala/kafka/server/KafkaConfig.scala`` (3.9,
``validateValues``); ``server/src/main/java/org/apache/kafka/network/SocketServerConfigs.java``
(defaults); Kafka documentation, ``queued.max.request.bytes``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Broker, Cluster, Location, Model
from kafkalint.rules._report import message, per_broker
from kafkalint.rules._values import int_value, where_to_change

ID = "KL306"
NAME = "queued-max-request-bytes"
SEVERITY = Severity.ERROR

KEY = "queued.max.request.bytes"
SOCKET = "socket.request.max.bytes"
KAFKA_TEXT = f"{KEY} must be larger or equal to {SOCKET}"
HINT = "the request queue must hold at least one request of the largest allowed size"


def _problems(cluster: Cluster) -> Iterator[tuple[Broker, Location, str]]:
    for broker in cluster.nodes:  # every node's socket server, controllers' too
        queued, socket = int_value(broker.config, KEY), int_value(broker.config, SOCKET)
        if queued is None or socket is None or not 0 < queued < socket:
            continue
        text = message(
            f"{KEY}={queued} is below {SOCKET}={socket}",
            "the broker does not start",
            f"set {KEY} to at least {socket}, or to -1 for no limit",
            kafka=KAFKA_TEXT,
        )
        yield broker, where_to_change(broker.config, KEY), text


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        yield from per_broker(ID, _problems(cluster), HINT)
