#!/usr/bin/python
"""Ansible module: apply a declarative list of Kafka ACLs through the admin API.

Three steps, as the topics module:

1. read: one DescribeAcls request for every ACL of the cluster;
2. plan: expand each entry into its bindings (one per operation) and compare them with what
   the cluster has, per resource pattern (pure functions, unit tested);
3. apply: one CreateAcls request for the missing bindings, then one DeleteAcls request for
   those to remove (exact filters: nothing else matches). Kafka has no validate-only mode for
   ACLs, so what Kafka would refuse (an operation a resource type does not have, the cluster
   resource under another name, a wildcard with a prefixed pattern, a host that is not an IP
   address) is refused here first; check mode stops after planning.

Nothing undeclared is removed unless an entry on that resource pattern sets
``allow_destructive``; an entry with ``state: absent`` removes exactly its own bindings.
"""

from __future__ import annotations

import ipaddress
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

try:
    import kafka.errors as kafka_errors
    from kafka.admin import (
        ACL,
        ACLFilter,
        ACLOperation,
        ACLPermissionType,
        ACLResourcePatternType,
        ResourcePattern,
        ResourcePatternFilter,
        ResourceType,
    )
except ImportError:  # reported by main()
    pass

DOCUMENTATION = r"""
---
module: kafka_acls
short_description: Apply a declarative list of Kafka ACLs through the admin API
description:
  - Each entry of O(acls) grants (or denies) a principal some operations on a resource
    pattern, from a host. The module creates the bindings that are missing; re-running with
    the same list changes nothing.
  - ACLs the list does not declare are left as they are (and reported as warnings on the
    resource patterns the list names), unless an entry on that resource pattern sets
    O(acls[].allow_destructive=true), which removes them. An entry with
    O(acls[].state=absent) removes exactly the bindings it names.
  - Kafka has no validate-only mode for ACLs; what Kafka would refuse is refused before any
    request is sent (operations per resource type as C(kafka-acls.sh) allows them).
  - Runs where kafka-python is installed, normally the controller, connected as a super user
    (an authorizer must be configured; without one Kafka answers SECURITY_DISABLED).
version_added: "0.1.0"
author:
  - kafka-iac
options:
  acls:
    description: The declared ACLs, in the inventory's C(kafka_acls) form.
    type: list
    elements: dict
    required: true
    suboptions:
      principal:
        description: C(User:<name>) (a SCRAM user, or C(User:CN=...) for a certificate), or C(User:*).
        type: str
        required: true
      resource_type:
        description: The kind of resource.
        type: str
        required: true
        choices: [topic, group, cluster, transactional_id, delegation_token, user]
      resource_name:
        description: The resource's name (C(*) for all with C(literal)); C(kafka-cluster) for the cluster.
        type: str
        required: true
      pattern_type:
        description: C(literal) matches the name (or C(*) every name); C(prefixed) every name starting with it.
        type: str
        choices: [literal, prefixed]
        default: literal
      operations:
        description:
          - Operations (C(read), C(write), C(create), C(delete), C(alter), C(describe),
            C(cluster_action), C(describe_configs), C(alter_configs), C(idempotent_write),
            C(create_tokens), C(describe_tokens), C(all)); one binding each.
        type: list
        elements: str
        required: true
      permission:
        description: C(allow) or C(deny) (a deny wins over any allow).
        type: str
        choices: [allow, deny]
        default: allow
      host:
        description: The client address the binding applies to (an IP address), or C(*).
        type: str
        default: "*"
      state:
        description: C(present) creates the bindings; C(absent) removes them.
        type: str
        choices: [present, absent]
        default: present
      allow_destructive:
        description: Remove the bindings on this resource pattern that no entry declares.
        type: bool
        default: false
  request_timeout:
    description: Seconds Kafka may take for one admin request.
    type: int
    default: 30
  client_id:
    description: The client id the brokers log for the module's requests.
    type: str
    default: kafka-iac-acls
extends_documentation_fragment:
  - kafka_admin
attributes:
  check_mode:
    support: full
    details: Nothing is changed; the plan is computed against the cluster's ACLs.
  diff_mode:
    support: full
    details: One before/after per changed resource pattern, its bindings one line each.
requirements:
  - kafka-python >= 3.0 for the Python that runs the module
"""

EXAMPLES = r"""
- name: Apply the declared ACLs
  kafka_acls:
    bootstrap_servers: "kafka1:9093"
    acls:
      - {principal: "User:orders-service", resource_type: topic, resource_name: orders, operations: [write, describe]}
      - {principal: "User:billing", resource_type: topic, resource_name: orders, operations: [read, describe]}
      - {principal: "User:billing", resource_type: group, resource_name: billing-, pattern_type: prefixed,
         operations: [read]}
    security: "{{ kafka_admin_security }}"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
created:
  description: Bindings created (or that would be in check mode), one line each.
  returned: always
  type: list
  elements: str
deleted:
  description: Bindings removed, one line each.
  returned: always
  type: list
  elements: str
unmanaged:
  description: Bindings on the declared resource patterns that no entry declares (kept unless allow_destructive).
  returned: always
  type: list
  elements: str
bootstrap_servers:
  description: The bootstrap servers used.
  returned: always
  type: str
"""

#: The operations Kafka accepts per resource type (kafka-acls.sh, Kafka 3.9; the tests ask
#: the real AclCommand).
VALID_OPERATIONS: dict[str, frozenset[str]] = {
    "topic": frozenset(
        {"read", "write", "create", "describe", "delete", "alter", "describe_configs", "alter_configs", "all"}
    ),
    "group": frozenset({"read", "describe", "delete", "all"}),
    "cluster": frozenset(
        {
            "create",
            "cluster_action",
            "describe_configs",
            "alter_configs",
            "idempotent_write",
            "alter",
            "describe",
            "all",
        }
    ),
    "transactional_id": frozenset({"describe", "write", "all"}),
    "delegation_token": frozenset({"describe", "all"}),
    "user": frozenset({"create_tokens", "describe_tokens", "all"}),
}
CLUSTER_NAME = "kafka-cluster"
_PRINCIPAL = re.compile(r"^[A-Za-z][A-Za-z0-9]*:.+$")


# ---- planning: pure functions over plain data ------------------------------------------------


@dataclass(frozen=True, order=True)
class Binding:
    """One ACL binding, as Kafka stores it (names lower case here)."""

    resource_type: str
    resource_name: str
    pattern_type: str
    principal: str
    host: str
    operation: str
    permission: str

    @property
    def resource(self) -> tuple[str, str, str]:
        return (self.resource_type, self.resource_name, self.pattern_type)

    def line(self) -> str:
        return f"{self.permission} {self.principal} {self.operation} from {self.host}"

    def text(self) -> str:
        kind, name, pattern = self.resource
        return f"{kind} {name!r} ({pattern}): {self.line()}"


@dataclass
class Entry:
    """One ``kafka_acls`` entry, validated and expanded into its bindings."""

    bindings: list[Binding]
    state: str = "present"
    allow_destructive: bool = False


@dataclass
class Plan:
    """What to do: bindings to create and delete, per resource pattern diffs, warnings."""

    create: list[Binding] = field(default_factory=list)
    delete: list[Binding] = field(default_factory=list)
    unmanaged: list[Binding] = field(default_factory=list)
    diffs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.create or self.delete)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def parse_entry(entry: Mapping[str, Any], index: int) -> tuple[Entry | None, list[str]]:
    """Validate one entry and expand it; or the reasons Kafka would refuse it."""
    principal = _text(entry.get("principal"))
    kind = _text(entry.get("resource_type")).lower()
    name = _text(entry.get("resource_name"))
    pattern = _text(entry.get("pattern_type") or "literal").lower()
    permission = _text(entry.get("permission") or "allow").lower()
    host = _text(entry.get("host") or "*")
    state = _text(entry.get("state") or "present").lower()
    label = f"acls[{index}] ({principal or '?'} on {kind or '?'} {name or '?'})"
    errors: list[str] = []
    if not _PRINCIPAL.match(principal) or ";" in principal:
        errors.append(f"{label}: principal must be '<Type>:<name>', e.g. User:orders-service")
    if kind not in VALID_OPERATIONS:
        errors.append(f"{label}: resource_type must be one of {', '.join(VALID_OPERATIONS)}")
    if not name:
        errors.append(f"{label}: resource_name is required")
    elif kind == "cluster" and name != CLUSTER_NAME:
        errors.append(f"{label}: the cluster resource is named {CLUSTER_NAME!r}")
    if pattern not in ("literal", "prefixed"):
        errors.append(f"{label}: pattern_type must be literal or prefixed")
    elif pattern == "prefixed" and name == "*":
        errors.append(f"{label}: '*' matches every name only with pattern_type literal")
    if permission not in ("allow", "deny"):
        errors.append(f"{label}: permission must be allow or deny")
    if host != "*":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            errors.append(f"{label}: host must be an IP address or '*' (Kafka matches client addresses, not names)")
    if state not in ("present", "absent"):
        errors.append(f"{label}: state must be present or absent")
    raw = entry.get("operations")
    operations = [_text(op).lower() for op in raw] if isinstance(raw, (list, tuple)) else []
    if not operations:
        errors.append(f"{label}: operations must be a non-empty list")
    valid = VALID_OPERATIONS.get(kind, frozenset())
    unknown = sorted({op for op in operations if op not in valid})
    if kind in VALID_OPERATIONS and unknown:
        errors.append(f"{label}: {kind} has no operation(s) {', '.join(unknown)} (it has {', '.join(sorted(valid))})")
    if errors:
        return None, errors
    bindings = [Binding(kind, name, pattern, principal, host, op, permission) for op in dict.fromkeys(operations)]
    return Entry(bindings, state, bool(entry.get("allow_destructive", False))), []


def parse_all(entries: Sequence[Mapping[str, Any]]) -> tuple[list[Entry], list[str]]:
    """Every entry; a binding declared both present and absent is an error."""
    parsed: list[Entry] = []
    errors: list[str] = []
    for index, raw in enumerate(entries):
        entry, problems = parse_entry(raw, index)
        errors.extend(problems)
        if entry is not None:
            parsed.append(entry)
    present = {b for e in parsed if e.state == "present" for b in e.bindings}
    contradictions = sorted({b for e in parsed if e.state == "absent" for b in e.bindings} & present)
    errors.extend(f"{b.text()}: declared both present and absent" for b in contradictions)
    return parsed, errors


def plan_acls(entries: Sequence[Entry], current: set[Binding]) -> Plan:
    """Compare the declared bindings with ``current`` (every binding of the cluster)."""
    present = {b for e in entries if e.state == "present" for b in e.bindings}
    absent = {b for e in entries if e.state == "absent" for b in e.bindings}
    destructive = {b.resource for e in entries if e.allow_destructive for b in e.bindings}
    declared_resources = {b.resource for e in entries for b in e.bindings}
    plan = Plan()
    plan.create = sorted(present - current)
    for binding in sorted(current):
        if binding.resource not in declared_resources:
            continue
        if binding in absent or (binding.resource in destructive and binding not in present):
            plan.delete.append(binding)
        elif binding not in present:
            plan.unmanaged.append(binding)
    for resource in sorted(declared_resources):
        before = sorted(b.line() for b in current if b.resource == resource)
        removed = {b.line() for b in plan.delete if b.resource == resource}
        after = sorted({*before, *(b.line() for b in plan.create if b.resource == resource)} - removed)
        if before != after:
            kind, name, pattern = resource
            plan.diffs.append(
                {
                    "before_header": f"{kind} {name} ({pattern}) ACLs (before)",
                    "after_header": f"{kind} {name} ({pattern}) ACLs (after)",
                    "before": "".join(f"{line}\n" for line in before),
                    "after": "".join(f"{line}\n" for line in after),
                }
            )
    return plan


# ---- the cluster: kafka-python's ACL types -------------------------------------------------------


def _to_binding(acl: Any) -> Binding:
    pattern = acl.resource_pattern
    return Binding(
        pattern.resource_type.name.lower(),
        pattern.resource_name,
        pattern.pattern_type.name.lower(),
        acl.principal,
        acl.host,
        acl.operation.name.lower(),
        acl.permission_type.name.lower(),
    )


def _to_acl(binding: Binding) -> Any:
    return ACL(
        principal=binding.principal,
        host=binding.host,
        operation=ACLOperation[binding.operation.upper()],
        permission_type=ACLPermissionType[binding.permission.upper()],
        resource_pattern=ResourcePattern(
            ResourceType[binding.resource_type.upper()],
            binding.resource_name,
            ACLResourcePatternType[binding.pattern_type.upper()],
        ),
    )


def read_acls(admin: Any) -> set[Binding]:
    """Every ACL binding of the cluster (one DescribeAcls request)."""
    everything = ACLFilter(
        principal=None,
        host=None,
        operation=ACLOperation.ANY,
        permission_type=ACLPermissionType.ANY,
        resource_pattern=ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY),
    )
    acls, _ = admin.describe_acls(everything)
    return {_to_binding(acl) for acl in acls}


def apply(admin: Any, plan: Plan) -> list[str]:
    """Create, then delete (so replacing a grant never leaves a moment without it); the errors."""
    errors: list[str] = []
    if plan.create:
        result = admin.create_acls([_to_acl(b) for b in plan.create])
        done = {_to_binding(acl) for acl in result.get("succeeded", [])}
        failures = [error.__name__ if isinstance(error, type) else str(error) for error in result.get("failed", [])]
        for binding, failure in zip([b for b in plan.create if b not in done], failures, strict=False):
            errors.append(f"{binding.text()}: Kafka refused to create it ({failure})")
    if plan.delete:
        for acl_filter, _matched, error in admin.delete_acls([_to_acl(b) for b in plan.delete]):
            if error is not kafka_errors.NoError:
                errors.append(f"{_to_binding(acl_filter).text()}: Kafka refused to delete it ({error.__name__})")
    return errors


# ---- the module ----------------------------------------------------------------------------------


def argument_spec() -> dict[str, Any]:
    return {
        **kafka_admin.connection_spec("kafka-iac-acls", 30),
        "acls": {
            "type": "list",
            "elements": "dict",
            "required": True,
            "options": {
                "principal": {"type": "str", "required": True},
                "resource_type": {"type": "str", "required": True, "choices": list(VALID_OPERATIONS)},
                "resource_name": {"type": "str", "required": True},
                "pattern_type": {"type": "str", "choices": ["literal", "prefixed"], "default": "literal"},
                "operations": {"type": "list", "elements": "str", "required": True},
                "permission": {"type": "str", "choices": ["allow", "deny"], "default": "allow"},
                "host": {"type": "str", "default": "*"},
                "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
                "allow_destructive": {"type": "bool", "default": False},
            },
        },
    }


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "created": [b.text() for b in plan.create],
        "deleted": [b.text() for b in plan.delete],
        "unmanaged": [b.text() for b in plan.unmanaged],
    }


def run(module: Any) -> None:
    params = module.params
    servers = [s.strip() for part in params["bootstrap_servers"] for s in str(part).split(",") if s.strip()]
    base: dict[str, Any] = {"changed": False, "bootstrap_servers": ",".join(servers)}
    entries, errors = parse_all(params["acls"])
    if errors:
        module.fail_json(msg=kafka_admin.failure_text("kafka_acls", errors), errors=errors, **base)
    if not entries:
        module.exit_json(**base, **_summary(Plan()))
    if not servers:
        module.fail_json(msg="kafka_acls: bootstrap_servers is empty (no host in group kafka_broker?)", **base)
    try:
        admin = admin_client(params, servers)
    except ClusterError as exc:
        module.fail_json(msg=f"kafka_acls: {exc}", **base)
    try:
        plan = plan_acls(entries, read_acls(admin))
        for binding in plan.unmanaged:
            module.warn(
                f"kafka_acls: {binding.text()} is not declared; kept (allow_destructive on that resource removes it)"
            )
        result = dict(base, changed=plan.changed, diff=plan.diffs, **_summary(plan))
        if not plan.changed or module.check_mode:
            module.exit_json(**result)
        failed = apply(admin, plan)
        if failed:
            module.fail_json(
                msg=kafka_admin.failure_text("kafka_acls", failed, "the other bindings were applied"),
                errors=failed,
                **result,
            )
        module.exit_json(**result)
    except kafka_errors.SecurityDisabledError:
        module.fail_json(
            msg="kafka_acls: the cluster has no authorizer (authorizer.class.name), so it keeps no ACLs", **base
        )
    except kafka_errors.KafkaError as exc:
        module.fail_json(msg=f"kafka_acls: the Kafka cluster at {','.join(servers)} failed a request: {exc}", **base)
    finally:
        admin.close()


def main() -> None:
    kafka_admin.module_main(argument_spec(), run)


if __name__ == "__main__":
    main()
