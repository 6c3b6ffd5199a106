"""Rule KL607 on models built in Python (its fixtures: tests/fixtures/rules/KL607/)."""

from __future__ import annotations

from rulekit import inventory, run


def test_kl607_shared_zookeeper_settings_are_one_finding() -> None:
    cluster = inventory(zookeepers=[{"4lw.commands.whitelist": "*"}] * 3)
    # each server's setting is on a line of its own in this builder
    assert len(run("KL607", cluster)) == 3
    assert run("KL607", cluster)[0].message.startswith("4lw.commands.whitelist=*")


def test_kl607_admin_server_on_by_default() -> None:
    cluster = inventory(zookeepers=[{"admin.enableServer": True}])
    assert run("KL607", cluster)[0].message.startswith("admin.enableServer=true")
    cluster.zookeepers[0].config.settings.pop("admin.enableServer")
    assert "unset (ZooKeeper's default: true)" in run("KL607", cluster)[0].message


def test_kl607_the_roles_defaults_are_fine() -> None:
    assert run("KL607", inventory()) == []
