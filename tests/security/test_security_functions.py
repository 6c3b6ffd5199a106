"""kafkalint.security: the pure functions the roles, the scripts and the modules share."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import security_helpers

from kafkalint import catalogue, contract, effective, security
from kafkalint.loaders import properties

CATALOGUES = Path(security.__file__).resolve().parent / "catalogue"
#: Passwords with every character some layer must escape: JAAS quotes and backslashes, line
#: ends, a properties file's leading space and non-ASCII (a character beyond U+FFFF too), the
#: commas of Kafka's SCRAM argument lists.
AWKWARD = ["plain", 'with "quotes"', "back\\slash", " leading space", "comma,equals=semi;", "ünïcødé 😀", "tab\tnl\n"]


def test_sensitive_keys_are_every_catalogued_password_key() -> None:
    expected = set()
    for path in CATALOGUES.glob("kafka-*.json"):
        for kind in ("broker", "producer", "consumer"):
            keys = json.loads(path.read_text(encoding="utf-8"))["kinds"].get(kind, {})
            expected.update(name for name, spec in keys.items() if spec["type"] == "PASSWORD")
    assert expected, "the catalogues declare PASSWORD keys"
    assert catalogue.password_keys() == expected
    assert all(security.is_sensitive_key(key) for key in expected)


@pytest.mark.parametrize(
    ("key", "sensitive"),
    [
        ("sasl.jaas.config", True),
        ("ssl.keystore.password", True),
        ("SSL.TRUSTSTORE.PASSWORD", True),
        ("listener.name.client.scram-sha-512.sasl.jaas.config", True),
        ("basic.auth.user.info", True),
        ("schema.registry.basic.auth.user.info", True),
        ("my.serializer.api.secret", True),
        ("acks", False),
        ("ssl.truststore.location", False),
        ("sasl.mechanism", False),
        ("security.protocol", False),
    ],
)
def test_is_sensitive_key(key: str, sensitive: bool) -> None:
    assert security.is_sensitive_key(key) is sensitive


def test_the_profile_filter_uses_the_catalogue_derived_keys() -> None:
    module = security_helpers.load(
        security_helpers.ROOT
        / "roles"
        / "kafka_producer_profiles"
        / "filter_plugins"
        / "kafka_producer_profiles_filters.py"
    )
    assert not hasattr(module, "SENSITIVE_KEYS"), "no hand-written list beside the catalogue's"
    assert all(module.is_sensitive_key(key) for key in catalogue.password_keys())
    assert module.kafka_producer_profile_is_sensitive({"name": "p", "user": "orders", "config": {"acks": "all"}})
    assert not module.kafka_producer_profile_is_sensitive({"name": "p", "config": {"acks": "all"}})


@pytest.mark.parametrize("password", AWKWARD)
def test_jaas_config_round_trips(password: str) -> None:
    text = security.jaas_config("SCRAM-SHA-512", "orders-app", password)
    assert text.startswith("org.apache.kafka.common.security.scram.ScramLoginModule required ")
    assert "\n" not in text, "StreamTokenizer ends a quoted string at a line end"
    entry = security.parse_jaas_config(text)
    assert entry.login_module == "org.apache.kafka.common.security.scram.ScramLoginModule"
    assert entry.flag == "required"
    assert entry.options == {"username": "orders-app", "password": password}


@pytest.mark.parametrize(
    "text",
    [
        "",
        'org.Module required username="a" password="secret-value"',  # no ;
        'org.Module maybe username="a";',
        'org.Module required username "secret-value";',
        'org.Module required username="secret-value;',
        'a required x="1"; b required y="secret-value";',
    ],
)
def test_parse_jaas_config_refuses_without_echoing_the_value(text: str) -> None:
    with pytest.raises(security.SecurityError) as caught:
        security.parse_jaas_config(text)
    assert "secret-value" not in str(caught.value)


@pytest.mark.parametrize("text", AWKWARD)
def test_properties_values_read_back_unchanged(text: str) -> None:
    rendered = f"k={effective.properties_value(text)}\n"
    assert rendered.isascii(), "Kafka reads properties files as ISO-8859-1: only ASCII is safe"
    assert properties.parse(rendered).values()["k"] == text


def test_scram_users_validate_every_problem_without_the_password() -> None:
    entries: list[Any] = [
        {"name": "CN=kafka1", "password": "secret-one"},
        {"name": "ok", "password": ""},
        {"name": "ok2", "password": "secret-two", "iterations": 100},
        {"name": "ok3", "password": "secret-three", "mechanism": "PLAIN"},
        {"name": "ok4", "password": "secret-four", "colour": "blue"},
        {"name": "dup", "password": "secret-five"},
        {"name": "dup", "password": "secret-six"},
    ]
    with pytest.raises(security.SecurityError) as caught:
        security.scram_users(entries)
    message = str(caught.value)
    for fragment in (
        "(CN=kafka1): name",
        "(ok): password is required",
        "iterations must be",
        "mechanism must be",
        "unknown key(s) colour",
        "declared more than once",
    ):
        assert fragment in message
    assert "secret" not in message


def test_user_name_rule_equals_the_modules() -> None:
    module = security_helpers.SCRAM_MODULE.read_text(encoding="utf-8")
    assert f're.compile(r"{security.USER_NAME.pattern}")' in module


def test_scram_format_arguments_carry_a_salted_password_as_kafka_computes_it() -> None:
    users = [
        {"name": "admin", "password": 'a,b"c', "iterations": 4096},
        {"name": "gone", "state": "absent"},
        {"name": "app", "password": "x", "mechanism": "SCRAM-SHA-256"},
    ]
    salt = bytes(range(32))
    args = security.scram_format_arguments(users, random_bytes=lambda n: salt[:n])
    assert args[0::2] == ["--add-scram", "--add-scram"]
    assert "a,b" not in "".join(args), "the password itself never reaches the command line"
    mechanism, _, body = args[1].partition("=")
    assert mechanism == "SCRAM-SHA-512" and body.startswith("[") and body.endswith("]")
    fields = dict(item.split("=", 1) for item in body[1:-1].split(","))
    assert fields["name"] == "admin" and fields["iterations"] == "4096"
    assert base64.b64decode(fields["salt"]) == salt
    expected = hashlib.pbkdf2_hmac("sha512", b'a,b"c', salt, 4096)
    assert base64.b64decode(fields["saltedpassword"]) == expected
    assert args[3].startswith("SCRAM-SHA-256=[name=app,iterations=8192,")


def test_scram_bootstrap_properties_read_back_as_configcommand_expects() -> None:
    user = security.ScramUser("admin", 'p,w"\\ ü=', "SCRAM-SHA-512", 8192, "present")
    values = properties.parse(security.scram_bootstrap_properties(user)).values()
    assert values == {"SCRAM-SHA-512": 'iterations=8192,password=p,w"\\ ü='}


def test_subject_alt_names() -> None:
    assert security.subject_alt_names("kafka1", "172.30.0.11", ["kafka1.example", "IP:10.0.0.1", "DNS:kafka1"]) == [
        "DNS:kafka1",
        "IP:172.30.0.11",
        "DNS:kafka1.example",
        "IP:10.0.0.1",
    ]
    assert security.subject_alt_names("kafka1", "kafka1.prod.example") == ["DNS:kafka1", "DNS:kafka1.prod.example"]
    assert security.subject_alt_names("k", "::1") == ["DNS:k", "IP:::1"]
    assert security.tls_principal("kafka1") == "User:CN=kafka1"


def test_client_properties_for_scram_over_tls() -> None:
    user = security.ScramUser("orders-app", 'pw"1', "SCRAM-SHA-512", 8192, "present")
    settings = {"protocol": "sasl_ssl", "truststore_location": "/etc/kafka-clients/ca.pem"}
    assert security.client_properties(settings, user) == {
        "security.protocol": "SASL_SSL",
        "ssl.truststore.location": "/etc/kafka-clients/ca.pem",
        "ssl.truststore.type": "PEM",
        "ssl.endpoint.identification.algorithm": "https",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.jaas.config": security.jaas_config("SCRAM-SHA-512", "orders-app", 'pw"1'),
    }
    assert security.client_properties({}, None) == {}
    assert (
        security.client_properties({"protocol": "SSL", "truststore_location": "/ca.pem"}, None)["security.protocol"]
        == "SSL"
    )


@pytest.mark.parametrize(
    ("settings", "user", "fragment"),
    [
        ({"protocol": "SASL_SSL", "truststore_location": "/ca.pem"}, None, "needs a user"),
        ({"protocol": "SASL_SSL"}, "u", "needs truststore_location"),
        ({"protocol": "PLAINTEXT"}, "u", "does not authenticate users"),
        ({"protocol": "TLS"}, None, "protocol must be one of"),
        (
            {"protocol": "SASL_SSL", "truststore_location": "/ca.pem", "sasl_mechanism": "SCRAM-SHA-256"},
            "u",
            "clients use",
        ),
        ({"colour": "blue"}, None, "unknown key(s) colour"),
    ],
)
def test_client_properties_refusals(settings: dict[str, Any], user: str | None, fragment: str) -> None:
    scram = security.ScramUser(user, "pw", "SCRAM-SHA-512", 8192, "present") if user else None
    with pytest.raises(security.SecurityError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        security.client_properties(settings, scram)


def test_producer_config_derives_the_security_keys_unless_the_profile_sets_them() -> None:
    hostvars = {"k1": {"ansible_host": "10.0.0.1", "kafka_broker_id": 1, "kafka_broker_port": 9093}}
    groups = {"kafka_broker": ["k1"]}
    users = [{"name": "orders-app", "password": "pw"}]
    settings = {"protocol": "SASL_SSL", "truststore_location": "/etc/kafka-clients/ca.pem"}
    profile = {
        "name": "orders",
        "user": "orders-app",
        "config": {"acks": "all", "ssl.endpoint.identification.algorithm": "https"},
    }
    config = effective.producer_config(profile, hostvars, groups, settings, users)
    assert config["security.protocol"] == effective.Value("SASL_SSL", "derived", contract.CLIENT_SECURITY)
    assert config["ssl.endpoint.identification.algorithm"].source == "inventory"
    assert security.parse_jaas_config(config["sasl.jaas.config"].value).options["password"] == "pw"
    assert list(config) == sorted(config)
    with pytest.raises(effective.InventoryError, match="no present user 'nobody'"):
        effective.producer_config(dict(profile, user="nobody"), hostvars, groups, settings, users)
    plain = effective.producer_config({"name": "p", "config": {}}, hostvars, groups)
    assert set(plain) == {"bootstrap.servers"}, "without kafka_client_security nothing changes"
    assert set(effective.producer_config(profile, hostvars, groups)) == {
        "acks",
        "bootstrap.servers",
        "ssl.endpoint.identification.algorithm",
    }
    with pytest.raises(effective.InventoryError, match="PLAINTEXT does not authenticate users"):
        effective.producer_config(profile, hostvars, groups, {}, users)


def test_broker_security_properties() -> None:
    tls = security.BrokerTls(
        "/etc/kafka-tls/kafka.keystore.p12", "ks-secret", "/etc/kafka-tls/kafka.truststore.p12", "ts-secret"
    )
    keys = security.broker_security_properties(
        "kraft",
        tls,
        sasl_listeners=["CLIENT"],
        mtls_listeners=["INTERNAL", "CONTROLLER"],
        principals=["User:CN=kafka1", "User:CN=kafka2", "User:admin", "User:admin"],
    )
    assert keys["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert keys["allow.everyone.if.no.acl.found"] is False
    assert keys["super.users"] == "User:CN=kafka1;User:CN=kafka2;User:admin"
    assert keys["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert keys["listener.name.client.scram-sha-512.sasl.jaas.config"] == (
        "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    )
    assert keys["listener.name.internal.ssl.client.auth"] == "required"
    assert keys["listener.name.controller.ssl.client.auth"] == "required"
    assert keys["ssl.endpoint.identification.algorithm"] == "https"
    assert list(keys) == sorted(keys)
    zk = security.broker_security_properties(
        "zookeeper", tls, sasl_listeners=[], mtls_listeners=[], principals=["User:a"]
    )
    assert zk["authorizer.class.name"] == "kafka.security.authorizer.AclAuthorizer"
    assert "sasl.enabled.mechanisms" not in zk
    with pytest.raises(security.SecurityError):
        security.super_users(["User:a;User:b"])


def _kafka_admin() -> Any:
    return security_helpers.load(security_helpers.ROOT / "roles" / "kafka_topics" / "module_utils" / "kafka_admin.py")


def test_admin_security_keys_equal_the_modules_security_option() -> None:
    spec = _kafka_admin().SECURITY_OPTIONS
    assert list(spec) == list(contract.ADMIN_SECURITY_DEFAULTS)
    assert {name: option.get("default") for name, option in spec.items()} == contract.ADMIN_SECURITY_DEFAULTS
    assert [name for name, option in spec.items() if option.get("no_log")] == ["password", "key_password"]


def test_scram_client_final_matches_rfc_7677() -> None:
    """The admin modules' SCRAM arithmetic (the password check) against RFC 7677's example."""
    kafka_admin = _kafka_admin()
    final, server_signature = kafka_admin.scram_client_final(
        "SCRAM-SHA-256",
        "pencil",
        "n=user,r=rOprNGfwEbeRWgbNEkqO",
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "rOprNGfwEbeRWgbNEkqO",
    )
    assert (
        final
        == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
    assert base64.b64encode(server_signature) == b"6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    with pytest.raises(kafka_admin.ClusterError, match="nonce"):
        kafka_admin.scram_client_final("SCRAM-SHA-256", "pencil", "n=user,r=abc", "r=xyz,s=AAAA,i=4096", "abc")


def test_the_bootstrap_filters_render_what_kafkalint_security_renders() -> None:
    filters = security_helpers.load(
        security_helpers.ROOT / "roles" / "kafka_scram_users" / "filter_plugins" / "kafka_scram_users_filters.py"
    )
    users = [{"name": "admin", "password": "a,b"}, {"name": "gone", "state": "absent"}]
    arguments = filters.kafka_scram_format_arguments(users)
    assert arguments[0] == "--add-scram" and arguments[1].startswith("SCRAM-SHA-512=[name=admin,iterations=8192,salt=")
    assert len(arguments) == 2
    assert filters.kafka_scram_bootstrap_properties(users, "admin") == "SCRAM-SHA-512=iterations=8192,password=a,b\n"
    from ansible.errors import AnsibleFilterError

    with pytest.raises(AnsibleFilterError, match="no present user 'gone'"):
        filters.kafka_scram_bootstrap_properties(users, "gone")
    with pytest.raises(AnsibleFilterError, match="password is required"):
        filters.kafka_scram_format_arguments([{"name": "x"}])
