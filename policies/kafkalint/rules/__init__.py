"""The rule registry: one module per rule, listed here explicitly in catalogue order.

Every rule module defines:

- ``ID`` (``"KL101"``), ``NAME`` (kebab-case, ``"min-isr-equals-rf"``), ``SEVERITY``
  (:class:`kafkalint.findings.Severity`);
- a module docstring that is the rule's documentation: what it checks, why (rationale),
  a problematic and a correct example, the source (Kafka docs, KIP, source file, seeds) and
  Kafka's own error text where Kafka rejects the configuration; ``kafkalint explain ID``
  prints it;
- ``check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]`` which reads the
  whole model (cross-file rules see every cluster) and yields findings; ``options`` are the
  rule's options from ``.kafkalint.yaml`` (empty by default).

Each rule has a failing and a passing fixture under ``tests/fixtures/rules/<id>/`` (the
exact findings of the failing one, with severity, line and column, in its ``expected.txt``)
and a test module ``tests/rules/test_<id>.py``.

Rules share one set of helpers, one per concern: :mod:`._values` (typed, version-aware reads
of a config), :mod:`kafkalint.listeners` (listeners and addresses), :mod:`._report` (the
message shape and the grouping of findings), :mod:`._cluster` (node roles, mode, which
producers write where), :mod:`._replication`, :mod:`._producer` (what the Java producer makes
of a config) and :mod:`._logconfig` (topic configs as the broker resolves them).

KL000 is not a rule that runs: the engine reports it when a rule raises
(:data:`INTERNAL_ERROR`); its module documents it like the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Protocol

from kafkalint.findings import Finding, Severity


class Model(Protocol):  # pragma: no cover - typing only
    clusters: list[Any]


#: Module names in catalogue order. The ids are a public contract (POLICY-CATALOGUE.md):
#: never reuse a retired id; add new rules at the end of their block.
MODULES: tuple[str, ...] = (
    "kl001_invalid_value",
    "kl002_unknown_key",
    "kl003_removed_key",
    "kl101_min_isr_equals_rf",
    "kl102_min_isr_above_rf",
    "kl103_min_isr_one_with_acks_all",
    "kl104_rf_above_brokers",
    "kl105_rf_one",
    "kl106_unclean_election",
    "kl107_auto_create_topics",
    "kl108_internal_topic_replication",
    "kl109_rack_awareness",
    "kl201_acks0_with_retries",
    "kl202_idempotence_needs_acks_all",
    "kl203_idempotence_needs_retries",
    "kl204_idempotence_max_in_flight",
    "kl205_transactional_id_without_idempotence",
    "kl206_delivery_timeout",
    "kl207_buffer_memory",
    "kl208_max_request_size",
    "kl209_single_bootstrap_server",
    "kl210_unknown_bootstrap_server",
    "kl211_reordering",
    "kl212_acks_below_min_isr_intent",
    "kl213_schema_registry_url",
    "kl214_request_timeout",
    "kl301_zookeeper_ensemble_size",
    "kl302_zookeeper_connect",
    "kl303_broker_id",
    "kl304_listeners",
    "kl305_zookeeper_session_timeout",
    "kl306_queued_max_request_bytes",
    "kl307_log_cleaner_disabled",
    "kl308_sasl_inter_broker_mechanism",
    "kl309_data_dir_in_tmp",
    "kl401_compaction_lag",
    "kl402_local_retention",
    "kl403_retention_below_segment",
    "kl404_compression_type",
    "kl501_controller_quorum_size",
    "kl502_node_id_and_voters",
    "kl503_metadata_mode",
    "kl504_controller_listeners",
    "kl505_quorum_voters_and_bootstrap",
    "kl506_migration",
    "kl507_controller_min_isr",
    "kl601_unauthenticated_listener",
    "kl602_sasl_without_tls",
    "kl603_authentication_without_authorizer",
    "kl604_allow_everyone_if_no_acl",
    "kl605_super_users",
    "kl606_endpoint_identification_disabled",
    "kl607_zookeeper_admin_exposed",
    "kl608_plaintext_secret",
    # KL004 and KL005 came after the catalogue was numbered; ids are the contract, order here is not.
    "kl004_suppression_without_reason",
    "kl005_unresolved_value",
    "kl006_unwritable_property",
)


#: The id the engine reports a crashing rule under, and the module documenting it.
INTERNAL_ERROR = "KL000"
INTERNAL_ERROR_MODULE = "kl000_internal_error"


@dataclass(frozen=True)
class Rule:
    """One rule of the registry: its module's ``ID``, ``NAME``, ``SEVERITY`` and docstring."""

    id: str
    name: str
    severity: Severity
    doc: str
    module: ModuleType

    def check(self, model: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
        result: Iterator[Finding] = self.module.check(model, options)
        return result

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


@cache
def all_rules() -> tuple[Rule, ...]:
    rules = []
    for name in MODULES:
        module = importlib.import_module(f"kafkalint.rules.{name}")
        rules.append(Rule(module.ID, module.NAME, module.SEVERITY, module.__doc__ or "", module))
    return tuple(rules)


@cache
def internal_error_rule() -> Rule:
    """KL000 as the reports and the documentation list it (it has no ``check``)."""
    module = importlib.import_module(f"kafkalint.rules.{INTERNAL_ERROR_MODULE}")
    return Rule(module.ID, module.NAME, module.SEVERITY, module.__doc__ or "", module)


def documented() -> tuple[Rule, ...]:
    """Every id a report may hold: KL000, then the registry's rules."""
    return (internal_error_rule(), *all_rules())


def by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in documented()}
