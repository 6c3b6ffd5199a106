"""KL005: placeholders and unresolved settings are findings of their own, and nothing else judges them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import engine, placeholders
from kafkalint.findings import Severity
from kafkalint.model import ConfigMap, Location, Setting
from kafkalint.versions import KafkaVersion


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("{{ kafka_broker_id }}", "Jinja expression"),
        ("{% if x %}1{% endif %}", "Jinja expression"),
        ("PLAINTEXT://{{ inventory_hostname }}:9092", "Jinja expression"),
        ("${KAFKA_LOG_DIRS}", "environment variable"),
        ("${file:/etc/kafka/secrets.properties:password}", "config provider reference"),
        ("%BROKER_ID%", "Windows variable"),
        ("<zookeeper-host>:2181", "placeholder in angle brackets"),
        (["a", "{{ b }}"], "Jinja expression"),
    ],
)
def test_placeholders_are_recognised(raw: object, kind: str) -> None:
    found = placeholders.find(raw)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "raw",
    [
        "all",
        "100%",
        "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/",
        "RULE:[1:$1@$0](.*@EXAMPLE.COM)s/@.*//,DEFAULT",
        "PLAINTEXT://:9092",
        "a < b",
        "{}",
        5,
        True,
        None,
    ],
)
def test_real_values_are_not_placeholders(raw: object) -> None:
    assert placeholders.find(raw) is None


def _config(raw: object, unresolved: str | None = None) -> ConfigMap:
    config = ConfigMap("broker", KafkaVersion.parse("3.9.1"))
    config.settings["num.partitions"] = Setting("num.partitions", raw, "file", Location("f", 1), unresolved)
    return config


def test_configmap_reads_an_unjudgeable_value_as_unknown() -> None:
    assert _config("6").get("num.partitions") == 6
    assert _config("{{ partitions }}").get("num.partitions") is None
    assert _config("6", unresolved="a template the loader does not render").get("num.partitions") is None


def _lint(tmp_path: Path, text: str, *argv: str) -> list[tuple[str, int | None, str, Severity | None]]:
    path = tmp_path / "server.properties"
    path.write_text(text, encoding="utf-8")
    from kafkalint import cli

    config = cli.config_from_options(["--no-config", *argv])
    return [
        (finding.rule_id, finding.location.line, finding.message, finding.severity)
        for finding in engine.lint_paths([str(path)], config)
        if finding.rule_id.startswith("KL00")
    ]


def test_placeholders_are_kl005_not_kl001(tmp_path: Path) -> None:
    found = _lint(tmp_path, "broker.id={{ id }}\nnum.partitions=${N}\nnum.partition=<n>\nlog.dirs=/data\n")
    assert [(rule, line) for rule, line, _, _ in found] == [("KL005", 1), ("KL005", 2), ("KL002", 3), ("KL005", 3)]
    assert "placeholder (Jinja expression {{ id }})" in found[0][2]


def test_a_config_provider_reference_is_info_when_its_provider_is_configured(tmp_path: Path) -> None:
    text = (
        "config.providers=file\n"
        "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
        "ssl.keystore.password=${file:/etc/kafka/secrets.properties:keystore}\n"
    )
    found = [item for item in _lint(tmp_path, text) if item[0] == "KL005"]
    assert [(rule, line, severity) for rule, line, _, severity in found] == [("KL005", 3, Severity.INFO)]


def test_an_unresolved_setting_prints_the_loaders_reason() -> None:
    from kafkalint import schema_pass
    from kafkalint.model import Broker, Cluster, Model

    config = _config("{{ n }}", unresolved="inside a Jinja loop the loader does not render")
    config.settings["typo.key"] = Setting("typo.key", "1", "file", Location("f", 2), "inside the same loop")
    model = Model([Cluster("c", Location("f"), brokers=[Broker("b", config, Location("f"))])])
    issues = schema_pass.issues(model)
    assert [(issue.rule_id, issue.location.line) for issue in issues] == [("KL005", 1), ("KL005", 2)]
    assert issues[0].message.startswith(
        "num.partitions is not resolved (inside a Jinja loop the loader does not render)"
    )


def test_an_inline_comment_is_named_in_kl001(tmp_path: Path) -> None:
    found = _lint(tmp_path, "num.partitions=6 # six\nlog.dirs=/data\n")
    assert found[0][:2] == ("KL001", 1)
    assert "Java properties have no inline comments: '# six' is part of the value" in found[0][2]


def test_other_rules_stay_silent_on_placeholders(tmp_path: Path) -> None:
    """A template's listeners, compression.type and ZooKeeper servers are KL005's, not KL304's, KL404's or KL302's."""
    found = _lint_all(
        tmp_path,
        'listeners={{ kafka_listeners | join(",") }}\n'
        "advertised.listeners=${ADVERTISED}\n"
        "compression.type=<codec>\n"
        "log.dirs=/data\n",
    )
    assert sorted({rule for rule, _ in found} & {"KL001", "KL304", "KL404"}) == []
    assert [line for rule, line in found if rule == "KL005"] == [1, 2, 3]


def _lint_all(tmp_path: Path, text: str) -> list[tuple[str, int | None]]:
    from kafkalint import cli

    path = tmp_path / "server.properties"
    path.write_text(text, encoding="utf-8")
    findings = engine.lint_paths([str(path)], cli.config_from_options(["--no-config"]))
    return [(finding.rule_id, finding.location.line) for finding in findings]
