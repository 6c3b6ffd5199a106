"""What the admin modules (kafka_topics, kafka_scram_users, kafka_acls) share: reaching the
cluster, kafka-python's admin client with the connection's security options, Kafka's error
texts, and a direct SCRAM authentication (whether a user's password is the one Kafka holds).

This file lives in ``roles/kafka_topics/module_utils``; the other admin roles link to it, so
there is one copy. The modules import it as ``ansible.module_utils.kafka_admin`` (Ansible ships
it with them), or from beside ``library/`` when the tests run a module as a plain script.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import socket
import ssl
import struct
from collections.abc import Callable
from typing import Any

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import kafka.errors as kafka_errors
    from kafka.admin import KafkaAdminClient
except ImportError:  # each module reports it with the interpreter's name
    HAS_KAFKA = False
else:
    HAS_KAFKA = True

DEFAULT_PORT = 9092
#: Kafka's error code for a refused SASL authentication (wrong password, unknown user).
SASL_AUTHENTICATION_FAILED = 58
_SCRAM_HASHES = {"SCRAM-SHA-256": hashlib.sha256, "SCRAM-SHA-512": hashlib.sha512}
_SASL_HANDSHAKE, _SASL_AUTHENTICATE = 17, 36


class ClusterError(Exception):
    """The cluster cannot be reached or answered in a way the module cannot use."""


def split_server(server: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port``; port 9092 when absent) as a pair."""
    text = server.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else DEFAULT_PORT
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, DEFAULT_PORT
    return host, int(port)


def first_reachable(servers: list[str], timeout: float) -> str:
    """The first bootstrap server that accepts a TCP connection. Checked before kafka-python
    starts, so an unreachable cluster is one clear message instead of a retry loop."""
    failures = []
    for server in servers:
        try:
            host, port = split_server(server)
        except ValueError:
            raise ClusterError(f"bootstrap server {server!r} is not host:port") from None
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return server
        except OSError as exc:
            failures.append(f"{server} ({exc.strerror or exc})")
    raise ClusterError(
        f"cannot reach the Kafka cluster: no bootstrap server accepts connections "
        f"(bootstrap servers {','.join(servers)}: {'; '.join(failures)})"
    )


def kafka_error_text(code: int, message: str | None) -> str:
    """Kafka's own message first, then the protocol error name (INVALID_REPLICATION_FACTOR)."""
    error = kafka_errors.for_code(code)
    name = getattr(error, "message", error.__name__)
    return f"{message} ({name})" if message else str(name)


def quiet_kafka_logging() -> None:
    """kafka-python logs connection retries at WARNING to stderr; the modules report errors themselves."""
    logging.getLogger("kafka").addHandler(logging.NullHandler())
    logging.getLogger("kafka").propagate = False


def failure_text(module_name: str, errors: list[str], done: str = "nothing was changed") -> str:
    """The one-line ``msg`` of a module that found ``errors`` (what was ``done`` regardless)."""
    return f"{module_name}: {len(errors)} problem(s), {done}: " + " | ".join(errors)


def action_lists(plans: list[Any]) -> dict[str, list[str]]:
    """The names of the plans (with ``name`` and ``action``) created, updated and deleted."""
    return {
        verb: [plan.name for plan in plans if plan.action == action]
        for verb, action in (("created", "create"), ("updated", "update"), ("deleted", "delete"))
    }


def change_diffs(plans: list[Any], label: Callable[[Any], str]) -> list[dict[str, Any]]:
    """Ansible's ``diff`` entries of the plans that change something (``changed``, ``before``,
    ``after``), each headed by ``label(plan)``."""
    return [
        {
            "before_header": f"{label(plan)} (before)",
            "after_header": f"{label(plan)} (after)",
            "before": plan.before,
            "after": plan.after,
        }
        for plan in plans
        if plan.changed
    ]


def module_main(argument_spec: dict[str, Any], run: Callable[[Any], None]) -> None:
    """An admin module's entry point: its arguments, kafka-python present, quiet logging, run."""
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not HAS_KAFKA:
        module.fail_json(
            msg=missing_required_lib("kafka-python")
            + " Run the module with the controller's Python: ansible_python_interpreter={{ ansible_playbook_python }}."
        )
    quiet_kafka_logging()
    run(module)


#: The ``security`` option of every admin module: how the module itself connects (the
#: inventory's ``kafka_admin_security``). Only the passwords are secret, so only they are
#: ``no_log`` (Ansible masks every value of a ``no_log`` option wherever it appears).
SECURITY_OPTIONS: dict[str, Any] = {
    "protocol": {"type": "str", "choices": ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"], "default": "PLAINTEXT"},
    "sasl_mechanism": {
        "type": "str",
        "choices": ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"],
        "default": "SCRAM-SHA-512",
    },
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "ca_file": {"type": "path"},
    "check_hostname": {"type": "bool", "default": True},
    "cert_file": {"type": "path"},
    "key_file": {"type": "path"},
    "key_password": {"type": "str", "no_log": True},
}
SECURITY_SPEC: dict[str, Any] = {"type": "dict", "default": {}, "options": SECURITY_OPTIONS, "apply_defaults": True}


def connection_spec(client_id: str, request_timeout: int) -> dict[str, Any]:
    """The options every admin module has (documented in doc_fragments/kafka_admin.py, beside
    each module's ``client_id`` and ``request_timeout``)."""
    return {
        "bootstrap_servers": {"type": "list", "elements": "str", "required": True},
        "connect_timeout": {"type": "int", "default": 10},
        "request_timeout": {"type": "int", "default": request_timeout},
        "client_id": {"type": "str", "default": client_id},
        "security": SECURITY_SPEC,
        "client_options": {"type": "dict", "default": {}, "no_log": True},
    }


def connection_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """kafka-python client arguments of the module's ``security`` option, then its
    ``client_options`` (which win)."""
    settings = params.get("security") or {}
    protocol = settings.get("protocol") or "PLAINTEXT"
    kwargs: dict[str, Any] = {}
    if protocol != "PLAINTEXT":
        kwargs["security_protocol"] = protocol
    if protocol.endswith("SSL"):
        kwargs["ssl_check_hostname"] = settings.get("check_hostname", True) is not False
        for option, name in (("ca_file", "ssl_cafile"), ("cert_file", "ssl_certfile"), ("key_file", "ssl_keyfile")):
            if settings.get(option):
                kwargs[name] = settings[option]
        if settings.get("key_password"):
            kwargs["ssl_password"] = settings["key_password"]
    if protocol.startswith("SASL"):
        if not settings.get("username") or not settings.get("password"):
            raise ClusterError(f"security.protocol {protocol} needs security.username and security.password")
        kwargs.update(
            sasl_mechanism=settings.get("sasl_mechanism") or "SCRAM-SHA-512",
            sasl_plain_username=settings["username"],
            sasl_plain_password=settings["password"],
        )
    kwargs.update(params.get("client_options") or {})
    return kwargs


def admin_client(params: dict[str, Any], servers: list[str]) -> Any:
    """kafka-python's admin client for the module's connection parameters (``client_id``,
    ``connect_timeout``, ``request_timeout``, ``security`` and ``client_options``)."""
    first_reachable(servers, params["connect_timeout"])
    options = connection_kwargs(params)
    try:
        return KafkaAdminClient(
            bootstrap_servers=servers,
            client_id=params["client_id"],
            bootstrap_timeout_ms=params["connect_timeout"] * 1000,
            request_timeout_ms=params["request_timeout"] * 1000 + 5000,
            **options,
        )
    except Exception as exc:  # kafka-python raises a variety here; the message is what matters
        raise ClusterError(
            f"cannot talk to the Kafka cluster at {','.join(servers)}: {exc} "
            "(with TLS or SASL: check the security settings, the CA and the credentials)"
        ) from None


def ssl_context(options: dict[str, Any]) -> ssl.SSLContext:
    """The TLS context kafka-python would build from ``options`` (ssl_cafile, ssl_certfile,
    ssl_keyfile, ssl_password, ssl_check_hostname)."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=options.get("ssl_cafile"))
    context.check_hostname = bool(options.get("ssl_check_hostname", True))
    if options.get("ssl_certfile"):
        context.load_cert_chain(options["ssl_certfile"], options.get("ssl_keyfile"), options.get("ssl_password"))
    return context


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack(">h", len(data)) + data


class _Wire:
    """Just enough of Kafka's protocol for a SASL exchange (SaslHandshake v1, SaslAuthenticate v1)."""

    def __init__(self, sock: Any, client_id: str) -> None:
        self.sock, self.client_id, self.correlation = sock, client_id, 0

    def call(self, api_key: int, body: bytes) -> bytes:
        self.correlation += 1
        header = struct.pack(">hhi", api_key, 1, self.correlation) + _string(self.client_id)
        payload = header + body
        self.sock.sendall(struct.pack(">i", len(payload)) + payload)
        size = struct.unpack(">i", self._read(4))[0]
        response = self._read(size)
        if struct.unpack(">i", response[:4])[0] != self.correlation:
            raise ClusterError("the broker answered another request than the one sent")
        return response[4:]

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ClusterError("the broker closed the connection during SASL authentication")
            data += chunk
        return data


def _scram_name(name: str) -> str:
    return name.replace("=", "=3D").replace(",", "=2C")


def scram_authenticates(
    server: str, username: str, password: str, mechanism: str, *, options: dict[str, Any], timeout: float
) -> bool:
    """Whether Kafka accepts ``username``/``password`` with ``mechanism`` (SCRAM-SHA-256/512)
    on ``server``, over the connection ``options`` describe (their ``security_protocol`` must be
    SASL_SSL or SASL_PLAINTEXT). A real SASL exchange with the broker: True when it
    authenticates (and proved it knows the credential), False when Kafka refuses it
    (SASL_AUTHENTICATION_FAILED: wrong password or no such user); anything else raises
    :class:`ClusterError`.

    Done on its own socket because kafka-python's client retries refused authentications
    until a timeout without saying why, and DescribeUserScramCredentials never returns what a
    password could be compared with."""
    protocol = str(options.get("security_protocol", "PLAINTEXT")).upper()
    if not protocol.startswith("SASL"):
        raise ClusterError(f"cannot check SCRAM passwords over security_protocol {protocol} (it has no SASL)")
    host, port = split_server(server)
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise ClusterError(f"cannot reach {server}: {exc.strerror or exc}") from None
    try:
        sock = ssl_context(options).wrap_socket(raw, server_hostname=host) if protocol == "SASL_SSL" else raw
        wire = _Wire(sock, "kafka-iac-scram-check")
        body = wire.call(_SASL_HANDSHAKE, _string(mechanism))
        (code,) = struct.unpack(">h", body[:2])
        if code:
            raise ClusterError(f"{server} refused SASL {mechanism}: {kafka_error_text(code, None)}")
        nonce = base64.b64encode(os.urandom(24)).decode()
        first_bare = f"n={_scram_name(username)},r={nonce}"
        code, message, server_first = _authenticate(wire, f"n,,{first_bare}".encode())
        if code == SASL_AUTHENTICATION_FAILED:
            return False
        if code:
            raise ClusterError(f"{server}: SASL authentication failed: {kafka_error_text(code, message)}")
        client_final, expected = scram_client_final(mechanism, password, first_bare, server_first.decode(), nonce)
        code, message, server_final = _authenticate(wire, client_final.encode())
        if code == SASL_AUTHENTICATION_FAILED:
            return False
        if code:
            raise ClusterError(f"{server}: SASL authentication failed: {kafka_error_text(code, message)}")
        verifier = dict(item.split("=", 1) for item in server_final.decode().split(",")).get("v", "")
        if not hmac.compare_digest(base64.b64decode(verifier), expected):
            raise ClusterError(f"{server}: the broker's SCRAM signature is wrong (not the cluster it claims to be?)")
        return True
    except (OSError, ssl.SSLError) as exc:
        raise ClusterError(f"cannot authenticate to {server}: {exc}") from None
    finally:
        raw.close()


def scram_client_final(
    mechanism: str, password: str, client_first_bare: str, server_first: str, client_nonce: str
) -> tuple[str, bytes]:
    """SCRAM's client-final-message (RFC 5802) for ``server_first``, and the server signature
    the server must answer with."""
    digest = _SCRAM_HASHES[mechanism]
    fields = dict(item.split("=", 1) for item in server_first.split(","))
    if not fields.get("r", "").startswith(client_nonce):
        raise ClusterError("the SCRAM server nonce does not extend the client's")
    salted = hashlib.pbkdf2_hmac(
        digest().name, password.encode("utf-8"), base64.b64decode(fields["s"]), int(fields["i"])
    )
    client_key = hmac.new(salted, b"Client Key", digest).digest()
    final_bare = f"c=biws,r={fields['r']}"
    auth_message = f"{client_first_bare},{server_first},{final_bare}".encode()
    signature = hmac.new(digest(client_key).digest(), auth_message, digest).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
    server_signature = hmac.new(hmac.new(salted, b"Server Key", digest).digest(), auth_message, digest).digest()
    return f"{final_bare},p={base64.b64encode(proof).decode()}", server_signature


def _authenticate(wire: _Wire, token: bytes) -> tuple[int, str | None, bytes]:
    """One SaslAuthenticate v1 round trip: error code, error message, the server's bytes."""
    body = wire.call(_SASL_AUTHENTICATE, struct.pack(">i", len(token)) + token)
    code, length = struct.unpack(">hh", body[:4])
    offset = 4
    message = None
    if length >= 0:
        message = body[offset : offset + length].decode("utf-8", "replace")
        offset += length
    (size,) = struct.unpack(">i", body[offset : offset + 4])
    offset += 4
    return code, message, body[offset : offset + max(size, 0)]
