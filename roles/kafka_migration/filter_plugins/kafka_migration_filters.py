"""Filters of the kafka_migration role: what phase of the ZooKeeper to KRaft migration a cluster
is in (from what its nodes run), which steps move it to the inventory's phase, and what
ZooKeeper's znodes say (``zookeeper-shell`` output).

The phases are :data:`kafkalint.contract.MIGRATION_PHASES`. A node's state is read from the
``server.properties`` it runs (``process.roles``, ``zookeeper.metadata.migration.enable``) and
whether a restart is pending (its file then says where it is going, not where it is).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleFilterError

try:
    from kafkalint import contract, effective
except ImportError:  # a plain clone without the kafkalint package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "policies"))
    from kafkalint import contract, effective

PHASES = contract.MIGRATION_PHASES
MIGRATION = "zookeeper.metadata.migration.enable"
#: Steps of a rollback (Kafka's "Reverting to ZooKeeper mode During the Migration").
ROLLBACK_TO_DUAL_WRITE = "rollback-brokers-to-dual-write"
ROLLBACK_TO_ZOOKEEPER = "rollback-to-zookeeper"
DEPROVISION_CONTROLLERS = "deprovision-controllers"


def _properties(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in str(text).splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "!")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def kafka_migration_node_state(properties: str, running: Any, pending: Any) -> dict[str, Any]:
    """A node's state: ``mode`` (``absent`` when it does not run, ``zookeeper`` or ``kraft``),
    ``migrating`` (the migration flag), ``pending`` (a restart is due: not settled)."""
    values = _properties(properties or "")
    if not values or not bool(running):
        return {"mode": "absent", "migrating": False, "pending": False, "broker_id": "", "ibp": ""}
    return {
        "mode": "kraft" if values.get("process.roles") else "zookeeper",
        "migrating": values.get(MIGRATION, "false").lower() == "true",
        "pending": bool(pending),
        "broker_id": values.get("broker.id", ""),
        "ibp": values.get("inter.broker.protocol.version", ""),
    }


def kafka_migration_detect(
    states: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The phase the cluster is in and whether every node has settled in it (``complete``);
    ``behind`` names the nodes that have not. Controllers that do not run mean ``zookeeper``."""
    brokers = [str(h) for h in groups.get("kafka_broker", [])]
    controllers = [str(h) for h in groups.get("kafka_controller", [])]

    def state(host: str) -> Mapping[str, Any]:
        return states.get(host) or {"mode": "absent", "migrating": False, "pending": False}

    def unsettled(hosts: Sequence[str], mode: str, migrating: bool) -> list[str]:
        return [
            h
            for h in hosts
            if state(h)["mode"] != mode or bool(state(h)["migrating"]) != migrating or state(h)["pending"]
        ]

    running = [h for h in controllers if state(h)["mode"] == "kraft"]
    kraft_brokers = [h for h in brokers if state(h)["mode"] == "kraft"]
    migrating_brokers = [h for h in brokers if state(h)["mode"] == "zookeeper" and state(h)["migrating"]]
    migrating_controllers = [h for h in running if state(h)["migrating"]]
    if not running:
        phase, behind = (
            contract.PHASE_ZOOKEEPER,
            unsettled(brokers, "zookeeper", False) + [h for h in controllers if state(h)["mode"] != "absent"],
        )
    elif kraft_brokers and not migrating_controllers and len(running) == len(controllers):
        phase, behind = (
            contract.PHASE_FINALISED,
            unsettled(brokers, "kraft", False) + unsettled(controllers, "kraft", False),
        )
    elif kraft_brokers:
        phase, behind = (
            contract.PHASE_KRAFT_BROKERS,
            unsettled(brokers, "kraft", False) + unsettled(controllers, "kraft", True),
        )
    elif migrating_brokers:
        phase, behind = (
            contract.PHASE_DUAL_WRITE,
            unsettled(brokers, "zookeeper", True) + unsettled(controllers, "kraft", True),
        )
    else:
        phase, behind = (
            contract.PHASE_CONTROLLERS,
            unsettled(brokers, "zookeeper", False) + unsettled(controllers, "kraft", True),
        )
    provisioned = any(state(h)["mode"] != "absent" for h in [*brokers, *controllers])
    return {"phase": phase, "complete": not behind, "behind": behind, "provisioned": provisioned}


def _plan(detected: Mapping[str, Any], target: str, skip_soak: Any) -> tuple[list[str], str]:
    """(steps, refusal): the steps to ``target``, or why Kafka's documentation does not allow
    going there (then no steps)."""
    if target not in PHASES:
        return [], f"kafka_migration_phase must be one of {', '.join(PHASES)}, not {target!r}"
    current, complete = str(detected["phase"]), bool(detected["complete"])
    here, there = PHASES.index(current), PHASES.index(target)
    if there >= here:
        first = here if not complete and here > 0 else here + 1
        steps = list(PHASES[first : there + 1])
        if not complete and here == 0:
            # Half rolled back: finish the rollback before migrating again.
            steps.insert(0, ROLLBACK_TO_ZOOKEEPER)
        if contract.PHASE_FINALISED in steps and contract.PHASE_KRAFT_BROKERS in steps and not _truthy(skip_soak):
            steps = steps[: steps.index(contract.PHASE_FINALISED)]
        return steps, ""
    if current == contract.PHASE_FINALISED:
        return [], (
            f"the cluster is finalised (its controllers no longer write to ZooKeeper): a rollback to {target} "
            "is not possible, as Kafka's documentation says"
        )
    if current == contract.PHASE_KRAFT_BROKERS:
        if target == contract.PHASE_DUAL_WRITE:
            return [ROLLBACK_TO_DUAL_WRITE], ""
        if target == contract.PHASE_ZOOKEEPER:
            return [ROLLBACK_TO_DUAL_WRITE, ROLLBACK_TO_ZOOKEEPER], ""
    if current == contract.PHASE_DUAL_WRITE and target == contract.PHASE_ZOOKEEPER:
        return [ROLLBACK_TO_ZOOKEEPER], ""
    if current == contract.PHASE_CONTROLLERS and target == contract.PHASE_ZOOKEEPER:
        return [DEPROVISION_CONTROLLERS], ""
    return [], (
        f"the cluster is in phase {current}: Kafka's documentation rolls back from there to zookeeper"
        + (" or dual-write" if current == contract.PHASE_KRAFT_BROKERS else "")
        + f", not to {target}"
    )


def kafka_migration_refusal(detected: Mapping[str, Any], target: str) -> str:
    """Why the cluster cannot go from the ``detected`` phase to ``target`` ('' when it can):
    the role fails with this one line before it computes any step."""
    return _plan(detected, target, False)[1]


def kafka_migration_steps(detected: Mapping[str, Any], target: str, skip_soak: Any = False) -> list[str]:
    """The steps from the detected phase to ``target``, in order: a forward phase's name is the
    step that enters it; a rollback is :data:`ROLLBACK_TO_DUAL_WRITE`, :data:`ROLLBACK_TO_ZOOKEEPER`
    or :data:`DEPROVISION_CONTROLLERS`. Entering ``finalised`` in the run that moved the brokers
    to KRaft needs ``skip_soak``: the run otherwise stops for the soak. Raises for what Kafka's
    documentation does not allow (a rollback after finalisation, a partial rollback): the
    role checks :func:`kafka_migration_refusal` first."""
    steps, refusal = _plan(detected, target, skip_soak)
    if refusal:
        raise AnsibleFilterError(refusal)
    return steps


def kafka_migration_reached(steps: Sequence[str], detected: Mapping[str, Any]) -> str:
    """The phase the cluster is in after ``steps`` (from the ``detected`` one)."""
    if not steps:
        return str(detected["phase"])
    last = str(steps[-1])
    if last in PHASES:
        return last
    return contract.PHASE_DUAL_WRITE if last == ROLLBACK_TO_DUAL_WRITE else contract.PHASE_ZOOKEEPER


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes", "1")


def kafka_migration_znode(output: str) -> Any:
    """The JSON data ``zookeeper-shell <server> get <path>`` printed (``None`` when the znode
    does not exist); a znode holding a list (``ls``) is parsed as a list of strings."""
    for raw in str(output).splitlines():
        line = raw.strip()
        if line.startswith(("{", "[")):
            try:
                return json.loads(line)
            except ValueError:
                if line.startswith("["):
                    return [item.strip() for item in line[1:-1].split(",") if item.strip()]
                raise AnsibleFilterError(f"unreadable znode data: {line[:200]}") from None
    return None


_MISSING = "Node does not exist:"


def kafka_migration_znodes(output: str, paths: Sequence[str]) -> dict[str, Any]:
    """What one ``zookeeper-shell`` session printed (stdout and stderr in order) for the commands
    ``get`` or ``ls`` of ``paths``, in that order: path -> the data (:func:`kafka_migration_znode`).
    Every command prints one line, its data or ``Node does not exist: <path>``; any other count
    means the session failed, and nothing is guessed."""
    answers = [
        line.strip() for line in str(output).splitlines() if line.strip().startswith(("{", "[")) or _MISSING in line
    ]
    wanted = [str(path) for path in paths]
    if len(answers) != len(wanted):
        raise AnsibleFilterError(
            f"zookeeper-shell answered {len(answers)} of {len(wanted)} reads ({', '.join(wanted)}): "
            + (str(output).strip().splitlines() or ["no output"])[-1][:300]
        )
    for path, answer in zip(wanted, answers, strict=True):
        if _MISSING in answer and answer.partition(_MISSING)[2].strip() != path:
            raise AnsibleFilterError(f"zookeeper-shell answered {answer!r} where it read {path}")
    return {path: kafka_migration_znode(answer) for path, answer in zip(wanted, answers, strict=True)}


def kafka_migration_installed_version(link: str) -> str:
    """The release of an install from its ``current`` link target (``.../kafka_2.13-3.9.1``)."""
    name = Path(str(link)).name
    return name.rpartition("-")[2] if "-" in name else ""


def kafka_migration_zookeeper_connect(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """The ensemble the brokers connect to (``zookeeper.connect``, as the roles render it)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    brokers = plain_groups.get("kafka_broker") or []
    if not brokers or not plain_groups.get("zookeeper"):
        raise AnsibleFilterError("the migration needs the groups kafka_broker and zookeeper")
    try:
        return effective.zookeeper_connect(plain_hostvars, plain_groups, brokers[0])
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def kafka_migration_bootstrap_servers(hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any]) -> str:
    """Every broker's client listener (``bootstrap.servers``, as the roles derive it)."""
    plain_hostvars, plain_groups = effective.plain_inventory(hostvars, groups)
    try:
        return effective.bootstrap_servers(plain_hostvars, plain_groups)
    except effective.InventoryError as error:
        raise AnsibleFilterError(str(error)) from None


def kafka_migration_collisions(
    hostvars: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Any], registered: Any
) -> list[str]:
    """Controllers whose ``kafka_node_id`` is a broker's id (the inventory's, or one registered in
    ZooKeeper's /brokers/ids): during the migration one id would name two nodes."""
    brokers = {str(hostvars[h].get("kafka_broker_id")) for h in groups.get("kafka_broker", [])}
    brokers |= {str(item) for item in registered or []}
    return [
        f"{host} (kafka_node_id {hostvars[host].get('kafka_node_id')})"
        for host in groups.get("kafka_controller", [])
        if str(hostvars[host].get("kafka_node_id")) in brokers
    ]


_DESCRIBED = re.compile(r"Feature:\s*(\S+)\s+SupportedMinVersion:.*?FinalizedVersionLevel:\s*(\S+)")
_MAPPED = re.compile(r"^\s*([\w.]+)=(\d+)(?:\s+\(([^)]+)\))?\s*$")


def kafka_migration_features_below(mapping: str, describe: str) -> list[str]:
    """The features a cluster has not finalised at the levels ``kafka-features version-mapping``
    gives a release (``kafka-features describe`` output; an unlisted feature is at level 0;
    metadata.version is compared by name, as describe prints it)."""
    have = {match.group(1): match.group(2) for match in _DESCRIBED.finditer(str(describe))}
    below = []
    for raw in str(mapping).splitlines():
        match = _MAPPED.match(raw)
        if not match:
            continue
        name, level, label = match.groups()
        current = have.get(name, "0")
        if (label or level) != current:
            below.append(f"{name} {current} -> {label or level}")
    return below


class FilterModule:
    """Migration filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "kafka_migration_node_state": kafka_migration_node_state,
            "kafka_migration_detect": kafka_migration_detect,
            "kafka_migration_refusal": kafka_migration_refusal,
            "kafka_migration_steps": kafka_migration_steps,
            "kafka_migration_reached": kafka_migration_reached,
            "kafka_migration_znode": kafka_migration_znode,
            "kafka_migration_znodes": kafka_migration_znodes,
            "kafka_migration_installed_version": kafka_migration_installed_version,
            "kafka_migration_zookeeper_connect": kafka_migration_zookeeper_connect,
            "kafka_migration_bootstrap_servers": kafka_migration_bootstrap_servers,
            "kafka_migration_collisions": kafka_migration_collisions,
            "kafka_migration_features_below": kafka_migration_features_below,
        }
