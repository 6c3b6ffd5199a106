#!/usr/bin/python
"""Ansible module: a PKCS12 trust store holding exactly the given CA certificates.

Java only trusts the certificates of a PKCS12 file that carry Oracle's trusted-key-usage
attribute, which keytool writes and OpenSSL 3.0 / cryptography cannot, so the store is built
with the host's keytool. It is rebuilt only when its certificates differ from the wanted ones
or its password no longer opens it, into a temporary file renamed over the old one: a broker
restarting meanwhile reads the old store or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
except ImportError:
    HAS_CRYPTOGRAPHY = False
else:
    HAS_CRYPTOGRAPHY = True

DOCUMENTATION = r"""
---
module: kafka_truststore
short_description: A PKCS12 trust store holding exactly the given CA certificates
description:
  - Builds O(path) with keytool from the certificates in O(certificates), each as a trusted
    certificate entry Java reads (C(trustedCertEntry)); keeps an existing store whose
    certificates are the same and whose password opens it.
  - Reports the certificates (subject and SHA-256 fingerprint) before and after in diff mode;
    the password is never shown.
version_added: "0.1.0"
author:
  - kafka-iac
options:
  path:
    description: The trust store file.
    type: path
    required: true
  certificates:
    description: PEM text with one or more CA certificates (a bundle).
    type: str
    required: true
  password:
    description: The store password (at least 6 characters, keytool's minimum).
    type: str
    required: true
  keytool:
    description: The keytool executable on the host.
    type: str
    default: keytool
extends_documentation_fragment:
  - files
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
requirements:
  - cryptography on the host (Debian python3-cryptography)
  - keytool (a Java runtime) on the host
"""

EXAMPLES = r"""
- name: Build the Kafka trust store
  kafka_truststore:
    path: /etc/kafka-tls/kafka.truststore.p12
    certificates: "{{ lookup('ansible.builtin.file', 'trust-bundle.pem') }}"
    password: "{{ vault_truststore_password }}"
    owner: root
    group: kafka
    mode: "0640"
"""

RETURN = r"""
certificates:
  description: The certificates the store holds now, subject and SHA-256 fingerprint.
  returned: always
  type: list
  elements: str
"""

_PEM = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")


def parse_bundle(text: str) -> list[Any]:
    """The certificates of a PEM bundle, in order, without duplicates."""
    found: dict[bytes, Any] = {}
    for block in _PEM.findall(text):
        certificate = x509.load_pem_x509_certificate(block.encode())
        found.setdefault(certificate.fingerprint(hashes.SHA256()), certificate)
    return list(found.values())


def describe(certificates: list[Any]) -> list[str]:
    return sorted(f"{c.subject.rfc4514_string()} sha256:{c.fingerprint(hashes.SHA256()).hex()}" for c in certificates)


def current(path: str, password: str) -> tuple[set[bytes] | None, list[str], str]:
    """Fingerprints of the store's certificates (None when there is no usable store), their
    description, and why it is not usable."""
    if not Path(path).exists():
        return None, [], "no trust store yet"
    data = Path(path).read_bytes()
    try:
        loaded = pkcs12.load_pkcs12(data, password.encode())
    except ValueError:
        return None, [], "the password does not open the existing store (or it is not PKCS12)"
    certificates = [item.certificate for item in loaded.additional_certs]
    if loaded.cert is not None:
        certificates.append(loaded.cert.certificate)
    return {c.fingerprint(hashes.SHA256()) for c in certificates}, describe(certificates), ""


def build(module: Any, path: str, certificates: list[Any], password: str) -> None:
    """Import every certificate into a new store beside ``path``, then rename it over ``path``."""
    descriptor, name = tempfile.mkstemp(prefix=".truststore-", suffix=".p12", dir=Path(path).parent)
    os.close(descriptor)
    scratch = Path(name)
    scratch.unlink()  # keytool creates the store itself and refuses an empty file
    env = dict(os.environ, KAFKA_TLS_STOREPASS=password)
    try:
        for certificate in certificates:
            alias = "ca-" + certificate.fingerprint(hashes.SHA256()).hex()[:16]
            pem = certificate.public_bytes(Encoding.PEM)
            proc = subprocess.run(
                [
                    module.params["keytool"],
                    "-importcert",
                    "-noprompt",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    str(scratch),
                    "-storepass:env",
                    "KAFKA_TLS_STOREPASS",
                    "-alias",
                    alias,
                ],
                input=pem,
                capture_output=True,
                env=env,
                check=False,
                timeout=120,
            )
            if proc.returncode != 0:
                output = (proc.stdout + proc.stderr).decode(errors="replace").strip()
                subject = certificate.subject.rfc4514_string()
                module.fail_json(msg=f"keytool could not add {subject} to {path}: {output}")
        scratch.replace(path)
    except OSError as error:
        module.fail_json(msg=f"cannot write the trust store {path}: {error}")
    finally:
        scratch.unlink(missing_ok=True)


def run(module: Any) -> None:
    params = module.params
    path, password = params["path"], params["password"]
    if len(password) < 6:
        module.fail_json(msg="kafka_truststore: the password must have at least 6 characters (keytool refuses shorter)")
    try:
        wanted = parse_bundle(params["certificates"])
    except ValueError as error:
        module.fail_json(msg=f"kafka_truststore: certificates: not a PEM certificate bundle: {error}")
    if not wanted:
        module.fail_json(msg="kafka_truststore: certificates holds no PEM certificate")
    fingerprints, before, reason = current(path, password)
    after = describe(wanted)
    changed = fingerprints != {c.fingerprint(hashes.SHA256()) for c in wanted}
    result: dict[str, Any] = {"changed": changed, "certificates": after}
    if changed:
        result["reason"] = reason or "the wanted certificates differ"
        result["diff"] = {"before": "\n".join(before) + "\n", "after": "\n".join(after) + "\n"}
        if not module.check_mode:
            build(module, path, wanted, password)
    if Path(path).exists() or not module.check_mode:
        result["changed"] = module.set_fs_attributes_if_different(
            module.load_file_common_arguments(params, path=path), result["changed"]
        )
    module.exit_json(**result)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True},
            "certificates": {"type": "str", "required": True},
            "password": {"type": "str", "required": True, "no_log": True},
            "keytool": {"type": "str", "default": "keytool"},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"))
    run(module)


if __name__ == "__main__":
    main()
