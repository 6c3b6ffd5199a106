"""Files other tools wrote (issue 10, items 6 and 7), from the shared corpus of real files
(``../shared/corpus``, beside the checkout; read, never copied): a Jinja template named
explicitly, inventories written for cp-ansible or with a playbook's host_vars, Kubernetes
manifests met in a directory walk. Each gets one line saying what kafkalint reads and what
to do, not a message that blames the user for a variable they never meant to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import cli

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.fixture
def corpus(monkeypatch: pytest.MonkeyPatch) -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is missing: {CORPUS}"
    monkeypatch.chdir(CORPUS)
    return CORPUS


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--no-config", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", ["cp-ansible/head/single_dev_node.yml", "cp-ansible/v7.9.8/migration_sample.yml"])
def test_a_cp_ansible_inventory_is_named_as_such(corpus: Path, capsys: pytest.CaptureFixture[str], path: str) -> None:
    code, _, err = _run(capsys, "--kafka-version", "3.9", path)
    assert code == cli.EXIT_ERROR
    (line,) = err.splitlines()
    assert line.startswith(f"kafkalint: error: {path}:")
    assert "no host of group 'kafka_broker' sets kafka_broker_id or kafka_node_id (1 host)" in line
    assert "kafkalint reads the kafka-iac inventory contract" in line
    assert "this one looks written for cp-ansible, whose variables kafkalint does not read" in line
    assert "is not set (every broker needs a unique id)" not in line


def test_ids_in_a_playbooks_host_vars_are_named_as_such(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "stupnikov-na-kafka-playbook-sample/inventory/inventory.yml")
    assert code == cli.EXIT_ERROR
    (line,) = err.splitlines()
    assert line.startswith("kafkalint: error: stupnikov-na-kafka-playbook-sample/inventory/inventory.yml:11:9: ")
    assert "no host of group 'kafka_broker' sets kafka_broker_id or kafka_node_id (3 hosts)" in line
    assert (
        "stupnikov-na-kafka-playbook-sample/host_vars/ and stupnikov-na-kafka-playbook-sample/group_vars/ beside "
        "the inventory's directory are a playbook's: move them beside the inventory"
    ) in line


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("sleighzy-ansible-kafka/templates/server.properties.j2", "server.properties"),
        ("stupnikov-na-kafka-playbook-sample/roles/kafka-broker/templates/server.properties.j2", "server.properties"),
    ],
)
def test_a_template_is_recognised_and_the_user_told_what_to_lint(
    corpus: Path, capsys: pytest.CaptureFixture[str], path: str, kind: str
) -> None:
    code, out, err = _run(capsys, path)
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS)
    assert f"kafkalint: notice: {path}:1: a Jinja template: kafkalint judged its literal lines only" in err
    assert f"lint the {kind} it renders, or the inventory that feeds it, for a full check" in err
    for rule in ("KL001", "KL304"):  # a {{ }} value is not a type error, a {% %} line not a key
        assert f" {rule} " not in out
    assert "'{%'" not in out and "'{{'" not in out


def test_manifests_met_in_a_directory_walk_are_skipped_with_a_notice(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "--kafka-version", "3.6.0", "strimzi-examples")
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS), err
    assert (
        "kafkalint: notice: strimzi-examples/packaging/examples/kafka/kafka-persistent.yaml:18: skipped: several YAML "
        "documents (a Kubernetes manifest?), not an inventory or cluster file"
    ) in err
    assert "kafkalint: error" not in err


def test_a_manifest_named_explicitly_is_still_an_error(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "strimzi-examples/packaging/examples/kafka/kafka-persistent.yaml")
    assert code == cli.EXIT_ERROR
    assert err == (
        "kafkalint: error: strimzi-examples/packaging/examples/kafka/kafka-persistent.yaml:18: "
        "expected one YAML document, found several\n"
    )
