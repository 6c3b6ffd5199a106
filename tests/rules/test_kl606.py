"""Rule KL606 on models built in Python (its fixtures: tests/fixtures/rules/KL606/)."""

from __future__ import annotations

from rulekit import Builder, run

from kafkalint.findings import Severity

EMPTY = {"ssl.endpoint.identification.algorithm": ""}


def test_kl606_clients_error_in_production_warning_otherwise() -> None:
    client = {"security.protocol": "SSL", **EMPTY}
    assert [f.severity for f in run("KL606", Builder().producer(client))] == [Severity.ERROR]
    assert [f.severity for f in run("KL606", Builder(production=False).producer(client))] == [None]
    assert [f.severity for f in run("KL606", Builder(complete=False, production=None).producer(client))] == [None]


def test_kl606_only_with_tls_and_an_explicit_empty_value() -> None:
    assert run("KL606", Builder().producer({"security.protocol": "PLAINTEXT", **EMPTY})) == []
    assert run("KL606", Builder().producer({"security.protocol": "SSL"})) == []
    assert (
        run("KL606", Builder().producer({"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": "https"}))
        == []
    )


def test_kl606_brokers_as_tls_clients_of_each_other() -> None:
    builder = Builder().broker_config("kafka1", {"listeners": "SSL://:9093", **EMPTY})
    assert len(run("KL606", builder)) == 1
