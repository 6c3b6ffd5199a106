#!/usr/bin/env python3
"""Generate kafkalint's config catalogue from the real Kafka jars (a developer tool).

For each Kafka release it fetches ``org.apache.kafka:kafka_2.13:<version>`` and its
dependencies (``kafka-clients``, ``kafka-storage`` which holds ``LogConfig``, ...) from Maven
Central with ``mvn`` and a throw-away pom, compiles ``scripts/catalogue/DumpConfigDefs.java``
against them and runs it: it prints the ``ConfigDef`` of the broker (``KafkaConfig``), topic
(``LogConfig``), producer (``ProducerConfig``) and consumer (``ConsumerConfig``) as JSON.
The result goes to ``policies/kafkalint/catalogue/kafka-<major>.<minor>.json`` in the format
documented in ``kafkalint/catalogue.py`` (plus ``importance``, ``required``, ``internal``,
``validator_kind``, ``range``, ``enum`` and ``enum_case_insensitive`` read from the validator
objects themselves).

Nothing at lint time needs Java or Maven: the JSON files are committed. Needs ``mvn`` and a
JDK 17 (``javac``, ``java``) on PATH, and Maven Central.

    .venv/bin/python scripts/gen_catalogue.py                 # every release in RELEASES
    .venv/bin/python scripts/gen_catalogue.py 3.9.1 4.0.2     # just these
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAVA_SOURCE = ROOT / "scripts" / "catalogue" / "DumpConfigDefs.java"
OUTPUT = ROOT / "policies" / "kafkalint" / "catalogue"

#: One release per line: the project's pinned 3.9.1, else the newest patch release (4.4.0 is not
#: fully published on Maven Central: kafka-tools-api 4.4.0 is missing).
RELEASES = ("3.6.2", "3.7.2", "3.8.1", "3.9.1", "4.0.2", "4.1.2", "4.2.1", "4.3.1")

#: Pinned so the fetch is reproducible.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafkalint.catalogue</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-clients</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


def _run(command: list[str], cwd: Path, log: Path) -> str:
    with log.open("a", encoding="utf-8") as stream:
        stream.write("$ " + " ".join(command) + "\n")
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        stream.write(result.stderr)
    if result.returncode != 0:
        sys.exit(
            f"command failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result.stdout


def fetch(version: str, work: Path, log: Path) -> Path:
    """Copy the jars of Kafka ``version`` into ``work/libs``."""
    (work / "pom.xml").write_text(POM.format(version=version), encoding="utf-8")
    libs = work / "libs"
    _run(
        [
            "mvn",
            "-B",
            "-q",
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        ],
        work,
        log,
    )
    return libs


def dump(version: str, libs: Path, work: Path, log: Path) -> dict[str, object]:
    classes = work / "classes"
    classes.mkdir(exist_ok=True)
    classpath = f"{libs}/*"
    _run(["javac", "-nowarn", "-d", str(classes), "-cp", classpath, str(JAVA_SOURCE)], work, log)
    output = _run(["java", "-cp", f"{classes}:{classpath}", "DumpConfigDefs"], work, log)
    kinds = json.loads(output)
    return {"version": version, "source": f"org.apache.kafka:kafka_2.13:{version} (ConfigDef)", "kinds": kinds}


def generate(version: str, log: Path) -> Path:
    line = ".".join(version.split(".")[:2])
    with tempfile.TemporaryDirectory(prefix=f"kafkalint-catalogue-{version}-") as temp:
        work = Path(temp)
        data = dump(version, fetch(version, work, log), work, log)
    target = OUTPUT / f"kafka-{line}.json"
    target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", default=list(RELEASES), help="Kafka releases (default: %(default)s)")
    parser.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "kafkalint-gen-catalogue.log")
    args = parser.parse_args(argv)
    for tool in ("mvn", "javac", "java"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH (gen_catalogue needs Maven and a JDK 17)")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for version in args.versions:
        target = generate(version, args.log)
        kinds = json.loads(target.read_text(encoding="utf-8"))["kinds"]
        counts = ", ".join(f"{kind} {len(keys)}" for kind, keys in sorted(kinds.items()))
        print(f"{version}: {target.relative_to(ROOT)} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
