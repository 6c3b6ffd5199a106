"""Rule KL207 on models built in Python (its fixtures: tests/fixtures/rules/KL207/)."""

from __future__ import annotations

import pytest
from rulekit import (
    Builder,
    lines,
    run,
)


def test_kl207_seeds_example_equal_is_too_small() -> None:
    builder = Builder().topic("orders", partitions=5).producer({"buffer.memory": 81920}, ["orders"])
    findings = run("KL207", builder)
    assert lines(findings) == [builder.line("app", "buffer.memory")]
    assert "above 81920" in findings[0].message


@pytest.mark.parametrize(
    ("buffer", "batch", "count"),
    [(81921, None, 0), (40961, 8192, 0), (40960, 8192, 1), (1000, 0, 0), (None, None, 0)],
)
def test_kl207_edges(buffer: int | None, batch: int | None, count: int) -> None:
    values = {key: value for key, value in (("buffer.memory", buffer), ("batch.size", batch)) if value is not None}
    builder = Builder().topic("orders", partitions=5).producer(values, ["orders", "unknown"])
    assert len(run("KL207", builder)) == count


def test_kl207_counts_topics_once_and_uses_num_partitions() -> None:
    builder = Builder().broker("kafka1", num_partitions=4).topic("a", partitions=None).topic("b", partitions=2)
    builder.producer({"buffer.memory": 16384 * 6}, ["a", "b", "a"])
    findings = run("KL207", builder)
    assert len(findings) == 1
    assert "a: 4, b: 2" in findings[0].message
    assert run("KL207", Builder().producer({"buffer.memory": 1}, ["nowhere"])) == []
