"""An inventory written by an attacker, linted as a pull request's would be.

Its values call ``lookup('pipe' | 'file' | 'env' | 'url')``; an executable inventory script and
an inventory plugin configuration sit beside ``hosts.yml``; a group_vars file is a symbolic
link to a secret outside the inventory and a host is named ``../../outside/secret``; the
working directory holds an ``ansible.cfg`` whose vault password file is a script, and the
environment points Ansible at it. Every report format is produced in a separate process under
an audit hook. Nothing may run, nothing outside the inventory (and Python's own files) may be
opened, no connection may be made, no secret printed; the carriage-return-injected value is
an error finding at its line; the lookups are unresolved, not judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kafkalint import cli
from kafkalint.loaders import load

from .conftest import ROOT, SECRET, TOKEN, Hostile, audited, hostile_env

FORMATS = ("text", "json", "sarif", "github", "junit")


def _allowed(path: str, inventory: Path) -> bool:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(ROOT / "policies"), str(inventory.resolve())}
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots) or path in ("/dev/null",)


@pytest.mark.parametrize("output_format", FORMATS)
def test_nothing_runs_nothing_outside_is_read_nothing_secret_is_printed(
    hostile: Hostile, http_trap: tuple[str, list[str]], output_format: str
) -> None:
    _, hits = http_trap
    run = audited(["--no-config", "--format", output_format, "inventory"], hostile.work, hostile_env(hostile))
    assert run.code == cli.EXIT_FINDINGS, run.stderr
    assert not [marker for marker in hostile.markers if marker.exists()], "something was executed"
    assert run.executed() == []
    assert run.connected() == [] and hits == []
    outside = [path for path in run.opened() if not _allowed(path, hostile.inventory)]
    assert outside == [], f"opened outside the inventory: {outside}"
    for secret in (SECRET, TOKEN, "pwned", "stolen"):
        assert secret not in run.output
    assert "KL006" in run.stdout
    line = hostile.cr_line
    at_its_line = {
        "text": f"kafka_broker.yml:{line}:3: KL006 error",
        "json": f'"line": {line}',
        "sarif": f'"startLine": {line}',
        "github": f"kafka_broker.yml,line={line},col=3,title=KL006",
        "junit": f"KL006 unwritable-property line {line}",
    }
    assert at_its_line[output_format] in run.stdout


def test_the_notices_name_what_was_not_read(hostile: Hostile) -> None:
    run = audited(["--no-config", "inventory"], hostile.work, hostile_env(hostile))
    notices = [line for line in run.stderr.splitlines() if line.startswith("kafkalint: notice:")]
    assert any("inventory/inventory.sh:1: not read: an executable inventory script" in line for line in notices)
    assert any("inventory/constructed.yml:1: not read: it configures the inventory plugin" in line for line in notices)
    assert any(
        "inventory/group_vars/zookeeper.yml: not read: it resolves outside the inventory" in line for line in notices
    )
    assert any("host_vars/../../outside/secret" in line or "outside the inventory" in line for line in notices)
    # the findings: the injected line at its line, nothing judged on the lookups
    assert f"inventory/group_vars/kafka_broker.yml:{hostile.cr_line}:3: KL006 error" in run.stdout
    assert "KL106" not in run.stdout  # the injected unclean.leader.election.enable stayed inside its value


def test_lookups_are_unresolved_with_the_reason_and_never_judged(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(hostile.work)
    monkeypatch.setenv("KAFKALINT_HOSTILE_TOKEN", TOKEN)
    model = load(["inventory"])
    (cluster,) = model.clusters
    broker = cluster.brokers[0].config
    reasons = {setting.key: setting.unresolved for setting in broker.unresolved()}
    assert reasons == {
        "ssl.keystore.password": "uses lookup('file'), which kafkalint never runs",
        "sasl.jaas.config": "uses lookup('env'), which kafkalint never runs",
        "ssl.truststore.password": "uses query('url'), which kafkalint never runs",
        "ssl.key.password": "uses lookup('ansible.builtin.pipe'), which kafkalint never runs",
    }
    assert all(setting.raw is None for setting in broker.unresolved())
    assert broker.get("ssl.keystore.password") is None
    assert "ssl.keystore.password" not in {setting.key for setting in broker}  # the schema pass skips it
    assert broker.get("num.partitions") == 6  # the safe template was rendered
    assert str(broker.location_of("ssl.keystore.password")) == "inventory/group_vars/kafka_broker.yml:2:3"
    assert cluster.name == "inventory"  # kafka_cluster_name was a lookup: not used
    assert not [marker for marker in hostile.markers if marker.exists()]


def test_ansible_rendering_is_only_an_explicit_option(hostile: Hostile) -> None:
    """--render=ansible is the operator's opt-in: it is a flag, never read from a configuration
    file a pull request could change."""
    (hostile.work / ".kafkalint.yaml").write_text("render: ansible\n", encoding="utf-8")
    run = audited(["inventory"], hostile.work, hostile_env(hostile))
    assert run.code == cli.EXIT_ERROR
    assert "unknown key 'render'" in run.stderr
    assert not [marker for marker in hostile.markers if marker.exists()]


def test_the_audit_sees_what_ansible_rendering_runs(hostile: Hostile) -> None:
    """The control experiment: --render=ansible (for operators' own inventories) hands the same
    inventory to ansible-core, which runs the inventory script and the lookups: the audit and
    the marker files see it, so the checks above can fail."""
    run = audited(["--no-config", "--render=ansible", "inventory"], hostile.work, hostile_env(hostile))
    ran = [marker.name for marker in hostile.markers if marker.exists()]
    assert run.executed() or ran, run.stderr
    assert any(not _allowed(path, hostile.inventory) for path in run.opened())


def test_an_inventory_that_is_only_a_script_is_an_error_naming_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "inv" / "hosts"
    script.parent.mkdir()
    (tmp_path / "inv" / "group_vars").mkdir()
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho '{{}}'\n")
    script.chmod(0o755)
    run = audited(["--no-config", "inv"], tmp_path)
    assert run.code == cli.EXIT_ERROR and not marker.exists() and run.executed() == []
    assert run.stderr == (
        "kafkalint: error: inv: no hosts file of this inventory could be read (kafkalint reads YAML and INI "
        "hosts files); inv/hosts:1: an executable inventory script (kafkalint never runs one)\n"
    )


def test_a_directory_walk_reads_no_link_out_of_the_tree_and_no_fifo(tmp_path: Path) -> None:
    import os

    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "server.properties").write_text(f"broker.id=1\nssl.key.password={SECRET}\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "server.properties").symlink_to(tmp_path / "outside" / "server.properties")
    os.mkfifo(tree / "zoo.cfg")  # reading it would block the run forever
    (tree / "producer.properties").write_text("acks=0\nretries=3\n")
    run = audited(["--no-config", "tree"], tmp_path)
    assert run.code == cli.EXIT_OK, run.stderr  # the producer file's KL201 is a warning
    assert "KL201" in run.stdout
    assert SECRET not in run.output
    assert str(tmp_path / "outside" / "server.properties") not in run.opened()
    assert "kafkalint: notice: tree/server.properties: not read: it resolves outside the directory given" in run.stderr
    assert "kafkalint: notice: tree/zoo.cfg: not read: not a regular file" in run.stderr
