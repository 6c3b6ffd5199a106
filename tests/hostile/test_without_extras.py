"""``pip install kafkalint`` without extras: inventories are linted with neither ansible-core
nor cryptography importable, and what needs them says in one line what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, write

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("ansible", "cryptography"):
            raise ImportError(f"{name} is not installed")
        return None
sys.meta_path.insert(0, Block())
from kafkalint import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "policies"), "KAFKALINT_JOBS": "1"}
    return subprocess.run(
        [sys.executable, "-c", BLOCKER, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_inventories_lint_without_ansible(tmp_path: Path) -> None:
    done = _run("--no-config", str(ROOT / "inventories" / "production.example"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_ansible_rendering_says_what_to_install(tmp_path: Path) -> None:
    done = _run("--no-config", "--render=ansible", str(ROOT / "inventories" / "production.example"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "kafkalint: error: --render=ansible needs ansible-core 2.19 or later: pip install 'kafkalint[ansible]'\n"
    )


def test_vault_without_cryptography_says_what_to_install(tmp_path: Path) -> None:
    write(
        tmp_path, "inv/hosts.yml", "kafka_broker: {hosts: {k1: {kafka_broker_id: 1}}}\nzookeeper: {hosts: {zk1: {}}}\n"
    )
    envelope = "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(["61" * 32 + "0a" + "62" * 32 + "0a" + "63" * 16])
    write(
        tmp_path,
        "inv/group_vars/kafka_broker.yml",
        "kafka_broker_properties:\n  ssl.key.password: !vault |\n    " + envelope.replace("\n", "\n    ") + "\n",
    )
    script = BLOCKER.replace(
        "from kafkalint import cli\nsys.exit(cli.main(sys.argv[1:]))",
        "from kafkalint.loaders import load\nfrom kafkalint.loaders.vault import Vault\n"
        "(cluster,) = load(['inv'], vault=Vault(b'pw')).clusters\n"
        "print(cluster.brokers[0].config.explicit('ssl.key.password').unresolved)",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "policies")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "cannot be decrypted: decrypting needs the cryptography package: pip install 'kafkalint[vault]'"
    )
