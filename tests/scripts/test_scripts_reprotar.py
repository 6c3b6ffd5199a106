"""Reproducible archives and SHA-512 files (scripts/lib/reprotar.py)."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

HEX = "ab" * 64


def make_tree(root: Path, reverse: bool = False) -> Path:
    """A fake distribution: libs/*.jar, bin/ with an executable, config/."""
    home = root / "kafka_2.13-3.9.1"
    files = {
        "libs/kafka_2.13-3.9.1.jar": b"jar one",
        "libs/zookeeper-3.8.4.jar": b"jar two",
        "bin/kafka-server-start.sh": b"#!/bin/sh\n",
        "config/server.properties": b"broker.id=0\n",
    }
    for relative, content in sorted(files.items(), reverse=reverse):
        path = home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (home / "bin" / "kafka-server-start.sh").chmod(0o700)
    return home


def test_parse_sha512sum_format(reprotar: ModuleType) -> None:
    assert reprotar.parse_sha512_text(f"{HEX}  kafka.tgz\n", "f") == (HEX, "kafka.tgz")
    assert reprotar.parse_sha512_text(f"{HEX.upper()} *kafka.tgz\n", "f") == (HEX, "kafka.tgz")


def test_parse_gpg_print_md_format_as_kafka_publishes(reprotar: ModuleType) -> None:
    groups = [HEX[i : i + 8].upper() for i in range(0, 128, 8)]
    text = f"kafka_2.13-3.9.1.tgz: {' '.join(groups[:8])}\n                      {' '.join(groups[8:])}\n"
    assert reprotar.parse_sha512_text(text, "f") == (HEX, "kafka_2.13-3.9.1.tgz")


def test_parse_bsd_and_bare_formats(reprotar: ModuleType) -> None:
    assert reprotar.parse_sha512_text(f"SHA512 (zk.tar.gz) = {HEX}\n", "f") == (HEX, "zk.tar.gz")
    assert reprotar.parse_sha512_text(HEX + "\n", "f") == (HEX, None)


@pytest.mark.parametrize("text", ["", "not a checksum\n", "abc  file\n", f"{HEX[:-2]}  file\n"])
def test_parse_rejects_garbage_naming_the_file(reprotar: ModuleType, text: str) -> None:
    with pytest.raises(reprotar.ChecksumError, match=r"^bad\.sha512: "):
        reprotar.parse_sha512_text(text, "bad.sha512")


def test_build_is_byte_identical_across_runs_and_mtimes(reprotar: ModuleType, tmp_path: Path) -> None:
    first = make_tree(tmp_path / "a")
    second = make_tree(tmp_path / "b", reverse=True)  # created in another order
    for path in second.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    reprotar.build_reproducible_tgz(first, tmp_path / "one.tgz")
    reprotar.build_reproducible_tgz(second, tmp_path / "two.tgz")
    assert (tmp_path / "one.tgz").read_bytes() == (tmp_path / "two.tgz").read_bytes()
    assert reprotar.sha512_of(tmp_path / "one.tgz") == reprotar.sha512_of(tmp_path / "two.tgz")


def test_build_normalises_entries(reprotar: ModuleType, tmp_path: Path) -> None:
    home = make_tree(tmp_path)
    reprotar.build_reproducible_tgz(home, tmp_path / "k.tgz")
    with tarfile.open(tmp_path / "k.tgz") as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names[0] == "kafka_2.13-3.9.1"
    assert names == [names[0], *sorted(names[1:])]
    assert all(m.mtime == reprotar.FIXED_MTIME and m.uid == 0 and m.gid == 0 for m in members)
    assert all(m.uname == "root" and m.gname == "root" for m in members)
    modes = {m.name: m.mode for m in members}
    assert modes["kafka_2.13-3.9.1/bin/kafka-server-start.sh"] == 0o755
    assert modes["kafka_2.13-3.9.1/config/server.properties"] == 0o644
    assert modes["kafka_2.13-3.9.1/libs"] == 0o755


def test_build_rejects_symlinks(reprotar: ModuleType, tmp_path: Path) -> None:
    home = make_tree(tmp_path)
    (home / "libs" / "link.jar").symlink_to(home / "libs" / "zookeeper-3.8.4.jar")
    with pytest.raises(ValueError, match="only regular files"):
        reprotar.build_reproducible_tgz(home, tmp_path / "k.tgz")


def test_written_checksum_verifies_and_a_tampered_archive_does_not(reprotar: ModuleType, tmp_path: Path) -> None:
    home = make_tree(tmp_path)
    archive = tmp_path / "kafka_2.13-3.9.1.tgz"
    reprotar.build_reproducible_tgz(home, archive)
    checksum = reprotar.write_sha512_file(archive)
    assert checksum.read_text() == f"{reprotar.sha512_of(archive)}  kafka_2.13-3.9.1.tgz\n"
    assert reprotar.verify_sha512(archive, checksum) == reprotar.sha512_of(archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(reprotar.ChecksumError, match="SHA-512 mismatch"):
        reprotar.verify_sha512(archive, checksum)


def test_checksum_for_another_file_is_rejected(reprotar: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "a.tgz"
    archive.write_bytes(b"x")
    checksum = tmp_path / "a.tgz.sha512"
    checksum.write_text(f"{reprotar.sha512_of(archive)}  b.tgz\n")
    with pytest.raises(reprotar.ChecksumError, match=r"names 'b\.tgz', not 'a\.tgz'"):
        reprotar.verify_sha512(archive, checksum)


def test_missing_checksum_file(reprotar: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "a.tgz"
    archive.write_bytes(b"x")
    with pytest.raises(reprotar.ChecksumError, match="missing"):
        reprotar.verify_sha512(archive, tmp_path / "a.tgz.sha512")
