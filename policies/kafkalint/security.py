"""Security settings computed once, for the roles, the scripts and (in the KL6xx rules) kafkalint.

- Secrets: :func:`is_sensitive_key` says which config keys hold one, from the catalogues'
  PASSWORD-typed keys of every release line (:func:`kafkalint.catalogue.password_keys`).
- SASL/JAAS: :func:`jaas_config` renders a client's ``sasl.jaas.config`` the way Kafka's
  ``JaasConfig`` parses it; :func:`parse_jaas_config` reads one back (kafka-python takes the
  user name and password as arguments, not as JAAS text).
- SCRAM users (:data:`kafkalint.contract.SCRAM_USERS`): :func:`scram_users` validates the
  declared entries; :func:`scram_format_arguments` renders the ``kafka-storage format
  --add-scram`` arguments that bootstrap them in KRaft; :func:`scram_bootstrap_properties`
  renders the ``kafka-configs --zookeeper --add-config-file`` file that bootstraps the admin
  user in ZooKeeper mode.
- TLS identities: :func:`tls_principal` (the principal a host's certificate authenticates as)
  and :func:`subject_alt_names` (the names and addresses its certificate carries).
- Configuration: :func:`client_properties` (a client's security keys from
  :data:`kafkalint.contract.CLIENT_SECURITY` and its user) and
  :func:`broker_security_properties` (a broker's TLS, SASL and authorizer keys).

Everything here is a pure function over plain data, so the file a role writes, the arguments a
task passes and the value the linter judges come from one computation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafkalint import catalogue, contract, effective

#: Kafka's security.protocol values.
SECURITY_PROTOCOLS: tuple[str, ...] = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
#: SCRAM mechanisms and their hash (Kafka's ScramMechanism), with Kafka's iteration bounds.
SCRAM_MECHANISMS: dict[str, str] = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}
SCRAM_ITERATIONS: tuple[int, int] = (4096, 16384)
#: SCRAM user names the roles accept: no ``,`` or ``=`` (SCRAM escapes them, and a name like
#: ``CN=kafka1`` would collide with a broker's certificate principal, a super user), no space.
USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,254}$")
LOGIN_MODULES: dict[str, str] = {
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "PLAIN": "org.apache.kafka.common.security.plain.PlainLoginModule",
}
#: The authorizer of each mode: ZooKeeper-mode brokers keep ACLs in ZooKeeper, KRaft in the
#: metadata log.
AUTHORIZERS: dict[str, str] = {
    "zookeeper": "kafka.security.authorizer.AclAuthorizer",
    "kraft": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
}
#: What a secret is shown as wherever a value is printed.
MASK = "(secret)"

#: Keys outside Kafka's catalogues that carry credentials: third-party serializers' settings
#: (a schema registry's ``basic.auth.user.info``) and any ``*.password`` or ``*secret*`` key.
_THIRD_PARTY_SECRET = re.compile(r"(\.password$|secret|basic\.auth\.user\.info$)")


class SecurityError(ValueError):
    """A security declaration cannot be used (the message names the entry)."""


def is_sensitive_key(key: str) -> bool:
    """Whether a config key's value is a secret: a PASSWORD-typed key of any catalogued Kafka
    release (broker, producer or consumer), or a third-party credential key."""
    text = str(key).strip().lower()
    return (
        text in catalogue.password_keys()
        or text.endswith(".sasl.jaas.config")
        or bool(_THIRD_PARTY_SECRET.search(text))
    )


# ---- JAAS ----------------------------------------------------------------------------------------

_JAAS_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def jaas_quote(text: str) -> str:
    """``text`` as a double-quoted JAAS option value. Kafka's JaasConfig reads options with
    java.io.StreamTokenizer, which ends a quoted string at a line end and turns ``\\\\``,
    ``\\"``, ``\\n``, ``\\r``, ``\\t`` back into their characters."""
    return '"' + "".join(_JAAS_ESCAPES.get(char, char) for char in text) + '"'


def jaas_config(mechanism: str, username: str, password: str) -> str:
    """A client's ``sasl.jaas.config`` for ``mechanism`` (SCRAM-SHA-256/512 or PLAIN)."""
    module = LOGIN_MODULES.get(mechanism)
    if module is None:
        raise SecurityError(f"SASL mechanism {mechanism!r} is not one of {', '.join(LOGIN_MODULES)}")
    return f"{module} required username={jaas_quote(username)} password={jaas_quote(password)};"


@dataclass(frozen=True)
class JaasEntry:
    """One login module entry of a ``sasl.jaas.config`` value."""

    login_module: str
    flag: str
    options: dict[str, str]


_UNESCAPE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def parse_jaas_config(text: str) -> JaasEntry:
    """The single entry of a ``sasl.jaas.config`` value (``<module> <flag> k="v" ...;``), read
    as Kafka's JaasConfig reads it; raises :class:`SecurityError` (never echoing the value,
    which holds a password) when it is not one."""
    position, length = 0, len(text)
    words: list[tuple[str, bool]] = []  # (word, was quoted)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
        elif char in "=;":
            words.append((char, False))
            position += 1
        elif char == '"':
            position += 1
            value: list[str] = []
            while position < length and text[position] != '"':
                if text[position] in "\r\n":
                    raise SecurityError("sasl.jaas.config: a quoted value runs past the end of a line")
                if text[position] == "\\" and position + 1 < length:
                    position += 1
                    value.append(_UNESCAPE.get(text[position], text[position]))
                else:
                    value.append(text[position])
                position += 1
            if position >= length:
                raise SecurityError("sasl.jaas.config: a quoted value is not closed")
            words.append(("".join(value), True))
            position += 1
        else:
            start = position
            while position < length and not text[position].isspace() and text[position] not in '=;"':
                position += 1
            words.append((text[start:position], False))
    if len(words) < 3 or words[-1] != (";", False) or any(word == (";", False) for word in words[:-1]):
        raise SecurityError("sasl.jaas.config: expected one entry '<LoginModule> <flag> key=\"value\" ...;'")
    module, flag = words[0][0], words[1][0]
    if flag not in ("required", "requisite", "sufficient", "optional"):
        raise SecurityError(f"sasl.jaas.config: {flag!r} is not a JAAS control flag")
    options: dict[str, str] = {}
    body = words[2:-1]
    if len(body) % 3:
        raise SecurityError("sasl.jaas.config: options must be key=value pairs")
    for index in range(0, len(body), 3):
        key, equals, item = body[index : index + 3]
        if equals != ("=", False) or key[1]:
            raise SecurityError("sasl.jaas.config: options must be key=value pairs")
        options[key[0]] = item[0]
    return JaasEntry(module, flag, options)


# ---- SCRAM users -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScramUser:
    """A validated ``kafka_scram_users`` entry."""

    name: str
    password: str
    mechanism: str
    iterations: int
    state: str


def scram_user_errors(entry: Any, label: str) -> list[str]:
    """What makes a ``kafka_scram_users`` entry unusable (the password is never quoted)."""
    if not isinstance(entry, Mapping):
        return [f"{label}: must be a mapping with name and password"]
    errors = []
    unknown = sorted(set(map(str, entry)) - set(contract.SCRAM_USER_KEYS))
    if unknown:
        errors.append(f"{label}: unknown key(s) {', '.join(unknown)} (known: {', '.join(contract.SCRAM_USER_KEYS)})")
    name = entry.get("name")
    if not isinstance(name, str) or not USER_NAME.match(name):
        errors.append(
            f"{label}: name must be 1-255 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
        )
    state = entry.get("state", contract.SCRAM_USER_KEYS["state"])
    if state not in ("present", "absent"):
        errors.append(f"{label}: state must be present or absent")
    password = entry.get("password")
    if state == "present" and (not isinstance(password, str) or not password):
        errors.append(f"{label}: password is required (a string, from Ansible Vault)")
    mechanism = entry.get("mechanism", contract.SCRAM_USER_KEYS["mechanism"])
    if mechanism not in SCRAM_MECHANISMS:
        errors.append(f"{label}: mechanism must be one of {', '.join(SCRAM_MECHANISMS)}")
    iterations = entry.get("iterations", contract.SCRAM_USER_KEYS["iterations"])
    low, high = SCRAM_ITERATIONS
    if isinstance(iterations, bool) or not isinstance(iterations, int) or not low <= iterations <= high:
        errors.append(f"{label}: iterations must be a whole number from {low} to {high} (Kafka's bounds)")
    return errors


def scram_users(entries: Sequence[Any] | None) -> list[ScramUser]:
    """The declared SCRAM users, validated; raises :class:`SecurityError` listing every problem."""
    users: list[ScramUser] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries or []):
        name = entry.get("name") if isinstance(entry, Mapping) else None
        label = f"{contract.SCRAM_USERS}[{index}]" + (f" ({name})" if isinstance(name, str) else "")
        problems = scram_user_errors(entry, label)
        if problems:
            errors.extend(problems)
            continue
        user = ScramUser(
            name=str(entry["name"]),
            password=str(entry.get("password") or ""),
            mechanism=str(entry.get("mechanism", contract.SCRAM_USER_KEYS["mechanism"])),
            iterations=int(entry.get("iterations", contract.SCRAM_USER_KEYS["iterations"])),
            state=str(entry.get("state", contract.SCRAM_USER_KEYS["state"])),
        )
        if (user.name, user.mechanism) in seen:
            errors.append(f"{label}: user {user.name} with {user.mechanism} is declared more than once")
            continue
        seen.add((user.name, user.mechanism))
        users.append(user)
    if errors:
        raise SecurityError("; ".join(errors))
    return users


def scram_user(entries: Sequence[Any] | None, name: str) -> ScramUser:
    """The present declared user called ``name``."""
    for user in scram_users(entries):
        if user.name == name and user.state == "present":
            return user
    raise SecurityError(f"no present user {name!r} in {contract.SCRAM_USERS}")


def salted_password(mechanism: str, password: str, salt: bytes, iterations: int) -> bytes:
    """SCRAM's SaltedPassword (RFC 5802: PBKDF2-HMAC over the UTF-8 password), as Kafka's
    ScramFormatter computes it."""
    import hashlib  # kept off the start-up path (OpenSSL's import is a noticeable part of it)

    return hashlib.pbkdf2_hmac(SCRAM_MECHANISMS[mechanism], password.encode("utf-8"), salt, iterations)


def scram_format_arguments(
    entries: Sequence[Any] | None, random_bytes: Callable[[int], bytes] = os.urandom
) -> list[str]:
    """``kafka-storage format`` arguments that bootstrap every present declared user in KRaft:
    ``--add-scram 'SCRAM-SHA-512=[name=...,iterations=...,salt=...,saltedpassword=...]'`` each.

    Kafka's ScramParser splits the bracketed list on every comma and has no escape, so a
    password holding a comma cannot be given as ``password=``; the salted password (base64,
    computed here as Kafka does) can, and keeps the password itself off the command line. It
    is still a credential: the task that runs the format is ``no_log``."""
    import base64

    arguments: list[str] = []
    for user in scram_users(entries):
        if user.state != "present":
            continue
        salt = random_bytes(32)
        salted = salted_password(user.mechanism, user.password, salt, user.iterations)
        fields = (
            f"name={user.name}",
            f"iterations={user.iterations}",
            f"salt={base64.b64encode(salt).decode()}",
            f"saltedpassword={base64.b64encode(salted).decode()}",
        )
        arguments.extend(["--add-scram", f"{user.mechanism}=[{','.join(fields)}]"])
    return arguments


def scram_bootstrap_properties(user: ScramUser) -> str:
    """The ``--add-config-file`` of ``kafka-configs.sh --zookeeper ... --entity-type users
    --entity-name <name> --alter``: how ZooKeeper mode gets its first (admin) SCRAM user
    before any broker can authenticate anyone. ConfigCommand matches the value against
    ``(?:iterations=N,)?password=(.*)``, so any password survives; the file keeps it off the
    command line."""
    value = f"iterations={user.iterations},password={user.password}"
    return f"{user.mechanism}={effective.properties_value(value)}\n"


# ---- TLS identities --------------------------------------------------------------------------


def tls_principal(common_name: str) -> str:
    """The principal a certificate with subject ``CN=<common_name>`` authenticates as on a TLS
    listener with client authentication (Kafka's DEFAULT ssl.principal.mapping.rules keep the
    whole distinguished name)."""
    return f"User:CN={common_name}"


def subject_alt_names(host: str, address: str | None = None, extra: Sequence[str] = ()) -> list[str]:
    """A host certificate's SANs: its inventory name and the address the cluster uses for it
    (``IP:`` when it is one, else ``DNS:``), then ``extra`` (``DNS:x``/``IP:y``, or bare
    names/addresses), without duplicates, in that order."""
    names: list[str] = []
    for item in [host, address or "", *extra]:
        text = str(item).strip()
        if not text:
            continue
        if not text.startswith(("DNS:", "IP:")):
            try:
                import ipaddress  # kept off the start-up path: few values are addresses

                ipaddress.ip_address(text)
            except ValueError:
                text = f"DNS:{text}"
            else:
                text = f"IP:{text}"
        if text not in names:
            names.append(text)
    return names


# ---- configuration ---------------------------------------------------------------------------


def client_security(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """``kafka_client_security`` with its defaults, validated."""
    merged = dict(contract.CLIENT_SECURITY_DEFAULTS)
    unknown = sorted(set(map(str, settings or {})) - set(merged))
    if unknown:
        raise SecurityError(
            f"{contract.CLIENT_SECURITY}: unknown key(s) {', '.join(unknown)} (known: {', '.join(merged)})"
        )
    merged.update({key: value for key, value in (settings or {}).items() if value is not None})
    protocol = str(merged["protocol"]).upper()
    if protocol not in SECURITY_PROTOCOLS:
        raise SecurityError(f"{contract.CLIENT_SECURITY}: protocol must be one of {', '.join(SECURITY_PROTOCOLS)}")
    merged["protocol"] = protocol
    if protocol.endswith("SSL") and not merged["truststore_location"]:
        raise SecurityError(
            f"{contract.CLIENT_SECURITY}: protocol {protocol} needs truststore_location (the cluster CA on the client)"
        )
    if str(merged["truststore_type"]).upper() not in ("PEM", "PKCS12", "JKS"):
        raise SecurityError(f"{contract.CLIENT_SECURITY}: truststore_type must be PEM, PKCS12 or JKS")
    return merged


def client_properties(settings: Mapping[str, Any] | None, user: ScramUser | None = None) -> dict[str, Any]:
    """The security keys of a Java client's properties: ``security.protocol``, the trust store
    (hostname verification explicitly on) and, on SASL protocols, ``sasl.mechanism`` and
    ``sasl.jaas.config`` with ``user``'s credentials. Nothing for PLAINTEXT without a user."""
    merged = client_security(settings)
    protocol = merged["protocol"]
    if protocol == "PLAINTEXT" and user is None:
        return {}  # Kafka's default: nothing to render, so unsecured profiles stay as they were
    result: dict[str, Any] = {"security.protocol": protocol}
    if protocol.endswith("SSL"):
        result["ssl.truststore.location"] = str(merged["truststore_location"])
        result["ssl.truststore.type"] = str(merged["truststore_type"]).upper()
        if merged.get("truststore_password"):
            result["ssl.truststore.password"] = str(merged["truststore_password"])
        result["ssl.endpoint.identification.algorithm"] = "https"
    if protocol.startswith("SASL"):
        if user is None:
            raise SecurityError(f"security protocol {protocol} authenticates with SASL: the client needs a user")
        if user.mechanism != merged["sasl_mechanism"]:
            raise SecurityError(
                f"user {user.name} has a {user.mechanism} credential but clients use {merged['sasl_mechanism']}"
            )
        result["sasl.mechanism"] = user.mechanism
        result["sasl.jaas.config"] = jaas_config(user.mechanism, user.name, user.password)
    elif user is not None:
        raise SecurityError(f"security protocol {protocol} does not authenticate users: remove the user {user.name}")
    return result


@dataclass(frozen=True)
class BrokerTls:
    """A node's key and trust stores (PKCS12) and their passwords."""

    keystore: str
    keystore_password: str
    truststore: str
    truststore_password: str


def super_users(principals: Sequence[str]) -> str:
    """``super.users``: the principals, ``;``-separated (a DN principal holds commas)."""
    for principal in principals:
        if ";" in principal or ":" not in principal:
            raise SecurityError(f"super user {principal!r} is not a '<Type>:<name>' principal without ';'")
    return ";".join(dict.fromkeys(principals))


def broker_security_properties(
    mode: str,
    tls: BrokerTls,
    *,
    sasl_listeners: Sequence[str],
    mtls_listeners: Sequence[str],
    principals: Sequence[str],
    sasl_mechanism: str = "SCRAM-SHA-512",
) -> dict[str, Any]:
    """A node's security keys beside its listeners (whose names and protocols the listener
    specs give): the stores, hostname verification, SCRAM on ``sasl_listeners``, required
    client certificates on ``mtls_listeners`` (between brokers, and to controllers), the
    mode's authorizer denying what no ACL allows, and ``super.users``."""
    if mode not in AUTHORIZERS:
        raise SecurityError(f"mode must be one of {', '.join(AUTHORIZERS)}, got {mode!r}")
    if sasl_mechanism not in SCRAM_MECHANISMS:
        raise SecurityError(f"sasl_mechanism must be one of {', '.join(SCRAM_MECHANISMS)}")
    result: dict[str, Any] = {
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": tls.keystore,
        "ssl.keystore.password": tls.keystore_password,
        "ssl.truststore.type": "PKCS12",
        "ssl.truststore.location": tls.truststore,
        "ssl.truststore.password": tls.truststore_password,
        "ssl.endpoint.identification.algorithm": "https",
        "authorizer.class.name": AUTHORIZERS[mode],
        "allow.everyone.if.no.acl.found": False,
        "super.users": super_users(principals),
    }
    if sasl_listeners:
        result["sasl.enabled.mechanisms"] = sasl_mechanism
    for listener in sasl_listeners:
        prefix = f"listener.name.{listener.lower()}.{sasl_mechanism.lower()}"
        result[f"{prefix}.sasl.jaas.config"] = f"{LOGIN_MODULES[sasl_mechanism]} required;"
    for listener in mtls_listeners:
        result[f"listener.name.{listener.lower()}.ssl.client.auth"] = "required"
    return dict(sorted(result.items()))
