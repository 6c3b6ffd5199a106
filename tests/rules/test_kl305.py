"""Rule KL305 on models built in Python (its fixtures: tests/fixtures/rules/KL305/)."""

from __future__ import annotations

import pytest
from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)


@pytest.mark.parametrize(
    ("version", "tick", "flagged"),
    [("2.4.1", 2000, False), ("2.4.1", 200, True), ("2.5.0", 500, True), ("3.9.1", 900, False)],
)
def test_kl305_version_default(version: str, tick: int, flagged: bool) -> None:
    cluster = inventory(version=version, zookeepers=[{"tickTime": tick}] * 3)
    findings = run("KL305", cluster)
    assert bool(findings) is flagged
    if flagged:  # Kafka's default: point at the ZooKeeper tickTime that excludes it
        assert where(findings) == [str(cluster.zookeepers[0].config.location_of("tickTime"))]
        assert "(Kafka's default)" in findings[0].message


def test_kl305_explicit_timeout_and_zoo_cfg_bounds() -> None:
    low = inventory(common={"zookeeper.session.timeout.ms": 3000})
    findings = run("KL305", low)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "below the 4000 ms" in findings[0].message
    bounded = inventory(common={"zookeeper.session.timeout.ms": 30000}, zookeepers=[{"maxSessionTimeout": 20000}])
    assert "maxSessionTimeout=20000" in run("KL305", bounded)[0].message
    assert run("KL305", inventory(common={"zookeeper.session.timeout.ms": 40000})) == []
