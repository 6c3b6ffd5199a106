"""Rule KL601 on models built in Python (its fixtures: tests/fixtures/rules/KL601/)."""

from __future__ import annotations

import pytest
from rulekit import Builder, run


def one(listeners: str, *, production: bool = True, complete: bool = True, **extra: str) -> Builder:
    values = {"listeners": listeners, **{key.replace("_", "."): value for key, value in extra.items()}}
    return Builder(production=production if complete else None, complete=complete).broker_config("kafka1", values)


@pytest.mark.parametrize(
    ("listeners", "extra"),
    [
        ("PLAINTEXT://0.0.0.0:9092", {}),
        ("PLAINTEXT://10.0.0.1:9092", {}),
        ("SSL://:9093", {}),
        ("SSL://:9093", {"ssl_client_auth": "requested"}),
        (
            "SSL://:9093,INTERNAL://:9094",
            {"ssl_client_auth": "required", "listener_security_protocol_map": "SSL:SSL,INTERNAL:PLAINTEXT"},
        ),
    ],
)
def test_kl601_unauthenticated_network_listeners(listeners: str, extra: dict[str, str]) -> None:
    findings = run("KL601", one(listeners, **extra))
    assert len(findings) == 1
    assert "does not authenticate" in findings[0].message


@pytest.mark.parametrize(
    ("listeners", "extra"),
    [
        ("SASL_SSL://:9093", {}),
        ("SASL_PLAINTEXT://:9092", {}),
        ("SSL://:9093", {"ssl_client_auth": "required"}),
        ("SSL://:9093", {"listener_name_ssl_ssl_client_auth": "required"}),
        ("PLAINTEXT://127.0.0.1:9092", {}),
        ("PLAINTEXT://localhost:9092", {}),
    ],
)
def test_kl601_authenticated_or_loopback(listeners: str, extra: dict[str, str]) -> None:
    assert run("KL601", one(listeners, **extra)) == []


def test_kl601_only_in_a_known_production_cluster() -> None:
    assert run("KL601", one("PLAINTEXT://:9092", production=False)) == []
    assert run("KL601", one("PLAINTEXT://:9092", complete=False, production=None)) == []  # a loose file does not say
