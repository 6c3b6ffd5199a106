"""Rule KL505 on models built in Python (its fixtures: tests/fixtures/rules/KL505/)."""

from __future__ import annotations

from rulekit import Builder, run

VOTERS = "1@c1:9093,2@c2:9093,3@c3:9093"
BOOTSTRAP = "c1:9093,c2:9093,c3:9093"


def test_kl505_both_quorum_keys_one_finding_per_shared_line() -> None:
    builder = Builder()
    for n in (1, 2, 3):
        values = {"node.id": n, "controller.quorum.voters": VOTERS, "controller.quorum.bootstrap.servers": BOOTSTRAP}
        builder.kraft(f"c{n}", "controller", values, controller_quorum_bootstrap_servers=700)
    findings = run("KL505", builder)
    assert [(finding.location.line, finding.subject) for finding in findings] == [(700, "nodes c1, c2 and c3")]


def test_kl505_one_key_is_fine() -> None:
    assert run("KL505", Builder().kraft("c1", "controller", {"controller.quorum.voters": VOTERS})) == []
    assert run("KL505", Builder().kraft("c1", "controller", {"controller.quorum.bootstrap.servers": BOOTSTRAP})) == []
    assert (
        run(
            "KL505",
            Builder().kraft(
                "c1", "controller", {"controller.quorum.voters": VOTERS, "controller.quorum.bootstrap.servers": ""}
            ),
        )
        == []
    )
