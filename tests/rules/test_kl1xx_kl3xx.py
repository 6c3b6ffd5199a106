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
    *,
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
    *,
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
        zk_where = Location("group_vars/zookeeper.yml", 2)
        zk_config = config("zookeeper", values, zk_where, version=kafka_version, lines=lines)
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
        topic_config = config("topic", spec.get("config", {}), where, version=kafka_version, lines=lines)
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
        producer_config = config("producer", spec.get("config", {}), where, version=kafka_version, lines=lines)
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
    assert module_name[:5].upper() == module.ID
    assert module_name[6:].replace("_", "-") == module.NAME
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
    broker = Broker("server.properties", broker_config, Location("server.properties"))
    cluster = Cluster("loose", Location("server.properties"), brokers=[broker])
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


# -- KL301 / KL302: the ZooKeeper ensemble and how brokers reach it ------------------------


@pytest.mark.parametrize(
    ("size", "production", "severities"),
    [
        (1, True, [Severity.ERROR]),
        (1, False, []),
        (2, True, [Severity.ERROR]),
        (2, False, [None]),
        (3, True, []),
        (4, True, [None]),
        (5, True, []),
        (6, False, [None]),
    ],
)
def test_kl301_sizes(size: int, production: bool, severities: list[Severity | None]) -> None:
    cluster = make_cluster(zookeepers=size, production=production)
    findings = run("KL301", cluster)
    assert [finding.severity for finding in findings] == severities
    assert where(findings) == [str(cluster.zookeepers[0].location)] * len(severities)


def test_kl301_loose_zoo_cfg_counts_server_lines() -> None:
    zk_config = ConfigMap("zookeeper", location=Location("zoo.cfg"))
    zk_config.set("tickTime", "2000", "file", Location("zoo.cfg", 1))
    zk_config.set("server.1", "zk1:2888:3888", "file", Location("zoo.cfg", 5))
    zk_config.set("server.2", "zk2:2888:3888", "file", Location("zoo.cfg", 6))
    cluster = Cluster(
        "loose", Location("zoo.cfg"), zookeepers=[ZooKeeperNode("zoo.cfg", None, zk_config, Location("zoo.cfg"))]
    )
    findings = run("KL301", cluster)
    assert where(findings) == ["zoo.cfg:5"]
    assert findings[0].severity is Severity.ERROR


def test_kl301_skipped_for_kraft_and_kafka_4() -> None:
    assert run("KL301", make_cluster(zookeepers=2, version="4.0.0")) == []
    kraft = make_cluster(
        zookeepers=2, brokers=[{"process.roles": "broker,controller", "node.id": n} for n in (1, 2, 3)]
    )
    assert run("KL301", kraft) == []


def test_kl302_missing_server_and_chroot_split() -> None:
    cluster = make_cluster(
        brokers=[
            {"zookeeper.connect": "zk1:2181,zk2:2181,zk3:2181/kafka"},
            {"zookeeper.connect": "zk1:2181/kafka"},
            {"zookeeper.connect": "ZK1:2181,zk2,zk3:2181/other/"},
        ],
        derived=False,
    )
    findings = run("KL302", cluster)
    assert where(findings) == [
        broker_location(cluster, "zookeeper.connect", 1),
        broker_location(cluster, "zookeeper.connect", 2),
    ]
    assert "leaves out ZooKeeper server(s) zk2:2181,zk3:2181" in findings[0].message
    assert "chroot '/other' while brokers kafka1 and kafka2 use '/kafka'" in findings[1].message


def test_kl302_missing_key_with_kafka_text() -> None:
    cluster = make_cluster(brokers=1, zookeepers=0, derived=False)
    findings = run("KL302", cluster)
    assert where(findings) == [f"{GROUP_VARS}:2"]
    assert "Missing required configuration `zookeeper.connect` which has no default value." in findings[0].message
    assert run("KL302", make_cluster(brokers=1, zookeepers=0, derived=False, version="4.0.0")) == []


def test_kl302_server_lines_with_client_port_suffix() -> None:
    cluster = make_cluster(
        brokers=[{"zookeeper.connect": "zk1:2181,zk2:2181"}],
        zookeepers=[{"server.1": "zk1:2888:3888;2181", "server.2": "zk2:2888:3888;0.0.0.0:2182"}],
        derived=False,
    )
    findings = run("KL302", cluster)
    assert "zk2:2182" in findings[0].message


# -- KL303: broker ids ---------------------------------------------------------------------


def test_kl303_duplicate_id_reported_at_the_second_broker() -> None:
    cluster = make_cluster(derived=False, brokers=[{"broker.id": 1}, {"broker.id": "1"}, {"broker.id": 2}])
    findings = run("KL303", cluster)
    assert where(findings) == [broker_location(cluster, "broker.id", 1)]
    assert "already the id of broker kafka1" in findings[0].message


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        (
            {"broker.id": -2},
            "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
        ),
        (
            {"broker.id": 1001},
            "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
        ),
        ({"broker.id": -1, "broker.id.generation.enable": False}, "broker.id must be greater than or equal to 0"),
        ({"broker.id": 1, "node.id": 2}, "You must set `node.id` to the same value as `broker.id`."),
        ({"process.roles": "broker"}, "Missing configuration `node.id` which is required when `process.roles`"),
    ],
)
def test_kl303_kafka_validation(settings: dict[str, Any], text: str) -> None:
    findings = run("KL303", make_cluster(derived=False, brokers=[settings]))
    assert len(findings) == 1
    assert text in findings[0].message


@pytest.mark.parametrize(
    "settings",
    [
        {"broker.id": -1},
        {"broker.id": 1000},
        {"broker.id": 2000, "reserved.broker.max.id": 5000},
        {"broker.id": 0, "broker.id.generation.enable": "false"},
        {"node.id": 7, "process.roles": "broker,controller"},
        {},
    ],
)
def test_kl303_accepted_ids(settings: dict[str, Any]) -> None:
    assert run("KL303", make_cluster(derived=False, brokers=[settings])) == []


def test_kl303_generated_ids_are_not_duplicates() -> None:
    assert run("KL303", make_cluster(derived=False, brokers=[{"broker.id": -1}, {"broker.id": -1}])) == []


# -- KL304: listeners ----------------------------------------------------------------------


def listeners_cluster(*brokers: dict[str, Any]) -> Cluster:
    return make_cluster(derived=False, zookeepers=0, brokers=list(brokers))


def test_kl304_inventory_derived_listeners_are_clean() -> None:
    assert run("KL304", make_cluster()) == []


def test_kl304_inter_broker_listener_not_advertised() -> None:
    cluster = listeners_cluster(
        {
            "listeners": "INTERNAL://0.0.0.0:9093,EXTERNAL://0.0.0.0:9092",
            "advertised.listeners": "EXTERNAL://kafka1.example.com:9092",
            "listener.security.protocol.map": "INTERNAL:PLAINTEXT,EXTERNAL:SSL",
            "inter.broker.listener.name": "internal",
        }
    )
    findings = run("KL304", cluster)
    assert where(findings) == [broker_location(cluster, "inter.broker.listener.name")]
    assert (
        '"inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options '
        'based on currently configured listeners are EXTERNAL"'
    ) in findings[0].message


def test_kl304_default_map_lacks_custom_name() -> None:
    cluster = listeners_cluster({"listeners": "INTERNAL://:9093", "advertised.listeners": "INTERNAL://kafka1:9093"})
    findings = run("KL304", cluster)
    # listeners and advertised.listeners both name INTERNAL: one finding, at the first line naming it
    # (the map is unset); and what Kafka says next: the inter-broker listener (PLAINTEXT by default)
    # is not advertised
    assert where(findings) == [broker_location(cluster, "listeners"), broker_location(cluster, "advertised.listeners")]
    assert "No security protocol defined for listener INTERNAL" in findings[0].message
    assert "The valid options based on currently configured listeners are INTERNAL" in findings[1].message


def test_kl304_unset_advertised_falls_back_to_listeners_with_0000() -> None:
    cluster = listeners_cluster({"listeners": "PLAINTEXT://0.0.0.0:9092"})
    findings = run("KL304", cluster)
    assert where(findings) == [broker_location(cluster, "listeners")]
    assert "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address." in (
        findings[0].message
    )
    assert "(unset, so listeners)" in findings[0].message


def test_kl304_duplicate_ports_names_and_both_inter_settings() -> None:
    cluster = listeners_cluster(
        {
            "listeners": "PLAINTEXT://:9092,SSL://:9092,plaintext://:9093",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
            "inter.broker.listener.name": "PLAINTEXT",
            "security.inter.broker.protocol": "PLAINTEXT",
        }
    )
    messages = [finding.message for finding in run("KL304", cluster)]
    text = "PLAINTEXT://:9092,SSL://:9092,plaintext://:9093"
    assert any(f'"Each listener must have a different name, listeners: {text}"' in m for m in messages)
    assert any(f'"Each listener must have a different port, listeners: {text}"' in m for m in messages)
    assert any(
        "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set." in m
        for m in messages
    )
    assert len(messages) == 3


def test_kl304_ipv4_and_ipv6_may_share_a_port() -> None:
    ok = listeners_cluster(
        {
            "listeners": "PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092",
            "advertised.listeners": "PLAINTEXT://kafka1:9092,SSL://kafka1:9093",
        }
    )
    assert run("KL304", ok) == []
    bad = listeners_cluster(
        {
            "listeners": "PLAINTEXT://10.0.0.1:9092,SSL://10.0.0.2:9092",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
        }
    )
    assert "one needs to be IPv4 and the other IPv6" in run("KL304", bad)[0].message


def test_kl304_advertised_not_subset_and_unparsable() -> None:
    cluster = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://kafka1:9092,SSL://kafka1:9093,bogus"}
    )
    messages = [finding.message for finding in run("KL304", cluster)]
    assert any("Unable to parse bogus to a broker endpoint" in m for m in messages)
    assert any(
        "Found PLAINTEXT,SSL. The valid options based on the current configuration are PLAINTEXT" in m for m in messages
    )


def test_kl304_loopback_only_on_multi_host_clusters() -> None:
    single_host = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://localhost:9092"},
        {"listeners": "PLAINTEXT://:9093", "advertised.listeners": "PLAINTEXT://localhost:9093"},
    )
    assert run("KL304", single_host) == []
    multi = listeners_cluster(
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://127.0.0.1:9092"},
        {"listeners": "PLAINTEXT://:9092", "advertised.listeners": "PLAINTEXT://kafka2:9092"},
    )
    findings = run("KL304", multi)
    assert where(findings) == [broker_location(multi, "advertised.listeners", 0)]
    assert findings[0].message.startswith("broker kafka1 advertises PLAINTEXT://127.0.0.1:9092")


def test_kl304_shared_map_line_reported_once() -> None:
    cluster = make_cluster(common={"listener.security.protocol.map": "SSL:SSL"})
    findings = run("KL304", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert findings[0].message.startswith("brokers kafka1, kafka2 and kafka3: listener name PLAINTEXT")


def test_kl304_kraft_controller_listener_gets_plaintext() -> None:
    cluster = listeners_cluster(
        {
            "process.roles": "broker,controller",
            "node.id": 1,
            "controller.listener.names": "CONTROLLER",
            "listeners": "PLAINTEXT://:9092,CONTROLLER://:9093",
            "advertised.listeners": "PLAINTEXT://kafka1:9092",
        }
    )
    assert run("KL304", cluster) == []


# -- KL305 - KL308 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "tick", "flagged"),
    [("2.4.1", 2000, False), ("2.4.1", 200, True), ("2.5.0", 500, True), ("3.9.1", 900, False)],
)
def test_kl305_version_default(version: str, tick: int, flagged: bool) -> None:
    cluster = make_cluster(version=version, zookeepers=[{"tickTime": tick}] * 3)
    findings = run("KL305", cluster)
    assert bool(findings) is flagged
    if flagged:  # Kafka's default: point at the ZooKeeper tickTime that excludes it
        assert where(findings) == [str(cluster.zookeepers[0].config.location_of("tickTime"))]
        assert "(Kafka's default)" in findings[0].message


def test_kl305_explicit_timeout_and_zoo_cfg_bounds() -> None:
    low = make_cluster(common={"zookeeper.session.timeout.ms": 3000})
    findings = run("KL305", low)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "below the 4000 ms" in findings[0].message
    bounded = make_cluster(common={"zookeeper.session.timeout.ms": 30000}, zookeepers=[{"maxSessionTimeout": 20000}])
    assert "maxSessionTimeout=20000" in run("KL305", bounded)[0].message
    assert run("KL305", make_cluster(common={"zookeeper.session.timeout.ms": 40000})) == []


def test_kl306_boundaries() -> None:
    assert run("KL306", make_cluster(common={"queued.max.request.bytes": 104857600})) == []
    assert run("KL306", make_cluster(common={"queued.max.request.bytes": -1})) == []
    findings = run("KL306", make_cluster(common={"queued.max.request.bytes": 104857599}))
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert '"queued.max.request.bytes must be larger or equal to socket.request.max.bytes"' in findings[0].message
    raised = make_cluster(common={"queued.max.request.bytes": 1000, "socket.request.max.bytes": 999})
    assert run("KL306", raised) == []


def test_kl307_names_compacted_topics() -> None:
    cluster = make_cluster(
        common={"log.cleaner.enable": "false"},
        topics=[{"name": "state", "config": {"cleanup.policy": "compact,delete"}}, {"name": "logs"}],
    )
    findings = run("KL307", cluster)
    assert where(findings) == [f"{GROUP_VARS}:10"]
    assert "__consumer_offsets and state grow" in findings[0].message
    assert run("KL307", make_cluster(common={"log.cleaner.enable": True})) == []


def test_kl308_default_gssapi_mechanism_not_enabled() -> None:
    cluster = make_cluster(
        common={"security.inter.broker.protocol": "SASL_SSL", "sasl.enabled.mechanisms": "SCRAM-SHA-512"}
    )
    findings = run("KL308", cluster)
    assert where(findings) == [f"{GROUP_VARS}:11"]
    assert (
        '"sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms when SASL is used for '
        'inter-broker communication"'
    ) in findings[0].message


def test_kl308_listener_prefixed_mechanisms_win() -> None:
    base = {
        "listener.security.protocol.map": "INTERNAL:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "inter.broker.listener.name": "INTERNAL",
        "sasl.mechanism.inter.broker.protocol": "PLAIN",
        "sasl.enabled.mechanisms": "PLAIN",
    }
    assert run("KL308", make_cluster(common=base)) == []
    prefixed = make_cluster(common={**base, "listener.name.internal.sasl.enabled.mechanisms": "SCRAM-SHA-256"})
    findings = run("KL308", prefixed)
    assert where(findings) == [f"{GROUP_VARS}:12"]
    assert "listener.name.internal.sasl.enabled.mechanisms=SCRAM-SHA-256" in findings[0].message


def test_kl308_plaintext_inter_broker_is_not_checked() -> None:
    assert run("KL308", make_cluster(common={"sasl.enabled.mechanisms": "PLAIN"})) == []


def test_kl106_single_replica_has_nobody_to_elect() -> None:
    cluster = make_cluster(
        common={"unclean.leader.election.enable": True, "default.replication.factor": 1},
        topics=[{"name": "scratch", "replication_factor": 1, "config": {"min.insync.replicas": 2}}],
        producers=[{"name": "svc", "topics": ["scratch", "other"]}],
    )
    assert run("KL106", cluster) == []
