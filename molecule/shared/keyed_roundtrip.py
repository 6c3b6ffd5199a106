#!/usr/bin/env python3
"""Keyed producer round trip (the seeds' keyed producer), run by the molecule verify step.

Sends ``--messages`` records with ``--keys`` distinct keys through kafka-python with
``acks=all``, asynchronously with a callback per record, then reads the topic back from the
beginning and checks that every record of this run arrived exactly once and that each key
always came from one partition (the one the producer was told). Prints one summary line.

Exit codes: 0 the round trip held, 1 a record was lost, duplicated or misplaced, 2 the
cluster could not be reached or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import defaultdict

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

EXIT_OK, EXIT_BROKEN, EXIT_UNREACHABLE = 0, 1, 2


def produce(servers: list[str], topic: str, run: str, messages: int, keys: int) -> dict[str, set[int]]:
    """Send the records; return the partitions the brokers acknowledged, per key."""
    acknowledged: dict[str, set[int]] = defaultdict(set)
    failures: list[str] = []
    producer = KafkaProducer(bootstrap_servers=servers, acks="all", enable_idempotence=True, linger_ms=5)
    try:
        for number in range(messages):
            key = f"{run}-key-{number % keys}"
            future = producer.send(topic, key=key.encode(), value=f"{run} {number}".encode())
            future.add_callback(lambda meta, key=key: acknowledged[key].add(meta.partition))
            future.add_errback(lambda error, key=key: failures.append(f"{key}: {error}"))
        producer.flush(timeout=120)
    finally:
        producer.close(timeout=30)
    if failures:
        raise KafkaError(f"{len(failures)} sends failed, first: {failures[0]}")
    return acknowledged


def consume(servers: list[str], topic: str, run: str, messages: int, timeout_s: float) -> dict[str, list[int]]:
    """Read the topic from the beginning; return, per value of this run, the partitions it came from."""
    consumer = KafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not partitions:
            raise KafkaError(f"topic {topic} has no partitions")
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        seen: dict[str, list[int]] = defaultdict(list)
        deadline = time.monotonic() + timeout_s
        while sum(len(found) for found in seen.values()) < messages and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                for record in records:
                    if record.key is not None and record.key.decode().startswith(f"{run}-"):
                        seen[f"{record.key.decode()}|{record.value.decode()}"].append(record.partition)
        return seen
    finally:
        consumer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bootstrap", required=True, help="host:port,host:port of every broker")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--keys", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the records")
    args = parser.parse_args(argv)
    if args.messages < 1 or not 1 <= args.keys <= args.messages:
        parser.error("need --messages >= 1 and 1 <= --keys <= --messages")
    servers = [server.strip() for server in args.bootstrap.split(",") if server.strip()]
    run = uuid.uuid4().hex[:8]

    started = time.monotonic()
    try:
        acknowledged = produce(servers, args.topic, run, args.messages, args.keys)
        produced_s = time.monotonic() - started
        seen = consume(servers, args.topic, run, args.messages, args.timeout)
    except KafkaError as error:
        print(f"keyed_roundtrip: error: {args.topic} at {args.bootstrap}: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    total_s = time.monotonic() - started

    problems = []
    received = sum(len(partitions) for partitions in seen.values())
    if len(seen) != args.messages or received != args.messages:
        problems.append(f"sent {args.messages} records, read back {len(seen)} distinct of {received}")
    by_key: dict[str, set[int]] = defaultdict(set)
    for key_value, partitions in seen.items():
        by_key[key_value.split("|", 1)[0]].update(partitions)
    for key in sorted(set(acknowledged) | set(by_key)):
        sent_to, read_from = sorted(acknowledged.get(key, set())), sorted(by_key.get(key, set()))
        if len(sent_to) != 1 or read_from != sent_to:
            problems.append(f"key {key}: acknowledged in partitions {sent_to}, read from {read_from}")
    used = sorted({partition for partitions in acknowledged.values() for partition in partitions})
    summary = (
        f"keyed_roundtrip: topic={args.topic} run={run} sent={args.messages} (acks=all) read={received} "
        f"keys={len(acknowledged)} partitions used={used} produce={produced_s:.1f}s total={total_s:.1f}s"
    )
    print(summary)
    for problem in problems:
        print(f"keyed_roundtrip: FAILED: {problem}", file=sys.stderr)
    return EXIT_BROKEN if problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
