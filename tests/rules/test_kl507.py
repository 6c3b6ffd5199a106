"""Rule KL507 on models built in Python (its fixtures: tests/fixtures/rules/KL507/)."""

from __future__ import annotations

from rulekit import Builder, run


def cluster(version: str, controller: dict[str, object]) -> Builder:
    builder = Builder(version)
    builder.kraft("b1", "broker", {"node.id": 4, "min.insync.replicas": 2})
    builder.kraft("c1", "controller", {"node.id": 1, **controller})
    return builder


def test_kl507_from_4_1_the_controllers_min_isr_must_be_the_brokers() -> None:
    findings = run("KL507", cluster("4.1.2", {}))
    assert findings[0].message.startswith("controller c1 has min.insync.replicas (Kafka 4.1 default: 1)")
    assert run("KL507", cluster("4.1.2", {"min.insync.replicas": 2})) == []
    assert run("KL507", cluster("4.0.2", {})) == []  # no eligible leader replicas by default before 4.1


def test_kl507_combined_nodes_and_brokers_at_the_default() -> None:
    combined = Builder("4.1.2").kraft("n1", "broker,controller", {"node.id": 1, "min.insync.replicas": 2})
    assert run("KL507", combined) == []
    default = Builder("4.1.2").kraft("b1", "broker", {"node.id": 4}).kraft("c1", "controller", {"node.id": 1})
    assert run("KL507", default) == []
