#!/usr/bin/python
"""Ansible module: apply a declarative list of Kafka topics through the admin API.

The module works in three steps so a bad entry never leaves the cluster half changed:

1. read: one metadata request and one DescribeConfigs request for every declared topic;
2. plan: compare each entry with what the cluster has (pure functions, unit tested);
3. validate, then apply: every change is first sent with ``validate_only`` (Kafka judges it
   and changes nothing), and only when Kafka accepts all of them are they sent for real.
   Check mode stops after the validation, so it also reports what Kafka would refuse.

It runs on the controller (``delegate_to: localhost``) with kafka-python.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
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
first_reachable = kafka_admin.first_reachable
kafka_error_text = kafka_admin.kafka_error_text
split_server = kafka_admin.split_server

try:
    import kafka.errors as kafka_errors
    from kafka.admin import ConfigResource, ConfigResourceType
    from kafka.admin._configs import AlterConfigOp
except ImportError:  # reported by main() with the interpreter's name
    pass

DOCUMENTATION = r"""
---
module: kafka_topics
short_description: Apply a declarative list of Kafka topics through the admin API
description:
  - Creates missing topics, raises partition counts and sets topic configs (incremental
    alter) so the cluster matches O(topics). Re-running with the same list changes nothing.
  - A topic's C(config) is the set of per-topic overrides it should have. A key that has an
    override on the cluster but is not listed is left as it is (with a warning) unless the
    entry sets C(allow_destructive=true), which removes it (the topic falls back to the
    broker default).
  - Nothing is deleted or lowered unless the entry sets C(allow_destructive=true); a topic with
    C(state=absent) is deleted only then. Lowering a partition count is impossible in Kafka and
    always fails, naming the topic. Changing the replication factor needs a partition
    reassignment, which this module does not do (see O(replication_factor_mismatch)).
  - Every change is validated by Kafka (C(validate_only)) before any is applied, so Kafka's
    own refusals (a replication factor larger than the number of brokers, a bad config value)
    fail the task naming the topic, with nothing changed.
  - Runs where kafka-python is installed, normally the controller (C(delegate_to=localhost)
    with the controller's Python, C(ansible_python_interpreter={{ ansible_playbook_python }})).
version_added: "0.1.0"
author:
  - kafka-iac
options:
  topics:
    description:
      - The declared topics, in the inventory's C(kafka_topics) form.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The topic name.
        type: str
        required: true
      partitions:
        description:
          - Number of partitions. Omitted, a new topic gets the broker's C(num.partitions)
            and an existing one is not compared.
        type: int
      replication_factor:
        description:
          - Replication factor. Omitted, a new topic gets the broker's
            C(default.replication.factor) and an existing one is not compared.
        type: int
      config:
        description:
          - Per-topic config overrides, Kafka key to value. Booleans are written
            C(true)/C(false) and lists comma-joined, as in the rendered properties files.
        type: dict
        default: {}
      state:
        description:
          - C(present) creates or updates the topic; C(absent) deletes it (only with O(topics[].allow_destructive)).
        type: str
        choices: [present, absent]
        default: present
      allow_destructive:
        description:
          - Allow deleting this topic (C(state=absent)) and removing its config overrides that
            are not listed in C(config).
        type: bool
        default: false
  replication_factor_mismatch:
    description:
      - What to do when an existing topic's replication factor differs from the declared one;
        C(fail) the task naming the topic (before anything is changed), or C(warn) and go on.
    type: str
    choices: [fail, warn]
    default: fail
  request_timeout:
    description: Seconds Kafka may take for one admin request (topic creation waits for leaders).
    type: int
    default: 60
  client_id:
    description: The client id the brokers log for the module's requests.
    type: str
    default: kafka-iac-topics
extends_documentation_fragment:
  - kafka_admin
attributes:
  check_mode:
    support: full
    details: Nothing is changed; every change is still validated by Kafka (C(validate_only)).
  diff_mode:
    support: full
    details: One before/after per changed topic (partitions, replication factor, config overrides).
requirements:
  - kafka-python >= 3.0 for the Python that runs the module
notes:
  - Kafka 2.4 or later (incremental config alter, CreateTopics with broker defaults).
"""

EXAMPLES = r"""
- name: Apply the declared topics
  kafka_topics:
    bootstrap_servers: "kafka1:9092,kafka2:9092,kafka3:9092"
    topics:
      - name: orders
        partitions: 6
        replication_factor: 3
        config:
          min.insync.replicas: 2
          cleanup.policy: delete
      - name: old-events
        state: absent
        allow_destructive: true
  delegate_to: localhost
  run_once: true
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
"""

RETURN = r"""
topics:
  description: One result per declared topic, in the declared order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The topic.
      type: str
    action:
      description: C(create), C(update), C(delete) or C(none).
      type: str
    changes:
      description: What changed (or would change in check mode), one sentence each.
      type: list
      elements: str
  sample:
    - {name: orders, action: update, changes: ["partitions 3 -> 6", "config min.insync.replicas: 1 -> 2"]}
created:
  description: Topics created (or that would be in check mode).
  returned: always
  type: list
  elements: str
updated:
  description: Topics whose partitions or configs changed.
  returned: always
  type: list
  elements: str
deleted:
  description: Topics deleted (only with allow_destructive).
  returned: always
  type: list
  elements: str
bootstrap_servers:
  description: The bootstrap servers used.
  returned: always
  type: str
"""

TOPIC_OVERRIDE_SOURCE = "DYNAMIC_TOPIC_CONFIG"
UNKNOWN_TOPIC = 3
INVALID_TOPIC = 17
_KAFKA_PYTHON_ERROR = re.compile(r"^\[Error (?P<code>\d+)\] \w+: (?P<message>.*)$", re.DOTALL)


# ---- planning: pure functions over plain data ------------------------------------------------


def config_text(value: Any) -> str:
    """A config value as Kafka stores it; the same rule as ``kafkalint.effective.render_value``
    (a test keeps them equal), so a topic override reads back equal to the inventory value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(config_text(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Desired:
    """One ``kafka_topics`` entry, values normalised."""

    name: str
    partitions: int | None
    replication_factor: int | None
    config: dict[str, str]
    state: str = "present"
    allow_destructive: bool = False


@dataclass(frozen=True)
class Current:
    """What the cluster has for a topic: partition count, replication factor (the largest
    replica set), and the per-topic config overrides."""

    partitions: int
    replication_factor: int
    overrides: dict[str, str]


@dataclass
class Plan:
    """What to do for one topic. ``errors`` make the whole task fail before any change."""

    name: str
    action: str = "none"  # create | update | delete | none
    partitions: int | None = None  # create: the count; update: the new, larger count
    replication_factor: int | None = None  # create only
    set_config: dict[str, str] = field(default_factory=dict)
    delete_config: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.action != "none"


def parse_entry(entry: Mapping[str, Any]) -> tuple[Desired | None, list[str]]:
    """Normalise one entry; return it, or the reasons it is unusable."""
    name = str(entry.get("name") or "").strip()
    label = f"topic {name!r}" if name else "a topic entry without a name"
    errors: list[str] = []
    if not name:
        errors.append(f"{label}: 'name' is required")
    counts: dict[str, int | None] = {}
    for key in ("partitions", "replication_factor"):
        value = entry.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            errors.append(f"{label}: {key} must be a whole number of at least 1, got {value!r}")
            value = None
        counts[key] = value
    raw_config = entry.get("config") or {}
    config: dict[str, str] = {}
    if not isinstance(raw_config, Mapping):
        errors.append(f"{label}: config must be a mapping of Kafka topic config keys")
        raw_config = {}
    for key, value in raw_config.items():
        if value is None:
            errors.append(f"{label}: config {key} has no value (remove the key to leave it as it is)")
            continue
        config[str(key)] = config_text(value)
    state = str(entry.get("state") or "present")
    if state not in ("present", "absent"):
        errors.append(f"{label}: state must be present or absent, got {state!r}")
    if errors:
        return None, errors
    return (
        Desired(
            name=name,
            partitions=counts["partitions"],
            replication_factor=counts["replication_factor"],
            config=config,
            state=state,
            allow_destructive=bool(entry.get("allow_destructive", False)),
        ),
        [],
    )


def _snapshot(partitions: int | None, replication_factor: int | None, config: Mapping[str, str]) -> dict[str, Any]:
    shown: dict[str, Any] = {"state": "present"}
    if partitions is not None:
        shown["partitions"] = partitions
    if replication_factor is not None:
        shown["replication_factor"] = replication_factor
    shown["config"] = dict(sorted(config.items()))
    return shown


def _plan_absent(plan: Plan, desired: Desired, current: Current | None) -> Plan:
    if current is None:
        plan.before = plan.after = {"state": "absent"}
        return plan
    plan.before = _snapshot(current.partitions, current.replication_factor, current.overrides)
    if not desired.allow_destructive:
        plan.errors.append(
            f"topic {desired.name!r}: state is absent but the topic exists and deleting it would lose its data; "
            "set allow_destructive: true on this entry to delete it"
        )
        plan.after = plan.before
        return plan
    plan.action = "delete"
    plan.after = {"state": "absent"}
    plan.changes.append(f"delete the topic ({current.partitions} partitions)")
    return plan


def _plan_create(plan: Plan, desired: Desired) -> Plan:
    plan.action = "create"
    plan.partitions = desired.partitions
    plan.replication_factor = desired.replication_factor
    plan.set_config = dict(desired.config)
    plan.before = {"state": "absent"}
    plan.after = _snapshot(desired.partitions, desired.replication_factor, desired.config)
    partitions = "default" if desired.partitions is None else desired.partitions
    rf = "default" if desired.replication_factor is None else desired.replication_factor
    plan.changes.append(f"create the topic (partitions {partitions}, replication factor {rf})")
    plan.changes.extend(f"config {key}={value}" for key, value in sorted(desired.config.items()))
    return plan


def _plan_shape(plan: Plan, desired: Desired, current: Current, replication_factor_mismatch: str) -> None:
    """Partition count (only ever raised) and replication factor (never changed)."""
    label = f"topic {desired.name!r}"
    if desired.partitions is not None and desired.partitions != current.partitions:
        if desired.partitions < current.partitions:
            plan.errors.append(
                f"{label}: cannot lower partitions from {current.partitions} to {desired.partitions}: "
                "Kafka can only add partitions (recreate the topic under a new name to have fewer)"
            )
        else:
            plan.partitions = desired.partitions
            plan.changes.append(f"partitions {current.partitions} -> {desired.partitions}")
    if desired.replication_factor is not None and desired.replication_factor != current.replication_factor:
        message = (
            f"{label}: replication factor is {current.replication_factor} on the cluster but "
            f"{desired.replication_factor} in the inventory; this module does not change it "
            "(that needs a partition reassignment, kafka-reassign-partitions.sh)"
        )
        (plan.warnings if replication_factor_mismatch == "warn" else plan.errors).append(message)


def _plan_config(plan: Plan, desired: Desired, current: Current) -> dict[str, str]:
    """Overrides to set, and to remove (only with allow_destructive); returns the overrides after."""
    after = dict(current.overrides)
    for key, value in sorted(desired.config.items()):
        old = current.overrides.get(key)
        if old != value:
            plan.set_config[key] = value
            after[key] = value
            plan.changes.append(f"config {key}: {'(default)' if old is None else old} -> {value}")
    unmanaged = sorted(set(current.overrides) - set(desired.config))
    if unmanaged and desired.allow_destructive:
        plan.delete_config = unmanaged
        for key in unmanaged:
            del after[key]
            plan.changes.append(f"config {key}: {current.overrides[key]} -> (default)")
    elif unmanaged:
        plan.warnings.append(
            f"topic {desired.name!r}: config overrides not in the inventory are left as they are: "
            f"{', '.join(unmanaged)} (allow_destructive: true on this entry removes them)"
        )
    return after


def plan_topic(desired: Desired, current: Current | None, replication_factor_mismatch: str = "fail") -> Plan:
    """Compare one declared topic with the cluster's; never plans a deletion, a lower count or a
    removed override unless ``allow_destructive``."""
    plan = Plan(name=desired.name)
    if desired.state == "absent":
        return _plan_absent(plan, desired, current)
    if current is None:
        return _plan_create(plan, desired)
    plan.before = _snapshot(current.partitions, current.replication_factor, current.overrides)
    _plan_shape(plan, desired, current, replication_factor_mismatch)
    after_config = _plan_config(plan, desired, current)
    if plan.errors:
        plan.after = plan.before
        plan.changes = []
        return plan
    partitions = plan.partitions if plan.partitions is not None else current.partitions
    plan.after = _snapshot(partitions, current.replication_factor, after_config)
    if plan.changes:
        plan.action = "update"
    return plan


def plan_all(
    entries: list[Mapping[str, Any]],
    current: Mapping[str, Current],
    replication_factor_mismatch: str = "fail",
) -> tuple[list[Plan], list[str]]:
    """Plans for every entry, plus the errors that stop the task (duplicates included)."""
    plans: list[Plan] = []
    errors: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        desired, entry_errors = parse_entry(entry)
        errors.extend(entry_errors)
        if desired is None:
            continue
        if desired.name in seen:
            errors.append(f"topic {desired.name!r}: declared more than once")
            continue
        seen.add(desired.name)
        plan = plan_topic(desired, current.get(desired.name), replication_factor_mismatch)
        errors.extend(plan.errors)
        plans.append(plan)
    return plans, errors


# ---- the cluster: kafka-python's admin client --------------------------------------------------


def _topic_errors(result: Mapping[str, Any], what: str) -> dict[str, str]:
    """Per-topic errors of a CreateTopics / DeleteTopics response (as kafka-python's dict)."""
    return {
        topic["name"]: f"{what}: {kafka_error_text(topic['error_code'], topic.get('error_message'))}"
        for topic in result.get("topics", [])
        if topic.get("error_code")
    }


def _alter_outcome_text(outcome: str) -> str:
    """kafka-python reports an AlterConfigs refusal as ``[Error 40] InvalidConfigurationError: <Kafka's
    message>``; show it like the other refusals (Kafka's message, then the protocol error name)."""
    match = _KAFKA_PYTHON_ERROR.match(outcome)
    if match is None:
        return outcome
    return kafka_error_text(int(match["code"]), match["message"])


class Cluster:
    """The few admin calls the module makes, each returning per-topic errors."""

    def __init__(self, admin: Any, request_timeout_ms: int) -> None:
        self.admin = admin
        self.timeout_ms = request_timeout_ms

    def read(self, names: list[str]) -> tuple[dict[str, Current], list[str]]:
        """Partitions, replication factor and overrides of the topics that exist."""
        if not names:
            return {}, []
        errors: list[str] = []
        shapes: dict[str, tuple[int, int]] = {}
        for topic in self.admin.describe_topics(names):
            name = topic.get("name")
            code = topic.get("error_code", 0)
            if code == UNKNOWN_TOPIC:
                continue
            if code == INVALID_TOPIC:
                errors.append(
                    f"topic {name!r}: not a valid topic name (Kafka allows up to 249 characters of "
                    f"a-z A-Z 0-9 . _ -): {kafka_error_text(code, None)}"
                )
                continue
            if code:
                errors.append(f"topic {name!r}: cannot read its metadata: {kafka_error_text(code, None)}")
                continue
            partitions = topic.get("partitions") or []
            rf = max((len(p.get("replica_nodes") or []) for p in partitions), default=0)
            shapes[name] = (len(partitions), rf)
        current: dict[str, Current] = {}
        if shapes:
            described = self.admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, name) for name in shapes], config_filter="modified"
            ).get("topic", {})
            for name, (partitions, rf) in shapes.items():
                entries = described.get(name, {})
                overrides = {
                    key: str(item.get("value"))
                    for key, item in entries.items()
                    if item.get("config_source") == TOPIC_OVERRIDE_SOURCE and item.get("value") is not None
                }
                current[name] = Current(partitions, rf, overrides)
        return current, errors

    def create(self, plans: list[Plan], validate_only: bool) -> dict[str, str]:
        if not plans:
            return {}
        request = {
            plan.name: {
                "num_partitions": plan.partitions if plan.partitions is not None else -1,
                "replication_factor": plan.replication_factor if plan.replication_factor is not None else -1,
                "configs": plan.set_config,
            }
            for plan in plans
        }
        result = self.admin.create_topics(
            request, timeout_ms=self.timeout_ms, validate_only=validate_only, raise_errors=False
        )
        errors = _topic_errors(result, "Kafka refused to create it")
        if not validate_only:
            created = [plan.name for plan in plans if plan.name not in errors]
            if created:
                # A producer started right after the play must find a leader for every partition.
                self.admin.wait_for_topics(created, timeout_ms=self.timeout_ms)
        return errors

    def add_partitions(self, plans: list[Plan], validate_only: bool) -> dict[str, str]:
        if not plans:
            return {}
        request = {plan.name: plan.partitions for plan in plans}
        response = self.admin.create_partitions(
            request, timeout_ms=self.timeout_ms, validate_only=validate_only, raise_errors=False
        )
        return {
            result.name: f"Kafka refused to add partitions: {kafka_error_text(result.error_code, result.error_message)}"
            for result in response.results
            if result.error_code
        }

    def alter_configs(self, plans: list[Plan], validate_only: bool) -> dict[str, str]:
        if not plans:
            return {}
        resources = []
        for plan in plans:
            ops: dict[str, Any] = dict(plan.set_config)
            ops.update(dict.fromkeys(plan.delete_config, (AlterConfigOp.DELETE, None)))
            resources.append(ConfigResource(ConfigResourceType.TOPIC, plan.name, ops))
        result = self.admin.alter_configs(
            resources, validate_only=validate_only, raise_on_unknown=False, incremental=True
        ).get("topic", {})
        return {
            name: f"Kafka refused the config change: {_alter_outcome_text(outcome)}"
            for name, outcome in result.items()
            if outcome != "OK"
        }

    def delete(self, plans: list[Plan], validate_only: bool) -> dict[str, str]:
        if not plans or validate_only:  # DeleteTopics has no validate_only; planning checked it
            return {}
        result = self.admin.delete_topics([plan.name for plan in plans], timeout_ms=self.timeout_ms, raise_errors=False)
        return _topic_errors(result, "Kafka refused to delete it")


def execute(cluster: Cluster, plans: list[Plan], validate_only: bool) -> dict[str, str]:
    """Send every planned change; return the errors per topic."""
    steps: list[tuple[Callable[[list[Plan], bool], dict[str, str]], list[Plan]]] = [
        (cluster.delete, [p for p in plans if p.action == "delete"]),
        (cluster.create, [p for p in plans if p.action == "create"]),
        (cluster.add_partitions, [p for p in plans if p.action == "update" and p.partitions is not None]),
        (cluster.alter_configs, [p for p in plans if p.action == "update" and (p.set_config or p.delete_config)]),
    ]
    errors: dict[str, str] = {}
    for step, selected in steps:
        for name, message in step(selected, validate_only).items():
            errors[name] = f"{errors[name]}; {message}" if name in errors else message
    order = {plan.name: index for index, plan in enumerate(plans)}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


# ---- the module -------------------------------------------------------------------------------


def argument_spec() -> dict[str, Any]:
    return {
        **kafka_admin.connection_spec("kafka-iac-topics", 60),
        "topics": {
            "type": "list",
            "elements": "dict",
            "required": True,
            "options": {
                "name": {"type": "str", "required": True},
                "partitions": {"type": "int"},
                "replication_factor": {"type": "int"},
                "config": {"type": "dict", "default": {}},
                "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
                "allow_destructive": {"type": "bool", "default": False},
            },
        },
        "replication_factor_mismatch": {"type": "str", "choices": ["fail", "warn"], "default": "fail"},
    }


def _diff(plans: list[Plan]) -> list[dict[str, Any]]:
    return kafka_admin.change_diffs(plans, lambda p: f"topic {p.name}")


def _summary(plans: list[Plan]) -> dict[str, Any]:
    return {
        "topics": [{"name": p.name, "action": p.action, "changes": p.changes} for p in plans],
        **kafka_admin.action_lists(plans),
    }


def run(module: Any) -> None:
    params = module.params
    servers = [s.strip() for s in params["bootstrap_servers"] if s and s.strip()]
    entries = params["topics"]
    base: dict[str, Any] = {"changed": False, "bootstrap_servers": ",".join(servers)}
    if not entries:
        module.exit_json(**base, **_summary([]))
    if not servers:
        module.fail_json(msg="kafka_topics: bootstrap_servers is empty (no host in group kafka_broker?)", **base)

    _, offline_errors = plan_all(entries, {}, params["replication_factor_mismatch"])
    if offline_errors:
        module.fail_json(msg=kafka_admin.failure_text("kafka_topics", offline_errors), errors=offline_errors, **base)

    names = [str(entry["name"]).strip() for entry in entries]
    try:
        admin = admin_client(params, servers)
    except ClusterError as exc:
        module.fail_json(msg=f"kafka_topics: {exc}", **base)
    try:
        cluster = Cluster(admin, params["request_timeout"] * 1000)
        current, read_errors = cluster.read(names)
        plans, errors = plan_all(entries, current, params["replication_factor_mismatch"])
        errors = read_errors + errors
        for plan in plans:
            for warning in plan.warnings:
                module.warn(warning)
        if errors:
            module.fail_json(
                msg=kafka_admin.failure_text("kafka_topics", errors), errors=errors, **base, **_summary(plans)
            )

        changed = [p for p in plans if p.changed]
        result = dict(
            base,
            changed=bool(changed),
            diff=_diff(plans),
            **_summary(plans),
        )
        if not changed:
            module.exit_json(**result)
        refused = execute(cluster, changed, validate_only=True)
        if refused:
            errors = [f"topic {name!r}: {message}" for name, message in refused.items()]
            module.fail_json(
                msg=kafka_admin.failure_text("kafka_topics", errors), errors=errors, **dict(result, changed=False)
            )
        if module.check_mode:
            module.exit_json(**result)
        failed = execute(cluster, changed, validate_only=False)
        if failed:
            errors = [f"topic {name!r}: {message}" for name, message in failed.items()]
            applied = [p.name for p in changed if p.name not in failed]
            module.fail_json(
                msg=kafka_admin.failure_text("kafka_topics", errors, f"applied to {len(applied)} other topic(s)"),
                errors=errors,
                applied=applied,
                **dict(result, changed=bool(applied)),
            )
        module.exit_json(**result)
    except kafka_errors.KafkaError as exc:
        module.fail_json(msg=f"kafka_topics: the Kafka cluster at {','.join(servers)} failed a request: {exc}", **base)
    finally:
        admin.close()


def main() -> None:
    kafka_admin.module_main(argument_spec(), run)


if __name__ == "__main__":
    main()
