#!/usr/bin/env python3
"""Fetch or assemble the Kafka and ZooKeeper distributions the roles install.

Usage::

    scripts/artifacts.py [--kafka-version 3.9.1] [--scala-version 2.13]
                         [--zookeeper-version 3.8.4] [--cache DIR]
                         [--source auto|apache|maven] [--force] [--smoke]

Produces, in ``${KAFKA_IAC_CACHE:-$HOME/.cache/kafka-iac}/artifacts/`` (or ``--cache DIR``)::

    kafka_2.13-3.9.1.tgz                 top dir kafka_2.13-3.9.1/ with libs/*.jar, bin/, config/
    kafka_2.13-3.9.1.tgz.sha512
    apache-zookeeper-3.8.4-bin.tar.gz    top dir apache-zookeeper-3.8.4-bin/ with lib/*.jar, bin/, conf/
    apache-zookeeper-3.8.4-bin.tar.gz.sha512

The ``.sha512`` files are always in ``sha512sum`` format (``<128 lowercase hex>  <file name>``):
``cd <cache>/artifacts && sha512sum -c kafka_2.13-3.9.1.tgz.sha512`` checks an archive, and the
roles compare the first field with the SHA-512 of the archive they copy.

Where to get each archive (``--source auto``, the default): the official Apache tarball when
Apache's download site answers within a few seconds (its published SHA-512 is verified, then
rewritten in the format above); otherwise the same jars are assembled from Maven Central with a
generated pom and ``mvn dependency:copy-dependencies`` (maven-dependency-plugin pinned to
:data:`DEPENDENCY_PLUGIN`), next to thin launcher scripts equivalent to Apache's ``bin/`` and the
default ``config/`` files. Assembled archives are reproducible (sorted entries, fixed mtimes,
root:root owner, no gzip timestamp), so their SHA-512 is the same on every run and machine.
The Maven downloads are kept in ``<cache>/maven-repo`` so that deleting the cache directory is a
clean state. ``KAFKA_IAC_MAVEN_REPO`` points at another Maven repository (a mirror).

An archive already in the cache whose checksum file matches is left alone ("nothing to do"); one
that does not match is an error (exit 5) unless ``--force`` rebuilds it. An assembled archive also
has ``<archive>.recipe``, a hash of its pom, launchers and config files: when this script's recipe
changes, the archive is assembled again. ``--smoke`` then starts
ZooKeeper and a broker from the archives on 127.0.0.1, creates a topic with ``bin/kafka-topics.sh``,
produces and consumes one message with the console tools, and stops both.

Exit codes:
    0  success (archives present and verified)
    2  usage error: bad option or version
    3  prerequisite missing: mvn (apt-get install maven) or java (apt-get install openjdk-17-jre-headless)
    4  fetch failed: Maven Central unreachable, an artifact/version not found there, mvn failed
    5  checksum mismatch: a cached archive or an Apache download does not match its SHA-512
    6  verification failed: wrong archive layout, missing main class, or the smoke test failed
    7  local resource problem: not enough disk space, cache not writable
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

import reprotar
from scriptkit import (
    EXIT_CHECKSUM,
    EXIT_FETCH,
    EXIT_RESOURCE,
    EXIT_USAGE,
    EXIT_VERIFY,
    ScriptError,
    main_wrapper,
    require_tool,
    run,
    say,
    step,
    tail,
)

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2"
APACHE_MIRRORS = ("https://downloads.apache.org", "https://archive.apache.org/dist")
APACHE_TIMEOUT_S = 5.0
PROBE_TIMEOUT_S = 15.0
MVN_TIMEOUT_S = 1200.0
MIN_FREE_BYTES = 1 << 30
DISTFILES = Path(__file__).resolve().parent / "lib" / "distfiles"

# Logging binding of Kafka 3.x's tarball (libs/ has slf4j-reload4j and reload4j; ZooKeeper's
# logback is excluded by Kafka's build, and the pom of kafka_2.13 carries the same exclusions).
KAFKA_SLF4J_BINDING = "org.slf4j:slf4j-reload4j:1.7.36"
KAFKA_RELOAD4J = "ch.qos.reload4j:reload4j:1.2.25"

_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_SCALA_VERSIONS = ("2.12", "2.13")
_UNREACHABLE = r"UnknownHost|Connect(ion)? timed out|Connection refused|Could not transfer|Network is unreachable"


@dataclass(frozen=True)
class Coordinate:
    """A Maven artifact; ``version`` None takes the version from an imported BOM."""

    group: str
    artifact: str
    version: str | None
    kind: str = "jar"
    scope: str = "runtime"

    @classmethod
    def parse(cls, text: str) -> Coordinate:
        group, artifact, version = text.split(":")
        return cls(group, artifact, version)

    def __str__(self) -> str:
        return f"{self.group}:{self.artifact}:{self.version or '(managed)'}"

    def pom_url(self, repository: str) -> str:
        base = f"{repository}/{self.group.replace('.', '/')}/{self.artifact}/{self.version}"
        return f"{base}/{self.artifact}-{self.version}.pom"

    def pom_xml(self) -> str:
        version = f"<version>{self.version}</version>" if self.version else ""
        kind = f"<type>{self.kind}</type>" if self.kind != "jar" else ""
        return (
            f"<dependency><groupId>{self.group}</groupId><artifactId>{self.artifact}</artifactId>"
            f"{version}{kind}<scope>{self.scope}</scope></dependency>"
        )


@dataclass(frozen=True)
class Launcher:
    """A generated ``bin/`` script that runs the first of ``candidates`` found in the jars."""

    script: str
    candidates: tuple[str, ...]
    heap: str | None = None
    fixed_args: str = ""


@dataclass(frozen=True)
class Distribution:
    """Everything needed to fetch, assemble and check one archive."""

    name: str
    version: str
    archive_name: str
    top_dir: str
    lib_dir: str
    conf_dir: str
    apache_paths: tuple[str, ...]
    dependencies: tuple[Coordinate, ...]
    boms: tuple[Coordinate, ...]
    launchers: tuple[Launcher, ...]
    required_classes: tuple[str, ...]
    required_files: tuple[str, ...]
    distfiles: Path
    single_binding: str = "org/slf4j/impl/StaticLoggerBinder.class"
    notes: tuple[str, ...] = field(default=())
    #: Files of ``distfiles`` left out, and a directory whose files are laid over the rest
    #: (Kafka 4 replaces the 3.x logging files and drops the ZooKeeper launchers).
    distfiles_exclude: tuple[str, ...] = ()
    #: (file, old text, new text): a distfile that differs from the base one in one place.
    distfiles_rewrite: tuple[tuple[str, str, str], ...] = ()
    overlay: Path | None = None
    #: Kafka 4.x: no ZooKeeper mode, so the smoke test runs a KRaft node.
    kraft_only: bool = False


KAFKA_LAUNCHERS = (
    Launcher("kafka-topics.sh", ("org.apache.kafka.tools.TopicCommand", "kafka.admin.TopicCommand")),
    Launcher(
        "kafka-console-producer.sh",
        ("org.apache.kafka.tools.ConsoleProducer", "kafka.tools.ConsoleProducer"),
        heap="-Xmx512M",
    ),
    Launcher(
        "kafka-console-consumer.sh",
        ("org.apache.kafka.tools.consumer.ConsoleConsumer", "kafka.tools.ConsoleConsumer"),
        heap="-Xmx512M",
    ),
    Launcher("kafka-configs.sh", ("org.apache.kafka.tools.ConfigCommand", "kafka.admin.ConfigCommand")),
    Launcher(
        "kafka-consumer-groups.sh",
        ("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "kafka.admin.ConsumerGroupCommand"),
    ),
    Launcher(
        "kafka-broker-api-versions.sh",
        ("org.apache.kafka.tools.BrokerApiVersionsCommand", "kafka.admin.BrokerApiVersionsCommand"),
    ),
    Launcher(
        "kafka-leader-election.sh",
        ("org.apache.kafka.tools.LeaderElectionCommand", "kafka.admin.LeaderElectionCommand"),
    ),
    Launcher(
        "kafka-reassign-partitions.sh",
        ("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "kafka.admin.ReassignPartitionsCommand"),
    ),
    Launcher("kafka-acls.sh", ("org.apache.kafka.tools.AclCommand", "kafka.admin.AclCommand")),
    Launcher("kafka-get-offsets.sh", ("org.apache.kafka.tools.GetOffsetShell", "kafka.tools.GetOffsetShell")),
    Launcher("kafka-producer-perf-test.sh", ("org.apache.kafka.tools.ProducerPerformance",), heap="-Xmx512M"),
    Launcher("zookeeper-shell.sh", ("org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka",), fixed_args="-server"),
)


#: Launchers only the KRaft releases need in the assembled 4.x archive (the roles run these main
#: classes directly, so an assembled 3.9 archive needs no new scripts; Apache's tarballs have them).
KRAFT_LAUNCHERS = (
    Launcher("kafka-storage.sh", ("kafka.tools.StorageTool",)),
    Launcher("kafka-metadata-quorum.sh", ("org.apache.kafka.tools.MetadataQuorumCommand",)),
    Launcher("kafka-features.sh", ("org.apache.kafka.tools.FeatureCommand",)),
    Launcher("kafka-cluster.sh", ("org.apache.kafka.tools.ClusterTool",)),
    Launcher("kafka-log-dirs.sh", ("org.apache.kafka.tools.LogDirsCommand",)),
    Launcher("kafka-dump-log.sh", ("org.apache.kafka.tools.DumpLogSegments", "kafka.tools.DumpLogSegments")),
)

#: The Log4j 2 release each Kafka 4 line ships (its ``kafka-server`` pom's log4j-core from 4.1;
#: 4.0's tarball, whose poms declare none). The SLF4J 1.7 binding and the 1.2 bridge of
#: Apache's ``libs/`` must be the same release as log4j-core.
LOG4J2_VERSIONS = {"4.0": "2.24.3", "4.1": "2.24.3", "4.2": "2.25.3", "4.3": "2.25.4", "4.4": "2.25.5"}
LOG4J2_ARTIFACTS = ("log4j-api", "log4j-core", "log4j-slf4j-impl", "log4j-1.2-api")
KRAFT_ONLY = 4


def kafka_distribution(version: str, scala: str) -> Distribution:
    """The Kafka distribution, as Apache's ``kafka_<scala>-<version>.tgz`` (3.x or 4.x)."""
    top = f"kafka_{scala}-{version}"
    kafka3 = Distribution(
        name="Kafka",
        version=version,
        archive_name=f"{top}.tgz",
        top_dir=top,
        lib_dir="libs",
        conf_dir="config",
        apache_paths=(f"kafka/{version}/{top}.tgz",),
        dependencies=(
            Coordinate("org.apache.kafka", f"kafka_{scala}", version),
            Coordinate("org.apache.kafka", "kafka-tools", version),
            Coordinate.parse(KAFKA_SLF4J_BINDING),
            Coordinate.parse(KAFKA_RELOAD4J),
        ),
        boms=(),
        launchers=KAFKA_LAUNCHERS,
        required_classes=(
            "kafka.Kafka",
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            "org.apache.log4j.DailyRollingFileAppender",
        ),
        required_files=("bin/kafka-server-start.sh", "bin/kafka-run-class.sh", "bin/kafka-topics.sh", "config/"),
        distfiles=DISTFILES / "kafka",
    )
    major = version.split(".", maxsplit=1)[0]
    return kafka4_variant(kafka3) if major.isdigit() and int(major) >= KRAFT_ONLY else kafka3


def kafka4_variant(kafka3: Distribution) -> Distribution:
    """Kafka 4.x, from the 3.x layout: KRaft only (no ZooKeeper in ``libs/``), logging through
    Log4j 2, the KRaft tools in ``bin/``."""
    log4j2 = LOG4J2_VERSIONS[".".join(kafka3.version.split(".")[:2])]
    return dataclasses.replace(
        kafka3,
        dependencies=(
            *kafka3.dependencies[:2],
            *(Coordinate("org.apache.logging.log4j", artifact, log4j2) for artifact in LOG4J2_ARTIFACTS),
        ),
        launchers=tuple(launcher for launcher in KAFKA_LAUNCHERS if launcher.script != "zookeeper-shell.sh")
        + KRAFT_LAUNCHERS,
        required_classes=(
            "kafka.Kafka",
            "kafka.tools.StorageTool",
            "org.apache.kafka.tools.MetadataQuorumCommand",
            "org.apache.logging.log4j.core.Logger",
            # log4j2.yaml needs Jackson's YAML reader.
            "com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
        ),
        required_files=(
            *kafka3.required_files[:3],
            "bin/kafka-storage.sh",
            "bin/kafka-metadata-quorum.sh",
            "config/log4j2.yaml",
        ),
        distfiles_exclude=(
            "bin/zookeeper-server-start.sh",
            "config/log4j.properties",
            "config/tools-log4j.properties",
            "config/zookeeper.properties",
        ),
        # The launchers differ from 3.x in one place each: the default logging configuration.
        distfiles_rewrite=(
            (
                "bin/kafka-run-class.sh",
                "-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties",
                "-Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml",
            ),
            (
                "bin/kafka-server-start.sh",
                "-Dlog4j.configuration=file:$base_dir/../config/log4j.properties",
                "-Dlog4j2.configurationFile=$base_dir/../config/log4j2.yaml",
            ),
        ),
        overlay=DISTFILES / "kafka4",
        kraft_only=True,
    )


def zookeeper_distribution(version: str) -> Distribution:
    """The ZooKeeper server distribution, as Apache's ``apache-zookeeper-<version>-bin.tar.gz``."""
    top = f"apache-zookeeper-{version}-bin"
    return Distribution(
        name="ZooKeeper",
        version=version,
        archive_name=f"{top}.tar.gz",
        top_dir=top,
        lib_dir="lib",
        conf_dir="conf",
        apache_paths=(f"zookeeper/zookeeper-{version}/{top}.tar.gz",),
        dependencies=(
            Coordinate("org.apache.zookeeper", "zookeeper", version),
            # zookeeper-prometheus-metrics (and its simpleclient jars) is in the -bin tarball but
            # not on Maven Central, so the Prometheus metrics provider cannot be enabled.
            # Declared "provided" in zookeeper's pom but shipped in the -bin tarball's lib/:
            # the CLI (commons-cli, jline), the AdminServer (Jetty, Jackson), metrics, snappy.
            Coordinate("commons-cli", "commons-cli", None),
            Coordinate("jline", "jline", None),
            Coordinate("org.eclipse.jetty", "jetty-server", None),
            Coordinate("org.eclipse.jetty", "jetty-servlet", None),
            Coordinate("com.fasterxml.jackson.core", "jackson-databind", None),
            Coordinate("io.dropwizard.metrics", "metrics-core", None),
            Coordinate("org.xerial.snappy", "snappy-java", None),
        ),
        boms=(Coordinate("org.apache.zookeeper", "parent", version, kind="pom", scope="import"),),
        launchers=(),
        required_classes=(
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            "org.apache.zookeeper.ZooKeeperMain",
            "org.apache.zookeeper.client.FourLetterWordMain",
            "org.apache.zookeeper.server.PurgeTxnLog",
            "org.apache.zookeeper.server.admin.JettyAdminServer",
            "org.eclipse.jetty.server.Server",
            "ch.qos.logback.classic.Logger",
        ),
        required_files=("bin/zkServer.sh", "bin/zkCli.sh", "bin/zkEnv.sh", "conf/logback.xml"),
        distfiles=DISTFILES / "zookeeper",
    )


# ---------------------------------------------------------------------------------------------
# Arguments


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/artifacts.py",
        description="Fetch or assemble the Kafka and ZooKeeper archives the roles install, with SHA-512 files.",
        epilog="Exit codes: 0 ok, 2 usage, 3 prerequisite missing, 4 fetch failed, 5 checksum mismatch, "
        "6 verification failed, 7 disk/cache problem.",
    )
    parser.add_argument("--kafka-version", default="3.9.1", help="Kafka version (default 3.9.1)")
    parser.add_argument("--scala-version", default="2.13", help="Scala version of the Kafka build (default 2.13)")
    parser.add_argument("--zookeeper-version", default="3.8.4", help="ZooKeeper version (default 3.8.4)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="cache directory (default ${KAFKA_IAC_CACHE:-$HOME/.cache/kafka-iac}); archives go to <cache>/artifacts",
    )
    parser.add_argument(
        "--source",
        choices=("auto", "apache", "maven"),
        default="auto",
        help="auto: Apache's download site if it answers, else Maven Central (default); "
        "apache: official tarballs only; maven: always assemble from Maven Central",
    )
    parser.add_argument("--force", action="store_true", help="rebuild archives even if the cache has them")
    parser.add_argument(
        "--smoke", action="store_true", help="then start ZooKeeper + a broker on 127.0.0.1 and do a round trip"
    )
    args = parser.parse_args(argv)
    validate_versions(args.kafka_version, args.scala_version, args.zookeeper_version)
    return args


def validate_versions(kafka: str, scala: str, zookeeper: str) -> None:
    """Reject versions this script cannot handle, naming the option (exit 2)."""
    if not _VERSION.match(kafka):
        raise ScriptError(f"--kafka-version '{kafka}': expected MAJOR.MINOR.PATCH such as 3.9.1", EXIT_USAGE)
    line = ".".join(kafka.split(".")[:2])
    if not kafka.startswith(("3.", "4.")) or (kafka.startswith("4.") and line not in LOG4J2_VERSIONS):
        raise ScriptError(
            f"--kafka-version '{kafka}': Kafka 3.x and {', '.join(sorted(LOG4J2_VERSIONS))} are supported "
            "(a 4.x line needs its Log4j 2 release in LOG4J2_VERSIONS)",
            EXIT_USAGE,
        )
    if scala not in _SCALA_VERSIONS:
        raise ScriptError(f"--scala-version '{scala}': expected one of {', '.join(_SCALA_VERSIONS)}", EXIT_USAGE)
    if not _VERSION.match(zookeeper):
        raise ScriptError(f"--zookeeper-version '{zookeeper}': expected MAJOR.MINOR.PATCH such as 3.8.4", EXIT_USAGE)


def cache_root(option: Path | None) -> Path:
    """The cache directory: ``--cache``, else ``$KAFKA_IAC_CACHE``, else ``~/.cache/kafka-iac``."""
    if option is not None:
        return option.expanduser().resolve()
    env = os.environ.get("KAFKA_IAC_CACHE")
    if env:
        return Path(env).expanduser().resolve()
    return Path.home() / ".cache" / "kafka-iac"


# ---------------------------------------------------------------------------------------------
# Cache and checksums


def cached_state(archive: Path) -> str:
    """``missing``, ``incomplete`` (archive without checksum file) or ``present``."""
    if not archive.is_file():
        return "missing"
    if not archive.with_name(archive.name + ".sha512").is_file():
        return "incomplete"
    return "present"


def verify_cached(archive: Path) -> str:
    """Verify an archive against its ``.sha512``; a mismatch is exit 5 with a way out."""
    try:
        return reprotar.verify_sha512(archive, archive.with_name(archive.name + ".sha512"))
    except reprotar.ChecksumError as exc:
        raise ScriptError(f"{exc}; delete it or rerun with --force to rebuild", EXIT_CHECKSUM) from exc


def check_layout(archive: Path, dist: Distribution) -> None:
    """The archive must unpack to ``<top>/`` with ``<lib>/*.jar`` and the required files (exit 6)."""
    try:
        members = reprotar.archive_members(archive)
    except reprotar.ChecksumError as exc:
        raise ScriptError(str(exc), EXIT_VERIFY) from exc
    outside = [m for m in members if m != dist.top_dir and not m.startswith(dist.top_dir + "/")]
    if outside:
        raise ScriptError(f"{archive}: entry '{outside[0]}' is outside top directory {dist.top_dir}/", EXIT_VERIFY)
    names = {m.rstrip("/") for m in members}
    if not any(m.startswith(f"{dist.top_dir}/{dist.lib_dir}/") and m.endswith(".jar") for m in members):
        raise ScriptError(f"{archive}: no {dist.top_dir}/{dist.lib_dir}/*.jar", EXIT_VERIFY)
    for required in dist.required_files:
        if f"{dist.top_dir}/{required.rstrip('/')}" not in names:
            raise ScriptError(f"{archive}: {dist.top_dir}/{required} is missing", EXIT_VERIFY)


def check_free_space(directory: Path) -> None:
    free = shutil.disk_usage(directory).free
    if free < MIN_FREE_BYTES:
        raise ScriptError(
            f"{directory}: only {free // (1 << 20)} MiB free, at least {MIN_FREE_BYTES >> 20} MiB needed", EXIT_RESOURCE
        )


# ---------------------------------------------------------------------------------------------
# Official Apache tarballs


def _fetch(url: str, destination: Path, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "kafka-iac-artifacts"})
    with urllib.request.urlopen(request, timeout=timeout) as response, destination.open("wb") as out:
        shutil.copyfileobj(response, out, 1 << 20)


def fetch_apache(dist: Distribution, archive: Path) -> bool:
    """Download the official tarball and verify Apache's SHA-512; False when no mirror answers."""
    for mirror in APACHE_MIRRORS:
        url = f"{mirror}/{dist.apache_paths[0]}"
        published = archive.with_name(archive.name + ".apache-sha512")
        try:
            _fetch(url + ".sha512", published, APACHE_TIMEOUT_S)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            say(f"    {mirror}: not reachable ({getattr(exc, 'reason', exc)})")
            published.unlink(missing_ok=True)
            continue
        partial = archive.with_name(archive.name + ".partial")
        try:
            _fetch(url, partial, 120.0)
        except (urllib.error.URLError, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise ScriptError(f"download of {url} failed: {getattr(exc, 'reason', exc)}", EXIT_FETCH) from exc
        try:
            expected, _ = reprotar.parse_sha512_text(
                published.read_text(encoding="utf-8", errors="replace"), url + ".sha512"
            )
        finally:
            published.unlink(missing_ok=True)
        actual = reprotar.sha512_of(partial)
        if actual != expected:
            partial.unlink(missing_ok=True)
            raise ScriptError(f"{url}: SHA-512 does not match Apache's published {url}.sha512", EXIT_CHECKSUM)
        partial.replace(archive)
        say(f"    downloaded {url}, SHA-512 matches Apache's published checksum")
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Assembly from Maven Central


def maven_repository_url() -> str:
    return os.environ.get("KAFKA_IAC_MAVEN_REPO", MAVEN_CENTRAL).rstrip("/")


def probe_maven(coordinates: Sequence[Coordinate], repository: str) -> None:
    """Check each versioned coordinate's pom exists, so a bad version names the artifact (exit 4)."""
    for coordinate in coordinates:
        if coordinate.version is None:
            continue
        url = coordinate.pom_url(repository)
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "kafka-iac-artifacts"})
        try:
            with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_S):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise ScriptError(
                    f"{coordinate} is not on {repository} (HTTP 404 for {url}): check the version options",
                    EXIT_FETCH,
                ) from exc
            raise ScriptError(f"{repository} answered HTTP {exc.code} for {url}", EXIT_FETCH) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ScriptError(
                f"Maven repository {repository} unreachable ({getattr(exc, 'reason', exc)}) "
                f"while looking up {coordinate}",
                EXIT_FETCH,
            ) from exc


def generate_pom(dist: Distribution) -> str:
    """A throw-away pom whose runtime dependencies are the distribution's jars."""
    boms = "".join(bom.pom_xml() for bom in dist.boms)
    management = f"<dependencyManagement><dependencies>{boms}</dependencies></dependencyManagement>" if boms else ""
    dependencies = "\n    ".join(dep.pom_xml() for dep in dist.dependencies)
    group, artifact, version = DEPENDENCY_PLUGIN.split(":")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafka-iac.assembly</groupId>
  <artifactId>{dist.top_dir}</artifactId>
  <version>{dist.version}</version>
  <packaging>pom</packaging>
  {management}
  <dependencies>
    {dependencies}
  </dependencies>
  <build><plugins><plugin>
    <groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version>
  </plugin></plugins></build>
</project>
"""


def settings_xml(repository: str) -> str:
    """Maven settings that send every download to ``repository`` (Central unless overridden)."""
    return f"""<settings><mirrors><mirror>
  <id>kafka-iac</id><mirrorOf>*</mirrorOf><url>{repository}</url>
</mirror></mirrors></settings>
"""


def classify_mvn_failure(output: str, dist: Distribution) -> ScriptError:
    """Turn mvn's output into one line that says what went wrong."""
    missing = re.search(r"Could not find artifact (\S+)", output)
    if missing:
        return ScriptError(f"{dist.name}: artifact {missing.group(1)} not found in the Maven repository", EXIT_FETCH)
    if re.search(_UNREACHABLE, output):
        return ScriptError(f"{dist.name}: Maven repository unreachable: {tail(output, 2)}", EXIT_FETCH)
    return ScriptError(f"{dist.name}: mvn failed: {tail(output, 4)}", EXIT_FETCH)


def class_index(lib: Path) -> dict[str, list[str]]:
    """Map each class file name in ``lib/*.jar`` to the jars that contain it."""
    index: dict[str, list[str]] = {}
    for jar in sorted(lib.glob("*.jar")):
        try:
            with zipfile.ZipFile(jar) as archive:
                for entry in archive.namelist():
                    if entry.endswith(".class"):
                        index.setdefault(entry, []).append(jar.name)
        except zipfile.BadZipFile as exc:
            raise ScriptError(f"{jar}: not a valid jar ({exc})", EXIT_VERIFY) from exc
    return index


def _class_file(name: str) -> str:
    return name.replace(".", "/") + ".class"


def resolve_launchers(dist: Distribution, index: dict[str, list[str]]) -> dict[str, str]:
    """Pick each launcher's main class from the jars; fail naming the script if none exists."""
    chosen: dict[str, str] = {}
    for launcher in dist.launchers:
        found = next((c for c in launcher.candidates if _class_file(c) in index), None)
        if found is None:
            raise ScriptError(
                f"{dist.name} {dist.version}: none of {', '.join(launcher.candidates)} is in {dist.lib_dir}/ "
                f"(needed by bin/{launcher.script})",
                EXIT_VERIFY,
            )
        chosen[launcher.script] = found
    for required in dist.required_classes:
        if _class_file(required) not in index:
            raise ScriptError(f"{dist.name} {dist.version}: class {required} is not in {dist.lib_dir}/", EXIT_VERIFY)
    bindings = index.get(dist.single_binding, [])
    if len(bindings) != 1:
        raise ScriptError(
            f"{dist.name} {dist.version}: expected exactly one SLF4J binding in {dist.lib_dir}/, "
            f"found {bindings or 'none'}",
            EXIT_VERIFY,
        )
    return chosen


def write_launchers(dist: Distribution, home: Path, chosen: dict[str, str]) -> None:
    if not dist.launchers:
        return
    template = (dist.distfiles / "bin" / "tool.sh.in").read_text(encoding="utf-8")
    for launcher in dist.launchers:
        heap = f"export KAFKA_HEAP_OPTS=${{KAFKA_HEAP_OPTS:-{launcher.heap}}}\n" if launcher.heap else ""
        main = chosen[launcher.script] + (f" {launcher.fixed_args}" if launcher.fixed_args else "")
        text = template.replace("@SCRIPT@", launcher.script).replace("@MAIN_CLASS@", main).replace("@HEAP_LINE@", heap)
        path = home / "bin" / launcher.script
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)


def distfiles_of(dist: Distribution) -> list[tuple[str, Path]]:
    """The launcher scripts and config files of ``dist``, as (relative path, source): the
    distfiles without the excluded ones, with the overlay's files laid over them."""
    files = {path.relative_to(dist.distfiles).as_posix(): path for path in dist.distfiles.rglob("*") if path.is_file()}
    files = {relative: path for relative, path in files.items() if relative not in dist.distfiles_exclude}
    if dist.overlay is not None:
        files.update(
            (path.relative_to(dist.overlay).as_posix(), path) for path in dist.overlay.rglob("*") if path.is_file()
        )
    return sorted(files.items())


def distfile_bytes(dist: Distribution, relative: str, source: Path) -> bytes:
    """A distfile's content for ``dist``, with its rewrite applied (one that no longer finds
    its text is an error: the base file changed under it)."""
    content = source.read_bytes()
    for path, old, new in dist.distfiles_rewrite:
        if path == relative:
            if old.encode() not in content:
                raise ScriptError(f"{source}: the rewrite for {dist.top_dir} no longer finds {old!r}", EXIT_VERIFY)
            content = content.replace(old.encode(), new.encode())
    return content


def copy_distfiles(dist: Distribution, home: Path) -> None:
    """Copy the launcher scripts and config files (not the template) into the staging tree."""
    for relative, source in distfiles_of(dist):
        if source.name.endswith(".in"):
            continue
        target = home / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(distfile_bytes(dist, relative, source))
        target.chmod(0o755 if source.suffix == ".sh" else 0o644)


def provenance(dist: Distribution, pom: str, jars: Sequence[str], chosen: dict[str, str]) -> str:
    """The text of the archive's ASSEMBLY.txt: where every jar came from (no timestamps)."""
    lines = [
        f"{dist.top_dir}: assembled by kafka-iac scripts/artifacts.py from a Maven repository,",
        f"because Apache's download site was not reachable. Jars resolved by {DEPENDENCY_PLUGIN}",
        "copy-dependencies (runtime scope) for:",
        *(f"  {dep}" for dep in dist.dependencies),
        "",
        "bin/ launchers and their main classes:",
        *(f"  {script}: {main}" for script, main in sorted(chosen.items())),
        "",
        f"{dist.lib_dir}/ ({len(jars)} jars):",
        *(f"  {jar}" for jar in jars),
        "",
        "Generated pom:",
        pom,
    ]
    return "\n".join(lines)


def assemble_maven(dist: Distribution, archive: Path, cache: Path) -> None:
    """Assemble the archive from Maven Central jars, the launchers and the config files."""
    mvn = require_tool("mvn", "install Maven (apt-get install maven) to assemble from Maven Central")
    repository = maven_repository_url()
    check_free_space(cache)
    with step(f"Look up {dist.name} {dist.version} on {repository}"):
        probe_maven(dist.dependencies + dist.boms, repository)
    work = Path(tempfile.mkdtemp(prefix=f"build-{dist.top_dir}-", dir=cache))
    try:
        home = work / dist.top_dir
        lib = home / dist.lib_dir
        lib.mkdir(parents=True)
        pom = generate_pom(dist)
        (work / "pom.xml").write_text(pom, encoding="utf-8")
        (work / "settings.xml").write_text(settings_xml(repository), encoding="utf-8")
        with step(f"Resolve {dist.name} jars with mvn ({DEPENDENCY_PLUGIN})"):
            result = run(
                [
                    mvn, "-B", "-q", "-s", work / "settings.xml", "-f", work / "pom.xml",
                    f"-Dmaven.repo.local={cache / 'maven-repo'}",
                    f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                    "-DincludeScope=runtime", f"-DoutputDirectory={lib}",
                ],
                timeout=MVN_TIMEOUT_S,
            )  # fmt: skip
            if result.returncode != 0:
                raise classify_mvn_failure(result.stdout + result.stderr, dist)
            jars = sorted(p.name for p in lib.glob("*.jar"))
            say(f"    {len(jars)} jars, {sum(p.stat().st_size for p in lib.glob('*.jar')) >> 20} MiB")
        with step(f"Check main classes and write {dist.top_dir}/bin"):
            chosen = resolve_launchers(dist, class_index(lib))
            copy_distfiles(dist, home)
            write_launchers(dist, home, chosen)
            chosen.update(_static_launchers(dist))
            (home / "ASSEMBLY.txt").write_text(provenance(dist, pom, jars, chosen), encoding="utf-8")
            for script, main in sorted(chosen.items()):
                say(f"    bin/{script}: {main}")
        with step(f"Pack {archive.name} reproducibly"):
            reprotar.build_reproducible_tgz(home, archive)
            say(f"    {archive.stat().st_size >> 20} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _static_launchers(dist: Distribution) -> dict[str, str]:
    if dist.name == "Kafka" and dist.kraft_only:
        return {"kafka-server-start.sh": "kafka.Kafka"}
    if dist.name == "Kafka":
        return {
            "kafka-server-start.sh": "kafka.Kafka",
            "zookeeper-server-start.sh": "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        }
    return {
        "zkServer.sh": "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        "zkCli.sh": "org.apache.zookeeper.ZooKeeperMain",
        "zkCleanup.sh": "org.apache.zookeeper.server.PurgeTxnLog",
    }


def recipe_hash(dist: Distribution) -> str:
    """Hash of everything an assembled archive is made from except the jars' bytes: the pom,
    the plugin, the launcher table and the files under ``scripts/lib/distfiles``. A cached
    archive assembled by another recipe is rebuilt (its ``.recipe`` file holds this hash)."""
    digest = hashlib.sha256(generate_pom(dist).encode())
    digest.update(repr((dist.launchers, dist.required_classes, dist.required_files)).encode())
    for relative, path in distfiles_of(dist):
        digest.update(relative.encode() + b"\0" + distfile_bytes(dist, relative, path) + b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# One archive


def ensure_archive(dist: Distribution, artifacts: Path, cache: Path, source: str, force: bool) -> str:
    """Make sure ``artifacts/<archive>`` and its ``.sha512`` exist and match; return what was done."""
    archive = artifacts / dist.archive_name
    state = cached_state(archive)
    recipe_file = archive.with_name(archive.name + ".recipe")
    if state == "present" and recipe_file.is_file() and recipe_file.read_text().strip() != recipe_hash(dist):
        say(f"    {archive.name} was assembled by another recipe (pom, bin/ or config/ changed): rebuilding it")
        state = "stale"
    if state == "present" and not force:
        with step(f"Verify cached {archive.name}"):
            digest = verify_cached(archive)
            check_layout(archive, dist)
            say(f"    sha512 {digest[:32]}... matches {archive.name}.sha512: nothing to do")
        return "cached"
    if state == "incomplete":
        say(f"    {archive.name} has no .sha512 (an interrupted run?): building it again")
    if force and state != "missing":
        say(f"    --force: rebuilding {archive.name}")
    for stale in (archive, archive.with_name(archive.name + ".sha512"), recipe_file):
        stale.unlink(missing_ok=True)

    how = ""
    if source in ("auto", "apache"):
        with step(f"Try Apache's download site for {archive.name}"):
            if fetch_apache(dist, archive):
                how = "downloaded"
        if not how and source == "apache":
            raise ScriptError(f"no Apache download site answered for {archive.name} (and --source apache)", EXIT_FETCH)
    if not how:
        assemble_maven(dist, archive, cache)
        # Written before the .sha512, which marks the archive complete.
        recipe_file.write_text(recipe_hash(dist) + "\n", encoding="ascii")
        how = "assembled"
    with step(f"Write and check {archive.name}.sha512"):
        check_layout(archive, dist)
        reprotar.write_sha512_file(archive)
        digest = verify_cached(archive)
        say(f"    sha512 {digest}")
    return how


# ---------------------------------------------------------------------------------------------
# Smoke test


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ScriptError(f"smoke test: {what} exited with {process.returncode}; see {log}", EXIT_VERIFY)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise ScriptError(
        f"smoke test: {what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s; see {log}", EXIT_VERIFY
    )


def _extract(archive: Path, into: Path) -> None:
    with tarfile.open(archive, mode="r:gz") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # Python before 3.11.4: our own archive, checked against its SHA-512 just before.
            tar.extractall(into)


@contextmanager
def _service(cmd: Sequence[str | Path], log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group; stop that group (TERM, then KILL) on the way out."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(c) for c in cmd],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    with suppress(ProcessLookupError):
                        os.killpg(process.pid, 9)
                    process.wait()


def _tool(cmd: Sequence[str | Path], what: str, *, input_text: str | None = None, timeout: float = 90) -> str:
    result = run(cmd, input_text=input_text, timeout=timeout, env={"KAFKA_HEAP_OPTS": "-Xmx256M"})
    if result.returncode != 0:
        raise ScriptError(
            f"smoke test: {what} failed (exit {result.returncode}): {tail(result.stderr or result.stdout, 3)}",
            EXIT_VERIFY,
        )
    return result.stdout


def smoke_test(
    kafka_archive: Path, zk_archive: Path, kafka: Distribution, zookeeper: Distribution, cache: Path
) -> None:
    """Start ZooKeeper and one broker on 127.0.0.1 from the archives and do a round trip."""
    require_tool("java", "install Java 17 (apt-get install openjdk-17-jre-headless) to run the smoke test")
    work = Path(tempfile.mkdtemp(prefix="smoke-", dir=cache))
    ok = False
    try:
        with step("Smoke test: extract both archives"):
            _extract(kafka_archive, work)
            _extract(zk_archive, work)
        kafka_home, zk_home = work / kafka.top_dir, work / zookeeper.top_dir
        zk_port, kafka_port = _free_port(), _free_port()
        zk_cfg = work / "zoo.cfg"
        zk_cfg.write_text(
            f"tickTime=2000\ndataDir={work / 'zk-data'}\nclientPort={zk_port}\nclientPortAddress=127.0.0.1\n"
            "admin.enableServer=false\n4lw.commands.whitelist=srvr,ruok\n",
            encoding="utf-8",
        )
        server_properties = work / "server.properties"
        server_properties.write_text(
            f"broker.id=1\nlisteners=PLAINTEXT://127.0.0.1:{kafka_port}\nlog.dirs={work / 'kafka-data'}\n"
            f"zookeeper.connect=127.0.0.1:{zk_port}\noffsets.topic.replication.factor=1\n"
            "transaction.state.log.replication.factor=1\ntransaction.state.log.min.isr=1\n"
            "group.initial.rebalance.delay.ms=0\nauto.create.topics.enable=false\n",
            encoding="utf-8",
        )
        bootstrap = f"127.0.0.1:{kafka_port}"
        zk_env = {"ZOO_LOG_DIR": str(work / "zk-logs"), "ZK_SERVER_HEAP": "256"}
        kafka_env = {"LOG_DIR": str(work / "kafka-logs"), "KAFKA_HEAP_OPTS": "-Xmx512M -Xms256M"}
        with ExitStack() as services:
            with step(f"Smoke test: start ZooKeeper (bin/zkServer.sh start-foreground) on 127.0.0.1:{zk_port}"):
                zk_log = work / "zookeeper.out"
                zk_process = services.enter_context(
                    _service([zk_home / "bin" / "zkServer.sh", "start-foreground", zk_cfg], zk_log, zk_env)
                )
                _wait_for_port(zk_port, zk_process, "ZooKeeper", zk_log, 60)
                status = _tool([zk_home / "bin" / "zkServer.sh", "status", zk_cfg], "zkServer.sh status")
                say(f"    zkServer.sh status: {tail(status, 1)}")
            with step(f"Smoke test: start a broker (bin/kafka-server-start.sh) on {bootstrap}"):
                kafka_log = work / "kafka.out"
                broker = services.enter_context(
                    _service([kafka_home / "bin" / "kafka-server-start.sh", server_properties], kafka_log, kafka_env)
                )
                _wait_for_port(kafka_port, broker, "the Kafka broker", kafka_log, 90)
            _smoke_round_trip(kafka_home, bootstrap)
            _smoke_registered_in_zookeeper(kafka_home, zk_home, zk_port)
            _smoke_server_log(work, "started (kafka.server.KafkaServer)", "log4j.properties")
            with step("Smoke test: stop the broker, then ZooKeeper"):
                services.close()
        ok = True
    finally:
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"    smoke test files kept in {work}")


def _smoke_round_trip(kafka_home: Path, bootstrap: str) -> None:
    bin_dir = kafka_home / "bin"
    topic = "kafka-iac-smoke"
    with step(f"Smoke test: create topic {topic} (bin/kafka-topics.sh)"):
        _tool(
            [bin_dir / "kafka-topics.sh", "--bootstrap-server", bootstrap, "--create", "--topic", topic,
             "--partitions", "1", "--replication-factor", "1"],
            "kafka-topics.sh --create",
        )  # fmt: skip
        described = _tool(
            [bin_dir / "kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", topic],
            "kafka-topics.sh --describe",
        )
        if "PartitionCount: 1" not in described:
            raise ScriptError(
                f"smoke test: kafka-topics.sh --describe did not show the topic: {tail(described, 2)}", EXIT_VERIFY
            )
    message = f"hello from kafka-iac {uuid.uuid4()}"
    with step("Smoke test: produce one message (bin/kafka-console-producer.sh)"):
        _tool([bin_dir / "kafka-console-producer.sh", "--bootstrap-server", bootstrap, "--topic", topic],
              "kafka-console-producer.sh", input_text=message + "\n")  # fmt: skip
    with step("Smoke test: consume it (bin/kafka-console-consumer.sh)"):
        consumed = _tool(
            [bin_dir / "kafka-console-consumer.sh", "--bootstrap-server", bootstrap, "--topic", topic,
             "--from-beginning", "--max-messages", "1", "--timeout-ms", "60000"],
            "kafka-console-consumer.sh",
        )  # fmt: skip
        if message not in consumed.splitlines():
            raise ScriptError(f"smoke test: consumed {consumed.strip()!r}, expected {message!r}", EXIT_VERIFY)
        say(f"    round trip ok: {message}")


def _smoke_registered_in_zookeeper(kafka_home: Path, zk_home: Path, zk_port: int) -> None:
    with step("Smoke test: broker registered in ZooKeeper (bin/zookeeper-shell.sh, zkCli.sh)"):
        shells: list[list[str | Path]] = [
            [kafka_home / "bin" / "zookeeper-shell.sh", f"127.0.0.1:{zk_port}", "ls", "/brokers/ids"],
            [zk_home / "bin" / "zkCli.sh", "-server", f"127.0.0.1:{zk_port}", "ls", "/brokers/ids"],
        ]
        for cmd in shells:
            listing = _tool(cmd, Path(cmd[0]).name)
            if "[1]" not in (line.strip() for line in listing.splitlines()):
                raise ScriptError(
                    f"smoke test: {Path(cmd[0]).name} ls /brokers/ids gave {tail(listing, 1)!r}", EXIT_VERIFY
                )


def _smoke_server_log(work: Path, started: str, config: str) -> None:
    server_log = work / "kafka-logs" / "server.log"
    if not server_log.is_file() or started not in server_log.read_text(errors="replace"):
        raise ScriptError(f"smoke test: {server_log} does not say the server started ({config}?)", EXIT_VERIFY)
    say(f"    server log written by config/{config}: {server_log.name}")


def kraft_smoke_test(kafka_archive: Path, kafka: Distribution, cache: Path) -> None:
    """Format and start one combined KRaft node (Kafka 4.x) on 127.0.0.1 from the archive, show
    its quorum with bin/kafka-metadata-quorum.sh and do a round trip."""
    require_tool("java", "install Java 17 (apt-get install openjdk-17-jre-headless) to run the smoke test")
    work = Path(tempfile.mkdtemp(prefix="smoke-", dir=cache))
    ok = False
    try:
        with step("Smoke test: extract the archive"):
            _extract(kafka_archive, work)
        kafka_home = work / kafka.top_dir
        bin_dir = kafka_home / "bin"
        kafka_port, controller_port = _free_port(), _free_port()
        server_properties = work / "server.properties"
        server_properties.write_text(
            f"process.roles=broker,controller\nnode.id=1\nlog.dirs={work / 'kafka-data'}\n"
            f"listeners=PLAINTEXT://127.0.0.1:{kafka_port},CONTROLLER://127.0.0.1:{controller_port}\n"
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{kafka_port}\n"
            "controller.listener.names=CONTROLLER\ninter.broker.listener.name=PLAINTEXT\n"
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT\n"
            f"controller.quorum.bootstrap.servers=127.0.0.1:{controller_port}\n"
            "offsets.topic.replication.factor=1\ntransaction.state.log.replication.factor=1\n"
            "transaction.state.log.min.isr=1\nshare.coordinator.state.topic.replication.factor=1\n"
            "share.coordinator.state.topic.min.isr=1\ngroup.initial.rebalance.delay.ms=0\n"
            "auto.create.topics.enable=false\n",
            encoding="utf-8",
        )
        with step("Smoke test: format the log directory (bin/kafka-storage.sh format --standalone)"):
            cluster_id = _tool([bin_dir / "kafka-storage.sh", "random-uuid"], "kafka-storage.sh random-uuid").strip()
            _tool(
                [bin_dir / "kafka-storage.sh", "format", "--standalone", "-t", cluster_id, "-c", server_properties],
                "kafka-storage.sh format",
            )
            say(f"    cluster id {cluster_id}")
        bootstrap = f"127.0.0.1:{kafka_port}"
        kafka_env = {"LOG_DIR": str(work / "kafka-logs"), "KAFKA_HEAP_OPTS": "-Xmx512M -Xms256M"}
        with ExitStack() as services:
            with step(f"Smoke test: start a combined node (bin/kafka-server-start.sh) on {bootstrap}"):
                kafka_log = work / "kafka.out"
                node = services.enter_context(
                    _service([bin_dir / "kafka-server-start.sh", server_properties], kafka_log, kafka_env)
                )
                _wait_for_port(kafka_port, node, "the Kafka node", kafka_log, 90)
            with step("Smoke test: quorum leader (bin/kafka-metadata-quorum.sh describe --status)"):
                status = _tool(
                    [bin_dir / "kafka-metadata-quorum.sh", "--bootstrap-controller", f"127.0.0.1:{controller_port}",
                     "describe", "--status"],
                    "kafka-metadata-quorum.sh describe",
                )  # fmt: skip
                if not re.search(r"^LeaderId:\s+1$", status, re.MULTILINE):
                    raise ScriptError(f"smoke test: no quorum leader 1 in {tail(status, 8)!r}", EXIT_VERIFY)
                say("    LeaderId: 1")
            _smoke_round_trip(kafka_home, bootstrap)
            with step("Smoke test: stop the node"):
                services.close()
        _smoke_server_log(work, "Kafka Server started", "log4j2.yaml")
        ok = True
    finally:
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"    smoke test files kept in {work}")


# ---------------------------------------------------------------------------------------------


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Serialise runs that share a cache (make may start two at once): the second one waits,
    then finds the archives the first one made."""
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"    another scripts/artifacts.py is using {lock_path.parent}: waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: Sequence[str] | None = None) -> int:
    def body() -> int:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        cache = cache_root(args.cache)
        artifacts = cache / "artifacts"
        try:
            artifacts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScriptError(f"cannot create {artifacts}: {exc.strerror}", EXIT_RESOURCE) from exc
        if not os.access(artifacts, os.W_OK):
            raise ScriptError(f"{artifacts}: not writable", EXIT_RESOURCE)
        say(f"artifacts directory: {artifacts}")
        kafka = kafka_distribution(args.kafka_version, args.scala_version)
        zookeeper = zookeeper_distribution(args.zookeeper_version)
        outcomes = {}
        try:
            with _exclusive(artifacts / ".lock"):
                for dist in (kafka, zookeeper):
                    outcomes[dist.archive_name] = ensure_archive(dist, artifacts, cache, args.source, args.force)
        except OSError as exc:
            raise ScriptError(f"{exc.filename or artifacts}: {exc.strerror}", EXIT_RESOURCE) from exc
        if all(how == "cached" for how in outcomes.values()):
            say("cache is warm: both archives present and verified, nothing to do")
        else:
            for name, how in outcomes.items():
                say(f"{name}: {how}")
        if args.smoke and kafka.kraft_only:
            kraft_smoke_test(artifacts / kafka.archive_name, kafka, cache)
        elif args.smoke:
            smoke_test(artifacts / kafka.archive_name, artifacts / zookeeper.archive_name, kafka, zookeeper, cache)
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
