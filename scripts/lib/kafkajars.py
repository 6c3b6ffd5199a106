"""The jars of one Kafka release from Maven Central, and Java sources compiled against them.

Used by ``scripts/gen_catalogue.py`` (the catalogue is dumped from each release's ``ConfigDef``)
and by the JVM cross-check of the catalogue (``tests/catalogue/test_catalogue_jvm.py``): both
run ``scripts/catalogue/ConfigDefs.java`` against the same jars, so what the catalogue says and
what the check compares it with come from one place.

The downloads go to ``<cache>/maven-repo`` like ``scripts/artifacts.py``'s (``<cache>`` is
``$KAFKA_IAC_CACHE`` or ``~/.cache/kafka-iac``), with the maven-dependency-plugin pinned; the
resolved classpath of a release is kept in ``<cache>/configdefs/<version>/classpath.txt``, so a
warm cache starts no Maven at all. ``KAFKA_IAC_MAVEN_REPO`` points at a mirror.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2"
MVN_TIMEOUT_S = 1200.0

#: ``kafka_2.13`` brings the broker (``KafkaConfig``), ``kafka-storage`` (``LogConfig``) and the
#: clients. Extra artifacts per release: none needed so far.
_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafka-iac.configdefs</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>{dependencies}</dependencies>
</project>
"""
_DEPENDENCY = (
    "<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version></dependency>"
)
_SETTINGS = """<settings><mirrors><mirror>
  <id>kafka-iac</id><mirrorOf>*</mirrorOf><url>{url}</url>
</mirror></mirrors></settings>
"""


class JarsError(Exception):
    """A release's jars could not be had (Maven missing or failing, a version not served)."""


def cache_dir() -> Path:
    return Path(os.environ.get("KAFKA_IAC_CACHE") or Path.home() / ".cache" / "kafka-iac")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise JarsError(
            f"{name} is not on PATH (needs Maven and a JDK 17: apt-get install maven openjdk-17-jdk-headless)"
        )
    return found


def _coordinates(version: str) -> list[tuple[str, str, str]]:
    return [("org.apache.kafka", "kafka_2.13", version), ("org.apache.kafka", "kafka-clients", version)]


def zookeeper_coordinates(version: str) -> list[tuple[str, str, str]]:
    return [("org.apache.zookeeper", "zookeeper", version)]


def classpath(
    version: str, coordinates: list[tuple[str, str, str]] | None = None, name: str | None = None
) -> list[Path]:
    """The runtime classpath of Kafka ``version`` (or of ``coordinates``), downloading on first use."""
    wanted = coordinates if coordinates is not None else _coordinates(version)
    base = cache_dir() / "configdefs" / (name or version)
    record = base / "classpath.txt"
    if record.is_file():
        jars = [Path(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
        if jars and all(jar.is_file() for jar in jars):
            return jars
    mvn = _tool("mvn")
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"configdefs-{name or version}-", dir=base) as temp:
        work = Path(temp)
        dependencies = "".join(_DEPENDENCY.format(group=g, artifact=a, version=v) for g, a, v in wanted)
        (work / "pom.xml").write_text(_POM.format(dependencies=dependencies), encoding="utf-8")
        url = os.environ.get("KAFKA_IAC_MAVEN_REPO", MAVEN_CENTRAL).rstrip("/")
        (work / "settings.xml").write_text(_SETTINGS.format(url=url), encoding="utf-8")
        output = work / "classpath.txt"
        command = [
            mvn, "-B", "-q", "-s", str(work / "settings.xml"), "-f", str(work / "pom.xml"),
            f"-Dmaven.repo.local={cache_dir() / 'maven-repo'}",
            f"{DEPENDENCY_PLUGIN}:build-classpath", "-DincludeScope=runtime",
            f"-Dmdep.outputFile={output}", "-Dmdep.pathSeparator=\n",
        ]  # fmt: skip
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=MVN_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise JarsError(f"mvn did not resolve {wanted} within {MVN_TIMEOUT_S:.0f} s") from exc
        if result.returncode != 0 or not output.is_file():
            lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
            raise JarsError(f"mvn could not resolve {wanted}: {' | '.join(lines[-4:])}")
        jars = [Path(line) for line in output.read_text(encoding="utf-8").splitlines() if line.strip()]
    record.write_text("".join(f"{jar}\n" for jar in jars), encoding="utf-8")
    return jars


def compiled(source: Path, jars: list[Path], name: str) -> Path:
    """``source`` compiled against ``jars`` (cached by the source's hash): the classes directory."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    classes = cache_dir() / "configdefs" / name / f"classes-{source.stem}-{digest}"
    if (classes / f"{source.stem}.class").is_file():
        return classes
    javac = _tool("javac")
    temp = classes.with_name(f"{classes.name}.tmp-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    command = [
        javac,
        "-nowarn",
        "-encoding",
        "UTF-8",
        "-d",
        str(temp),
        "-cp",
        os.pathsep.join(map(str, jars)),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        shutil.rmtree(temp, ignore_errors=True)
        raise JarsError(f"javac failed on {source} for {name}: {result.stderr.strip()[-2000:]}")
    shutil.rmtree(classes, ignore_errors=True)
    temp.rename(classes)
    return classes


def java_command(main: str, classes: Path, jars: list[Path], *args: str) -> list[str]:
    """The command that runs ``main`` from ``classes`` with ``jars``: a small heap, no JIT tiers."""
    return [
        _tool("java"),
        "-Xmx512m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        os.pathsep.join([str(classes), *map(str, jars)]),
        main,
        *args,
    ]
