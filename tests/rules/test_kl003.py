"""Rule KL003 on models built in Python (its fixtures: tests/fixtures/rules/KL003/)."""

from __future__ import annotations

from rulekit import Builder, run


def test_kl003_keys_removed_in_4_0() -> None:
    builder = Builder("4.0.0").broker("kafka1", log_message_format_version="2.8", zookeeper_session_timeout_ms=18000)
    found = run("KL003", builder)
    assert sorted(finding.location.line for finding in found) == sorted(
        [builder.line("kafka1", "log.message.format.version"), builder.line("kafka1", "zookeeper.session.timeout.ms")]
    )
    assert all(": the target version ignores it" in finding.message for finding in found)
    assert run("KL003", Builder("3.9.1").broker("kafka1", log_message_format_version="2.8")) == []


def test_kl003_port_is_removed_from_3_0_and_fine_before() -> None:
    assert len(run("KL003", Builder("3.0.2").broker("kafka1", port=9092))) == 1
    assert run("KL003", Builder("2.8.2").broker("kafka1", port=9092)) == []
