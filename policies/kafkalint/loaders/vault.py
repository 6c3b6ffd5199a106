"""Ansible Vault, decrypted without Ansible, with a password given explicitly.

The password comes from ``--vault-password-file FILE`` or the environment
(``KAFKALINT_VAULT_PASSWORD_FILE`` naming a file, or ``KAFKALINT_VAULT_PASSWORD`` holding the
password): a file is read, never executed, even when it is executable (Ansible would run an
executable password file; kafkalint never runs anything it is given), and never taken from
``ansible.cfg`` or Ansible's own environment variables, which a repository or a CI runner may
set for other purposes. Without a password, an inline ``!vault`` value is left unresolved
(rules do not judge it) and a vault-encrypted file is an input error naming it.

The format is Ansible's ``$ANSIBLE_VAULT;1.1;AES256`` (and ``1.2`` with a vault id): the
hex-encoded salt, HMAC-SHA256 and AES-256-CTR ciphertext, keys from PBKDF2-HMAC-SHA256 with
10,000 rounds. Decrypting needs the ``cryptography`` package (``pip install
'kafkalint[vault]'``; ansible-core depends on it too). Every decrypted value is registered
with :mod:`kafkalint.redact`, so no report or message prints it; at most
:data:`~kafkalint.limits.MAX_VAULT_VALUES` are decrypted per run.
"""

from __future__ import annotations

import binascii
import os
from dataclasses import dataclass, field
from pathlib import Path

from kafkalint import limits, redact
from kafkalint.errors import InputError
from kafkalint.model import Location

PASSWORD_FILE_ENV = "KAFKALINT_VAULT_PASSWORD_FILE"
PASSWORD_ENV = "KAFKALINT_VAULT_PASSWORD"
_HEADER = "$ANSIBLE_VAULT"
_ROUNDS = 10_000


class VaultError(ValueError):
    """A vault value that cannot be decrypted with the password given (or at all)."""


@dataclass
class Vault:
    """The password to decrypt with (``None``: none given) and how many values it decrypted."""

    password: bytes | None = None
    source: str = ""
    decrypted: int = field(default=0)

    def decrypt(self, envelope: str | bytes) -> str:
        """The plaintext of ``envelope`` (a vault text); raises :class:`VaultError`."""
        if self.password is None:
            raise VaultError("vault-encrypted, and no vault password was given (--vault-password-file)")
        self.decrypted += 1
        if self.decrypted > limits.MAX_VAULT_VALUES:
            raise VaultError(f"more than {limits.MAX_VAULT_VALUES} vault-encrypted values in one run")
        text = decrypt(envelope, self.password)
        redact.register(text)
        return text

    def decrypt_file(self, data: bytes, shown: str) -> bytes:
        """The plaintext of a vault-encrypted file (for :func:`kafkalint.loaders.yamlread.load`)."""
        try:
            text = self.decrypt(data)
        except VaultError as error:
            raise InputError(f"cannot decrypt the vault-encrypted file: {error}", Location(shown, 1)) from None
        return text.encode("utf-8", errors="surrogateescape")


def from_options(password_file: str | None) -> Vault:
    """The vault password: ``password_file`` (the command line's), else the environment."""
    source = password_file or os.environ.get(PASSWORD_FILE_ENV)
    if source:
        try:
            data = limits.read_bytes(source, source)
        except InputError as error:
            raise InputError(f"cannot read the vault password file: {error.message}", Location(source)) from None
        password = data.strip(b"\r\n")  # as Ansible reads a password file
        if not password:
            raise InputError("the vault password file is empty", Location(source))
        return Vault(password, str(Path(source)))
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return Vault(from_env.encode("utf-8"), PASSWORD_ENV)
    return Vault()


def decrypt(envelope: str | bytes, password: bytes) -> str:
    """Decrypt an Ansible vault text with ``password``; raises :class:`VaultError`."""
    text = envelope.decode("utf-8", errors="replace") if isinstance(envelope, bytes) else envelope
    lines = [line.strip() for line in text.strip().splitlines()]
    if not lines or not lines[0].startswith(_HEADER):
        raise VaultError("not a vault text (no $ANSIBLE_VAULT header)")
    header = lines[0].split(";")
    if len(header) < 3 or header[1] not in ("1.1", "1.2") or header[2] != "AES256":
        raise VaultError(f"unsupported vault format {redact.quote(lines[0])}")
    try:
        body = binascii.unhexlify("".join(lines[1:]))
        salt_hex, mac_hex, cipher_hex = body.split(b"\n", 2)
        salt = binascii.unhexlify(salt_hex)
        ciphertext = binascii.unhexlify(cipher_hex)
        mac = binascii.unhexlify(mac_hex)
    except (binascii.Error, ValueError):
        raise VaultError("malformed vault text") from None
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, hmac, padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    except ImportError:
        raise VaultError("decrypting needs the cryptography package: pip install 'kafkalint[vault]'") from None
    derived = PBKDF2HMAC(algorithm=hashes.SHA256(), length=80, salt=salt, iterations=_ROUNDS).derive(password)
    key, mac_key, iv = derived[:32], derived[32:64], derived[64:80]
    check = hmac.HMAC(mac_key, hashes.SHA256())
    check.update(ciphertext)
    try:
        check.verify(mac)
    except InvalidSignature:
        raise VaultError("the vault password does not decrypt it") from None
    decryptor = Cipher(algorithms.AES(key), modes.CTR(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plaintext = unpadder.update(decryptor.update(ciphertext) + decryptor.finalize()) + unpadder.finalize()
    except ValueError:
        raise VaultError("malformed vault text (bad padding)") from None
    return plaintext.decode("utf-8", errors="surrogateescape")
