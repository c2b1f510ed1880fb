# The two commands of the README:
#   make build   create .venv, install the pins, and dbt build the demo marts into customer_retention.duckdb
#   make test    the same set-up, then every test: sqlfluff lint, dbt build (unit + data tests) on its
#                own database file, and the pytest integration suite
# Everything installs into .venv; nothing needs to be installed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
# dbt's anonymous usage statistics would try the network on every run.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build test lint dbt-test pytest docs clean

$(BIN)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

build: $(BIN)/.installed
	$(DBT) build
	@echo "Marts built in customer_retention.duckdb (schema marts); see README, Querying the marts."

test: lint dbt-test pytest

lint: $(BIN)/.installed
	DBT_TARGET=lint $(BIN)/sqlfluff lint models tests/reconciliation

dbt-test: $(BIN)/.installed
	mkdir -p target/test-build
	DBT_DUCKDB_PATH=target/test-build/demo.duckdb $(DBT) build --target-path target/test-build/target

pytest: $(BIN)/.installed
	$(BIN)/pytest tests/integration

docs: $(BIN)/.installed
	$(DBT) docs generate

clean:
	rm -rf target logs $(VENV) customer_retention.duckdb customer_retention.duckdb.wal
