"""allow.everyone.if.no.acl.found=true opens every resource that has no ACL.

**What it checks.** Every broker or controller that sets ``allow.everyone.if.no.acl.found=true``
(a key the authorizers read; Kafka's default is false).

**Why.** With it, a topic, group or transactional id without any ACL is open to every
principal, ``User:ANONYMOUS`` included: each new topic is public until someone remembers to
write ACLs for it, and removing a resource's last ACL makes it public instead of closed. Kafka
accepts the configuration.

**Where.** The ``allow.everyone.if.no.acl.found`` line.

Problematic::

    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
    allow.everyone.if.no.acl.found=true

Correct::

    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
    allow.everyone.if.no.acl.found=false

**Source.** Kafka documentation, Security: "Authorization and ACLs" ("By default, if no
ResourcePatterns match a specific Resource R, then R has no associated ACLs, and therefore no
one other than super users is allowed to access R. If you want to change that behavior, you
can include the following in server.properties: allow.everyone.if.no.acl.found=true");
apache/kafka ``StandardAuthorizer`` / ``AclAuthorizer``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint.findings import Finding, Severity
from kafkalint.model import Model
from kafkalint.rules._report import message, nodes_phrase, per_broker
from kafkalint.rules._values import bool_value, where_to_change

ID = "KL604"
NAME = "allow-everyone-if-no-acl"
SEVERITY = Severity.ERROR

KEY = "allow.everyone.if.no.acl.found"
TEXT = message(
    f"{KEY}=true",
    "every resource without an ACL is open to every principal, anonymous clients included",
    f"set {KEY}=false and declare the ACLs each application needs",
)
HINT = "deny by default: a resource without ACLs should be reachable by super users only"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    for cluster in model.clusters:
        found = (
            (node, where_to_change(node.config, KEY), TEXT)
            for node in cluster.nodes
            if KEY in node.config and bool_value(node.config, KEY) is True
        )
        yield from per_broker(ID, found, HINT, phrase=nodes_phrase)
