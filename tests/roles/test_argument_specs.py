"""Every role documents exactly its defaults, and kafkalint mirrors the ones it reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kafkalint import contract

ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"
#: Every role in the repository: the house rule holds for all of them.
ROLES = tuple(sorted(path.name for path in ROLES_DIR.iterdir() if (path / "defaults" / "main.yml").is_file()))


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _defaults(role: str) -> dict[str, Any]:
    data = _yaml(ROLES_DIR / role / "defaults" / "main.yml")
    assert isinstance(data, dict), f"{role}: defaults/main.yml is not a mapping"
    return data


def _options(role: str) -> dict[str, Any]:
    data = _yaml(ROLES_DIR / role / "meta" / "argument_specs.yml")
    options = data["argument_specs"]["main"]["options"]
    assert isinstance(options, dict), f"{role}: argument_specs options is not a mapping"
    return options


def test_the_cluster_roles_are_checked() -> None:
    assert {"java", "zookeeper", "kafka_broker"} <= set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_argument_specs_document_exactly_the_defaults(role: str) -> None:
    defaults, options = _defaults(role), _options(role)
    assert sorted(options) == sorted(defaults), f"{role}: argument_specs options differ from defaults/main.yml keys"


@pytest.mark.parametrize("role", ROLES)
def test_argument_specs_defaults_equal_the_role_defaults(role: str) -> None:
    defaults, options = _defaults(role), _options(role)
    different = {name: (options[name].get("default"), value) for name, value in defaults.items()}
    different = {name: pair for name, pair in different.items() if pair[0] != pair[1]}
    assert different == {}, f"{role}: argument_specs default != defaults/main.yml (spec, defaults)"


@pytest.mark.parametrize("role", ROLES)
def test_public_variables_are_prefixed_typed_and_described(role: str) -> None:
    prefix = f"{role}_"
    for name, option in _options(role).items():
        assert name == role or name.startswith(prefix), f"{role}: {name} lacks the prefix {prefix}"
        assert option.get("type"), f"{role}: {name} has no type"
        assert str(option.get("description", "")).strip(), f"{role}: {name} has no description"


@pytest.mark.parametrize("role", ROLES)
def test_roles_have_no_dependencies(role: str) -> None:
    assert _yaml(ROLES_DIR / role / "meta" / "main.yml")["dependencies"] == []


def test_contract_role_defaults_mirror_the_roles() -> None:
    role_defaults = {name: value for role in ROLES for name, value in _defaults(role).items()}
    missing = sorted(set(contract.ROLE_DEFAULTS) - set(role_defaults))
    assert missing == [], f"contract.ROLE_DEFAULTS names variables no role defines: {missing}"
    different = {
        name: (value, role_defaults[name])
        for name, value in contract.ROLE_DEFAULTS.items()
        if role_defaults[name] != value
    }
    assert different == {}, "contract.ROLE_DEFAULTS != roles' defaults/main.yml (contract, role)"
