"""Every report format, --output, and SARIF against the official 2.1.0 schema."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from clikit import run

from kafkalint import cli
from kafkalint.findings import Finding, Severity
from kafkalint.formatters import FORMATS, Report, docs_anchor, render
from kafkalint.model import Location, Notice
from kafkalint.rules import Rule

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"

pytestmark = pytest.mark.usefixtures("fake_rules")

FAKE_RULES: tuple[Rule, ...] = ()


@pytest.fixture(autouse=True)
def _rules(rule_set: tuple[Rule, ...]) -> None:
    global FAKE_RULES  # noqa: PLW0603 - the stand-in rules, shared by the helpers below
    FAKE_RULES = rule_set


def report_of(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, *argv)


def test_cli_format_list_matches_the_formatters() -> None:
    assert cli.FORMATS == FORMATS


def test_text(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    _, out, _ = report_of(capsys, "--format", "text", "server.properties")
    assert out.splitlines() == [
        "server.properties:4:1: KL101 error: min.insync.replicas is 3 [broker server.properties]",
        "    hint: use 2",
        "server.properties:5:1: KL107 warning: auto.create.topics.enable is true [broker server.properties]",
    ]


def test_text_colour_only_on_a_terminal(workdir: Path) -> None:
    finding = Finding("KL101", "m", Location("a.yml", 1, 2), severity=Severity.ERROR)
    plain = render("text", Report([finding], FAKE_RULES, cwd=str(workdir)))
    coloured = render("text", Report([finding], FAKE_RULES, cwd=str(workdir), color=True))
    assert "\033[" not in plain
    assert "\033[31m" in coloured


def test_json_fields(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    _, out, _ = report_of(capsys, "--format", "json", str(broker_file))
    document = json.loads(out)
    assert document["version"] == 1
    assert document["tool"]["name"] == "kafkalint"
    assert document["summary"] == {
        "findings": 2,
        "error": 1,
        "warning": 1,
        "info": 0,
        "files": 1,
        "suppressed": 0,
        "baselined": 0,
        "fail_on": "error",
    }
    first = document["findings"][0]
    assert set(first) == {
        "rule_id",
        "rule_name",
        "severity",
        "message",
        "hint",
        "subject",
        "path",
        "line",
        "column",
        "fingerprint",
    }
    assert (first["rule_id"], first["rule_name"], first["severity"]) == ("KL101", "min-isr-equals-rf", "error")
    assert (first["path"], first["line"], first["column"]) == ("server.properties", 4, 1)  # relative to the cwd
    assert len(first["fingerprint"]) == 32


def _sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    _, out, _ = report_of(capsys, "--format", "sarif", *argv)
    document: dict[str, object] = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)
    return document


def test_sarif_validates_against_the_official_schema(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    document = _sarif(capsys, str(broker_file))
    assert document["version"] == "2.1.0"
    run = document["runs"][0]  # type: ignore[index]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kafkalint"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["KL000", *(rule.id for rule in FAKE_RULES)]  # KL000: a rule that crashed
    assert driver["rules"][1]["helpUri"].endswith("docs/rules.md#kl101-min-isr-equals-rf")
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "error"}
    result = run["results"][0]
    assert result["ruleId"] == "KL101"
    assert result["level"] == "error"
    assert driver["rules"][result["ruleIndex"]]["id"] == "KL101"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "server.properties", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 1}
    assert run["results"][1]["level"] == "warning"


def test_sarif_of_a_clean_run_validates(capsys: pytest.CaptureFixture[str], clean_file: Path) -> None:
    document = _sarif(capsys, str(clean_file))
    assert document["runs"][0]["results"] == []  # type: ignore[index]


def test_sarif_uri_is_percent_encoded_and_notes_for_info(workdir: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    findings = [
        Finding("KL214", "m", Location("dir with space/p.properties", 3), severity=Severity.INFO),
        Finding("KL101", "m", Location("/elsewhere/x.yml", 1, 1), severity=Severity.ERROR),
        Finding("KL101", "m", Location("<unknown>"), severity=Severity.ERROR),
    ]
    document = json.loads(render("sarif", Report(findings, FAKE_RULES, cwd=str(workdir))))
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)
    results = document["runs"][0]["results"]
    assert results[0]["level"] == "note"
    assert (
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/p.properties"
    )
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///elsewhere/x.yml"
    assert "locations" not in results[2]


def test_github(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    _, out, _ = report_of(capsys, "--format", "github", "server.properties")
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=server.properties,line=4,col=1,title=KL101::min.insync.replicas is 3 "
        "[broker server.properties]%0AHint: use 2"
    )
    assert lines[1].startswith("::warning file=server.properties,line=5,col=1,title=KL107::")


def test_github_escapes_properties_and_data(workdir: Path) -> None:
    finding = Finding(
        "KL101", "50% of a:b", Location("a,b:c.yml", 2), hint="next\r\n::add-mask::x", severity=Severity.INFO
    )
    out = render("github", Report([finding], FAKE_RULES, cwd=str(workdir)))
    # the input's line breaks are shown escaped: one finding, one workflow command
    assert out == "::notice file=a%2Cb%3Ac.yml,line=2,title=KL101::50%25 of a:b%0AHint: next\\r\\n::add-mask::x\n"


def test_junit_is_valid_xml_with_one_case_per_finding(capsys: pytest.CaptureFixture[str], broker_file: Path) -> None:
    (broker_file.parent / "zoo.cfg").write_text("tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2181\n")
    _, out, _ = report_of(capsys, "--format", "junit", "server.properties", "zoo.cfg")
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = suite.findall("testcase")
    failure = cases[0].find("failure")
    assert failure is not None
    assert cases[0].get("classname") == "server.properties"
    assert failure.get("type") == "KL101"
    assert "hint: use 2" in (failure.text or "")
    assert cases[2].get("classname") == "zoo.cfg"  # the clean file is a passing case
    assert cases[2].find("failure") is None


def test_junit_survives_characters_xml_cannot_carry(workdir: Path) -> None:
    finding = Finding("KL101", "bad \x00\x1b byte \ud800", Location("a.yml", 1), severity=Severity.ERROR)
    ET.fromstring(render("junit", Report([finding], FAKE_RULES, cwd=str(workdir))))


@pytest.mark.parametrize("format_", FORMATS)
def test_output_file_gets_the_report_and_stderr_the_summary(
    capsys: pytest.CaptureFixture[str], broker_file: Path, format_: str
) -> None:
    code, out, err = report_of(capsys, "--format", format_, "--output", "report.out", "server.properties")
    assert code == cli.EXIT_FINDINGS
    assert out == ""
    assert err == "2 findings (1 error, 1 warning) in 1 file\n"
    written = (broker_file.parent / "report.out").read_text(encoding="utf-8")
    assert "KL101" in written
    cli.main(["--format", format_, "server.properties"])
    assert capsys.readouterr().out == written  # the same report either way


def test_docs_anchor() -> None:
    assert docs_anchor("KL101", "min-isr-equals-rf") == "kl101-min-isr-equals-rf"


def test_notices_reach_json_and_sarif(workdir: Path) -> None:
    """A run's notices are in the json document and in SARIF's toolExecutionNotifications."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    notices = [
        Notice("Kafka 2.5.0 is older than the oldest catalogue (2.8)", Location("server.properties", 1)),
        Notice("n"),
    ]
    report = Report([], FAKE_RULES, cwd=str(workdir), notices=notices)
    sarif = json.loads(render("sarif", report))
    jsonschema.validate(sarif, schema, cls=jsonschema.Draft7Validator)
    notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [item["message"]["text"] for item in notifications] == [notice.message for notice in notices]
    assert notifications[0]["level"] == "note"
    assert notifications[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    document = json.loads(render("json", report))
    assert document["notices"][0] == {"message": notices[0].message, "path": "server.properties", "line": 1}
    assert document["notices"][1] == {"message": "n", "path": None, "line": None}
    assert "invocations" not in json.loads(render("sarif", Report([], FAKE_RULES, cwd=str(workdir))))["runs"][0]
