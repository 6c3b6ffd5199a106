"""The README's inventory-contract section names everything kafkalint.contract defines, so
the one written contract and the one both halves import cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalint import contract

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The inventory contract")
    end = text.index("\n## ", start + 1)
    return text[start:end]


NAMES = sorted(
    {
        *contract.GROUPS,
        *contract.HOST_VARIABLES,
        *contract.CLUSTER_VARIABLES,
        *contract.LISTENER_FIELDS,
        *contract.METADATA_MODES,
        *contract.QUORUM_MODES,
        *contract.SECURITY_PROTOCOLS,
        *contract.ENVIRONMENTS,
        *contract.MIGRATION_PHASES,
    }
)


@pytest.mark.parametrize("name", NAMES)
def test_the_readme_documents_every_contract_name(name: str) -> None:
    assert f"`{name}`" in _section(), f"README's inventory contract section lacks `{name}`"


def test_the_readme_states_the_default_releases() -> None:
    section = _section()
    assert f"{contract.DEFAULT_KRAFT_VERSION} for an inventory with a `kafka_controller` group" in section
    assert f"else {contract.DEFAULT_ZOOKEEPER_VERSION}" in section
