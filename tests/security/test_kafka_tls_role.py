"""The kafka_tls role on this machine (loopback: ``ansible_connection=local``), run the way a
play runs it: a CA made on the controller, keys made on the host, certificates with the host's
names, PKCS12 stores Java reads, a second run that changes nothing, renewal, CA rotation in
three steps, certificates the user supplies, and no secret in the output (``--diff`` included).

The host side runs with Debian's own Python and python3-cryptography (what the role installs
on the hosts) when this machine has them, so the stores are the ones hosts would get.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import security_helpers
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ROOT = security_helpers.ROOT
KEYTOOL = shutil.which("keytool")


def host_python() -> str:
    system = "/usr/bin/python3"
    if Path(system).is_file():
        probe = subprocess.run([system, "-c", "import cryptography"], capture_output=True, check=False)
        if probe.returncode == 0:
            return system
    return sys.executable


class Bed:
    """Two inventory hosts on this machine: ``gen`` (certificates from the role's CA) and
    ``own`` (certificates the user supplies)."""

    def __init__(self, root: Path, supplied: dict[str, Path]) -> None:
        self.root = root
        self.secrets = root / "secrets"
        self.inventory = root / "hosts.yml"
        self.playbook = root / "tls.yml"
        self.supplied = supplied
        self.playbook.write_text(
            yaml.safe_dump([{"name": "TLS", "hosts": "all", "gather_facts": False, "roles": ["kafka_tls"]}]),
            encoding="utf-8",
        )

    def dir(self, host: str) -> Path:
        return self.root / host

    def run(self, *options: str, **variables: Any) -> tuple[dict[str, Any], str]:
        """One ansible-playbook run (JSON report); ``variables`` go to every host."""
        common = {
            "ansible_connection": "local",
            "ansible_python_interpreter": host_python(),
            "kafka_tls_secrets_dir": str(self.secrets),
            "kafka_tls_owner": "root" if os.getuid() == 0 else os.environ.get("USER", "root"),
            "kafka_tls_service_group": "root" if os.getgid() == 0 else str(os.getgid()),
            "kafka_tls_generate_passwords": True,
            "kafka_tls_packages": [],
            **variables,
        }
        hosts = {
            "gen": {"ansible_host": "127.0.0.1", "kafka_tls_dir": str(self.dir("gen"))},
            "own": {
                "ansible_host": "127.0.0.2",
                "kafka_tls_dir": str(self.dir("own")),
                "kafka_tls_certificate_src": str(self.supplied["cert"]),
                "kafka_tls_private_key_src": str(self.supplied["key"]),
                "kafka_tls_ca_bundle_src": str(self.supplied["bundle"]),
            },
        }
        self.inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts, "vars": common}}), encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="kafka-tls-cfg-") as scratch:
            env = security_helpers.ansible_env(Path(scratch))
            proc = subprocess.run(
                [
                    str(security_helpers.VENV_BIN / "ansible-playbook"),
                    "-i",
                    str(self.inventory),
                    str(self.playbook),
                    *options,
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=900,
                check=False,
            )
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
        return json.loads(proc.stdout), proc.stdout + proc.stderr

    def passwords(self) -> tuple[str, str]:
        folder = self.secrets / "passwords"
        return (
            (folder / "keystore").read_text(encoding="utf-8").strip(),
            (folder / "truststore").read_text(encoding="utf-8").strip(),
        )


def changed(report: dict[str, Any], host: str) -> int:
    return int(report["stats"][host]["changed"])


def certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def keytool_entries(store: Path, password: str) -> list[str]:
    """What Java sees in a store: one "alias, type" per entry (keytool -list)."""
    assert KEYTOOL, "keytool (a JDK) is needed"
    proc = subprocess.run(
        [KEYTOOL, "-list", "-storetype", "PKCS12", "-keystore", str(store), "-storepass:env", "PW"],
        capture_output=True,
        text=True,
        env={**os.environ, "PW": password},
        check=True,
    )
    return [line for line in proc.stdout.splitlines() if "Entry," in line]


def trusted_subjects(store: Path, password: str) -> set[str]:
    loaded = pkcs12.load_pkcs12(store.read_bytes(), password.encode())
    return {item.certificate.subject.rfc4514_string() for item in loaded.additional_certs}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def user_supplied(root: Path) -> dict[str, Path]:
    """A CA of the user's own and a certificate it issued for host ``own``."""
    root.mkdir(parents=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "users own CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "own")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("own")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"cert": root / "own.crt", "key": root / "own.key", "bundle": root / "ca.pem"}
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths["key"].chmod(0o600)
    paths["bundle"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return paths


@pytest.fixture(scope="module")
def bed(tmp_path_factory: pytest.TempPathFactory) -> Bed:
    root = tmp_path_factory.mktemp("kafka-tls")
    return Bed(root, user_supplied(root / "supplied"))


def test_first_run_issues_everything_and_the_second_changes_nothing(bed: Bed) -> None:
    report, _ = bed.run()
    assert changed(report, "gen") > 0 and changed(report, "own") > 0
    ca_dir = bed.secrets / "ca"
    assert mode(bed.secrets) == 0o700 and mode(ca_dir) == 0o700
    assert mode(ca_dir / "ca.key") == 0o600
    assert mode(bed.secrets / "passwords" / "keystore") == 0o600
    ca = certificate(ca_dir / "ca.crt")
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca

    gen = bed.dir("gen")
    cert = certificate(gen / "host.crt")
    assert cert.subject.rfc4514_string() == "CN=gen"
    assert cert.issuer == ca.subject
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["gen"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert {usage._name for usage in usages} == {"serverAuth", "clientAuth"}
    assert mode(gen / "host.key") == 0o600
    keystore_password, truststore_password = bed.passwords()
    for host in ("gen", "own"):
        group = "root" if os.getgid() == 0 else str(os.getgid())
        keystore, truststore = bed.dir(host) / f"{group}.keystore.p12", bed.dir(host) / f"{group}.truststore.p12"
        assert mode(keystore) == 0o640 and mode(truststore) == 0o640
        assert [entry.split(",")[0] for entry in keytool_entries(keystore, keystore_password)] == [host]
        assert "PrivateKeyEntry" in keytool_entries(keystore, keystore_password)[0]
        trusted = keytool_entries(truststore, truststore_password)
        assert len(trusted) == 1 and "trustedCertEntry" in trusted[0], "Java sees the CA as trusted"
    own = certificate(bed.dir("own") / "host.crt")
    assert own.issuer.rfc4514_string() == "CN=users own CA"
    assert trusted_subjects(bed.dir("own") / f"{group}.truststore.p12", truststore_password) == {"CN=users own CA"}

    report, output = bed.run("--diff")
    assert changed(report, "gen") == 0 and changed(report, "own") == 0
    for secret in (keystore_password, truststore_password):
        assert secret not in output
    assert "PRIVATE KEY" not in output
    assert (ca_dir / "ca.crt").read_bytes() == ca.public_bytes(serialization.Encoding.PEM)


def test_renewal_and_a_ca_rotation_in_three_steps(bed: Bed) -> None:
    gen = bed.dir("gen")
    group = "root" if os.getgid() == 0 else str(os.getgid())
    truststore = gen / f"{group}.truststore.p12"
    _, truststore_password = bed.passwords()
    first = certificate(gen / "host.crt")
    key_before = (gen / "host.key").read_bytes()
    old_ca = (bed.secrets / "ca" / "ca.crt").read_bytes()
    new_dir = str(bed.secrets / "ca-next")
    renew = {"kafka_tls_cert_valid_days": 400, "kafka_tls_renew_before_days": 366}

    # Renewal: a certificate expiring within kafka_tls_renew_before_days is re-issued (same
    # key, same CA). Step 1 of the rotation at once: trust the next CA beside the old one.
    report, _ = bed.run(**renew, kafka_tls_trusted_ca_dirs=[new_dir])
    renewed = certificate(gen / "host.crt")
    assert renewed.serial_number != first.serial_number
    assert renewed.not_valid_after_utc > first.not_valid_after_utc
    assert renewed.issuer == first.issuer, "still signed by the old CA"
    assert (gen / "host.key").read_bytes() == key_before, "renewal keeps the host's key"
    old_subject = first.issuer.rfc4514_string()
    new_subject = certificate(Path(new_dir) / "ca.crt").subject.rfc4514_string()
    assert trusted_subjects(truststore, truststore_password) == {old_subject, new_subject}
    assert len(keytool_entries(truststore, truststore_password)) == 2
    assert changed(report, "own") == 0, "supplied certificates are not the role's CA's business"

    # Step 2: sign with the new CA, still trust the old one.
    bed.run(**renew, kafka_tls_ca_dir=new_dir, kafka_tls_trusted_ca_dirs=[str(bed.secrets / "ca")])
    rotated = certificate(gen / "host.crt")
    assert rotated.issuer.rfc4514_string() == new_subject
    assert trusted_subjects(truststore, truststore_password) == {old_subject, new_subject}

    # Step 3: drop the old CA; then nothing is left to change.
    bed.run(**renew, kafka_tls_ca_dir=new_dir)
    assert trusted_subjects(truststore, truststore_password) == {new_subject}
    assert certificate(gen / "host.crt").serial_number == rotated.serial_number
    report, _ = bed.run(**renew, kafka_tls_ca_dir=new_dir)
    assert changed(report, "gen") == 0
    assert (bed.secrets / "ca" / "ca.crt").read_bytes() == old_ca, "a CA is never replaced"
