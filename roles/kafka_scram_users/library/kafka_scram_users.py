#!/usr/bin/python
"""Ansible module: apply a declarative list of SCRAM users through Kafka's admin API.

Three steps, as the topics module:

1. read: one DescribeUserScramCredentials request for the declared users, and, where a
   credential exists and passwords are compared, one SASL authentication per user (the only
   way to learn whether Kafka holds the declared password: Kafka never returns the salt);
2. plan: pure functions over plain data (unit tested);
3. apply: one AlterUserScramCredentials request. Kafka has no validate-only mode for it, so
   everything the module can check (names, mechanisms, Kafka's iteration bounds, duplicates)
   is checked before anything is sent; check mode stops after planning.

It runs on the controller (``delegate_to: localhost``) with kafka-python, whose admin client
speaks AlterUserScramCredentials and DescribeUserScramCredentials (KIP-554, Kafka 2.7+); no
Java is needed on the controller.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from ansible.module_utils import kafka_admin
except ImportError:  # run as a plain script (the tests): the role's module_utils beside library/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "module_utils"))
    import kafka_admin  # type: ignore[no-redef]

ClusterError = kafka_admin.ClusterError
admin_client = kafka_admin.admin_client
connection_kwargs = kafka_admin.connection_kwargs
first_reachable = kafka_admin.first_reachable
scram_authenticates = kafka_admin.scram_authenticates
split_server = kafka_admin.split_server

try:
    import kafka.errors as kafka_errors
    from kafka.admin import UserScramCredentialDeletion, UserScramCredentialUpsertion
except ImportError:  # reported by main()
    pass

DOCUMENTATION = r"""
---
module: kafka_scram_users
short_description: Apply a declarative list of SCRAM users through the Kafka admin API
description:
  - Creates the SCRAM credentials of O(users) that are missing, updates those whose iteration
    count or password differ, and deletes those with C(state=absent). Re-running with the same
    list changes nothing.
  - Kafka never returns a stored password or its salt, so whether an existing credential holds
    the declared password is learnt by authenticating as the user (SCRAM over the module's own
    connection settings, which must then be SASL). O(update_password=on_create) skips that and
    never touches an existing password.
  - Users the list does not name are never changed. Passwords never appear in the result, the
    diff or an error.
  - Runs where kafka-python is installed, normally the controller.
version_added: "0.1.0"
author:
  - kafka-iac
options:
  users:
    description: The declared users, in the inventory's C(kafka_scram_users) form.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The user name (letters, digits, C(.), C(_), C(@), C(-)); its principal is C(User:<name>).
        type: str
        required: true
      password:
        description: The password (from Ansible Vault). Required unless O(users[].state=absent).
        type: str
      mechanism:
        description: The SCRAM mechanism of the credential.
        type: str
        choices: [SCRAM-SHA-512, SCRAM-SHA-256]
        default: SCRAM-SHA-512
      iterations:
        description: PBKDF2 iterations of the credential (Kafka accepts 4096 to 16384).
        type: int
        default: 8192
      state:
        description: C(present) creates or updates the credential; C(absent) deletes it.
        type: str
        choices: [present, absent]
        default: present
  update_password:
    description:
      - C(on_mismatch) compares each existing credential with the declared password (by
        authenticating) and replaces it when they differ; C(on_create) sets passwords only
        when creating a credential.
    type: str
    choices: [on_mismatch, on_create]
    default: on_mismatch
  request_timeout:
    description: Seconds Kafka may take for one admin request.
    type: int
    default: 30
  client_id:
    description: The client id the brokers log for the module's requests.
    type: str
    default: kafka-iac-scram-users
extends_documentation_fragment:
  - kafka_admin
attributes:
  check_mode:
    support: full
    details: Nothing is changed; the comparison (including the authentication) still runs.
  diff_mode:
    support: full
    details: One before/after per changed credential (mechanism, iterations, whether the password changes).
requirements:
  - kafka-python >= 3.0 for the Python that runs the module
notes:
  - Kafka 2.7 or later. In ZooKeeper mode the credentials live in ZooKeeper and reach every
    broker through its change notifications; in KRaft mode in the metadata log.
"""

EXAMPLES = r"""
- name: Apply the declared SCRAM users
  kafka_scram_users:
    bootstrap_servers: "kafka1:9093,kafka2:9093"
    users:
      - name: orders-service
        password: "{{ vault_orders_service_password }}"
      - name: retired-app
        state: absent
    security:
      protocol: SASL_SSL
      username: admin
      password: "{{ vault_kafka_admin_password }}"
      ca_file: /home/ops/.kafka-iac/prod/trust-bundle.pem
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
users:
  description: One result per declared user, in the declared order (never a password).
  returned: always
  type: list
  elements: dict
  sample:
    - name: orders-service
      mechanism: SCRAM-SHA-512
      action: create
      changes: ["create the SCRAM-SHA-512 credential (8192 iterations)"]
created:
  description: Users whose credential was created (or would be in check mode).
  returned: always
  type: list
  elements: str
updated:
  description: Users whose credential was replaced (iterations or password).
  returned: always
  type: list
  elements: str
deleted:
  description: Users whose credential was deleted.
  returned: always
  type: list
  elements: str
bootstrap_servers:
  description: The bootstrap servers used.
  returned: always
  type: str
"""

MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256")
ITERATIONS = (4096, 16384)
#: The names kafkalint.security.USER_NAME allows (a test keeps the two equal).
USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,254}$")


# ---- planning: pure functions over plain data ------------------------------------------------


@dataclass(frozen=True)
class Desired:
    """One ``kafka_scram_users`` entry, validated (the password stays here, never in a plan)."""

    name: str
    password: str
    mechanism: str = "SCRAM-SHA-512"
    iterations: int = 8192
    state: str = "present"


@dataclass
class Plan:
    """What to do for one user's credential of one mechanism."""

    name: str
    mechanism: str
    action: str = "none"  # create | update | delete | none
    iterations: int | None = None
    changes: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.action != "none"


def parse_entry(entry: Mapping[str, Any], index: int) -> tuple[Desired | None, list[str]]:
    """Normalise one entry; return it, or the reasons it is unusable (never quoting the password)."""
    name = entry.get("name")
    label = f"user {name!r}" if isinstance(name, str) and name else f"users[{index}]"
    errors: list[str] = []
    if not isinstance(name, str) or not USER_NAME.match(name):
        errors.append(
            f"{label}: the name must be 1-255 letters, digits, '.', '_', '@' or '-', starting with a letter "
            "or digit (no ',' or '=': a name like CN=kafka1 would be a broker's certificate principal)"
        )
    state = entry.get("state") or "present"
    if state not in ("present", "absent"):
        errors.append(f"{label}: state must be present or absent")
    mechanism = entry.get("mechanism") or "SCRAM-SHA-512"
    if mechanism not in MECHANISMS:
        errors.append(f"{label}: mechanism must be one of {', '.join(MECHANISMS)}")
    iterations = entry.get("iterations")
    iterations = 8192 if iterations is None else iterations
    if (
        isinstance(iterations, bool)
        or not isinstance(iterations, int)
        or not ITERATIONS[0] <= iterations <= ITERATIONS[1]
    ):
        errors.append(
            f"{label}: iterations must be a whole number from {ITERATIONS[0]} to {ITERATIONS[1]} (Kafka's bounds)"
        )
    password = entry.get("password")
    if state == "present" and (not isinstance(password, str) or not password):
        errors.append(f"{label}: a password is required (from Ansible Vault)")
    if errors:
        return None, errors
    return Desired(str(name), str(password or ""), str(mechanism), int(iterations), str(state)), []


def _shown(iterations: int | None, password: str | None = None) -> dict[str, Any]:
    if iterations is None:
        return {"state": "absent"}
    shown: dict[str, Any] = {"state": "present", "iterations": iterations}
    if password is not None:
        shown["password"] = password
    return shown


def plan_user(desired: Desired, current: int | None, password_ok: bool | None, update_password: str) -> Plan:
    """The plan for one credential: ``current`` is the iteration count Kafka holds for the
    user and mechanism (None: no credential); ``password_ok`` whether the declared password
    authenticates (None: not compared)."""
    plan = Plan(desired.name, desired.mechanism)
    if desired.state == "absent":
        plan.before = plan.after = _shown(current)
        if current is not None:
            plan.action = "delete"
            plan.after = _shown(None)
            plan.changes.append(f"delete the {desired.mechanism} credential")
        return plan
    plan.iterations = desired.iterations
    if current is None:
        plan.action = "create"
        plan.before = _shown(None)
        plan.after = _shown(desired.iterations, "(set)")
        plan.changes.append(f"create the {desired.mechanism} credential ({desired.iterations} iterations)")
        return plan
    plan.before = _shown(current, "(set)")
    plan.after = _shown(current, "(set)")
    if current != desired.iterations:
        plan.action = "update"
        plan.after["iterations"] = desired.iterations
        plan.changes.append(f"{desired.mechanism} iterations {current} -> {desired.iterations}")
    if update_password == "on_mismatch" and password_ok is False:
        plan.action = "update"
        plan.after["password"] = "(changed)"
        plan.changes.append(f"{desired.mechanism} password replaced (the declared one did not authenticate)")
    if plan.action == "update" and update_password == "on_create":
        # Replacing a credential always sets a password; on_create never replaces one.
        plan.action = "none"
        plan.after = dict(plan.before)
        plan.changes = []
    return plan


def parse_all(entries: Sequence[Mapping[str, Any]]) -> tuple[list[Desired], list[str]]:
    """Every entry validated; duplicates (the same user and mechanism twice) are errors."""
    desired: list[Desired] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        parsed, problems = parse_entry(entry, index)
        errors.extend(problems)
        if parsed is None:
            continue
        key = (parsed.name, parsed.mechanism)
        if key in seen:
            errors.append(f"user {parsed.name!r}: {parsed.mechanism} is declared more than once")
            continue
        seen.add(key)
        desired.append(parsed)
    return desired, errors


def needs_password_check(desired: Desired, current: int | None, update_password: str) -> bool:
    """Whether the plan depends on the password Kafka holds."""
    return desired.state == "present" and current is not None and update_password == "on_mismatch"


def plan_all(
    desired: Sequence[Desired],
    current: Mapping[tuple[str, str], int],
    password_ok: Mapping[str, bool],
    update_password: str,
) -> list[Plan]:
    return [plan_user(d, current.get((d.name, d.mechanism)), password_ok.get(d.name), update_password) for d in desired]


# ---- the cluster ---------------------------------------------------------------------------------


def read_credentials(admin: Any, names: list[str]) -> dict[tuple[str, str], int]:
    """(user, mechanism) -> iterations of the credentials Kafka holds for ``names``."""
    if not names:
        return {}
    described = admin.describe_user_scram_credentials(sorted(set(names)))
    current: dict[tuple[str, str], int] = {}
    for user, result in described.items():
        if result.get("error"):
            continue  # RESOURCE_NOT_FOUND: no credential for that user yet
        for info in result.get("credential_infos") or []:
            mechanism = info["mechanism"].name.replace("_", "-")
            current[(user, mechanism)] = int(info["iterations"])
    return current


def apply(admin: Any, plans: list[Plan], desired: Mapping[tuple[str, str], Desired]) -> dict[str, str]:
    """Send every planned change in one AlterUserScramCredentials request; errors per user."""
    alterations: list[Any] = []
    for plan in plans:
        if plan.action == "delete":
            alterations.append(UserScramCredentialDeletion(plan.name, plan.mechanism))
        elif plan.action in ("create", "update"):
            wanted = desired[(plan.name, plan.mechanism)]
            alterations.append(
                UserScramCredentialUpsertion(plan.name, plan.mechanism, wanted.password, iterations=wanted.iterations)
            )
    if not alterations:
        return {}
    results = admin.alter_user_scram_credentials(alterations)
    return {user: str(message) for user, message in results.items() if message}


# ---- the module ----------------------------------------------------------------------------------


def argument_spec() -> dict[str, Any]:
    return {
        **kafka_admin.connection_spec("kafka-iac-scram-users", 30),
        "users": {
            "type": "list",
            "elements": "dict",
            "required": True,
            "options": {
                "name": {"type": "str", "required": True},
                "password": {"type": "str", "no_log": True},
                "mechanism": {"type": "str", "choices": list(MECHANISMS), "default": "SCRAM-SHA-512"},
                "iterations": {"type": "int", "default": 8192},
                "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            },
        },
        "update_password": {"type": "str", "choices": ["on_mismatch", "on_create"], "default": "on_mismatch"},
    }


def _diff(plans: list[Plan]) -> list[dict[str, Any]]:
    return kafka_admin.change_diffs(plans, lambda p: f"user {p.name} {p.mechanism}")


def _summary(plans: list[Plan]) -> dict[str, Any]:
    return {
        "users": [{"name": p.name, "mechanism": p.mechanism, "action": p.action, "changes": p.changes} for p in plans],
        **kafka_admin.action_lists(plans),
    }


def compare_passwords(
    params: dict[str, Any], servers: list[str], desired: list[Desired], current: Mapping[tuple[str, str], int]
) -> dict[str, bool]:
    """Whether each existing credential's password is the declared one (by authenticating)."""
    checked: dict[str, bool] = {}
    server = None
    for wanted in desired:
        if needs_password_check(wanted, current.get((wanted.name, wanted.mechanism)), params["update_password"]):
            server = server or first_reachable(servers, params["connect_timeout"])
            checked[wanted.name] = scram_authenticates(
                server,
                wanted.name,
                wanted.password,
                wanted.mechanism,
                options=connection_kwargs(params),
                timeout=params["connect_timeout"],
            )
    return checked


def run(module: Any) -> None:
    params = module.params
    servers = [s.strip() for part in params["bootstrap_servers"] for s in str(part).split(",") if s.strip()]
    base: dict[str, Any] = {"changed": False, "bootstrap_servers": ",".join(servers)}
    desired, errors = parse_all(params["users"])
    if errors:
        module.fail_json(msg=kafka_admin.failure_text("kafka_scram_users", errors), errors=errors, **base)
    if not desired:
        module.exit_json(**base, **_summary([]))
    if not servers:
        module.fail_json(msg="kafka_scram_users: bootstrap_servers is empty (no host in group kafka_broker?)", **base)
    try:
        for server in servers:
            split_server(server)
    except ValueError:
        module.fail_json(msg=f"kafka_scram_users: bootstrap servers {','.join(servers)} are not host:port", **base)
    try:
        admin = admin_client(params, servers)
    except ClusterError as exc:
        module.fail_json(msg=f"kafka_scram_users: {exc}", **base)
    try:
        current = read_credentials(admin, [d.name for d in desired])
        password_ok = compare_passwords(params, servers, desired, current)
        plans = plan_all(desired, current, password_ok, params["update_password"])
        changed = [p for p in plans if p.changed]
        result = dict(
            base,
            changed=bool(changed),
            diff=_diff(plans),
            **_summary(plans),
        )
        if not changed or module.check_mode:
            module.exit_json(**result)
        failed = apply(admin, changed, {(d.name, d.mechanism): d for d in desired})
        if failed:
            errors = [f"user {name!r}: Kafka refused the change: {message}" for name, message in failed.items()]
            applied = sorted({p.name for p in changed} - set(failed))
            module.fail_json(
                msg=kafka_admin.failure_text("kafka_scram_users", errors, f"applied to {len(applied)} other user(s)"),
                errors=errors,
                applied=applied,
                **dict(result, changed=bool(applied)),
            )
        module.exit_json(**result)
    except ClusterError as exc:
        module.fail_json(msg=f"kafka_scram_users: {exc}", **base)
    except kafka_errors.KafkaError as exc:
        module.fail_json(
            msg=f"kafka_scram_users: the Kafka cluster at {','.join(servers)} failed a request: {exc}", **base
        )
    finally:
        admin.close()


def main() -> None:
    kafka_admin.module_main(argument_spec(), run)


if __name__ == "__main__":
    main()
