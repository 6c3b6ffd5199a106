# The project's commands. `make cluster` runs a local cluster on test hosts; `make test` runs
# every test (CI runs it through .ci/run). Each installs what it needs, pinned, and prints each
# step with its duration.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv/bin
STEP := scripts/step.sh
INVENTORY ?= inventories/local
KRAFT_INVENTORY ?= inventories/kraft
KRAFT_VERSION ?= 4.4.0
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: help bootstrap artifacts kraft-artifacts image hosts cluster smoke down kraft-hosts kraft-cluster kraft-smoke \
	kraft-down migration-down test lint unit jvm molecule live kraft-live migration-live bench bench-converge fuzz

help:
	@echo "make cluster        bring up a local 3-node ZooKeeper/Kafka cluster on test hosts (through the lint gate)"
	@echo "make kraft-cluster  bring up a local KRaft cluster: 3 controllers + 3 brokers, Kafka $(KRAFT_VERSION)"
	@echo "make test           run every test: linters, unit tests, molecule scenarios, live-cluster proofs"
	@echo "make down | kraft-down   remove the test hosts"
	@echo "make lint | unit | jvm | molecule | live | kraft-live   one part of the above"
	@echo "make bench     lint an estate: kafkalint against conftest, the parse floor, ansible-inventory"
	@echo "make bench-converge   converge the testbed from bare hosts, then re-run, with the task profile"
	@echo "make fuzz      feed kafkalint 10,000 generated and mutated hostile inputs"

bootstrap:
	@$(STEP) "Install pinned tools" scripts/bootstrap.sh

artifacts: bootstrap
	@$(STEP) "Assemble and verify Kafka/ZooKeeper archives" $(VENV)/python scripts/artifacts.py

kraft-artifacts: bootstrap
	@$(STEP) "Assemble and verify the Kafka $(KRAFT_VERSION) archive" \
		$(VENV)/python scripts/artifacts.py --kafka-version $(KRAFT_VERSION)

image: bootstrap
	@$(STEP) "Build the test-host image (Docker engine, debootstrap, systemd)" $(VENV)/python scripts/testhosts.py image

hosts: image
	@$(STEP) "Bring up 3 test hosts" $(VENV)/python scripts/testhosts.py up --count 3

cluster: artifacts hosts
	@$(STEP) "Provision the cluster (lint gate, ZooKeeper, Kafka, topics, profiles)" \
		$(VENV)/ansible-playbook -i $(INVENTORY) playbooks/site.yml
	@$(MAKE) --no-print-directory smoke

smoke:
	@$(STEP) "Smoke test: produce and consume through the cluster" $(VENV)/python scripts/smoke.py -i $(INVENTORY)

down:
	@$(STEP) "Remove the test hosts" $(VENV)/python scripts/testhosts.py down

# The KRaft testbed runs beside the default one: its own hosts, network and subnet.
kraft-hosts: image
	@$(STEP) "Bring up 6 KRaft test hosts" $(VENV)/python scripts/testhosts.py --testbed kraft up --count 6

kraft-cluster: kraft-artifacts kraft-hosts
	@$(STEP) "Provision the KRaft cluster (lint gate, controllers, brokers, topics, profiles)" \
		$(VENV)/ansible-playbook -i $(KRAFT_INVENTORY) playbooks/site.yml
	@$(MAKE) --no-print-directory kraft-smoke

kraft-smoke:
	@$(STEP) "Smoke test: produce and consume through the KRaft cluster" \
		$(VENV)/python scripts/smoke.py -i $(KRAFT_INVENTORY) --profiles-dir out/clients-kraft

kraft-down:
	@$(STEP) "Remove the KRaft test hosts" $(VENV)/python scripts/testhosts.py --testbed kraft down

migration-down:
	@$(STEP) "Remove the migration test hosts" $(VENV)/python scripts/testhosts.py --testbed migration down

lint: bootstrap
	@$(STEP) "ruff" $(VENV)/ruff check .
	@$(STEP) "ruff format" $(VENV)/ruff format --check .
	@$(STEP) "mypy" $(VENV)/mypy
	@$(STEP) "yamllint" $(VENV)/yamllint -s .
	@$(STEP) "ansible-lint (production profile)" $(VENV)/ansible-lint
	@$(STEP) "kafkalint on the shipped inventories" $(VENV)/kafkalint inventories/production.example \
		inventories/production-kraft.example inventories/local inventories/kraft inventories/migration

# The topics tests run against a real loopback broker from the archives; the storage-module
# tests format real directories with the Kafka 4.4 and 3.9 jars. One pytest-xdist worker per
# core (UNIT_JOBS=0 for a serial run); each module stays on one worker, and so do the tests of
# each dev broker (tests/conftest.py).
UNIT_JOBS ?= auto
unit: artifacts kraft-artifacts
	@$(STEP) "Unit tests" $(VENV)/pytest -m "not live and not jvm" -q -n $(UNIT_JOBS) --dist loadscope --durations=15

# KL001/KL002 against Kafka's own ConfigDef, and the KL5xx refusals against KafkaConfig, in the
# JVM, for every catalogued release; the jars come from Maven Central into the cache (~4 min and
# ~650 MiB cold, once).
jvm: bootstrap
	@$(STEP) "Catalogues against ConfigDef, KL5xx against KafkaConfig, in the JVM (every release)" \
		$(VENV)/pytest -m jvm -q -s tests/catalogue

molecule: artifacts kraft-artifacts image
	@$(STEP) "Molecule: default (one host)" $(VENV)/molecule test -s default
	@$(STEP) "Molecule: cluster (three hosts)" $(VENV)/molecule test -s cluster
	@$(STEP) "Molecule: kraft (three controllers, three brokers, Kafka $(KRAFT_VERSION))" $(VENV)/molecule test -s kraft

live: cluster
	@$(STEP) "Live-cluster proofs and fault tests (ZooKeeper mode)" \
		$(VENV)/pytest -m live -q -s tests/live --ignore=tests/live/kraft --ignore=tests/live/test_live_migration.py

# The migration proof brings up and removes its own testbed (scripts/testhosts.py --testbed
# migration) and needs the Kafka 4.4 archive for its upgrade.
migration-live: artifacts kraft-artifacts image
	@$(STEP) "Live proof: ZooKeeper to KRaft migration, rollback, upgrade to $(KRAFT_VERSION)" \
		$(VENV)/pytest -m live -q -s tests/live/test_live_migration.py

# One KRaft cluster for every KRaft proof (tests/live/kraft).
kraft-live: kraft-cluster
	@$(STEP) "Live-cluster proofs and fault tests (KRaft: 3 controllers, 3 brokers)" \
		$(VENV)/pytest -m live -q -s tests/live/kraft

# The test hosts go away however the run ends. The ZooKeeper testbed goes before the KRaft one
# starts: two live clusters on two cores would slow both. The migration proof
# (make migration-live) is not part of it: it ran to the end (docs/proofs.md), but takes ~74 min on this machine.
test:
	@trap '$(VENV)/python scripts/testhosts.py down; $(VENV)/python scripts/testhosts.py --testbed kraft down' EXIT; \
		$(STEP) "All tests" $(MAKE) --no-print-directory lint unit jvm molecule live down kraft-live kraft-down

# Figures, not tests. bench builds the pinned conftest into the cache the first time.
bench: bootstrap
	@$(STEP) "Benchmark: lint an estate (kafkalint, conftest, parse floor, ansible-inventory)" \
		$(VENV)/python bench/compare.py $(BENCH_ARGS)

# Takes /tmp/kafka-iac-testbed.lock itself for the whole run and removes the hosts at the end.
bench-converge: artifacts image
	@$(STEP) "Benchmark: converge the testbed from bare hosts, then re-run" \
		$(VENV)/python bench/converge.py $(BENCH_ARGS)

# 10,000 generated and mutated inputs through the real entry point; fails on any traceback.
# FUZZ_ARGS="--count 500 --seed 7" for a quicker look; make unit runs a few hundred.
fuzz: bootstrap
	@$(STEP) "Fuzz kafkalint with hostile inputs" $(VENV)/python scripts/fuzz.py $(FUZZ_ARGS)
