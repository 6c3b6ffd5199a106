"""KL101, KL102, KL104 and KL208 on the live 3-broker cluster: what each rule predicts, observed.

Brokers are stopped cleanly (``systemctl stop kafka``: controlled shutdown takes them out of
every ISR at once) and always started again, with the cluster waited back to full health,
before the test ends. Producers here use ``retries=0`` so the broker's error reaches the
application as it is, instead of being retried until ``delivery.timeout.ms``.
See docs/proofs.md#kl101, #kl102, #kl104, #kl208.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from live_cluster import Cluster, Figures, JsonDict, kafkalint_rules, run_id

pytestmark = pytest.mark.live

NOT_ENOUGH_REPLICAS = "org.apache.kafka.common.errors.NotEnoughReplicasException"
RECORD_TOO_LARGE = "org.apache.kafka.common.errors.RecordTooLargeException"
INVALID_RF = "org.apache.kafka.common.errors.InvalidReplicationFactorException"


def direct_producer(cluster: Cluster, name: str, acks: str, **extra: object) -> Path:
    """A producer that reports the first error it gets (no retries, no idempotence)."""
    return cluster.probe.properties(
        name,
        {
            "bootstrap.servers": cluster.bootstrap,
            "acks": acks,
            "enable.idempotence": False,
            "retries": 0,
            "linger.ms": 0,
            "request.timeout.ms": 10000,
            "delivery.timeout.ms": 20000,
            "max.block.ms": 20000,
            **extra,
        },
    )


#: Errors a just-created or just-moved partition answers with until every broker has caught up
#: with the controller; the producers here do not retry, so :func:`send` does.
TRANSIENT = frozenset(
    {
        "org.apache.kafka.common.errors.UnknownTopicOrPartitionException",
        "org.apache.kafka.common.errors.NotLeaderOrFollowerException",
        "org.apache.kafka.common.errors.LeaderNotAvailableException",
    }
)


def send(cluster: Cluster, props: Path, topic: str, count: int = 3, **options: object) -> list[JsonDict]:
    """Per-record results of ``count`` synchronous sends. Records refused with a transient
    metadata error are sent again (bounded), so each result is Kafka's answer to the question
    a test asks, not to a partition still being set up."""
    args = [f"{key}={value}" for key, value in options.items()]
    results: list[JsonDict] = []
    pending = count
    for _attempt in range(10):
        lines = cluster.probe.run("send", props, topic, pending, *args, timeout=120)
        batch = [line for line in lines if line["mode"] == "send"]
        transient = [r for r in batch if not r["ok"] and r.get("exception") in TRANSIENT]
        results += [r for r in batch if r["ok"] or r.get("exception") not in TRANSIENT]
        pending = len(transient)
        if not pending:
            return results
        time.sleep(1)
    return results + transient


def topic_entry(name: str, partitions: int = 1, rf: int = 3, **config: object) -> dict[str, object]:
    """A kafka_topics entry, for kafkalint's verdict on the configuration a proof runs."""
    return {"name": name, "partitions": partitions, "replication_factor": rf, "config": config}


def outcome(results: list[JsonDict]) -> str:
    """``3/3 ok`` or ``0/3 ok, NotEnoughReplicasException: <message>``."""
    ok = sum(1 for r in results if r["ok"])
    failure = next((r for r in results if not r["ok"]), None)
    text = f"{ok}/{len(results)} ok"
    if failure:
        text += f", {failure['exception'].rsplit('.', 1)[-1]}: {failure['message']}"
    return text


def test_kl101_min_isr_equal_to_rf_blocks_acks_all_when_one_broker_is_down(cluster: Cluster, figures: Figures) -> None:
    topic = f"live-kl101-{run_id()}"
    verdict = kafkalint_rules(cluster, "kl101", [topic_entry(topic, **{"min.insync.replicas": 3})])
    figures["kafkalint on this topic"] = verdict
    assert "KL101" in verdict
    cluster.require_topic(topic, 1, 3, {"min.insync.replicas": 3})
    acks_all = direct_producer(cluster, "kl101-acks-all", "all")
    acks_one = direct_producer(cluster, "kl101-acks-1", "1")
    default_producer = cluster.probe.properties(
        "kl101-default",
        {"bootstrap.servers": cluster.bootstrap, "request.timeout.ms": 4000, "delivery.timeout.ms": 5000},
    )
    all_up = send(cluster, acks_all, topic)
    figures["RF 3, min ISR 3, all brokers up, acks=all"] = outcome(all_up)
    assert all(r["ok"] for r in all_up)

    victim = cluster.non_controller_brokers()[0]
    with cluster.brokers_stopped(victim):
        one_down = send(cluster, acks_all, topic)
        leader_only = send(cluster, acks_one, topic)
        # What an application with the default (idempotent, retrying) producer sees instead.
        retrying = send(cluster, default_producer, topic, 1)
        figures[f"broker {victim} stopped, acks=all"] = outcome(one_down)
        figures[f"broker {victim} stopped, default producer (retries until delivery.timeout.ms=5000)"] = outcome(
            retrying
        )
        figures[f"broker {victim} stopped, acks=1 (min ISR does not guard it, KL212)"] = outcome(leader_only)
    figures["cluster healthy again after"] = "yes"
    assert all(not r["ok"] and r["exception"] == NOT_ENOUGH_REPLICAS for r in one_down), one_down
    assert all(r["ok"] for r in leader_only), leader_only
    assert not retrying[0]["ok"] and retrying[0]["exception"] == "org.apache.kafka.common.errors.TimeoutException"


def test_kl101_recommended_rf3_min_isr2_tolerates_one_broker_down(cluster: Cluster, figures: Figures) -> None:
    topic = f"live-kl101-safe-{run_id()}"
    verdict = kafkalint_rules(cluster, "kl101-safe", [topic_entry(topic, **{"min.insync.replicas": 2})])
    figures["kafkalint on this topic"] = verdict or "no findings"
    assert not {"KL101", "KL102", "KL103"} & set(verdict)
    cluster.require_topic(topic, 1, 3, {"min.insync.replicas": 2})
    acks_all = direct_producer(cluster, "kl101-safe", "all")
    first, second = cluster.non_controller_brokers()[:2]
    with cluster.brokers_stopped(first):
        one_down = send(cluster, acks_all, topic)
        figures[f"RF 3, min ISR 2, broker {first} stopped, acks=all"] = outcome(one_down)
        # KL104 at run time: topic creation counts the brokers that are up, not the inventory's.
        created = cluster.create_topic(f"live-kl104-two-up-{run_id()}", 1, 3)
        figures["create RF 3 topic with 2 brokers up"] = created.get("message") or "created"
        cluster.stop_broker(second)
        two_down = send(cluster, acks_all, topic)
        figures[f"brokers {first} and {second} stopped, acks=all"] = outcome(two_down)
    assert all(r["ok"] for r in one_down), one_down
    assert all(not r["ok"] and r["exception"] == NOT_ENOUGH_REPLICAS for r in two_down), two_down
    assert created.get("exception") == INVALID_RF
    assert created.get("message") == "Replication factor: 3 larger than available brokers: 2."


def test_kl102_min_isr_above_rf_is_capped_to_rf(cluster: Cluster, figures: Figures) -> None:
    """3.9.1 (from 3.7, KAFKA-15583): min ISR 4 on RF 3 is accepted and acts as min ISR 3."""
    topic = f"live-kl102-{run_id()}"
    verdict = kafkalint_rules(cluster, "kl102", [topic_entry(topic, **{"min.insync.replicas": 4})])
    figures["kafkalint on this topic"] = verdict
    assert "KL102" in verdict
    created = cluster.create_topic(topic, 1, 3, {"min.insync.replicas": 4})
    figures["create RF 3 topic with min.insync.replicas=4"] = "accepted" if created["ok"] else created.get("message")
    assert created["ok"], f"Kafka refused min ISR 4 on RF 3: {created}"
    cluster.wait_healthy(60)
    acks_all = direct_producer(cluster, "kl102", "all")
    all_up = send(cluster, acks_all, topic)
    figures["all brokers up, acks=all (capped: 3 in sync >= min(4, 3))"] = outcome(all_up)
    # Kafka's own tool still judges the topic by the uncapped value: always "under min ISR".
    listed = cluster.kafka_tool("kafka-topics.sh", "--describe", "--under-min-isr-partitions")
    figures["kafka-topics.sh --under-min-isr-partitions lists it with all replicas in sync"] = topic in listed
    victim = cluster.non_controller_brokers()[0]
    with cluster.brokers_stopped(victim):
        one_down = send(cluster, acks_all, topic)
        figures[f"broker {victim} stopped, acks=all (then KL101)"] = outcome(one_down)
    assert all(r["ok"] for r in all_up), all_up
    assert all(not r["ok"] and r["exception"] == NOT_ENOUGH_REPLICAS for r in one_down), one_down


def test_kl104_replication_factor_above_broker_count_is_refused(cluster: Cluster, figures: Figures) -> None:
    name = f"live-kl104-{run_id()}"
    verdict = kafkalint_rules(cluster, "kl104", [topic_entry(name, rf=4)])
    figures["kafkalint on this topic"] = verdict
    assert "KL104" in verdict
    result = cluster.create_topic(name, 1, 4)
    figures["create RF 4 topic on 3 brokers"] = f"{result.get('exception')}: {result.get('message')}"
    assert result["ok"] is False
    assert result["exception"] == INVALID_RF
    assert result["message"] == "Replication factor: 4 larger than available brokers: 3."


def test_kl104_rule_documentation_quotes_kafka(cluster: Cluster) -> None:
    from kafkalint.rules import by_id

    doc = " ".join(by_id()["KL104"].doc.split())
    assert "larger than available brokers" in doc, "KL104's documentation does not quote Kafka's message"


def test_kl208_record_above_broker_message_max_bytes_is_rejected(cluster: Cluster, figures: Figures) -> None:
    broker = min(cluster.brokers)
    config = cluster.probe.one("broker-config", cluster.bootstrap, broker, "message.max.bytes", timeout=60)
    assert config["ok"], config
    limit = int(config["values"]["message.max.bytes"])
    topic = f"live-kl208-{run_id()}"
    small_topic = f"live-kl208-topic-{run_id()}"
    verdict = kafkalint_rules(
        cluster,
        "kl208",
        [topic_entry(topic)],
        [{"name": "large-requests", "topics": [topic], "config": {"acks": "all", "max.request.size": 4194304}}],
    )
    topic_verdict = kafkalint_rules(
        cluster,
        "kl208-topic",
        [topic_entry(small_topic, **{"max.message.bytes": 65536})],
        [{"name": "default-requests", "topics": [small_topic], "config": {"acks": "all"}}],
    )
    figures["kafkalint: max.request.size 4194304 vs broker default"] = verdict
    figures["kafkalint: default max.request.size vs topic max.message.bytes 65536"] = topic_verdict
    assert "KL208" in verdict
    assert "KL208" in topic_verdict
    cluster.require_topic(topic, 1, 3)
    size = limit + 64 * 1024
    figures["broker message.max.bytes"] = limit
    figures["record size"] = size

    large_requests = direct_producer(cluster, "kl208", "all", **{"max.request.size": 4 * 1024 * 1024})
    rejected = send(cluster, large_requests, topic, 1, size=size)
    figures["max.request.size=4194304 (> broker limit)"] = outcome(rejected)
    assert rejected[0]["ok"] is False
    assert rejected[0]["exception"] == RECORD_TOO_LARGE
    # The broker's MESSAGE_TOO_LARGE, not the client's own max.request.size check.
    assert rejected[0]["message"] == (
        "The request included a message larger than the max message size the server will accept."
    )

    default_requests = direct_producer(cluster, "kl208-default", "all")
    client_side = send(cluster, default_requests, topic, 1, size=size)
    figures["max.request.size default (1048576): refused by the client"] = outcome(client_side)
    assert client_side[0]["exception"] == RECORD_TOO_LARGE
    assert "max.request.size" in client_side[0]["message"]

    # The topic-level limit (max.message.bytes) is enforced the same way.
    cluster.require_topic(small_topic, 1, 3, {"max.message.bytes": 65536})
    topic_limited = send(cluster, default_requests, small_topic, 1, size=100 * 1024)
    figures["topic max.message.bytes=65536, 100 KiB record"] = outcome(topic_limited)
    assert topic_limited[0]["exception"] == RECORD_TOO_LARGE
    assert "server will accept" in topic_limited[0]["message"]


def partition_leader(cluster: Cluster, topic: str) -> int | None:
    info = cluster.describe(topic)
    parts = info.get("partitions") or [{}]
    leader = parts[0].get("leader")
    return int(leader) if leader is not None else None


def test_kl106_unclean_election_drops_acknowledged_writes(cluster: Cluster, figures: Figures, workdir: Path) -> None:
    """acks=all and min ISR 2 do not protect writes once an out-of-sync replica may lead.

    Broker S (stale) stops; 20 acks=all writes are acknowledged by the other two (the ISR);
    those two stop; S starts alone. With unclean.leader.election.enable=true the controller
    makes S leader with its old log, and when the others return they truncate to it: every
    acknowledged write is gone. With the default false the partition stays offline instead
    and loses nothing.
    """
    count = 20
    rid = run_id()
    unclean, clean = f"live-kl106-unclean-{rid}", f"live-kl106-clean-{rid}"
    unsafe_verdict = kafkalint_rules(
        cluster,
        "kl106",
        [topic_entry(unclean, **{"min.insync.replicas": 2, "unclean.leader.election.enable": True})],
    )
    safe_verdict = kafkalint_rules(
        cluster,
        "kl106-safe",
        [topic_entry(clean, **{"min.insync.replicas": 2, "unclean.leader.election.enable": False})],
    )
    figures["kafkalint: unclean=true"] = unsafe_verdict
    figures["kafkalint: unclean=false"] = safe_verdict or "no findings"
    assert "KL106" in unsafe_verdict
    assert "KL106" not in safe_verdict
    cluster.require_topic(unclean, 1, 3, {"min.insync.replicas": 2, "unclean.leader.election.enable": True})
    cluster.require_topic(clean, 1, 3, {"min.insync.replicas": 2, "unclean.leader.election.enable": False})
    producer = direct_producer(cluster, "kl106", "all")
    stale = cluster.non_controller_brokers()[0]
    controller = cluster.describe().get("controller")
    # Stop the controller last, so only one controller election happens (when S starts alone).
    others = sorted((b for b in cluster.brokers if b != stale), key=lambda b: b == controller)
    with cluster.brokers_stopped(stale):
        acked = {topic: send(cluster, producer, topic, count) for topic in (unclean, clean)}
        for broker_id in others:
            cluster.stop_broker(broker_id)
        cluster.start_broker(stale)
        elected = cluster.wait_until(
            f"broker {stale} leads {unclean}", lambda: partition_leader(cluster, unclean) == stale, timeout=120
        )
        clean_leader = partition_leader(cluster, clean)
        figures[f"broker {stale} stopped, acks=all writes acknowledged by brokers {others}"] = {
            topic: sum(1 for r in results if r["ok"]) for topic, results in acked.items()
        }
        figures[f"brokers {others} stopped, broker {stale} started alone"] = (
            f"unclean=true: leader {stale} after {elected:.1f} s; unclean=false: leader {clean_leader}"
        )
    read = {
        topic: cluster.probe.one("consume", cluster.bootstrap, topic, workdir / f"{topic}.txt", "timeout_s=30")
        for topic in (unclean, clean)
    }
    figures["all brokers back: records readable"] = {topic: result.get("records") for topic, result in read.items()}
    assert all(r["ok"] for results in acked.values() for r in results), acked
    assert clean_leader is None, f"{clean} got leader {clean_leader} although no in-sync replica was up"
    assert read[unclean].get("complete") and read[unclean]["records"] == 0, read[unclean]
    assert read[clean].get("complete") and read[clean]["records"] == count, read[clean]
