"""scripts/artifacts.py: arguments, cache behaviour, checksums, Maven and Apache error paths.

The network paths talk only to an HTTP server on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import http.server
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


def fake_archive(reprotar: ModuleType, dist: object, directory: Path) -> Path:
    """An archive with the layout check_layout wants, plus its .sha512 file."""
    top = directory / "staging" / dist.top_dir  # type: ignore[attr-defined]
    (top / dist.lib_dir).mkdir(parents=True)  # type: ignore[attr-defined]
    (top / dist.lib_dir / "fake.jar").write_bytes(b"jar")  # type: ignore[attr-defined]
    for required in dist.required_files:  # type: ignore[attr-defined]
        path = top / required
        if required.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("#!/bin/sh\n")
    archive = directory / dist.archive_name  # type: ignore[attr-defined]
    reprotar.build_reproducible_tgz(top, archive)
    reprotar.write_sha512_file(archive)
    result: Path = archive
    return result


@pytest.fixture
def warm_cache(artifacts: ModuleType, reprotar: ModuleType, tmp_path: Path) -> Path:
    target = tmp_path / "cache" / "artifacts"
    target.mkdir(parents=True)
    fake_archive(reprotar, artifacts.kafka_distribution("3.9.1", "2.13"), target)
    fake_archive(reprotar, artifacts.zookeeper_distribution("3.8.4"), target)
    return tmp_path / "cache"


class _Server(http.server.ThreadingHTTPServer):
    """Serves ``files`` (path -> bytes); every other path is a 404."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        content = self.server.files.get(self.path)
        self.send_response(200 if content is not None else 404)
        self.send_header("Content-Length", str(len(content or b"")))
        self.end_headers()
        if body and content:
            self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.files
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kafka-version", "3.9"], "--kafka-version '3.9': expected MAJOR.MINOR.PATCH"),
        (["--kafka-version", "4.9.0"], "a 4.x line needs its Log4j 2 release in LOG4J2_VERSIONS"),
        (["--kafka-version", "2.8.2"], "Kafka 3.x and 4.0, 4.1, 4.2, 4.3, 4.4 are supported"),
        (["--scala-version", "2.11"], "--scala-version '2.11': expected one of 2.12, 2.13"),
        (["--zookeeper-version", "latest"], "--zookeeper-version 'latest'"),
    ],
)
def test_bad_versions_are_usage_errors(
    artifacts: ModuleType, argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert artifacts.main([*argv, "--cache", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_unknown_option_is_exit_2(artifacts: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        artifacts.main(["--kafka"])
    assert exc.value.code == 2


def test_cache_location(artifacts: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAFKA_IAC_CACHE", str(tmp_path / "env"))
    assert artifacts.cache_root(None) == tmp_path / "env"
    assert artifacts.cache_root(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("KAFKA_IAC_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert artifacts.cache_root(None) == tmp_path / "home" / ".cache" / "kafka-iac"


# --- warm cache and checksums ----------------------------------------------------------------


def test_warm_cache_does_nothing_and_says_so(
    artifacts: ModuleType, warm_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def archives() -> dict[str, int]:  # the lock file is bookkeeping, not an artifact
        return {p.name: p.stat().st_mtime_ns for p in (warm_cache / "artifacts").glob("[!.]*")}

    before = archives()
    assert artifacts.main(["--cache", str(warm_cache), "--source", "maven"]) == 0
    out = capsys.readouterr().out
    assert "nothing to do" in out
    assert "cache is warm" in out
    assert archives() == before


def test_tampered_cached_archive_is_exit_5_naming_it(
    artifacts: ModuleType, warm_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = warm_cache / "artifacts" / "apache-zookeeper-3.8.4-bin.tar.gz"
    data = bytearray(archive.read_bytes())
    data[-20] ^= 0x01
    archive.write_bytes(bytes(data))
    assert artifacts.main(["--cache", str(warm_cache), "--source", "maven"]) == 5
    err = capsys.readouterr().err
    assert "apache-zookeeper-3.8.4-bin.tar.gz: SHA-512 mismatch" in err
    assert "--force" in err


def test_cached_archive_with_wrong_layout_is_exit_6(
    artifacts: ModuleType, reprotar: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "artifacts"
    target.mkdir()
    wrong = tmp_path / "staging" / "something-else"
    (wrong / "libs").mkdir(parents=True)
    (wrong / "libs" / "a.jar").write_bytes(b"x")
    archive = target / "kafka_2.13-3.9.1.tgz"
    reprotar.build_reproducible_tgz(wrong, archive)
    reprotar.write_sha512_file(archive)
    assert artifacts.main(["--cache", str(tmp_path), "--source", "maven"]) == 6
    assert "outside top directory kafka_2.13-3.9.1/" in capsys.readouterr().err


def test_missing_mvn_is_exit_3(
    artifacts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert artifacts.main(["--cache", str(tmp_path / "c"), "--source", "maven"]) == 3
    assert "'mvn' not found on PATH" in capsys.readouterr().err


# --- Maven Central look-ups ------------------------------------------------------------------


def test_unknown_version_names_the_artifact(artifacts: ModuleType, http_server: tuple[str, dict[str, bytes]]) -> None:
    url, _ = http_server
    dist = artifacts.kafka_distribution("3.9.99", "2.13")
    with pytest.raises(artifacts.ScriptError) as exc:
        artifacts.probe_maven(dist.dependencies, url)
    assert exc.value.exit_code == 4
    assert "org.apache.kafka:kafka_2.13:3.9.99 is not on" in exc.value.message


def test_present_poms_pass_the_probe(artifacts: ModuleType, http_server: tuple[str, dict[str, bytes]]) -> None:
    url, files = http_server
    dist = artifacts.zookeeper_distribution("3.8.4")
    for dep in (*dist.dependencies, *dist.boms):
        if dep.version:
            files[dep.pom_url("")] = b"<project/>"
    artifacts.probe_maven((*dist.dependencies, *dist.boms), url)


def test_unreachable_repository_is_exit_4(artifacts: ModuleType) -> None:
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    with pytest.raises(artifacts.ScriptError) as exc:
        artifacts.probe_maven(dist.dependencies, f"http://127.0.0.1:{closed_port()}/maven2")
    assert exc.value.exit_code == 4
    assert "unreachable" in exc.value.message and "org.apache.kafka:kafka_2.13:3.9.1" in exc.value.message


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("[ERROR] Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central", "artifact org.apache"),
        ("[ERROR] ... Unknown host repo.maven.apache.org: UnknownHostException", "unreachable"),
        ("[ERROR] something else entirely", "mvn failed: [ERROR] something else entirely"),
    ],
)
def test_mvn_failures_are_classified(artifacts: ModuleType, output: str, expected: str) -> None:
    error = artifacts.classify_mvn_failure(output, artifacts.kafka_distribution("3.9.1", "2.13"))
    assert error.exit_code == 4
    assert expected in error.message


def test_generated_pom_pins_the_plugin_and_lists_the_jars(artifacts: ModuleType) -> None:
    import xml.etree.ElementTree as ET

    pom = artifacts.generate_pom(artifacts.zookeeper_distribution("3.8.4"))
    root = ET.fromstring(pom)
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    plugin = root.find("m:build/m:plugins/m:plugin", ns)
    assert plugin is not None
    assert plugin.findtext("m:version", namespaces=ns) == artifacts.DEPENDENCY_PLUGIN.rsplit(":", 1)[1]
    artifacts_ = [d.findtext("m:artifactId", namespaces=ns) for d in root.findall("m:dependencies/m:dependency", ns)]
    assert "zookeeper" in artifacts_ and "jetty-server" in artifacts_
    bom = root.find("m:dependencyManagement/m:dependencies/m:dependency", ns)
    assert bom is not None and bom.findtext("m:scope", namespaces=ns) == "import"


def test_kafka_pom_has_the_reload4j_binding(artifacts: ModuleType) -> None:
    pom = artifacts.generate_pom(artifacts.kafka_distribution("3.9.1", "2.13"))
    assert "<artifactId>slf4j-reload4j</artifactId>" in pom
    assert "<artifactId>reload4j</artifactId><version>1.2.25</version>" in pom
    assert "<artifactId>kafka-tools</artifactId><version>3.9.1</version>" in pom


# --- main classes ----------------------------------------------------------------------------


def make_jar(path: Path, *classes: str) -> None:
    with zipfile.ZipFile(path, "w") as jar:
        for name in classes:
            jar.writestr(name.replace(".", "/") + ".class", b"")


def test_launchers_pick_the_class_present_in_the_jars(artifacts: ModuleType, tmp_path: Path) -> None:
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    candidates = [launcher.candidates[-1] for launcher in dist.launchers]
    make_jar(tmp_path / "core.jar", *candidates, *dist.required_classes)
    make_jar(tmp_path / "tools.jar", "org.apache.kafka.tools.TopicCommand")
    make_jar(tmp_path / "binding.jar", "org.slf4j.impl.StaticLoggerBinder")
    chosen = artifacts.resolve_launchers(dist, artifacts.class_index(tmp_path))
    assert chosen["kafka-topics.sh"] == "org.apache.kafka.tools.TopicCommand"
    assert chosen["kafka-console-producer.sh"] == "kafka.tools.ConsoleProducer"


def test_missing_main_class_names_the_script(artifacts: ModuleType, tmp_path: Path) -> None:
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    make_jar(tmp_path / "core.jar", "kafka.Kafka")
    with pytest.raises(artifacts.ScriptError) as exc:
        artifacts.resolve_launchers(dist, artifacts.class_index(tmp_path))
    assert exc.value.exit_code == 6
    assert "needed by bin/kafka-topics.sh" in exc.value.message


def test_two_slf4j_bindings_are_refused(artifacts: ModuleType, tmp_path: Path) -> None:
    dist = artifacts.zookeeper_distribution("3.8.4")
    make_jar(tmp_path / "zk.jar", *dist.required_classes)
    make_jar(tmp_path / "a.jar", "org.slf4j.impl.StaticLoggerBinder")
    make_jar(tmp_path / "b.jar", "org.slf4j.impl.StaticLoggerBinder")
    with pytest.raises(artifacts.ScriptError, match="exactly one SLF4J binding"):
        artifacts.resolve_launchers(dist, artifacts.class_index(tmp_path))


def test_generated_launcher_runs_kafka_run_class(artifacts: ModuleType, tmp_path: Path) -> None:
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    (tmp_path / "bin").mkdir()
    chosen = {launcher.script: launcher.candidates[0] for launcher in dist.launchers}
    artifacts.write_launchers(dist, tmp_path, chosen)
    producer = (tmp_path / "bin" / "kafka-console-producer.sh").read_text()
    assert 'kafka-run-class.sh" org.apache.kafka.tools.ConsoleProducer "$@"' in producer
    assert "KAFKA_HEAP_OPTS:--Xmx512M" in producer
    shell = (tmp_path / "bin" / "zookeeper-shell.sh").read_text()
    assert "ZooKeeperMainWithTlsSupportForKafka -server" in shell
    assert (tmp_path / "bin" / "kafka-topics.sh").stat().st_mode & 0o111


# --- Apache download path --------------------------------------------------------------------


def test_apache_download_is_verified_against_published_sha512(
    artifacts: ModuleType,
    reprotar: ModuleType,
    http_server: tuple[str, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, files = http_server
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    official = fake_archive(reprotar, dist, tmp_path / "official")
    digest = reprotar.sha512_of(official).upper()
    groups = " ".join(digest[i : i + 8] for i in range(0, 128, 8))
    files[f"/{dist.apache_paths[0]}"] = official.read_bytes()
    files[f"/{dist.apache_paths[0]}.sha512"] = f"{dist.archive_name}: {groups}\n".encode()
    monkeypatch.setattr(artifacts, "APACHE_MIRRORS", (f"http://127.0.0.1:{closed_port()}", url))
    target = tmp_path / "cache" / "artifacts"
    target.mkdir(parents=True)
    assert artifacts.fetch_apache(dist, target / dist.archive_name)
    assert (target / dist.archive_name).read_bytes() == official.read_bytes()

    files[f"/{dist.apache_paths[0]}"] = official.read_bytes() + b"tampered"
    (target / dist.archive_name).unlink()
    with pytest.raises(artifacts.ScriptError) as exc:
        artifacts.fetch_apache(dist, target / dist.archive_name)
    assert exc.value.exit_code == 5
    assert not (target / dist.archive_name).exists()


def test_no_apache_mirror_answering_falls_back(
    artifacts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(artifacts, "APACHE_MIRRORS", (f"http://127.0.0.1:{closed_port()}",))
    dist = artifacts.zookeeper_distribution("3.8.4")
    assert artifacts.fetch_apache(dist, tmp_path / dist.archive_name) is False


# --- recipe of assembled archives ------------------------------------------------------------


def test_matching_recipe_keeps_the_cached_archive(
    artifacts: ModuleType, warm_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for dist in (artifacts.kafka_distribution("3.9.1", "2.13"), artifacts.zookeeper_distribution("3.8.4")):
        (warm_cache / "artifacts" / f"{dist.archive_name}.recipe").write_text(artifacts.recipe_hash(dist) + "\n")
    assert artifacts.main(["--cache", str(warm_cache), "--source", "maven"]) == 0
    assert "cache is warm" in capsys.readouterr().out


def test_changed_recipe_rebuilds_the_archive(
    artifacts: ModuleType,
    warm_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = warm_cache / "artifacts" / "kafka_2.13-3.9.1.tgz"
    (warm_cache / "artifacts" / "kafka_2.13-3.9.1.tgz.recipe").write_text("0" * 64 + "\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # the rebuild then stops at the missing mvn
    assert artifacts.main(["--cache", str(warm_cache), "--source", "maven"]) == 3
    captured = capsys.readouterr()
    assert "assembled by another recipe" in captured.out
    assert "'mvn' not found" in captured.err
    assert not archive.exists()


def test_recipe_follows_the_distfiles(artifacts: ModuleType, tmp_path: Path) -> None:
    import dataclasses
    import shutil

    dist = artifacts.zookeeper_distribution("3.8.4")
    copy = tmp_path / "distfiles"
    shutil.copytree(dist.distfiles, copy)
    moved = dataclasses.replace(dist, distfiles=copy)
    assert artifacts.recipe_hash(moved) == artifacts.recipe_hash(dist)
    (copy / "conf" / "logback.xml").write_text("<configuration/>\n")
    assert artifacts.recipe_hash(moved) != artifacts.recipe_hash(dist)
    assert artifacts.recipe_hash(artifacts.zookeeper_distribution("3.8.3")) != artifacts.recipe_hash(dist)


def test_source_apache_without_a_mirror_is_exit_4(
    artifacts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(artifacts, "APACHE_MIRRORS", (f"http://127.0.0.1:{closed_port()}",))
    assert artifacts.main(["--cache", str(tmp_path), "--source", "apache"]) == 4
    assert "no Apache download site answered for kafka_2.13-3.9.1.tgz" in capsys.readouterr().err


def test_kafka_4_is_kraft_only_and_logs_through_log4j2(artifacts: ModuleType) -> None:
    dist = artifacts.kafka_distribution("4.4.0", "2.13")
    assert dist.kraft_only and dist.top_dir == "kafka_2.13-4.4.0"
    coordinates = {f"{dep.group}:{dep.artifact}:{dep.version}" for dep in dist.dependencies}
    assert "org.apache.logging.log4j:log4j-slf4j-impl:2.25.5" in coordinates
    assert "org.apache.logging.log4j:log4j-core:2.25.5" in coordinates
    assert not any("reload4j" in dep.artifact for dep in dist.dependencies)
    assert "org.apache.zookeeper.server.quorum.QuorumPeerMain" not in dist.required_classes
    assert {"kafka.tools.StorageTool", "org.apache.kafka.tools.MetadataQuorumCommand"} <= set(dist.required_classes)
    scripts = {launcher.script for launcher in dist.launchers}
    assert {"kafka-storage.sh", "kafka-metadata-quorum.sh", "kafka-features.sh"} <= scripts
    assert "zookeeper-shell.sh" not in scripts
    files = dict(artifacts.distfiles_of(dist))
    assert {"config/log4j2.yaml", "config/tools-log4j2.yaml", "bin/kafka-run-class.sh"} <= files.keys()
    assert (
        not {"config/log4j.properties", "config/zookeeper.properties", "bin/zookeeper-server-start.sh"} & files.keys()
    )
    run_class = artifacts.distfile_bytes(dist, "bin/kafka-run-class.sh", files["bin/kafka-run-class.sh"]).decode()
    assert "-Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml" in run_class
    assert "log4j.configuration" not in run_class
    start = artifacts.distfile_bytes(dist, "bin/kafka-server-start.sh", files["bin/kafka-server-start.sh"]).decode()
    assert "-Dlog4j2.configurationFile=$base_dir/../config/log4j2.yaml" in start


def test_the_3x_archive_keeps_its_recipe_when_4x_files_are_added(artifacts: ModuleType) -> None:
    """The 3.x distribution reads none of the 4.x overlay, so the cached 3.9.1 archive (and its
    SHA-512, which running clusters recorded) is not rebuilt by this change."""
    dist = artifacts.kafka_distribution("3.9.1", "2.13")
    assert dist.overlay is None and not dist.kraft_only
    assert all("kafka4" not in str(path) for _, path in artifacts.distfiles_of(dist))
    assert "config/log4j.properties" in dict(artifacts.distfiles_of(dist))
    assert dist.distfiles_rewrite == ()
