"""Rule KL308 on models built in Python (its fixtures: tests/fixtures/rules/KL308/)."""

from __future__ import annotations

from rulekit import (
    GROUP_VARS,
    inventory,
    run,
    where,
)


def test_kl308_default_gssapi_mechanism_not_enabled() -> None:
    cluster = inventory(
        common={"security.inter.broker.protocol": "SASL_SSL", "sasl.enabled.mechanisms": "SCRAM-SHA-512"}
    )
    findings = run("KL308", cluster)
    assert where(findings) == [f"{GROUP_VARS}:11"]
    assert (
        '"sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms when SASL is used for '
        'inter-broker communication"'
    ) in findings[0].message


def test_kl308_listener_prefixed_mechanisms_win() -> None:
    base = {
        "listener.security.protocol.map": "INTERNAL:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "inter.broker.listener.name": "INTERNAL",
        "sasl.mechanism.inter.broker.protocol": "PLAIN",
        "sasl.enabled.mechanisms": "PLAIN",
    }
    assert run("KL308", inventory(common=base)) == []
    prefixed = inventory(common={**base, "listener.name.internal.sasl.enabled.mechanisms": "SCRAM-SHA-256"})
    findings = run("KL308", prefixed)
    assert where(findings) == [f"{GROUP_VARS}:12"]
    assert "listener.name.internal.sasl.enabled.mechanisms=SCRAM-SHA-256" in findings[0].message


def test_kl308_plaintext_inter_broker_is_not_checked() -> None:
    assert run("KL308", inventory(common={"sasl.enabled.mechanisms": "PLAIN"})) == []
