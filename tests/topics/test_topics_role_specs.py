"""meta/argument_specs.yml of the kafka_topics and kafka_producer_profiles roles documents every
public variable of defaults/main.yml, with the same default (a templated default is documented
by its description), and each admin module's argument_spec matches its DOCUMENTATION (with the
shared doc fragment it extends)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import topics_helpers
import yaml

ROLES = ["kafka_topics", "kafka_producer_profiles"]


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("role", ROLES)
def test_argument_specs_equal_defaults(role: str) -> None:
    base = topics_helpers.ROOT / "roles" / role
    defaults = _read(base / "defaults" / "main.yml")
    options = _read(base / "meta" / "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert sorted(defaults) == sorted(options)
    for name, value in defaults.items():
        assert name == role or name.startswith(f"{role}_"), f"{name} lacks the role prefix"
        assert options[name].get("description"), f"{name} is not described"
        if isinstance(value, str) and "{{" in value and options[name].get("default") != value:
            continue  # a computed default: the description says what it computes
        assert options[name].get("default") == value, name


def _doc_options(options: dict[str, Any]) -> dict[str, Any]:
    """DOCUMENTATION options reduced to what argument_spec states."""
    reduced: dict[str, Any] = {}
    for name, doc in options.items():
        spec = {key: doc[key] for key in ("type", "elements", "required", "default", "choices") if key in doc}
        if spec.get("required") is False:
            del spec["required"]
        if "suboptions" in doc:
            spec["options"] = _doc_options(doc["suboptions"])
        reduced[name] = spec
    return reduced


def _spec_options(options: dict[str, Any]) -> dict[str, Any]:
    reduced: dict[str, Any] = {}
    for name, spec in options.items():
        kept = {key: value for key, value in spec.items() if key not in ("no_log", "options", "apply_defaults")}
        if "options" in spec:
            kept["options"] = _spec_options(spec["options"])
        reduced[name] = kept
    return reduced


ADMIN_MODULES = {
    "kafka_topics": {"topics", "created", "updated", "deleted", "bootstrap_servers"},
    "kafka_scram_users": {"users", "created", "updated", "deleted", "bootstrap_servers"},
    "kafka_acls": {"created", "deleted", "unmanaged", "bootstrap_servers"},
}
FRAGMENT = topics_helpers.ROOT / "roles" / "kafka_topics" / "doc_fragments" / "kafka_admin.py"


@pytest.mark.parametrize("name", sorted(ADMIN_MODULES))
def test_module_documentation_matches_its_argument_spec(name: str) -> None:
    module = topics_helpers.load(topics_helpers.ROOT / "roles" / name / "library" / f"{name}.py", f"{name}_module_doc")
    documentation = yaml.safe_load(module.DOCUMENTATION)
    documented = dict(documentation["options"])
    assert documentation.get("extends_documentation_fragment") == ["kafka_admin"]
    fragment = topics_helpers.load(FRAGMENT, "kafka_admin_doc_fragment").ModuleDocFragment
    shared = yaml.safe_load(fragment.DOCUMENTATION)["options"]
    assert not set(shared) & set(documented), "an option is documented twice"
    documented.update(shared)
    assert _doc_options(documented) == _spec_options(module.argument_spec())
    yaml.safe_load(module.EXAMPLES)
    assert set(yaml.safe_load(module.RETURN)) == ADMIN_MODULES[name]


@pytest.mark.parametrize("role", ["kafka_scram_users", "kafka_acls"])
def test_admin_roles_link_to_the_one_shared_module_utils_and_fragment(role: str) -> None:
    base = topics_helpers.ROOT / "roles" / role
    shared = topics_helpers.ROOT / "roles" / "kafka_topics"
    for link, target in (
        (base / "module_utils" / "kafka_admin.py", shared / "module_utils" / "kafka_admin.py"),
        (base / "doc_fragments" / "kafka_admin.py", FRAGMENT),
        (base / "filter_plugins" / "kafka_topics_filters.py", shared / "filter_plugins" / "kafka_topics_filters.py"),
    ):
        assert link.is_symlink() and link.resolve() == target.resolve(), link
