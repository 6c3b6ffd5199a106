"""A ``kafkalint: disable=`` comment gives no reason, so it suppresses nothing.

**What it checks.** Every inline suppression comment in the files the run read (YAML
inventories and cluster files, ``.properties``, ``zoo.cfg``): ``# kafkalint: disable=ID``
(one line) or ``# kafkalint: disable-file=ID`` (the whole file) must be followed by `` -- ``
and a reason.

**Why.** An inline suppression silences a policy for one line. Months later a reviewer has to
decide whether the exception still holds, and that is only possible when the comment says why
it was made. kafkalint therefore honours a suppression only with a reason; a bare one is
ignored (the finding it meant to silence is still reported) and reported itself, so the author
sees at once why the suppression did not work.

**Where.** The line of the suppression comment.

Problematic::

    # kafkalint: disable=KL101
    min.insync.replicas: 3

Correct::

    # kafkalint: disable=KL101 -- lab cluster, blocked writes during restarts are accepted
    min.insync.replicas: 3

**Source.** kafkalint's own suppression syntax (``policies/kafkalint/suppress.py``). The
`` -- reason`` form is ESLint's (directive comments may carry a description after two dashes,
and eslint-plugin-eslint-comments' ``require-description`` makes it mandatory); yamllint's
``# yamllint disable-line rule:...`` comments are the YAML precedent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kafkalint import suppress
from kafkalint.findings import Finding, Severity
from kafkalint.model import Location
from kafkalint.rules._report import message

ID = "KL004"
NAME = "suppression-without-reason"
SEVERITY = Severity.WARNING


def check(model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    for item in suppress.bare(suppress.model_paths(model)):
        ids = ",".join(sorted(item.rule_ids))
        directive = "disable-file" if item.whole_file else "disable"
        yield Finding(
            rule_id=ID,
            message=message(
                f"suppression of {ids} gives no reason",
                "it does not apply, and the finding it meant to silence is still reported",
                "say why after ' -- '",
            ),
            location=Location(item.path, item.line, item.column),
            subject="suppression",
            hint=f"say why the finding is acceptable here: '# kafkalint: {directive}={ids} -- <reason>'",
        )
