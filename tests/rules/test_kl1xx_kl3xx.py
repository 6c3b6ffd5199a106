"""Unit tests of rules KL101-KL109 and KL301-KL308 on models built in Python.

The fixture pairs under ``tests/fixtures/rules/`` test the rules through the loaders; these
tests pin the edges the fixtures cannot show cheaply: version boundaries, counts at their
limits, one finding for a setting shared by several brokers, loose files.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import pytest

from kafkalint.findings import Finding, Severity
from kafkalint.model import (
    Broker,
    Cluster,
    ConfigMap,
    Layer,
    Location,
    Model,
    ProducerProfile,
    Topic,
    ZooKeeperNode,
)
from kafkalint.rules import MODULES
from kafkalint.versions import KafkaVersion

GROUP_VARS = "group_vars/kafka_broker.yml"
HOSTS = "hosts.yml"


# -- building models -----------------------------------------------------------------------


class Lines:
    """Hands out distinct line numbers so every setting has its own location."""

    def __init__(self) -> None:
        self.next = 100

    def __call__(self, path: str) -> Location:
        self.next += 1
        return Location(path, self.next)


def config(
    kind: str,
    values: Mapping[str, Any],
    where: Location,
    version: KafkaVersion,
    lines: Lines,
    shared: Mapping[str, Location] | None = None,
    layer: Layer = "inventory",
) -> ConfigMap:
    result = ConfigMap(kind, version, location=where)
    for key, value in values.items():
        location = (shared or {}).get(key) or lines(where.path)
        result.set(key, value, layer, location)
    return result


def make_cluster(
    brokers: int | list[Mapping[str, Any]] = 3,
    common: Mapping[str, Any] | None = None,
    topics: list[dict[str, Any]] | None = None,
    producers: list[dict[str, Any]] | None = None,
    zookeepers: int | list[Mapping[str, Any]] = 3,
    version: str = "3.9.1",
    production: bool = True,
    complete: bool = True,
    derived: bool = True,
) -> Cluster:
    """A cluster like an inventory gives: ``common`` broker properties shared by every broker
    at one group_vars line each, per-broker properties at their own lines, and the derived
    keys (broker.id, zookeeper.connect, listeners) unless ``derived`` is false."""
    lines = Lines()
    kafka_version = KafkaVersion.parse(version)
    cluster = Cluster("test", Location(HOSTS, 1), kafka_version, production, complete)
    zk_specs: list[Mapping[str, Any]] = (
        [{} for _ in range(zookeepers)] if isinstance(zookeepers, int) else list(zookeepers)
    )
    zk_names = [f"zk{index + 1}" for index in range(len(zk_specs))]
    for index, spec in enumerate(zk_specs):
        where = lines(HOSTS)
        values: dict[str, Any] = {"tickTime": 2000, "clientPort": 2181}
        if len(zk_specs) > 1:
            values.update({f"server.{n + 1}": f"{name}:2888:3888" for n, name in enumerate(zk_names)})
        values.update(spec)
        zk_config = config("zookeeper", values, Location("group_vars/zookeeper.yml", 2), kafka_version, lines)
        cluster.zookeepers.append(ZooKeeperNode(zk_names[index], index + 1, zk_config, where, zk_names[index]))
    broker_specs: list[Mapping[str, Any]] = [{} for _ in range(brokers)] if isinstance(brokers, int) else brokers
    shared = {key: Location(GROUP_VARS, 10 + n) for n, key in enumerate(common or {})}
    connect = ",".join(f"{name}:2181" for name in zk_names)
    for index, spec in enumerate(broker_specs):
        name = f"kafka{index + 1}"
        where = lines(HOSTS)
        broker_config = ConfigMap("broker", kafka_version, location=Location(GROUP_VARS, 2))
        for key, value in (common or {}).items():
            broker_config.set(key, value, "inventory", shared[key])
        if derived:
            broker_config.set("broker.id", index + 1, "derived", lines(HOSTS))
            if zk_names:
                broker_config.set("zookeeper.connect", connect, "derived", where)
            broker_config.set("listeners", "PLAINTEXT://0.0.0.0:9092", "derived", where)
            broker_config.set("advertised.listeners", f"PLAINTEXT://{name}:9092", "derived", where)
        for key, value in spec.items():
            broker_config.set(key, value, "inventory", lines(HOSTS))
        cluster.brokers.append(Broker(name, broker_config, where))
    for spec in topics or []:
        where = lines("topics.yml")
        topic_config = config("topic", spec.get("config", {}), where, kafka_version, lines)
        cluster.topics.append(
            Topic(
                spec["name"],
                spec.get("partitions"),
                spec.get("replication_factor"),
                topic_config,
                where,
                replication_factor_location=lines("topics.yml") if "replication_factor" in spec else None,
            )
        )
    for spec in producers or []:
        where = lines("producers.yml")
        producer_config = config("producer", spec.get("config", {}), where, kafka_version, lines)
        cluster.producers.append(ProducerProfile(spec["name"], spec.get("topics", []), producer_config, where))
    return cluster


def run(rule_id: str, *clusters: Cluster, options: Mapping[str, Any] | None = None) -> list[Finding]:
    module_name = next(name for name in MODULES if name.startswith(rule_id.lower()))
    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    findings = list(module.check(Model(list(clusters)), options or {}))
    for finding in findings:
        assert finding.rule_id == rule_id
        assert finding.message and finding.hint
    return findings


def where(findings: list[Finding]) -> list[str]:
    return [str(finding.location) for finding in findings]


def topic_location(cluster: Cluster, name: str, key: str) -> str:
    topic = cluster.topic(name)
    assert topic is not None
    if key == "replication_factor":
        return str(topic.replication_factor_location)
    return str(topic.config.location_of(key))


def broker_location(cluster: Cluster, key: str, index: int = 0) -> str:
    return str(cluster.brokers[index].config.location_of(key))


# -- the modules themselves ----------------------------------------------------------------

OWN = [name for name in MODULES if name.startswith(("kl1", "kl3"))]


@pytest.mark.parametrize("module_name", OWN)
def test_module_documents_itself(module_name: str) -> None:
    module = importlib.import_module(f"kafkalint.rules.{module_name}")
    assert module.ID == module_name[:5].upper()
    assert module.NAME == module_name[6:].replace("_", "-")
    assert isinstance(module.SEVERITY, Severity)
    doc = module.__doc__ or ""
    summary = doc.strip().splitlines()[0]
    assert summary.endswith("."), summary
    for part in ("**What it checks.**", "**Why", "**Source.**", "Problematic", "Correct"):
        assert part in doc, (module_name, part)


@pytest.mark.parametrize("module_name", OWN)
def test_clean_cluster_has_no_findings(module_name: str) -> None:
    cluster = make_cluster(
        brokers=[{"broker.rack": rack} for rack in "abc"],
        common={
            "min.insync.replicas": 2,
            "default.replication.factor": 3,
            "auto.create.topics.enable": False,
            "offsets.topic.replication.factor": 3,
            "transaction.state.log.replication.factor": 3,
            "transaction.state.log.min.isr": 2,
            "num.partitions": 6,
        },
        topics=[{"name": "orders", "partitions": 6, "replication_factor": 3, "config": {"min.insync.replicas": 2}}],
        producers=[{"name": "orders-service", "topics": ["orders"], "config": {"acks": "all"}}],
    )
    assert run(module_name[:5].upper(), cluster) == []


# -- KL101 / KL102: min.insync.replicas against the replication factor ---------------------


def test_kl101_topic_override_reported_once_at_its_line() -> None:
    cluster = make_cluster(
        common={"min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 3, "config": {"min.insync.replicas": 3}}],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "min.insync.replicas")]
    assert "set min.insync.replicas to 2" in findings[0].message
    assert findings[0].subject == "topic orders"
    assert run("KL102", cluster) == []


def test_kl101_shared_broker_setting_reported_once_naming_inheriting_topics() -> None:
    cluster = make_cluster(
        common={"min.insync.replicas": 3, "default.replication.factor": 3},
        topics=[
            {"name": "orders", "replication_factor": 3},
            {"name": "payments"},
            {"name": "audit", "replication_factor": 5},
        ],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic orders" in findings[0].message and "topic payments" in findings[0].message
    assert "audit" not in findings[0].message


def test_kl101_topic_rf_equal_to_inherited_min_isr_points_at_the_topic() -> None:
    cluster = make_cluster(
        common={"min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 2}],
    )
    findings = run("KL101", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "replication_factor")]
    assert "raise replication_factor to 3" in findings[0].message


def test_kl101_rf_one_is_kl105_business() -> None:
    cluster = make_cluster(common={"min.insync.replicas": 1, "default.replication.factor": 1})
    assert run("KL101", cluster) == []


def test_kl101_cluster_defaults_checked_without_topics() -> None:
    cluster = make_cluster(common={"min.insync.replicas": 2, "default.replication.factor": 2})
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "new topics (default.replication.factor)" in findings[0].message


def test_kl101_only_default_rf_written_points_at_it() -> None:
    cluster = make_cluster(common={"default.replication.factor": 2})
    for broker in cluster.brokers:  # the role's default, at the host line
        broker.config.set("min.insync.replicas", 2, "role-default", broker.location)
    findings = run("KL101", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert findings[0].message.startswith("default.replication.factor=2 equals")


def test_kl101_loose_server_properties() -> None:
    broker_config = ConfigMap("broker", location=Location("server.properties"))
    broker_config.set("min.insync.replicas", "3", "file", Location("server.properties", 4))
    broker_config.set("default.replication.factor", "3", "file", Location("server.properties", 5))
    cluster = Cluster("loose", Location("server.properties"), brokers=[Broker("server.properties", broker_config, Location("server.properties"))])
    assert where(run("KL101", cluster)) == ["server.properties:4"]


@pytest.mark.parametrize(
    ("version", "fragment"),
    [("3.6.2", "every acks=all write fails"), ("3.7.0", "silently caps it to 2"), ("3.9.1", "silently caps it to 2")],
)
def test_kl102_is_version_aware(version: str, fragment: str) -> None:
    cluster = make_cluster(
        version=version, topics=[{"name": "orders", "replication_factor": 2, "config": {"min.insync.replicas": 3}}]
    )
    findings = run("KL102", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "min.insync.replicas")]
    assert fragment in findings[0].message
    assert "set min.insync.replicas to 1" in findings[0].message
    assert run("KL101", cluster) == []


def test_kl102_rf_one_capped_has_no_effect() -> None:
    cluster = make_cluster(topics=[{"name": "t", "replication_factor": 1, "config": {"min.insync.replicas": 2}}])
    assert "has no effect" in run("KL102", cluster)[0].message


def test_kl102_shared_line_lists_each_factor() -> None:
    cluster = make_cluster(
        common={"min.insync.replicas": 4, "default.replication.factor": 3},
        topics=[{"name": "a", "replication_factor": 2}, {"name": "b"}],
    )
    findings = run("KL102", cluster)
    # a's own factor with the brokers' min ISR, b and the defaults at the shared line
    assert sorted(where(findings)) == sorted([f"{GROUP_VARS}:10", topic_location(cluster, "a", "replication_factor")])


# -- KL103: min.insync.replicas=1 with acks=all --------------------------------------------


def test_kl103_default_acks_all_from_3_0() -> None:
    spec = {
        "common": {"min.insync.replicas": 1, "default.replication.factor": 3},
        "topics": [{"name": "orders", "replication_factor": 3}],
        "producers": [{"name": "svc", "topics": ["orders"]}],
    }
    findings = run("KL103", make_cluster(**spec))
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "acks=all by svc" in findings[0].message
    assert run("KL103", make_cluster(version="2.8.2", **spec)) == []


def test_kl103_explicit_acks_minus_one_and_undeclared_topic() -> None:
    cluster = make_cluster(
        common={"default.replication.factor": 3},
        producers=[{"name": "svc", "topics": ["clicks"], "config": {"acks": "-1"}}],
    )
    findings = run("KL103", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]  # unset: where min.insync.replicas is added
    assert "topic clicks" in findings[0].message


def test_kl103_silent_for_acks_1_and_rf_1() -> None:
    cluster = make_cluster(
        topics=[{"name": "a", "replication_factor": 3}, {"name": "b", "replication_factor": 1}],
        producers=[
            {"name": "one", "topics": ["a"], "config": {"acks": 1}},
            {"name": "all", "topics": ["b"], "config": {"acks": "all"}},
        ],
    )
    assert run("KL103", cluster) == []


def test_kl103_rf_two_suggests_rf_three() -> None:
    cluster = make_cluster(
        topics=[{"name": "a", "replication_factor": 2, "config": {"min.insync.replicas": 1}}],
        producers=[{"name": "svc", "topics": ["a"]}],
    )
    findings = run("KL103", cluster)
    assert where(findings) == [topic_location(cluster, "a", "min.insync.replicas")]
    assert "use replication factor 3 with min.insync.replicas 2" in findings[0].message


# -- KL104 / KL105: replication factor against the broker count ----------------------------


def test_kl104_boundary_and_kafka_text() -> None:
    cluster = make_cluster(
        brokers=2,
        common={"default.replication.factor": 2},
        topics=[{"name": "ok", "replication_factor": 2}, {"name": "big", "replication_factor": 3}],
    )
    findings = run("KL104", cluster)
    assert where(findings) == [topic_location(cluster, "big", "replication_factor")]
    assert '"Replication factor: 3 larger than available brokers: 2."' in findings[0].message


def test_kl104_default_rf_and_inheriting_topics_once() -> None:
    cluster = make_cluster(brokers=1, common={"default.replication.factor": 3}, topics=[{"name": "a"}, {"name": "b"}])
    findings = run("KL104", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic a and topic b" in findings[0].message


def test_kl104_needs_a_complete_broker_list() -> None:
    cluster = make_cluster(brokers=1, complete=False, topics=[{"name": "a", "replication_factor": 3}])
    assert run("KL104", cluster) == []


def test_kl105_production_only_option() -> None:
    spec = {"brokers": 3, "topics": [{"name": "a", "replication_factor": 1}], "production": False}
    cluster = make_cluster(common={"default.replication.factor": 3}, **spec)
    assert run("KL105", cluster) == []
    findings = run("KL105", cluster, options={"production_only": False})
    assert where(findings) == [topic_location(cluster, "a", "replication_factor")]
    assert "set it to 3" in findings[0].message


def test_kl105_kafka_default_rf_one_and_single_broker() -> None:
    cluster = make_cluster(brokers=2)
    findings = run("KL105", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "set it to 2" in findings[0].message
    assert run("KL105", make_cluster(brokers=1)) == []


# -- KL106 / KL107 / KL108 / KL109 ---------------------------------------------------------


def test_kl106_broker_setting_with_min_isr_two() -> None:
    cluster = make_cluster(
        common={"unclean.leader.election.enable": True, "min.insync.replicas": 2, "default.replication.factor": 3},
        topics=[{"name": "orders", "replication_factor": 3}],
    )
    findings = run("KL106", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "topic orders (min.insync.replicas=2)" in findings[0].message


def test_kl106_topic_override_with_acks_all_producer() -> None:
    cluster = make_cluster(
        topics=[
            {"name": "orders", "replication_factor": 3, "config": {"unclean.leader.election.enable": "true"}},
            {"name": "logs", "replication_factor": 3, "config": {"unclean.leader.election.enable": "true"}},
        ],
        producers=[{"name": "svc", "topics": ["orders"]}, {"name": "fast", "topics": ["logs"], "config": {"acks": 1}}],
    )
    findings = run("KL106", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "unclean.leader.election.enable")]
    assert "acks=all from svc" in findings[0].message


def test_kl106_silent_when_nothing_durable_is_asked() -> None:
    cluster = make_cluster(common={"unclean.leader.election.enable": True})
    assert run("KL106", cluster) == []


def test_kl107_severity_depends_on_defaults() -> None:
    weak = run("KL107", make_cluster(common={"auto.create.topics.enable": True, "default.replication.factor": 3}))
    assert [f.severity for f in weak] == [Severity.ERROR]  # num.partitions defaults to 1
    assert where(weak) == [f"{GROUP_VARS}:10"]
    strong = run(
        "KL107",
        make_cluster(
            common={"auto.create.topics.enable": "true", "default.replication.factor": 3, "num.partitions": 6}
        ),
    )
    assert [f.severity for f in strong] == [None]


def test_kl107_unset_is_kafka_default_true() -> None:
    findings = run("KL107", make_cluster())
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "unset (Kafka's default: true)" in findings[0].message
    assert run("KL107", make_cluster(common={"auto.create.topics.enable": False})) == []


def test_kl108_kafka_defaults_on_one_broker() -> None:
    findings = run("KL108", make_cluster(brokers=1))
    # offsets and transaction state, where they should be added; transaction.state.log.min.isr 2 < 3 is fine
    assert where(findings) == [f"{GROUP_VARS}:2"] * 2
    assert {"offsets.topic.replication.factor=3", "transaction.state.log.replication.factor=3"} == {
        f.message.split(" ")[0] for f in findings
    }


def test_kl108_rf_one_with_several_brokers_and_min_isr() -> None:
    cluster = make_cluster(
        common={
            "offsets.topic.replication.factor": 1,
            "transaction.state.log.replication.factor": 3,
            "transaction.state.log.min.isr": 3,
        }
    )
    findings = run("KL108", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10", f"{GROUP_VARS}:12"]
    assert "set transaction.state.log.min.isr to 2" in findings[1].message


def test_kl108_min_isr_one_with_rf_one_is_fine() -> None:
    cluster = make_cluster(
        brokers=1,
        common={
            "offsets.topic.replication.factor": 1,
            "transaction.state.log.replication.factor": 1,
            "transaction.state.log.min.isr": 1,
        },
    )
    assert run("KL108", cluster) == []


def test_kl109_partial_racks_reported_at_each_bare_broker() -> None:
    cluster = make_cluster(brokers=[{"broker.rack": "a"}, {}, {}])
    findings = run("KL109", cluster)
    assert where(findings) == [str(cluster.brokers[1].location), str(cluster.brokers[2].location)]
    assert "Not all brokers have rack information for replica rack aware assignment." in findings[0].message


def test_kl109_fewer_racks_than_rf() -> None:
    cluster = make_cluster(
        brokers=[{"broker.rack": "a"}, {"broker.rack": "a"}, {"broker.rack": "b"}],
        common={"default.replication.factor": 2},
        topics=[{"name": "orders", "replication_factor": 3}, {"name": "logs"}],
    )
    findings = run("KL109", cluster)
    assert where(findings) == [topic_location(cluster, "orders", "replication_factor")]
    assert "2 racks (a, b)" in findings[0].message


def test_kl109_no_racks_is_not_rack_aware() -> None:
    assert run("KL109", make_cluster(common={"default.replication.factor": 3})) == []
