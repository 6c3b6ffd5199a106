#!/usr/bin/python
"""Ansible module: read a KRaft node's storage, or format its unformatted log directories."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
---
module: kafka_storage
short_description: Read or format the log directories of a KRaft node (kafka-storage format)
description:
  - C(state=info) reads C(meta.properties) of every directory (nothing is written) and says
    whether the metadata log has started (segments in C(__cluster_metadata-0)).
  - C(state=formatted) formats only the directories without C(meta.properties), with Kafka's own
    C(kafka.tools.StorageTool format --ignore-formatted), and reports changed only then. A
    formatted directory is never formatted again; one formatted for another cluster or node id,
    or a non-empty directory without C(meta.properties), fails the task and is left untouched.
  - A controller whose metadata directory is unformatted is formatted with
    C(--initial-controllers) (dynamic quorum; C(--standalone) when it is the only controller)
    only while no controller of the cluster has
    started its metadata log (C(quorum_started) false): in a quorum that has run, an empty
    voter could vote with an empty log (KIP-853), so the module refuses and says how to add a
    controller instead.
options:
  state:
    description: C(info) to read, C(formatted) to format what is not.
    type: str
    choices: [info, formatted]
    default: info
  dirs:
    description: The log directories; the first one is the metadata directory.
    type: list
    elements: path
    required: true
  cluster_id:
    description: The cluster id to format with (C(state=formatted)).
    type: str
  node_id:
    description: The node id the directories must carry (C(state=formatted)).
    type: int
  config:
    description: The node's server.properties (C(state=formatted)).
    type: path
  controller:
    description: Whether the node is a controller (dedicated or combined).
    type: bool
    default: false
  quorum:
    description: C(dynamic) (KIP-853) or C(static) voters.
    type: str
    choices: [dynamic, static]
    default: dynamic
  initial_controllers:
    description: C(id@host:port:directory-id,...) of every controller, for a controller's bootstrap.
    type: str
    default: ""
  quorum_started:
    description: Whether any controller of the cluster has started its metadata log.
    type: bool
    default: false
  user:
    description: Run the format as this user (the service user owns the directories).
    type: str
  java:
    description: The Java executable.
    type: path
    default: /usr/bin/java
  classpath:
    description: The classpath of the Kafka install (C(<home>/libs/*)).
    type: str
  jvm_options:
    description: JVM options of the tool (heap, logging configuration).
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds the format may take.
    type: int
    default: 120
"""

EXAMPLES = r"""
- name: Format this node's log directories
  kafka_storage:
    state: formatted
    dirs: [/var/lib/kafka/metadata]
    cluster_id: gicDJhj8S8md9OPFcsZbow
    node_id: 1
    config: /etc/kafka/server.properties
    controller: true
    initial_controllers: 1@10.0.0.1:9093:9CEsXOOpPblbsh3L0OaEDA
    classpath: /opt/kafka/current/libs/*
    user: kafka
"""

RETURN = r"""
dirs:
  description: Per directory, C(formatted) and the C(cluster_id), C(node_id), C(directory_id) of its meta.properties.
  type: dict
  returned: always
cluster_ids:
  description: The distinct cluster ids of the formatted directories.
  type: list
  returned: always
metadata_log_started:
  description: Whether the metadata directory holds metadata log segments (the node has run).
  type: bool
  returned: always
command:
  description: The format command run (C(state=formatted), when something was formatted).
  type: list
  returned: changed
"""

STORAGE_TOOL = "kafka.tools.StorageTool"
METADATA_PARTITION = "__cluster_metadata-0"
#: Entries a fresh file system may hold that do not make a directory "in use".
HARMLESS = frozenset({"lost+found"})


def read_properties(path: Path) -> dict[str, str]:
    """``key=value`` lines of a ``meta.properties`` (comments and blank lines skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "!")):
            continue
        key, _, value = stripped.partition("=")
        values[key.strip()] = value.strip()
    return values


def inspect(directory: Path) -> dict[str, Any]:
    """What a log directory holds: formatted (meta.properties) or not, and its ids."""
    meta = directory / "meta.properties"
    if not meta.is_file():
        entries = sorted({entry.name for entry in directory.iterdir()} - HARMLESS) if directory.is_dir() else []
        return {"formatted": False, "in_use": bool(entries), "entries": entries[:5]}
    values = read_properties(meta)
    node_id = values.get("node.id", values.get("broker.id"))
    return {
        "formatted": True,
        "cluster_id": values.get("cluster.id"),
        "node_id": int(node_id) if node_id and node_id.lstrip("-").isdigit() else None,
        "directory_id": values.get("directory.id"),
    }


def metadata_log_started(metadata_dir: Path) -> bool:
    partition = metadata_dir / METADATA_PARTITION
    return partition.is_dir() and any(entry.suffix == ".log" for entry in partition.iterdir())


def format_flags(params: dict[str, Any], metadata_unformatted: bool) -> list[str]:
    """The quorum flags of ``kafka-storage format`` for this node, as Kafka's documentation
    says: a controller at the bootstrap of a dynamic quorum lists the initial controllers,
    every other node of a dynamic quorum formats with no initial controllers, and static
    voters need neither."""
    if params["quorum"] == "static":
        return []
    if params["controller"] and metadata_unformatted:
        voters = [entry for entry in params["initial_controllers"].split(",") if entry.strip()]
        # One controller is the documentation's "standalone" bootstrap; several are listed.
        return ["--standalone"] if len(voters) == 1 else ["--initial-controllers", params["initial_controllers"]]
    return ["--no-initial-controllers"]


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "choices": ["info", "formatted"], "default": "info"},
            "dirs": {"type": "list", "elements": "path", "required": True},
            "cluster_id": {"type": "str"},
            "node_id": {"type": "int"},
            "config": {"type": "path"},
            "controller": {"type": "bool", "default": False},
            "quorum": {"type": "str", "choices": ["dynamic", "static"], "default": "dynamic"},
            "initial_controllers": {"type": "str", "default": ""},
            "quorum_started": {"type": "bool", "default": False},
            "user": {"type": "str"},
            "java": {"type": "path", "default": "/usr/bin/java"},
            "classpath": {"type": "str"},
            "jvm_options": {"type": "list", "elements": "str", "default": []},
            "timeout": {"type": "int", "default": 120},
        },
        required_if=[("state", "formatted", ("cluster_id", "node_id", "config", "classpath"))],
        supports_check_mode=True,
    )
    params = module.params
    dirs = [Path(item) for item in params["dirs"]]
    if not dirs:
        module.fail_json(msg="dirs is empty: a Kafka node needs at least one log directory")
    found = {str(directory): inspect(directory) for directory in dirs}
    result: dict[str, Any] = {
        "changed": False,
        "dirs": found,
        "cluster_ids": sorted({item["cluster_id"] for item in found.values() if item.get("cluster_id")}),
        "metadata_log_started": metadata_log_started(dirs[0]),
    }
    if params["state"] == "info":
        module.exit_json(**result)

    cluster_id, node_id = params["cluster_id"], params["node_id"]
    for path, item in found.items():
        if item["formatted"] and item["cluster_id"] != cluster_id:
            module.fail_json(
                msg=f"{path} is formatted for cluster {item['cluster_id']}, but this cluster is {cluster_id}: "
                "refusing to touch it (a host of another cluster, or a wrong kafka_cluster_id?)",
                **result,
            )
        if item["formatted"] and item["node_id"] != node_id:
            module.fail_json(
                msg=f"{path} is formatted for node {item['node_id']}, but the inventory says node {node_id}: "
                "refusing to touch it (kafka_node_id of this host changed?)",
                **result,
            )
        if not item["formatted"] and item["in_use"]:
            module.fail_json(
                msg=f"{path} holds {', '.join(item['entries'])} but no meta.properties: refusing to format a "
                "directory that is in use",
                **result,
            )
    unformatted = [path for path, item in found.items() if not item["formatted"]]
    if not unformatted:
        module.exit_json(**result)
    metadata_unformatted = str(dirs[0]) in unformatted
    if params["controller"] and metadata_unformatted and params["quorum_started"]:
        module.fail_json(
            msg=f"{dirs[0]} (this controller's metadata directory) is not formatted, but the quorum has already "
            "run: formatting it as an initial controller could let it vote with an empty log. Add it as a new "
            "controller instead (kafka-storage format --no-initial-controllers, start it, then "
            "kafka-metadata-quorum add-controller), or restore its directory",
            **result,
        )
    if (
        params["controller"]
        and metadata_unformatted
        and params["quorum"] == "dynamic"
        and not params["initial_controllers"]
    ):
        module.fail_json(msg="initial_controllers is empty: a controller of a dynamic quorum needs them", **result)
    command = [
        params["java"],
        *params["jvm_options"],
        "-cp",
        params["classpath"],
        STORAGE_TOOL,
        "format",
        "--ignore-formatted",
        "--cluster-id",
        cluster_id,
        "--config",
        params["config"],
        *format_flags(params, metadata_unformatted),
    ]
    if params["user"] and os.geteuid() == 0:
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        command = [runuser, "-u", params["user"], "--", *command]
    result.update(changed=True, command=command, formatted_now=unformatted)
    if module.check_mode:
        module.exit_json(**result)
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=params["timeout"], check=False, cwd="/"
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        module.fail_json(msg=f"kafka-storage format did not run: {error}", **result)
    result.update(stdout=completed.stdout, stderr=completed.stderr, rc=completed.returncode)
    if completed.returncode != 0:
        message = (completed.stderr or completed.stdout).strip().splitlines()
        module.fail_json(
            msg=f"kafka-storage format failed: {message[-1] if message else completed.returncode}", **result
        )
    result["dirs"] = {str(directory): inspect(directory) for directory in dirs}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
