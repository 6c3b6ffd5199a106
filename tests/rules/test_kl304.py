"""Rule KL304 on models built in Python (its fixtures: tests/fixtures/rules/KL304/)."""

from __future__ import annotations

from typing import Any

from rulekit import (
    GROUP_VARS,
    Builder,
    broker_location,
    inventory,
    run,
    where,
)

from kafkalint.model import Cluster, Location


def listeners_cluster(*brokers: dict[str, Any]) -> Cluster:
    return inventory(derived=False, zookeepers=0, brokers=list(brokers))


def test_kl304_inventory_derived_listeners_are_clean() -> None:
    assert run("KL304", inventory()) == []


def test_kl304_inter_broker_listener_not_advertised() -> None:
    cluster = listeners_cluster(
        {
            "listeners": "INTERNAL://0.0.0.0:9093,EXTERNAL://0.0.0.0:9092",
            "advertised.listeners": "EXTERNAL://kafka1.example.com:9092",
            "listener.security.protocol.map": "INTERNAL:PLAINTEXT,EXTERNAL:SSL",
            "inter.broker.listener.name": "internal",
        }
    )
    findings = run("KL304", cluster)
    assert where(findings) == [broker_location(cluster, "inter.broker.listener.name")]
    assert (
        '"inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options '
        'based on currently configured listeners are EXTERNAL"'
    ) in findings[0].message


def test_kl304_default_map_lacks_custom_name() -> None:
    cluster = listeners_cluster({"listeners": "INTERNAL://:9093", "advertised.listeners": "INTERNAL://kafka1:9093"})
    findings = run("KL304", cluster)
    # listeners and advertised.listeners both name INTERNAL: one finding, at the first line naming it
    # (the map is unset); and what Kafka says next: the inter-broker listener (PLAINTEXT by default)
    # is not advertised
    assert where(findings) == [broker_location(cluster, "listeners"), broker_location(cluster, "advertised.listeners")]
    assert "No security protocol defined for listener INTERNAL" in findings[0].message
    assert "The valid options based on currently configured listeners are INTERNAL" in findings[1].message


def test_kl304_unset_advertised_falls_back_to_listeners_with_0000() -> None:
    cluster = listeners_cluster({"listeners": "PLAINTEXT://0.0.0.0:9092"})
    findings = run("KL304", cluster)
    assert where(findings) == [broker_location(cluster, "listeners")]
    assert "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address." in (
        findings[0].message
    )
    assert "(unset, so listeners)" in findings[0].message


def test_kl304_duplicate_ports_names_and_both_inter_settings() -> None:
    cluster = listeners_cluster(
        {
            "listeners": "PLAINTEXT://:9092,SSL://:9092,plaintext://:9093",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
            "inter.broker.listener.name": "PLAINTEXT",
            "security.inter.broker.protocol": "PLAINTEXT",
        }
    )
    messages = [finding.message for finding in run("KL304", cluster)]
    text = "PLAINTEXT://:9092,SSL://:9092,plaintext://:9093"
    assert any(f'"Each listener must have a different name, listeners: {text}"' in m for m in messages)
    assert any(f'"Each listener must have a different port, listeners: {text}"' in m for m in messages)
    assert any(
        "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set." in m
        for m in messages
    )
    assert len(messages) == 3


def test_kl304_ipv4_and_ipv6_may_share_a_port() -> None:
    ok = listeners_cluster(
        {
            "listeners": "PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092",
            "advertised.listeners": "PLAINTEXT://kafka1:9092,SSL://kafka1:9093",
        }
    )
    assert run("KL304", ok) == []
    bad = listeners_cluster(
        {
            "listeners": "PLAINTEXT://10.0.0.1:9092,SSL://10.0.0.2:9092",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
        }
    )
    assert "one needs to be IPv4 and the other IPv6" in run("KL304", bad)[0].message


def test_kl304_advertised_not_subset_and_unparsable() -> None:
    cluster = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://kafka1:9092,SSL://kafka1:9093,bogus"}
    )
    messages = [finding.message for finding in run("KL304", cluster)]
    assert any("Unable to parse bogus to a broker endpoint" in m for m in messages)
    assert any(
        "Found PLAINTEXT,SSL. The valid options based on the current configuration are PLAINTEXT" in m for m in messages
    )


def test_kl304_loopback_only_on_multi_host_clusters() -> None:
    single_host = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://localhost:9092"},
        {"listeners": "PLAINTEXT://:9093", "advertised.listeners": "PLAINTEXT://localhost:9093"},
    )
    assert run("KL304", single_host) == []
    multi = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://127.0.0.1:9092"},
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://kafka2:9092"},
    )
    findings = run("KL304", multi)
    assert where(findings) == [broker_location(multi, "advertised.listeners", 0)]
    assert findings[0].message.startswith("broker kafka1 advertises PLAINTEXT://127.0.0.1:9092")


def test_kl304_shared_map_line_reported_once() -> None:
    cluster = inventory(common={"listener.security.protocol.map": "SSL:SSL"})
    findings = run("KL304", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert findings[0].message.startswith("brokers kafka1, kafka2 and kafka3: listener name PLAINTEXT")


def test_kl304_kraft_controller_listener_gets_plaintext() -> None:
    cluster = listeners_cluster(
        {
            "process.roles": "broker,controller",
            "node.id": 1,
            "controller.listener.names": "CONTROLLER",
            "listeners": "PLAINTEXT://:9092,CONTROLLER://:9093",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
        }
    )
    assert run("KL304", cluster) == []


def test_kl304_two_brokers_advertising_one_address() -> None:
    builder = Builder().brokers(3)
    builder.cluster.brokers[2].config.set(
        "advertised.listeners", "PLAINTEXT://10.0.0.1:9092", "inventory", Location("cluster.yml", 900)
    )
    (finding,) = run("KL304", builder)
    assert str(finding.location) == "cluster.yml:900"
    assert finding.message.startswith("broker kafka3 advertises PLAINTEXT://10.0.0.1:9092, the address broker kafka1")
    # Loose alternatives of one machine are not one cluster (the loader judges them apart);
    # brokers bound to every interface and not advertising share nothing.
    assert run("KL304", Builder().brokers(3, {"advertised.listeners": "PLAINTEXT://:9092"}, shared=False)) == []
