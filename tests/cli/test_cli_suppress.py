"""Inline suppression with a reason, and KL004 for one without."""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import run

from kafkalint import cli, suppress

pytestmark = pytest.mark.usefixtures("fake_rules")


BROKER_HEAD = "broker.id=1\nzookeeper.connect=zk1:2181\nlog.dirs=/var/lib/kafka\n"


def test_comment_above_with_reason_suppresses(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(
        BROKER_HEAD + "# kafkalint: disable=KL101 -- lab cluster, blocked writes accepted\nmin.insync.replicas=3\n"
    )
    code, out, err = run(capsys, "server.properties")
    assert code == cli.EXIT_OK
    assert out == ""
    assert err == "no findings in 1 file; 1 suppressed inline\n"


def test_bang_comment_and_several_ids(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(
        BROKER_HEAD
        + "! kafkalint: disable=KL107, kl101 -- both accepted here\nmin.insync.replicas=3\n"
        + "# kafkalint: disable=KL101,KL107 -- stacked\n# kafkalint: disable=KL214 -- and another\n"
        + "auto.create.topics.enable=true\n"
    )
    code, out, err = run(capsys, "server.properties")
    assert (code, out) == (cli.EXIT_OK, "")
    assert err.endswith("; 2 suppressed inline\n")


def test_without_reason_the_finding_counts_and_kl004_reports(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(BROKER_HEAD + "# kafkalint: disable=KL101\nmin.insync.replicas=3\n")
    code, out, _ = run(capsys, "server.properties")
    assert code == cli.EXIT_FINDINGS
    assert out.splitlines()[0] == (
        "server.properties:4:1: KL004 warning: suppression of KL101 gives no reason: it does not apply, and the "
        "finding it meant to silence is still reported; say why after ' -- ' [suppression]"
    )
    assert "server.properties:5:1: KL101 error: min.insync.replicas is 3" in out


def test_other_rule_ids_are_not_suppressed(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(
        BROKER_HEAD + "# kafkalint: disable=KL107 -- wrong rule\nmin.insync.replicas=3\n"
    )
    assert run(capsys, "server.properties")[0] == cli.EXIT_FINDINGS


def test_a_comment_two_lines_above_does_not_apply(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "server.properties").write_text(
        BROKER_HEAD + "# kafkalint: disable=KL101 -- reason\n\nmin.insync.replicas=3\n"
    )
    assert run(capsys, "server.properties")[0] == cli.EXIT_FINDINGS


def test_yaml_trailing_comment(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "cluster.yml").write_text(
        "zookeeper:\n  zk1: {zookeeper_id: 1}\n"
        "kafka_broker:\n  kafka1: {kafka_broker_id: 1}\n"
        "kafka_broker_properties:\n"
        "  min.insync.replicas: 3  # kafkalint: disable=KL101 -- single broker lab\n"
        "  auto.create.topics.enable: true  # kafkalint: disable=KL107\n"
    )
    code, out, _ = run(capsys, "cluster.yml")
    assert code == cli.EXIT_OK  # KL107 and KL004 are warnings
    assert "KL101" not in out.replace("disable=KL101", "")
    assert "cluster.yml:7:36: KL004 warning: suppression of KL107 gives no reason" in out
    assert "cluster.yml:7:3: KL107 warning" in out


def test_properties_trailing_text_is_a_value_not_a_comment() -> None:
    found = suppress.parse("a=1 # kafkalint: disable=KL101 -- x\n", "server.properties")
    assert found == []
    found = suppress.parse("a: 1 # kafkalint: disable=KL101 -- x\n", "vars.yml")
    assert [(item.line, item.rule_ids, item.reason, item.alone) for item in found] == [
        (1, frozenset({"KL101"}), "x", False)
    ]


@pytest.mark.parametrize(
    ("line", "ids", "reason"),
    [
        ("# kafkalint: disable=KL101 -- why", {"KL101"}, "why"),
        ("#kafkalint:disable=KL101,KL102--why not", {"KL101", "KL102"}, "why not"),
        ("# kafkalint: disable=KL101 because", {"KL101"}, ""),
        ("# kafkalint: disable=KL101 --   ", {"KL101"}, ""),
        ("# kafkalint: disable = kl101 , KL212 -- a -- b", {"KL101", "KL212"}, "a -- b"),
    ],
)
def test_parse(line: str, ids: set[str], reason: str) -> None:
    (item,) = suppress.parse(line + "\n", "a.properties")
    assert (item.rule_ids, item.reason, item.alone) == (frozenset(ids), reason, True)


def test_hash_inside_a_yaml_value_is_not_a_comment() -> None:
    assert suppress.parse("a: 'x#kafkalint: disable=KL101 -- y'\n", "v.yaml") == []


def test_a_file_level_suppression_reaches_findings_without_a_line(workdir: Path) -> None:
    """An unset key is reported at the file (no line to put a comment above): disable-file=."""
    from kafkalint import engine
    from kafkalint.rules import by_id

    rule = by_id()["KL107"]
    (workdir / "server.properties").write_text(BROKER_HEAD)
    (finding,) = engine.run_paths(["server.properties"], rules=[rule]).findings
    assert (finding.location.path, finding.location.line) == ("server.properties", None)
    (workdir / "server.properties").write_text(
        "# kafkalint: disable-file=KL107 -- a lab broker; the tests create their topics\n" + BROKER_HEAD
    )
    result = engine.run_paths(["server.properties"], rules=[rule])
    assert (result.findings, result.suppressed) == ([], 1)
    # Without a reason it suppresses nothing, and KL004 says so.
    (workdir / "server.properties").write_text("# kafkalint: disable-file=KL107\n" + BROKER_HEAD)
    result = engine.run_paths(["server.properties"], rules=[rule, by_id()["KL004"]])
    assert sorted(finding.rule_id for finding in result.findings) == ["KL004", "KL107"]
