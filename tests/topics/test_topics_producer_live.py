"""A real kafka-python producer built from each producer profile of inventories/production.example,
as the kafka_producer_profiles role renders it, writes to its topics on the dev broker (topics
created by the kafka_topics module).

The dev cluster has one broker, so the inventory's topics are created with replication factor 1
and without their min.insync.replicas (2 of 1 replica would refuse every acks=all write); the
replication side is proven on the three-broker test hosts. Java keys kafka-python does not take
(serializer classes, buffer.memory, schema-registry settings) are dropped, see
topics_helpers.IGNORED_PRODUCER_KEYS.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import topics_helpers
from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kafkalint.loaders.properties import parse

pytestmark = pytest.mark.devbroker

PRODUCTION = topics_helpers.ROOT / "inventories" / "production.example"
MESSAGES = 40
KEYS = 4


def end_offsets(bootstrap: str, topic: str, partitions: int) -> int:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        offsets = consumer.end_offsets([TopicPartition(topic, p) for p in range(partitions)])
        return sum(offsets.values())
    finally:
        consumer.close()


def test_every_production_profile_produces_to_its_topics(dev_kafka: Any, tmp_path: Path) -> None:
    hostvars, groups = topics_helpers.inventory_data(PRODUCTION)
    broker_vars = hostvars[groups["kafka_broker"][0]]
    declared = {topic["name"]: topic for topic in broker_vars["kafka_topics"]}
    profiles = broker_vars["kafka_producer_profiles"]
    assert profiles, "inventories/production.example declares no producer profiles"

    single_broker = [
        {
            "name": topic["name"],
            "partitions": topic["partitions"],
            "replication_factor": 1,
            "config": {k: v for k, v in topic.get("config", {}).items() if k != "min.insync.replicas"},
        }
        for topic in declared.values()
    ]
    rc, result = topics_helpers.run_module(
        {"bootstrap_servers": dev_kafka.bootstrap_servers, "topics": single_broker}, tmp=tmp_path
    )
    assert rc == 0, result.get("msg")

    out = tmp_path / "clients"
    rc, _, stderr = topics_helpers.run_playbook(
        topics_helpers.ROOT / "playbooks" / "producer_profiles.yml",
        PRODUCTION,
        "--skip-tags",
        "lint_gate",
        extra_vars={"kafka_producer_profiles_dir": str(out)},
    )
    assert rc == 0, stderr
    brokers = [f"{hostvars[host]['ansible_host']}:9092" for host in groups["kafka_broker"]]

    for profile in profiles:
        properties = parse((out / f"{profile['name']}.properties").read_text(encoding="utf-8")).values()
        kwargs, _dropped = topics_helpers.producer_kwargs(properties)
        assert kwargs["bootstrap_servers"] == brokers
        kwargs["bootstrap_servers"] = dev_kafka.bootstrap_servers
        before = {t: end_offsets(dev_kafka.bootstrap_servers, t, declared[t]["partitions"]) for t in profile["topics"]}
        producer = KafkaProducer(**kwargs)
        try:
            futures = [
                (
                    topic,
                    i % KEYS,
                    producer.send(topic, key=f"key-{i % KEYS}".encode(), value=f"{profile['name']} {i}".encode()),
                )
                for topic in profile["topics"]
                for i in range(MESSAGES)
            ]
            producer.flush(timeout=60)
            placed: dict[tuple[str, int], set[int]] = {}
            for topic, key, future in futures:
                metadata = future.get(timeout=30)
                placed.setdefault((topic, key), set()).add(metadata.partition)
                # acks=0 gets no response (the Java client reports offset -1, kafka-python a
                # local count), so whether those records arrived is checked on the broker below.
                assert metadata.offset >= 0
        finally:
            producer.close(timeout=30)
        # A keyed record always goes to its key's partition (the seeds' keyed sends).
        assert all(len(partitions) == 1 for partitions in placed.values()), (profile["name"], placed)
        for topic in profile["topics"]:
            deadline = time.monotonic() + 15
            written = end_offsets(dev_kafka.bootstrap_servers, topic, declared[topic]["partitions"]) - before[topic]
            while written < MESSAGES and time.monotonic() < deadline:
                time.sleep(0.5)
                written = end_offsets(dev_kafka.bootstrap_servers, topic, declared[topic]["partitions"]) - before[topic]
            assert written == MESSAGES, f"profile {profile['name']}: {written} of {MESSAGES} records reached {topic}"
