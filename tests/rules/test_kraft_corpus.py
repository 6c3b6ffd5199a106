"""Apache's own KRaft configurations get no false errors from the KRaft and security rules.

The shared corpus (``../shared/corpus`` beside the checkout, as in CI; read, never copied)
holds Apache Kafka's ``config/kraft/*.properties`` of 2.8, 3.6 and 3.9 and the
``config/{broker,controller}.properties`` of 4.x, each a development setup (one combined node,
or one controller and one broker, on localhost). Every ``EXPECTED.tsv`` run over them is linted
with its Kafka version: no KL5xx or KL6xx finding may be an error (a lone combined
``server.properties`` in development is no error: the context is unknown). The directory runs
(``config/`` as a whole, where ZooKeeper-mode and KRaft files sit side by side) are linted too.
The other rules' verdicts on the corpus (``must_not_error``) are the corpus test's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kafkalint import cli

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
APACHE = ("apache-kafka-2.8.0", "apache-kafka-3.6.0", "apache-kafka-3.9.0-rc3", "apache-kafka-4.x")
MINE = ("KL5", "KL6")


def _runs() -> list[dict[str, str]]:
    expected = CORPUS / "EXPECTED.tsv"
    if not expected.is_file():
        pytest.fail(
            f"the corpus is missing: {expected.resolve()} (../shared/corpus beside the checkout)", pytrace=False
        )
    with expected.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        row
        for row in rows
        if all(path.startswith(APACHE) for path in row["paths"].split())
        and ("kraft" in row["paths"] or "4.x" in row["paths"] or row["paths"].endswith("/config"))
    ]


RUNS = _runs()


def test_the_corpus_has_apaches_kraft_files() -> None:
    names = {row["run"] for row in RUNS}
    assert {"ak28-kraft-server", "ak36-kraft-controller", "ak39-kraft-reconfig", "ak4-broker", "ak4-dir"} <= names


@pytest.mark.parametrize("row", RUNS, ids=lambda row: row["run"])
def test_no_false_errors_on_apaches_kraft_files(
    row: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    report = tmp_path / "report.json"
    argv = ["--no-config", "--kafka-version", row["kafka_version"], "--format", "json", "--output", str(report)]
    cli.main([*argv, *row["paths"].split()])
    capsys.readouterr()
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    errors = [
        f"{finding['rule_id']} {finding['path']}: {finding['message']}"
        for finding in findings
        if finding["severity"] == "error" and finding["rule_id"].startswith(MINE)
    ]
    assert not errors, "\n".join(errors)
