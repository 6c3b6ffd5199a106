"""Rule KL006 on models built in Python (its fixtures: tests/fixtures/rules/KL006/)."""

from __future__ import annotations

import pytest
from rulekit import GROUP_VARS, Builder, inventory, run, where


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("log.retention.hours", "168\runclean.leader.election.enable=true"),
        ("log.retention.hours", "168\nx=y"),
        ("log.retention.hours", "a\x00b"),
        ("log.retention.hours", "a\u2028b"),
        ("num partitions", 6),
        ("num.partitions=6", 6),
        ("#num.partitions", 6),
        ("a:b", 1),
    ],
)
def test_kl006_what_cannot_be_one_line(key: str, value: object) -> None:
    findings = run("KL006", inventory(common={key: value}))
    assert where(findings) == [f"{GROUP_VARS}:10"]  # one finding for the line the brokers share
    assert findings[0].subject == "broker kafka1, broker kafka2 and broker kafka3"


@pytest.mark.parametrize(
    "value",
    ["C:\\kafka\\keystore.jks", " leading blank", "a=b:c#d!e", "café", "\U0001f600", 'username="a=b";'],
)
def test_kl006_what_the_renderer_writes_as_meant(value: str) -> None:
    assert run("KL006", inventory(common={"ssl.keystore.location": value})) == []


def test_kl006_files_read_as_they_are_are_not_checked() -> None:
    builder = Builder()
    builder.broker("server.properties", {"log.retention.hours": "168\rx=y"}, layer="file")
    assert run("KL006", builder.model()) == []
