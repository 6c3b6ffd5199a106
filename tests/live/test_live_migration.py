"""playbooks/migrate.yml and playbooks/upgrade.yml on the migration testbed, under load.

One cluster serves both proofs (CI time): ``scripts/testhosts.py --testbed migration`` brings up
six hosts, ``site.yml`` runs a 3-broker ZooKeeper cluster (Kafka 3.9.1) on hosts 1-3, with
topics holding data, topic configs and a consumer group's committed offsets. A keyed
``acks=all`` idempotent stream then writes the whole time while the inventory's
``kafka_migration_phase`` moves the cluster:

1. ``dual-write`` (controllers provisioned in migration mode on hosts 4-6, brokers rolled into
   migration mode, the metadata migrated), then ``zookeeper``: Kafka's rollback from dual-write;
2. ``kraft-brokers`` (the migration again, brokers rolled to KRaft), a re-run that changes
   nothing (the soak), ``finalised`` (controllers without ZooKeeper, ZooKeeper retired);
3. Kafka 4.4.0 (playbooks/upgrade.yml: controllers, then brokers, then kafka-features).

Then every acknowledged record must be consumed once and in order per key, and the topics, their
configs and the group's offsets must be what they were. Each phase's duration is printed. The
testbed is removed at the end (``KAFKA_IAC_KEEP_MIGRATION_TESTBED=1`` keeps it).
See docs/proofs.md#zookeeper-to-kraft-migration.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from live_cluster import (
    REPO,
    Cluster,
    Figures,
    LiveError,
    ansible_playbook,
    build_probe,
    check_stream,
    docker,
    finish,
    load_inventory,
)

pytestmark = pytest.mark.live

INVENTORY = REPO / "inventories" / "migration"
TESTHOSTS = [sys.executable, str(REPO / "scripts" / "testhosts.py"), "--testbed", "migration"]
STREAM_TOPIC = "mig-stream"
GROUP = "mig-app"
STREAM_RATE = 100
_TIMESTAMP = re.compile(r"\(\d+:\d\d:\d\d\.\d+\)\s+(\d+):(\d\d):(\d\d\.\d+)\s+\*+")
_RECAP = re.compile(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@dataclass
class Migration:
    inventory: Path
    cluster: Cluster
    workdir: Path
    #: Seconds the ZooKeeper-mode testbed took to provision.
    provisioned_in: float = 0.0

    def set_vars(self, **values: Any) -> None:
        path = self.inventory / "group_vars" / "all.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(values)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def drop_zookeeper_group(self) -> None:
        path = self.inventory / "hosts.yml"
        hosts = yaml.safe_load(path.read_text(encoding="utf-8"))
        hosts["all"]["children"].pop("zookeeper", None)
        path.write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")

    def playbook(self, name: str, log_name: str, timeout: float = 1500, check: bool = True) -> Run:
        log = self.workdir / f"{log_name}.log"
        code, seconds, output = ansible_playbook(
            self.inventory,
            REPO / "playbooks" / name,
            log,
            timeout,
            {"KAFKA_IAC_PROFILES_DIR": str(self.workdir / "profiles")},
        )
        if check and code != 0:
            raise LiveError(f"{name} ({log_name}) exited {code}; log {log}:\n{output[-5000:]}")
        return Run(seconds, output, code)

    def tool(self, script: str, *args: str, timeout: float = 120) -> str:
        """One of Kafka's bin/ tools on broker host 1, as an operator runs it."""
        host = self.cluster.brokers[1]
        version = docker("exec", host.container, "readlink", "/opt/kafka/current", timeout=30).stdout
        logging = (
            "-Dlog4j2.configurationFile=/etc/kafka/tools-log4j2.yaml"
            if "-4." in version
            else "-Dlog4j.configuration=file:/etc/kafka/tools-log4j.properties"
        )
        proc = docker(
            "exec", "-e", "LOG_DIR=/tmp", "-e", f"KAFKA_LOG4J_OPTS={logging}", host.container,
            f"/opt/kafka/current/bin/{script}", *args, timeout=timeout,
        )  # fmt: skip
        return proc.stdout

    def znode(self, path: str) -> str:
        return self.tool("zookeeper-shell.sh", "172.30.4.11:2181", "get", path)

    def snapshot(self) -> dict[str, Any]:
        """Topics with their partition counts, the declared topics' configs, the group's offsets."""
        bootstrap = self.cluster.bootstrap
        topics = self.cluster.describe("orders", "audit", STREAM_TOPIC)
        counts: dict[str, int] = {}
        for item in topics.get("partitions", []):
            counts[item["topic"]] = counts.get(item["topic"], 0) + 1
        configs = {
            topic: sorted(
                line.split()[0]
                for line in self.tool(
                    "kafka-configs.sh", "--bootstrap-server", bootstrap, "--describe", "--entity-type", "topics",
                    "--entity-name", topic,
                ).splitlines()[1:]
                if line.strip()
            )
            for topic in ("orders", "audit")
        }  # fmt: skip
        offsets = sorted(
            " ".join(line.split()[:4])
            for line in self.tool(
                "kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--describe", "--group", GROUP
            ).splitlines()
            if line.startswith(GROUP)
        )
        return {"partitions": dict(sorted(counts.items())), "configs": configs, "offsets": offsets}


@dataclass
class Run:
    seconds: float
    output: str
    returncode: int

    def changed(self) -> dict[str, int]:
        return {host: int(changed) for host, changed, _u, _f in _RECAP.findall(self.output)}

    def steps(self) -> dict[str, float]:
        """Seconds per step of migrate.yml (its plays are named ``Step <phase> - ...`` and
        ``Rollback - ...``), from the task profile's running clock."""
        marks: list[tuple[str, float]] = []
        play = None
        for line in self.output.splitlines():
            if line.startswith("PLAY ["):
                play = line[6 : line.index("]")] if "]" in line else line[6:]
                continue
            match = _TIMESTAMP.search(line)
            if match and play is not None:
                hours, minutes, seconds = match.groups()
                marks.append((play, int(hours) * 3600 + int(minutes) * 60 + float(seconds)))
                play = None
        result: dict[str, float] = {}
        # The safe-restart plays a step imports count for that step.
        step = "gate, detection, preflight"
        for (name, start), (_next, end) in zip(marks, [*marks[1:], (None, self.seconds)], strict=True):
            if name.startswith(("Step ", "Rollback")):
                step = name.split(" - ")[0]
            elif name.startswith("Say where"):
                step = "gate, detection, preflight"
            result[step] = round(result.get(step, 0.0) + max(0.0, end - start), 1)
        return result


@pytest.fixture(scope="module")
def migration(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Migration]:
    workdir = tmp_path_factory.mktemp("migration")
    inventory = workdir / "inventory"
    shutil.copytree(INVENTORY, inventory)
    keep = os.environ.get("KAFKA_IAC_KEEP_MIGRATION_TESTBED") == "1"
    up = subprocess.run([*TESTHOSTS, "up"], capture_output=True, text=True, timeout=900, check=False)
    if up.returncode != 0:
        pytest.fail(f"the migration testbed did not come up: {up.stdout[-2000:]}{up.stderr[-2000:]}", pytrace=False)
    try:
        probe = build_probe(workdir)
        live = Migration(inventory, Cluster(load_inventory(inventory), probe, inventory), workdir)
        started = time.monotonic()
        live.playbook("site.yml", "provision", 1800)
        # ZooKeeper mode: the inventory's controllers are not provisioned yet.
        live.cluster.wait_healthy(240, quorum=False)
        live.provisioned_in = round(time.monotonic() - started, 1)
        yield live
    finally:
        with_probe = locals().get("probe")
        if with_probe is not None:
            with_probe.close()
        if not keep:
            subprocess.run([*TESTHOSTS, "down"], capture_output=True, text=True, timeout=600, check=False)


def seed_data(live: Migration) -> None:
    """Data in the declared topics, and a consumer group with committed offsets."""
    props = live.cluster.probe.properties(
        "seed", {"bootstrap.servers": live.cluster.bootstrap, "acks": "all", "enable.idempotence": True}
    )
    for topic, count in (("orders", 150), ("audit", 30)):
        # audit is compacted: its records need a key
        sent = live.cluster.probe.run("send", props, topic, count, f"key={topic}-seed", timeout=300)
        summary = next(line for line in sent if line.get("mode") == "send-summary")
        if summary["failed"]:
            raise LiveError(f"seeding {topic} failed: {summary}")
    live.tool(
        "kafka-console-consumer.sh", "--bootstrap-server", live.cluster.bootstrap, "--topic", "orders",
        "--group", GROUP, "--from-beginning", "--max-messages", "100", "--timeout-ms", "120000",
        timeout=240,
    )  # fmt: skip


def test_migrate_roll_back_migrate_finalise_and_upgrade_under_load(migration: Migration, figures: Figures) -> None:
    live, cluster = migration, migration.cluster
    figures["testbed provisioned (ZooKeeper mode, Kafka 3.9.1)"] = f"{live.provisioned_in} s"
    cluster.require_topic(STREAM_TOPIC, 3, 3, {"min.insync.replicas": 2})
    seed_data(live)
    before = live.snapshot()
    assert before["offsets"], "the consumer group committed no offsets"
    props = cluster.probe.properties(
        "stream",
        {"bootstrap.servers": cluster.bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5},
    )
    acked, stop, log = live.workdir / "acked.txt", live.workdir / "stop", live.workdir / "stream.log"
    proc = cluster.probe.start(
        "stream", props, STREAM_TOPIC, f"acked={acked}", "keys=12", f"rate={STREAM_RATE}", "duration_s=7200",
        f"stop={stop}", log=log,
    )  # fmt: skip
    phases: dict[str, str] = {}
    try:
        cluster.wait_until("the stream is acknowledged", lambda: acked.exists() and acked.stat().st_size > 5000, 90)

        features = run_phases(live, phases)
        time.sleep(2)
    finally:
        stop.touch()
        lines = finish(proc, log, timeout=300)
        figures.update(phases)
    summary = next((line for line in lines if line["mode"] == "stream-summary"), None)
    assert summary is not None, f"stream printed no summary: {log.read_text(encoding='utf-8')[-2000:]}"
    consumed = live.workdir / "consumed.txt"
    read = cluster.probe.one("consume", cluster.bootstrap, STREAM_TOPIC, consumed, "timeout_s=120", timeout=200)
    result = check_stream(acked, consumed)
    after = live.snapshot()
    figures["sends / failed sends"] = f"{summary['sent']} / {summary['failed']} {summary['errors'] or ''}".strip()
    figures.update(result.as_dict())
    figures["metadata.version after the upgrade"] = next(
        (
            line.split("FinalizedVersionLevel:")[1].split()[0]
            for line in features.splitlines()
            if "metadata.version" in line
        ),
        "?",
    )
    figures["topics, configs, offsets intact"] = after == before
    assert read.get("complete"), read
    assert result.lost == 0, result.lost_examples
    assert result.duplicated == 0
    assert result.out_of_order_keys == 0
    assert summary["failed"] == 0, summary
    assert after == before, {"before": before, "after": after}


def run_phases(live: Migration, phases: dict[str, str]) -> str:
    """Roll back from dual-write, then migrate, soak, finalise and upgrade to 4.4 (each run's
    time and per-step times into ``phases``); the cluster's feature levels at the end."""
    cluster = live.cluster
    live.set_vars(kafka_migration_phase="dual-write")
    run = live.playbook("migrate.yml", "to-dual-write")
    phases["run 1: zookeeper -> dual-write"] = f"{run.seconds} s {run.steps()}"
    controller = live.znode("/controller")
    assert '"brokerid":300' in controller, f"no KRaft controller holds /controller in dual-write: {controller}"

    live.set_vars(kafka_migration_phase="zookeeper")
    run = live.playbook("migrate.yml", "rollback")
    phases["run 1: rollback dual-write -> zookeeper"] = f"{run.seconds} s {run.steps()}"
    controller = live.znode("/controller")
    # A broker in migration mode writes kraftControllerEpoch -1; the broker ids are 1 to 3.
    assert re.search(r'"brokerid":[123],', controller), controller
    for host in ("kafka-iac-mig-4", "kafka-iac-mig-5", "kafka-iac-mig-6"):
        state = docker("exec", host, "systemctl", "is-active", "kafka", check=False, timeout=30).stdout.strip()
        assert state != "active", f"controller {host} still runs after the rollback"

    live.set_vars(kafka_migration_phase="kraft-brokers")
    run = live.playbook("migrate.yml", "to-kraft-brokers")
    phases["run 2: zookeeper -> kraft-brokers"] = f"{run.seconds} s {run.steps()}"
    soak = live.playbook("migrate.yml", "soak-rerun")
    phases["run 2: re-run in kraft-brokers (soak)"] = f"{soak.seconds} s, changed {soak.changed()}"
    assert set(soak.changed().values()) == {0}, soak.output[-3000:]

    live.set_vars(kafka_migration_phase="finalised")
    run = live.playbook("migrate.yml", "finalise")
    phases["run 2: kraft-brokers -> finalised, ZooKeeper retired"] = f"{run.seconds} s {run.steps()}"
    live.set_vars(kafka_migration_phase="zookeeper")
    refused = live.playbook("migrate.yml", "rollback-refused", check=False)
    phases["run 2: rollback after finalisation refused in"] = f"{refused.seconds} s"
    # The role's own one-line failure, not a filter error inside Ansible's templating message.
    assert refused.returncode != 0 and '"msg": "the cluster is finalised' in refused.output, refused.output[-3000:]
    live.set_vars(kafka_migration_phase="finalised")

    live.drop_zookeeper_group()
    live.set_vars(kafka_version="4.4.0")
    run = live.playbook("upgrade.yml", "upgrade")
    phases["run 2: upgrade to Kafka 4.4.0 and its features"] = f"{run.seconds} s"
    return live.tool("kafka-features.sh", "--bootstrap-server", cluster.bootstrap, "describe")
