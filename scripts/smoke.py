#!/usr/bin/env python3
"""Smoke test of a provisioned cluster: produce keyed messages with acks=all, read them back.

Reads the inventory with ``ansible-inventory`` (so it sees what the playbooks saw), derives
``bootstrap.servers`` with the same code the producer profiles use, and prints what it did.
Exit codes: 0 every message came back, 1 something was lost or misplaced, 2 bad input or the
cluster cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "policies"))

from kafkalint import effective

EXIT_OK, EXIT_LOST, EXIT_INPUT = 0, 1, 2


def inventory(path: str) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Host variables and groups as Ansible resolves them."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-inventory"), "-i", path, "--list"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"smoke: error: ansible-inventory cannot read {path}: {proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    hostvars: dict[str, dict[str, Any]] = data.get("_meta", {}).get("hostvars", {})
    groups = {name: list(body.get("hosts", [])) for name, body in data.items() if isinstance(body, dict)}
    return hostvars, groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--inventory", default="inventories/local")
    parser.add_argument("--topic", default="smoke", help="a topic the inventory declares (default: smoke)")
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args(argv)

    from kafka import KafkaConsumer, KafkaProducer
    from kafka.errors import KafkaError

    hostvars, groups = inventory(args.inventory)
    servers = effective.bootstrap_servers(hostvars, groups)
    if not servers:
        print(f"smoke: error: {args.inventory} has no hosts in group kafka_broker", file=sys.stderr)
        return EXIT_INPUT
    run = uuid.uuid4().hex[:8]
    print(f"smoke: bootstrap.servers={servers} topic={args.topic} run={run}")
    try:
        producer = KafkaProducer(bootstrap_servers=servers.split(","), acks="all", retries=5, linger_ms=5)
        started = time.monotonic()
        sent: dict[str, int] = {}
        for i in range(args.messages):
            key = f"{run}-key-{i % 10}"
            meta = producer.send(args.topic, key=key.encode(), value=f"{run} message {i}".encode()).get(timeout=30)
            if sent.setdefault(key, meta.partition) != meta.partition:
                print(f"smoke: key {key} went to partitions {sent[key]} and {meta.partition}", file=sys.stderr)
                return EXIT_LOST
        producer.close()
        produce_s = time.monotonic() - started
        consumer = KafkaConsumer(
            args.topic,
            bootstrap_servers=servers.split(","),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=10000,
        )
        received = [m for m in consumer if m.value.decode().startswith(run)]
        consumer.close()
    except KafkaError as error:
        print(f"smoke: error: cluster at {servers}: {error}", file=sys.stderr)
        return EXIT_INPUT
    print(
        f"smoke: produced {args.messages} messages (acks=all, 10 keys on {len(set(sent.values()))} partitions) "
        f"in {produce_s:.2f} s; consumed {len(received)} back"
    )
    if len(received) != args.messages:
        print(f"smoke: FAILED: {args.messages - len(received)} messages missing", file=sys.stderr)
        return EXIT_LOST
    print("smoke: ok")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
