"""Rule KL002 on models built in Python (its fixtures: tests/fixtures/rules/KL002/)."""

from __future__ import annotations

from rulekit import Builder, run


def test_kl002_suggests_the_closest_key_as_the_change() -> None:
    builder = Builder().broker("kafka1", num_partition=6)
    (finding,) = run("KL002", builder)
    assert finding.location.line == builder.line("kafka1", "num.partition")
    assert finding.message == (
        "unknown broker key 'num.partition': Kafka ignores it (it only logs that it was supplied but is not used), "
        "so it never takes effect; rename it to 'num.partitions'"
    )


def test_kl002_a_topic_key_on_a_broker_names_the_broker_key() -> None:
    (finding,) = run("KL002", Builder().broker("kafka1", retention_ms=86400000))
    assert finding.message.endswith("; rename it to 'log.retention.ms'")


def test_kl002_allow_option() -> None:
    builder = Builder().producer({"my.partitioner.seed": 1, "myco.trace": "on"})
    assert len(run("KL002", builder)) == 2
    assert run("KL002", builder, options={"allow": ["my.partitioner.seed", "^myco\\."]}) == []
