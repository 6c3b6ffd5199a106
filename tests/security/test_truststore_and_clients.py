"""The kafka_truststore module (keytool-built PKCS12 trust stores) and the kafka-python
mapping of a Java client's security keys (scripts/lib/kafkaclient.py), on this machine."""

from __future__ import annotations

import datetime
import ssl
import stat
from pathlib import Path

import pytest
import security_helpers
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kafkalint import security

kafkaclient = security_helpers.kafkaclient


def ca_pem(name: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def truststore(path: Path, certificates: str, password: str, tmp: Path, *, check: bool = False) -> dict[str, object]:
    rc, result, output = security_helpers.run_module(
        security_helpers.TRUSTSTORE_MODULE,
        {"path": str(path), "certificates": certificates, "password": password, "mode": "0640"},
        tmp=tmp,
        check=check,
    )
    assert rc == 0, result
    assert password not in output
    return result


def test_the_trust_store_holds_exactly_the_wanted_cas(tmp_path: Path) -> None:
    store = tmp_path / "kafka.truststore.p12"
    one, two = ca_pem("CA one"), ca_pem("CA two")

    result = truststore(store, one, "first-password", tmp_path, check=True)
    assert result["changed"] and not store.exists(), "check mode writes nothing"
    result = truststore(store, one + two + one, "first-password", tmp_path)
    assert result["changed"] and stat.S_IMODE(store.stat().st_mode) == 0o640
    assert [line.split(" sha256:")[0] for line in result["certificates"]] == ["CN=CA one", "CN=CA two"]
    assert result["diff"]["before"] == "\n" and result["diff"]["after"].count("sha256:") == 2
    assert not truststore(store, two + one, "first-password", tmp_path)["changed"], "order and duplicates do not matter"

    result = truststore(store, two, "first-password", tmp_path)
    assert result["changed"] and [c.split(" ")[0] for c in result["certificates"]] == ["CN=CA"]
    result = truststore(store, two, "second-password", tmp_path)
    assert result["changed"] and "password does not open" in str(result["reason"])
    assert not truststore(store, two, "second-password", tmp_path)["changed"]

    kwargs = kafkaclient.security_kwargs(
        {
            "security.protocol": "SSL",
            "ssl.truststore.location": str(store),
            "ssl.truststore.type": "PKCS12",
            "ssl.truststore.password": "second-password",
        }
    )
    context: ssl.SSLContext = kwargs["ssl_context"]
    assert [dict(item[0] for item in ca["subject"])["commonName"] for ca in context.get_ca_certs()] == ["CA two"]
    assert context.check_hostname and kwargs["ssl_check_hostname"] is True


def test_refusals_of_the_trust_store_module(tmp_path: Path) -> None:
    for certificates, password, fragment in [
        ("no certificate here", "long-enough", "holds no PEM certificate"),
        (ca_pem("x"), "short", "at least 6 characters"),
    ]:
        rc, result, _ = security_helpers.run_module(
            security_helpers.TRUSTSTORE_MODULE,
            {"path": str(tmp_path / "t.p12"), "certificates": certificates, "password": password},
            tmp=tmp_path,
        )
        assert rc == 1 and fragment in result["msg"]


def test_security_kwargs_from_a_rendered_sasl_ssl_profile(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(ca_pem("cluster CA"), encoding="utf-8")
    user = security.ScramUser("orders-app", 'p"w\\ ü,=', "SCRAM-SHA-512", 8192, "present")
    keys = {
        "bootstrap.servers": "k1:9093",
        "acks": "all",
        **security.client_properties({"protocol": "SASL_SSL", "truststore_location": str(bundle)}, user),
    }
    path = security_helpers.client_file(tmp_path / "orders.properties", keys)
    properties = kafkaclient.read_properties(path)
    kwargs, dropped = kafkaclient.producer_kwargs(properties)
    assert dropped == {}
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert (kwargs["sasl_mechanism"], kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == (
        "SCRAM-SHA-512",
        "orders-app",
        'p"w\\ ü,=',
    )
    assert kwargs["ssl_context"].check_hostname and kwargs["acks"] == "all"
    assert kafkaclient.security_kwargs({"bootstrap.servers": "k1:9092"}) == {}
    no_check = kafkaclient.security_kwargs(
        {"security.protocol": "SSL", "ssl.truststore.location": str(bundle), "ssl.truststore.type": "PEM",
         "ssl.endpoint.identification.algorithm": ""}
    )  # fmt: skip
    assert no_check["ssl_check_hostname"] is False
    assert [ca["subject"] for ca in no_check["ssl_context"].get_ca_certs()] == [((("commonName", "cluster CA"),),)], (
        "only the cluster CA, not the system's"
    )
    with pytest.raises(ValueError, match=r"without ssl\.truststore\.location"):
        kafkaclient.security_kwargs({"security.protocol": "SASL_SSL"})
