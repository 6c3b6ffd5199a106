"""ZooKeeper answers every four-letter word, or runs its admin server.

**What it checks.** Every ZooKeeper server whose ``4lw.commands.whitelist`` holds ``*``, or
whose AdminServer is on: ``admin.enableServer=true``, which is ZooKeeper's default from 3.5
(an HTTP server on ``admin.serverPort``, 8080). The roles turn it off.

**Why.** The four-letter words ``dump``, ``wchp``, ``wchc``, ``cons`` and ``envi`` tell anyone
who reaches the client port the sessions, the watched paths, the connected clients and the
server's environment (paths, Java options, users); ``*`` enables all of them without
authentication. The AdminServer serves the same over HTTP on every interface, on a port that
is often left open. ZooKeeper accepts both.

**Where.** The line that sets the key, else the server's configuration.

Problematic::

    4lw.commands.whitelist=*

Correct::

    4lw.commands.whitelist=srvr,ruok,mntr
    admin.enableServer=false

**Source.** ZooKeeper Administrator's Guide, "The Four Letter Words" and "The AdminServer"
(``4lw.commands.whitelist``, ``admin.enableServer``, enabled by default since 3.5.0).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Model, ZooKeeperNode
from kafkalint.rules._report import Collector, message, names
from kafkalint.rules._values import bool_value, is_written, list_value, where_to_change

ID = "KL607"
NAME = "zookeeper-admin-exposed"
SEVERITY = Severity.WARNING

WHITELIST = "4lw.commands.whitelist"
ADMIN = "admin.enableServer"
HINT = "allow only the four-letter words monitoring needs (srvr, ruok, mntr) and keep the AdminServer off"
ALL_WORDS = message(
    f"{WHITELIST}=*",
    "dump, wchp, cons and envi reveal sessions, watched paths, clients and the environment to anyone",
    f"list only the words monitoring needs ({WHITELIST}=srvr,ruok,mntr)",
)


def _admin(written: bool) -> str:
    return message(
        f"{ADMIN}=true" if written else f"{ADMIN} unset (ZooKeeper's default: true)",
        "the AdminServer serves sessions, watches and the environment over HTTP, without authentication",
        f"set {ADMIN}=false",
    )


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found: Collector[ZooKeeperNode] = Collector()
        for server in cluster.zookeepers:
            config = server.config
            if "*" in list_value(config, WHITELIST):
                found.add(where_to_change(config, WHITELIST), ALL_WORDS, server)
            if bool_value(config, ADMIN) is True:
                found.add(where_to_change(config, ADMIN), _admin(is_written(config, ADMIN)), server)
        for group in found:
            servers = [server.name for server in group.items]
            subject = f"zookeeper {names(servers)}"
            yield Finding(ID, group.kind, group.location, subject, HINT)
