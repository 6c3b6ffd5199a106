"""``kafkalint.effective.render`` against the real JVM's ``java.util.Properties``.

Whatever a key or value holds (line breaks, ``=`` and ``:`` in keys, leading blanks, ``#`` and
``!``, backslashes, characters outside ASCII and the BMP), the rendered file read back with
``Properties.load(InputStream)`` (how Kafka and ZooKeeper read theirs) gives exactly the keys and
values rendered, and no other: one property per key, never a line injected. Generated
configs are written as files and read by one JVM per batch (``java/ReadProperties.java``,
compiled with the JDK's ``javac``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkalint import effective

JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "ReadProperties.java"

_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*list("\r\n\t\x0c \\=:#!\x00\x85\u2028é€"), "😀", "�"]),
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0, max_codepoint=0x7F),
    ),
    max_size=12,
)
_CONFIGS = st.dictionaries(_TEXT, _TEXT, max_size=6)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    javac, java = shutil.which("javac"), shutil.which("java")
    assert javac and java, "javac/java 17 not found on PATH (openjdk-17-jdk-headless)"
    classes = tmp_path_factory.mktemp("classes")
    subprocess.run(
        [javac, "-Xlint:all", "-Werror", "-d", str(classes), str(JAVA_SOURCE)], check=True, capture_output=True
    )
    return [java, "-cp", str(classes), "ReadProperties"]


def _read_back(reader: list[str], paths: list[Path]) -> list[dict[str, str]]:
    done = subprocess.run([*reader, *map(str, paths)], check=True, capture_output=True, text=True)
    results: list[dict[str, str]] = []
    for line in done.stdout.splitlines():
        if line.startswith("file "):
            results.append({})
            continue
        key, _, value = line.partition(" ")
        results[-1][_unhex(key)] = _unhex(value)
    return results


def _unhex(text: str) -> str:
    units = bytes.fromhex(text)
    return units.decode("utf-16-be", errors="surrogatepass")


def _render(config: dict[str, str]) -> str:
    return effective.render({key: effective.Value(value, "inventory") for key, value in config.items()})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(_CONFIGS, min_size=30, max_size=30))
def test_the_jvm_reads_back_exactly_what_was_rendered(
    reader: list[str], tmp_path_factory: pytest.TempPathFactory, batch: list[dict[str, str]]
) -> None:
    directory = tmp_path_factory.mktemp("rendered")
    paths = []
    for index, config in enumerate(batch):
        path = directory / f"{index}.properties"
        text = _render(config)
        assert text.isascii()  # brokers read the file as ISO-8859-1: everything else is escaped
        path.write_bytes(text.encode("ascii"))
        paths.append(path)
    assert _read_back(reader, paths) == batch


def test_an_injected_line_stays_inside_its_value(reader: list[str], tmp_path: Path) -> None:
    config = {
        "log.retention.hours": "168\runclean.leader.election.enable=true",
        "num partitions": "6",
        "#comment": " leading blank",
        "listeners": "PLAINTEXT://0.0.0.0:9092",
    }
    path = tmp_path / "server.properties"
    path.write_text(_render(config), encoding="ascii")
    assert _read_back(reader, [path]) == [config]
    assert "listeners=PLAINTEXT://0.0.0.0:9092\n" in path.read_text()  # ordinary values stay as they were
