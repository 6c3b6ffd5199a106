"""``buffer.memory`` no larger than ``batch.size`` x the partitions written: ``send()`` blocks.

**What it checks.** A producer profile whose ``buffer.memory`` is at most ``batch.size`` times
the number of partitions of the topics it writes to (the profile's ``topics`` that the cluster
declares; a topic without ``partitions`` has the brokers' ``num.partitions``). Defaults of the
target version apply (``buffer.memory`` 33554432, ``batch.size`` 16384). Topics the cluster
does not declare are not counted, so the partition count is a lower bound. ``batch.size=0`` (no
batching) is not judged.

**Why.** The producer keeps one open batch of ``batch.size`` bytes per partition it is sending
to, all taken from ``buffer.memory``. When the pool cannot hold one batch per partition, plus
room for the batches waiting to be retried, ``send()`` blocks for ``max.block.ms`` and then
fails with ``BufferExhaustedException``. The seeds put it as a rule of thumb: with 5 partitions
and the default 16 KiB ``batch.size``, ``buffer.memory`` must be *larger* than 16 KiB x 5 = 80
KiB, to leave room for retries -- so a pool of exactly one batch per partition is reported too.
Kafka accepts any such value.

Problematic (5 partitions)::

    batch.size=16384
    buffer.memory=81920

Correct::

    batch.size=16384
    buffer.memory=33554432

**Source.** seeds ``001`` ("partition 크기가 5인경우 batch.size 기본값 16kb → buffer.memory 16x5 =
80kb보다도 더 큰 값으로 설정해야 합니다"); Kafka documentation, producer configs ``buffer.memory`` and
``batch.size``; apache/kafka ``clients/src/main/java/org/apache/kafka/clients/producer/
internals/BufferPool.java``.

**Proof.** On the live test cluster (tests/live/test_live_buffer_memory.py): 64 KiB of buffer
for 16 KiB batches on 5 partitions, one broker stalled: send() blocked max.block.ms and failed
with BufferExhaustedException. The threshold is a floor: with acks=all a stalled follower
stalls every partition, and 96 KiB failed the same way. Figures: docs/proofs.md#kl207.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from kafkalint.facts import producers_where, topic_shapes
from kafkalint.findings import Finding, Severity
from kafkalint.model import Cluster, Model, ProducerProfile
from kafkalint.rules._cluster import topic_index, written_topics
from kafkalint.rules._report import message, profile_subject
from kafkalint.rules._values import as_int, int_value, location_of

ID = "KL207"
NAME = "buffer-memory"
SEVERITY = Severity.WARNING

BUFFER = "buffer.memory"
BATCH = "batch.size"


def _may_block(most: int, profile: ProducerProfile) -> bool:
    """Whether the profile's buffer may hold no more than a batch for each of ``most``
    partitions (the most a profile of the cluster can write to)."""
    buffer, batch = int_value(profile.config, BUFFER), int_value(profile.config, BATCH)
    return buffer is not None and batch is not None and batch > 0 and buffer <= batch * most


def _most_partitions(cluster: Cluster) -> int:
    """The largest partition count of a declared topic (0 when none has one)."""
    counts = (as_int(cluster.topic_partitions(shape.first)[0]) for shape in topic_shapes(cluster))
    return max((count for count in counts if count is not None and count > 0), default=0)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        index = topic_index(cluster)
        # at most every partition of as many of the largest topics as a profile names
        most = _most_partitions(cluster) * max((len(profile.topics) for profile in cluster.producers), default=0)
        for profile in producers_where(cluster, partial(_may_block, most)):
            config = profile.config
            buffer = int_value(config, BUFFER)
            batch = int_value(config, BATCH)
            if buffer is None or batch is None or batch <= 0:
                continue
            counted: list[str] = []
            partitions = 0
            for topic in written_topics(profile, index):
                count = as_int(cluster.topic_partitions(topic)[0])
                if count is None or count <= 0:
                    continue
                partitions += count
                counted.append(f"{topic.name}: {count}")
            if not partitions:
                continue
            needed = batch * partitions
            if buffer > needed:
                continue
            yield Finding(
                rule_id=ID,
                message=message(
                    f"buffer.memory={buffer} holds no more than one batch of {batch} bytes for each of the "
                    f"{partitions} partitions written ({', '.join(counted)})",
                    "send() blocks for max.block.ms and then fails with BufferExhaustedException",
                    f"set buffer.memory above {needed}",
                ),
                location=location_of(config, BUFFER),
                subject=profile_subject(profile),
                hint="Leave room for retried batches: the default buffer.memory is 33554432 (32 MiB).",
            )
