#!/usr/bin/env python3
"""The parse floor: read every YAML file under the given paths with PyYAML's ``CSafeLoader``
(libyaml) and nothing else, split over ``--processes`` processes (this one and forked ones).

    .venv/bin/python bench/parse_floor.py --processes 2 ESTATE_DIR

What any loader of the same files must at least spend: no variables, no precedence, no
model, no positions. Prints the file count and bytes read on stderr; exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

SUFFIXES = (".yml", ".yaml")


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``.yml`` / ``.yaml`` file under ``paths``, sorted (a file given is taken as is)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(item for item in path.rglob("*") if item.suffix in SUFFIXES and item.is_file())
        elif path.is_file():
            found.append(path)
    return sorted(found)


def shares(files: Sequence[Path], count: int) -> list[list[Path]]:
    """``files`` in ``count`` lists of about equal bytes (largest first, each to the lightest)."""
    buckets: list[list[Path]] = [[] for _ in range(max(1, count))]
    weights = [0] * len(buckets)
    for item in sorted(files, key=lambda path: (-path.stat().st_size, str(path))):
        lightest = weights.index(min(weights))
        buckets[lightest].append(item)
        weights[lightest] += item.stat().st_size
    return buckets


class ParseError(Exception):
    """A file that is no YAML: its path and libyaml's message, in one line."""


def parse(files: Iterable[Path]) -> int:
    """Parse each file fully; the number of documents read."""
    documents = 0
    for path in files:
        with path.open("rb") as handle:
            try:
                documents += sum(1 for _ in yaml.load_all(handle, Loader=yaml.CSafeLoader))
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = f":{mark.line + 1}" if mark is not None else ""
                problem = getattr(error, "problem", None) or error
                raise ParseError(f"{path}{line}: {problem}") from None
    return documents


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if not hasattr(yaml, "CSafeLoader"):
        print("parse_floor: PyYAML was built without libyaml (no CSafeLoader)", file=sys.stderr)
        return 2
    files = yaml_files(args.paths)
    buckets = shares(files, args.processes)
    forked = []
    for bucket in buckets[1:]:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                parse(bucket)
            except ParseError as error:
                print(f"parse_floor: {error}", file=sys.stderr)
                code = 1
            except BaseException:
                code = 1
            os._exit(code)
        forked.append(pid)
    failed = 0
    documents = 0
    try:
        documents = parse(buckets[0])
    except ParseError as error:
        print(f"parse_floor: {error}", file=sys.stderr)
        failed = 1
    for pid in forked:
        _, status = os.waitpid(pid, 0)
        failed += os.waitstatus_to_exitcode(status) != 0
    size = sum(path.stat().st_size for path in files)
    print(
        f"parse_floor: {len(files)} files, {size} bytes, {len(buckets)} processes ({documents} documents in this one)",
        file=sys.stderr,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
