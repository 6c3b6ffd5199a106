"""The one listener parser (kafkalint.listeners) against Kafka's own reading of listeners,
protocol maps and client addresses."""

from __future__ import annotations

import pytest
from rulekit import Builder

from kafkalint import effective, listeners
from kafkalint.listeners import Endpoint


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("PLAINTEXT://0.0.0.0:9092", Endpoint("PLAINTEXT", "0.0.0.0", 9092, "PLAINTEXT://0.0.0.0:9092")),
        ("internal://:9093", Endpoint("INTERNAL", None, 9093, "internal://:9093")),
        ("SSL://[::1]:9094", Endpoint("SSL", "::1", 9094, "SSL://[::1]:9094")),
        (
            "CONTROLLER://kafka1.example.com:9093",
            Endpoint("CONTROLLER", "kafka1.example.com", 9093, "CONTROLLER://kafka1.example.com:9093"),
        ),
        ("kafka1:9092", None),
        ("PLAINTEXT://host", None),
    ],
)
def test_endpoints_as_kafka_parses_them(entry: str, parsed: Endpoint | None) -> None:
    assert listeners.parse_endpoint(entry) == parsed


def test_lists_split_on_commas_with_any_blanks() -> None:
    endpoints, bad = listeners.parse("PLAINTEXT://:9092 , SSL://h:9093,,oops")
    assert [item.name for item in endpoints] == ["PLAINTEXT", "SSL"]
    assert bad == ["oops"]
    assert listeners.entries(["a", " ", "b"]) == ["a", "b"]
    assert listeners.parse_map("internal:plaintext, EXTERNAL:SSL,bad") == {"INTERNAL": "PLAINTEXT", "EXTERNAL": "SSL"}


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        ("kafka1:9092", ("kafka1", 9092)),
        ("[::1]:9092", ("::1", 9092)),
        ("KAFKA1", ("kafka1", None)),
        ("h:x", ("h:x", None)),
    ],
)
def test_client_addresses(entry: str, address: tuple[str, int | None]) -> None:
    assert listeners.split_address(entry) == address


def test_writing_is_the_inverse_of_reading() -> None:
    """What effective.py renders (through listeners.endpoint / address) reads back the same."""
    assert listeners.endpoint("PLAINTEXT", "::1", 9092) == "PLAINTEXT://[::1]:9092"
    assert listeners.parse_endpoint(listeners.endpoint("PLAINTEXT", "::1", 9092)) == Endpoint(
        "PLAINTEXT", "::1", 9092, "PLAINTEXT://[::1]:9092"
    )
    assert listeners.split_address(listeners.address("fe80::1", 9092)) == ("fe80::1", 9092)
    hostvars = {"kafka1": {"kafka_broker_id": 1, "ansible_host": "10.0.0.1"}, "zk1": {"zookeeper_id": 1}}
    groups = {"kafka_broker": ["kafka1"], "zookeeper": ["zk1"]}
    rendered = effective.broker_config("kafka1", hostvars, groups)
    (advertised,) = listeners.parse(rendered["advertised.listeners"].value)[0]
    assert advertised.address == ("10.0.0.1", 9092)
    assert effective.bootstrap_servers(hostvars, groups) == "10.0.0.1:9092"


def test_protocol_map_defaults_and_kraft_controllers() -> None:
    zk_mode = Builder().broker("kafka1", listeners="INTERNAL://:9093").cluster.brokers[0].config
    assert listeners.protocol_map(zk_mode)["SSL"] == "SSL"
    assert "INTERNAL" not in listeners.protocol_map(zk_mode)
    kraft = Builder().broker(
        "c1", process_roles="controller", controller_listener_names="CONTROLLER", listeners="CONTROLLER://:9093"
    )
    assert listeners.protocol_map(kraft.cluster.brokers[0].config)["CONTROLLER"] == "PLAINTEXT"


def test_addresses_clients_reach() -> None:
    config = (
        Builder()
        .broker_config(
            "kafka1",
            {
                "listeners": "PLAINTEXT://0.0.0.0:9092,CONTROLLER://:9093,REPLICATION://10.0.0.1:9094",
                "advertised.listeners": "PLAINTEXT://kafka1.example.com:9092",
                "controller.listener.names": "CONTROLLER",
                "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT",
            },
        )
        .cluster.brokers[0]
        .config
    )
    exact, wildcard = listeners.client_addresses(config, {"kafka1"})
    assert exact == {("kafka1.example.com", 9092), ("10.0.0.1", 9094)}
    assert ("kafka1", 9092) in wildcard and ("10.0.0.1", 9092) in wildcard
    assert not any(port == 9093 for _host, port in exact | wildcard)  # the controller listener
    inter = listeners.inter_broker_listener(config)
    assert inter == ("PLAINTEXT", "PLAINTEXT")
