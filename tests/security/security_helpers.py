"""Shared helpers of the security tests (imported by path: tests are not a package)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SCRAM_MODULE = ROOT / "roles" / "kafka_scram_users" / "library" / "kafka_scram_users.py"
ACL_MODULE = ROOT / "roles" / "kafka_acls" / "library" / "kafka_acls.py"
TOPICS_MODULE = ROOT / "roles" / "kafka_topics" / "library" / "kafka_topics.py"
TRUSTSTORE_MODULE = ROOT / "roles" / "kafka_tls" / "library" / "kafka_truststore.py"

sys.path.insert(0, str(ROOT / "scripts" / "lib"))
import kafkaclient  # noqa: E402


def load(path: Path, name: str | None = None) -> ModuleType:
    """Import a Python file (a role's module, module_utils or filter plugin, a script) by path."""
    name = name or f"security_test_{path.parent.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# Ansible runs (the generated ansible.cfg, the JSON report) as the topic tests do them.
_topics = sys.modules.get("topics_helpers") or load(ROOT / "tests" / "topics" / "topics_helpers.py")
ansible_env = _topics.ansible_env
run_playbook = _topics.run_playbook
task_results = _topics.task_results
write_inventory = _topics.write_inventory


def run_module(
    module: Path, args: dict[str, Any], *, tmp: Path, check: bool = False, diff: bool = True
) -> tuple[int, dict[str, Any], str]:
    """Run a module as Ansible does without AnsiballZ (arguments from a JSON file, JSON on
    stdout). Returns (exit code, result, everything it printed)."""
    args_file = tmp / f"args-{module.stem}.json"
    payload = dict(args, _ansible_check_mode=check, _ansible_diff=diff)
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": payload}), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(module), str(args_file)], capture_output=True, text=True, timeout=300, check=False
    )
    args_file.unlink()
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"{module.name} printed no JSON (rc {proc.returncode}): {proc.stdout}\n{proc.stderr}"
        ) from exc
    return proc.returncode, result, proc.stdout + proc.stderr


def admin_security(dev: Any) -> dict[str, Any]:
    """The modules' ``security`` option for the secured dev cluster's admin user."""
    settings = kafkaclient.read_properties(dev.admin_properties)
    from kafkalint import security

    options = security.parse_jaas_config(settings["sasl.jaas.config"]).options
    return {
        "protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "username": options["username"],
        "password": options["password"],
        "ca_file": str(dev.ca_file),
    }


def client_file(path: Path, settings: dict[str, Any]) -> Path:
    """A Java client .properties file, rendered as the roles render them."""
    from kafkalint import effective

    path.write_text(
        effective.render({key: effective.Value(value, "derived") for key, value in settings.items()}), encoding="utf-8"
    )
    path.chmod(0o600)
    return path
