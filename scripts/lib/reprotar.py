"""Reproducible ``.tar.gz`` archives and SHA-512 checksum files.

Two builds from the same files give byte-identical archives: entries are sorted, every mtime
is :data:`FIXED_MTIME`, owner and group are ``root:root`` (0:0), modes are normalised
(directories and executables 0755, other files 0644) and the gzip header carries no name and
no timestamp. The archive's SHA-512 is therefore stable across runs and machines.

Checksum files we write use the ``sha512sum`` format (``<128 lowercase hex>  <file name>``),
so ``sha512sum -c kafka_2.13-3.9.1.tgz.sha512`` works in the artifacts directory. The parser
also reads Apache's two published styles: GnuPG's ``--print-md`` layout (``name: 8F1A 2B3C
...`` in upper-case groups, possibly over several lines, as Kafka publishes) and BSD's
``SHA512 (name) = hex``.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import stat
import tarfile
from pathlib import Path

# 2000-01-01T00:00:00Z: any fixed value works; zero would show as 1970 and confuse people.
FIXED_MTIME = 946_684_800

_HEX128 = re.compile(r"[0-9a-fA-F]{128}")
_SHA512SUM = re.compile(r"^(?P<hex>[0-9a-fA-F]{128}) [ *](?P<name>\S.*)$")
_BSD = re.compile(r"^SHA512 \((?P<name>.+)\) = (?P<hex>[0-9a-fA-F]{128})$")
_GPG = re.compile(r"^(?P<name>[^:\s][^:]*):(?P<hex>[0-9a-fA-F\s]+)$")


class ChecksumError(Exception):
    """A checksum file that cannot be read, or an archive that does not match it."""


def sha512_of(path: Path) -> str:
    """The SHA-512 of a file as 128 lowercase hex digits."""
    digest = hashlib.sha512()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_sha512_text(text: str, source: str) -> tuple[str, str | None]:
    """Return ``(hex, file name or None)`` from a checksum file's text in any supported style.

    ``source`` names the file in error messages.
    """
    body = text.strip()
    if not body:
        raise ChecksumError(f"{source}: empty checksum file")
    first_line = body.splitlines()[0].strip()
    for pattern in (_SHA512SUM, _BSD):
        match = pattern.match(first_line)
        if match:
            return match.group("hex").lower(), match.group("name").strip()
    match = _GPG.match(body.replace("\n", " "))
    if match:
        digits = re.sub(r"\s+", "", match.group("hex"))
        if _HEX128.fullmatch(digits):
            return digits.lower(), match.group("name").strip()
    if _HEX128.fullmatch(first_line):
        return first_line.lower(), None
    raise ChecksumError(f"{source}: line 1: not a SHA-512 checksum (expected '<128 hex digits>  <file name>')")


def write_sha512_file(archive: Path) -> Path:
    """Write ``<archive>.sha512`` in ``sha512sum`` format (atomically) and return its path."""
    target = archive.with_name(archive.name + ".sha512")
    partial = target.with_name(target.name + ".partial")
    partial.write_text(f"{sha512_of(archive)}  {archive.name}\n", encoding="ascii")
    partial.replace(target)
    return target


def verify_sha512(archive: Path, checksum_file: Path) -> str:
    """Check an archive against its checksum file; return the digest or raise ChecksumError."""
    if not checksum_file.is_file():
        raise ChecksumError(f"{checksum_file}: missing")
    expected, name = parse_sha512_text(checksum_file.read_text(encoding="utf-8", errors="replace"), str(checksum_file))
    if name is not None and Path(name).name != archive.name:
        raise ChecksumError(f"{checksum_file}: line 1: names '{name}', not '{archive.name}'")
    actual = sha512_of(archive)
    if actual != expected:
        raise ChecksumError(
            f"{archive}: SHA-512 mismatch (expected {expected[:16]}..., got {actual[:16]}...): "
            "the file is corrupt or was changed"
        )
    return actual


def _normalised(info: tarfile.TarInfo, executable: bool) -> tarfile.TarInfo:
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode = 0o755 if info.isdir() or executable else 0o644
    return info


def build_reproducible_tgz(source_dir: Path, archive: Path) -> None:
    """Pack ``source_dir`` as ``<its name>/...`` into ``archive``, reproducibly and atomically.

    Only directories and regular files are packed (symlinks would make the result depend on the
    machine). A file is executable in the archive when any execute bit is set on disk.
    """
    top = source_dir.name
    entries = sorted(source_dir.rglob("*"), key=lambda p: p.relative_to(source_dir).as_posix())
    partial = archive.with_name(archive.name + ".partial")
    # filename="" and mtime=0 keep the gzip header free of anything that changes per run.
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        tar.addfile(_normalised(tar.gettarinfo(str(source_dir), arcname=top), executable=True))
        for path in entries:
            arcname = f"{top}/{path.relative_to(source_dir).as_posix()}"
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                raise ValueError(f"{path}: only regular files and directories can be packed")
            info = tar.gettarinfo(str(path), arcname=arcname)
            mode = path.stat().st_mode
            info = _normalised(info, executable=bool(mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)))
            if info.isdir():
                tar.addfile(info)
            else:
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
    partial.replace(archive)


def archive_members(archive: Path) -> list[str]:
    """The member names of a ``.tar.gz`` (used to check the layout of an archive)."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            return tar.getnames()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ChecksumError(f"{archive}: not a readable .tar.gz ({exc})") from exc
