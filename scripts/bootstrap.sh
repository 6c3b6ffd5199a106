#!/usr/bin/env bash
# Install everything the project's commands need, pinned, into .venv (idempotent).
# Debian packages: Java 17 and Maven assemble the Kafka/ZooKeeper archives and compile the
# live-test client; they come from Debian 12 (bookworm), whose stable release only takes
# security fixes, so the package names pin the versions. Docker itself is installed by
# scripts/testhosts.py when test hosts are wanted.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

need_apt=()
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: error: need root to install ${need_apt[*]} (or install them yourself)" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.kafka-iac-requirements
want=$(cat requirements/dev.in requirements/constraints.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing pinned Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt -r requirements/dev.in
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  # Compiled once here: kafkalint's cold start stays fast even where PYTHONDONTWRITEBYTECODE is set.
  .venv/bin/python -m compileall -q policies
  echo "$want" > "$stamp"
else
  echo "bootstrap: .venv is up to date"
fi
echo "bootstrap: done in $((SECONDS - started)) s"
