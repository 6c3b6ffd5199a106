#!/usr/bin/env python3
"""Generate kafkalint's config catalogue from the real Kafka jars (a developer tool).

For each Kafka release it resolves ``org.apache.kafka:kafka_2.13:<version>`` and its
dependencies (``kafka-clients``, ``kafka-storage`` which holds ``LogConfig`` from 3.5, ...) from
Maven Central into the project's cache (``scripts/lib/kafkajars.py``: ``<cache>/maven-repo``,
maven-dependency-plugin pinned), compiles ``scripts/catalogue/ConfigDefs.java`` against them and
runs its ``dump`` mode: the ``ConfigDef`` of the broker (``KafkaConfig``, or
``AbstractKafkaConfig`` from 4.0), topic (``LogConfig``, Scala up to 3.4), producer
(``ProducerConfig``) and consumer (``ConsumerConfig``) as JSON. The result goes to
``policies/kafkalint/catalogue/kafka-<major>.<minor>.json`` in the format documented in
``kafkalint/catalogue.py`` (plus ``importance``, ``required``, ``internal``, ``validator_kind``,
``range``, ``enum``, ``enum_case_insensitive`` and the 4.2+ list flags read from the validator
objects themselves). The releases are :data:`kafkalint.versions.CATALOGUE_RELEASES`.

Nothing at lint time needs Java or Maven: the JSON files are committed, and
``tests/catalogue/test_catalogue_jvm.py`` checks them against the same jars. Needs ``mvn`` and a
JDK 17 (``javac``, ``java``) on PATH, and Maven Central.

    .venv/bin/python scripts/gen_catalogue.py                 # every catalogued release
    .venv/bin/python scripts/gen_catalogue.py 3.9.1 4.0.2     # just these
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "policies"))

import kafkajars  # noqa: E402 - needs the path above

from kafkalint.versions import CATALOGUE_RELEASES  # noqa: E402

JAVA_SOURCE = ROOT / "scripts" / "catalogue" / "ConfigDefs.java"
OUTPUT = ROOT / "policies" / "kafkalint" / "catalogue"


def dump(version: str) -> dict[str, object]:
    """The catalogue of Kafka ``version`` as the jars say it."""
    jars = kafkajars.classpath(version)
    classes = kafkajars.compiled(JAVA_SOURCE, jars, version)
    command = kafkajars.java_command("ConfigDefs", classes, jars, "dump")
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise kafkajars.JarsError(f"ConfigDefs dump failed for {version}: {result.stderr.strip()[-2000:]}")
    kinds = json.loads(result.stdout)
    return {"version": version, "source": f"org.apache.kafka:kafka_2.13:{version} (ConfigDef)", "kinds": kinds}


def generate(version: str) -> Path:
    line = ".".join(version.split(".")[:2])
    target = OUTPUT / f"kafka-{line}.json"
    target.write_text(json.dumps(dump(version), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    parser.add_argument(
        "versions", nargs="*", default=list(CATALOGUE_RELEASES), help="Kafka releases (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    try:
        for version in args.versions:
            target = generate(version)
            kinds = json.loads(target.read_text(encoding="utf-8"))["kinds"]
            counts = ", ".join(f"{kind} {len(keys)}" for kind, keys in sorted(kinds.items()))
            print(f"{version}: {target.relative_to(ROOT)} ({counts})", flush=True)
    except kafkajars.JarsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
