#!/usr/bin/env python3
"""Smoke test of a provisioned cluster: keyed messages with acks=all, then every rendered
producer profile, each read back.

Reads the inventory with ``ansible-inventory`` (so it sees what the playbooks saw), derives
``bootstrap.servers`` with the same code the producer profiles use, and prints what it did.
On a secured cluster ``--client-config`` names a Java client ``.properties`` file with the
security keys (``security.protocol``, ``sasl.jaas.config``, the trust store) the keyed test
and every read-back connect with; each profile connects with its own. Exit codes: 0 every
message came back, 1 something was lost or misplaced, 2 bad input or the cluster cannot be
reached.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "policies"))
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from kafkaclient import inventory_data, producer_kwargs, read_properties, security_kwargs  # noqa: E402

from kafkalint import contract, effective  # noqa: E402
from kafkalint.loaders import properties  # noqa: E402

EXIT_OK, EXIT_LOST, EXIT_INPUT = 0, 1, 2


#: kafka-python security arguments of ``--client-config`` (empty: PLAINTEXT).
CLIENT: dict[str, Any] = {}


def read_back(servers: list[str], topic: str, run: str, expected: int) -> list[Any]:
    """This run's records of ``topic``, from the beginning: until ``expected`` of them came
    back, or no record arrived for 10 s."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=10000,
        **CLIENT,
    )
    found: list[Any] = []
    try:
        for record in consumer:
            if record.value.decode(errors="replace").startswith(run):
                found.append(record)
                if len(found) >= expected:
                    break
        return found
    finally:
        consumer.close()


def keyed(servers: list[str], topic: str, run: str, count: int) -> bool:
    """The seeds' keyed producer: ``count`` messages over 10 keys, acks=all; every message
    comes back and each key stays on one partition."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=servers, acks="all", retries=5, linger_ms=5, **CLIENT)
    started = time.monotonic()
    partitions: dict[str, int] = {}
    for i in range(count):
        key = f"{run}-key-{i % 10}"
        meta = producer.send(topic, key=key.encode(), value=f"{run} message {i}".encode()).get(timeout=30)
        if partitions.setdefault(key, meta.partition) != meta.partition:
            print(f"smoke: FAILED: key {key} went to partitions {partitions[key]} and {meta.partition}")
            return False
    producer.close()
    elapsed = time.monotonic() - started
    received = read_back(servers, topic, run, count)
    print(
        f"smoke: {topic}: produced {count} messages (acks=all, 10 keys on partitions "
        f"{sorted(set(partitions.values()))}) in {elapsed:.2f} s; consumed {len(received)} back"
    )
    return len(received) == count


def through_profile(path: Path, topics: list[str], run: str) -> bool:
    """One record to each of the profile's topics, with a client built from the rendered file."""
    from kafka import KafkaProducer

    settings = properties.parse(path.read_text(encoding="utf-8")).values()
    kwargs, dropped = producer_kwargs(settings)
    servers = kwargs["bootstrap_servers"]
    producer = KafkaProducer(**kwargs)
    ok = True
    for topic in topics:
        producer.send(topic, key=b"smoke", value=f"{run} via profile {path.stem}".encode()).get(timeout=30)
        got = len(read_back(servers, topic, run, 1))
        print(
            f"smoke: profile {path.name}: acks={settings.get('acks', 'default')} "
            f"compression={settings.get('compression.type', 'none')} -> {topic}: read back {got}"
            + (f" (not passed to kafka-python: {', '.join(sorted(dropped))})" if dropped else "")
        )
        ok = ok and got >= 1
    producer.close()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--inventory", default="inventories/local")
    parser.add_argument("--topic", default="smoke", help="a topic the inventory declares (default: smoke)")
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--profiles-dir", default=str(ROOT / "out" / "clients"), help="rendered producer profiles")
    parser.add_argument("--client-config", help="Java client .properties with the security keys to connect with")
    args = parser.parse_args(argv)

    from kafka.errors import KafkaError

    try:
        hostvars, groups = inventory_data(args.inventory)
    except subprocess.CalledProcessError as error:
        print(f"smoke: error: ansible-inventory cannot read {args.inventory}: {error.stderr.strip()}", file=sys.stderr)
        return EXIT_INPUT
    if args.client_config:
        try:
            CLIENT.update(security_kwargs(read_properties(args.client_config)))
        except (OSError, ValueError) as error:
            print(f"smoke: error: --client-config {args.client_config}: {error}", file=sys.stderr)
            return EXIT_INPUT
    servers = effective.bootstrap_servers(hostvars, groups).split(",")
    if servers == [""]:
        print(f"smoke: error: {args.inventory} has no hosts in group kafka_broker", file=sys.stderr)
        return EXIT_INPUT
    run = uuid.uuid4().hex[:8]
    print(f"smoke: bootstrap.servers={','.join(servers)} run={run}")
    profiles = sorted(Path(args.profiles_dir).glob("*.properties"))
    brokers = groups.get(contract.BROKER_GROUP, [])
    declared = hostvars[brokers[0]].get("kafka_producer_profiles") or [] if brokers else []
    topics_of = {str(entry["name"]): list(entry.get("topics") or []) for entry in declared}
    try:
        ok = keyed(servers, args.topic, run, args.messages)
        for profile in profiles:
            ok = through_profile(profile, topics_of.get(profile.stem, []), run) and ok
    except KafkaError as error:
        print(f"smoke: error: cluster at {','.join(servers)}: {error!r}", file=sys.stderr)
        return EXIT_INPUT
    if not profiles:
        print(f"smoke: no rendered producer profiles in {args.profiles_dir}")
    print("smoke: ok" if ok else "smoke: FAILED: messages missing (see above)")
    return EXIT_OK if ok else EXIT_LOST


if __name__ == "__main__":
    sys.exit(main())
