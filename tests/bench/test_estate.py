"""bench/lint_estate.py and bench/parse_floor.py: the estate has the issue's shape and gives
every compared rule something to find; the parse floor reads exactly its YAML files."""

from __future__ import annotations

from pathlib import Path

import pytest

import compare
import lint_estate
import parse_floor


def test_the_defaults_are_the_issues_estate() -> None:
    assert lint_estate.INVENTORIES == 50
    assert lint_estate.INVENTORIES * lint_estate.TOPICS_PER_INVENTORY == 100_000
    assert lint_estate.INVENTORIES * lint_estate.PROFILES_PER_INVENTORY == 10_000


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("estate")
    lint_estate.generate(
        root, 2, lint_estate.TOPICS_PER_INVENTORY, lint_estate.PROFILES_PER_INVENTORY, lint_estate.SEED
    )
    return root


def test_kafkalint_reads_the_generated_sizes_and_finds_every_compared_rule(estate: Path) -> None:
    figures = lint_estate.phases(lint_estate.inventories_under(estate), per_rule=False)
    assert figures["topics"] == 2 * lint_estate.TOPICS_PER_INVENTORY
    assert figures["producers"] == 2 * lint_estate.PROFILES_PER_INVENTORY
    for rule in compare.COMPARED_RULES:
        assert figures["by_rule"].get(rule, 0) > 0, rule
    assert figures["load_wall"] > 0 and figures["rules_wall"] > 0


def test_one_inventory_in_ten_is_a_development_cluster() -> None:
    environments = [lint_estate.cluster_environment(index) for index in range(50)]
    assert environments.count("development") == 5
    assert set(environments) == {"development", "production"}


def test_the_parse_floor_reads_every_yaml_file_in_balanced_shares(estate: Path) -> None:
    files = parse_floor.yaml_files([estate])
    assert len(files) == 8
    assert all(path.suffix == ".yml" for path in files)
    shares = parse_floor.shares(files, 2)
    assert sorted(path for share in shares for path in share) == files
    sizes = [sum(path.stat().st_size for path in share) for share in shares]
    assert abs(sizes[0] - sizes[1]) <= max(path.stat().st_size for path in files)
    assert parse_floor.main(["--processes", "2", str(estate)]) == 0


def test_the_parse_floor_names_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.yml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "bad.yml").write_text("a: [1\nb: 2\n", encoding="utf-8")
    assert parse_floor.main(["--processes", "1", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "bad.yml:" in error
    assert "Traceback" not in error


def test_profile_areas() -> None:
    assert lint_estate.area("/x/policies/kafkalint/rules/kl101_min_isr_equals_rf.py") == (
        "kafkalint.rules.kl101_min_isr_equals_rf"
    )
    assert lint_estate.area("/x/policies/kafkalint/loaders/fastvars.py") == "kafkalint.loaders"
    assert lint_estate.area("/x/site-packages/ansible/vars/manager.py") == "ansible-core"
    assert lint_estate.area("/x/site-packages/yaml/constructor.py") == "PyYAML"
    assert lint_estate.area("~") == "builtins"
