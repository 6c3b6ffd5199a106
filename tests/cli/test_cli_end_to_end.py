"""The real registry through the CLI: the production example lints clean, one unsafe change
gives exactly one finding at its line, and SARIF of real findings validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from clikit import run

from kafkalint import cli

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "inventories" / "production.example"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
FAILING_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*/fail"))


def test_production_example_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--no-config", str(EXAMPLE))
    assert (code, out) == (cli.EXIT_OK, ""), err
    assert err.startswith("no findings in ")


def test_min_isr_equal_to_rf_is_one_kl101_at_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE, inventory)
    monkeypatch.chdir(tmp_path)
    topics = next(path for path in inventory.rglob("*.yml") if "kafka_topics:" in path.read_text(encoding="utf-8"))
    lines = topics.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(index for index, line in enumerate(lines) if line.strip() == "min.insync.replicas: 2")
    lines[number] = lines[number].replace("min.insync.replicas: 2", "min.insync.replicas: 3")
    topics.write_text("".join(lines), encoding="utf-8")

    code, out, _ = run(capsys, "--no-config", "--format", "json", "inventory")
    assert code == cli.EXIT_FINDINGS
    findings = json.loads(out)["findings"]
    assert [(f["rule_id"], f["path"], f["line"]) for f in findings] == [
        ("KL101", topics.relative_to(tmp_path).as_posix(), number + 1)
    ]


@pytest.mark.parametrize("directory", FAILING_FIXTURES, ids=lambda path: path.parent.name)
def test_sarif_of_real_findings_validates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, directory: Path
) -> None:
    monkeypatch.chdir(directory)
    inputs = sorted(
        entry.name
        for entry in directory.iterdir()
        if entry.is_dir() or entry.suffix in (".properties", ".cfg", ".yml", ".yaml")
    )
    args = (
        (directory / "kafkalint-args.txt").read_text().split() if (directory / "kafkalint-args.txt").is_file() else []
    )
    code, out, err = run(capsys, "--no-config", "--format", "sarif", *args, *inputs)
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS), err
    document = json.loads(out)
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft7Validator)
    results = document["runs"][0]["results"]
    assert any(result["ruleId"] == directory.parent.name for result in results)
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")), uri  # relative to the working directory
