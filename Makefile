# The two commands of the README:
#   make build   create .venv, install the DuckDB pins, and dbt build the demo marts into customer_retention.duckdb
#   make test    the same set-up plus the other engines' adapters and the test tools, then every test on all
#                three engines: sqlfluff lint, beside the pytest integration suite, which runs the dbt build
#                (unit and data tests) of the demo data on DuckDB, PostgreSQL and Spark, the cross-engine
#                comparison and everything else. PostgreSQL is installed if missing, started on 127.0.0.1
#                and stopped afterwards (scripts/with_postgres.sh); Spark runs inside the dbt process.
# One engine alone: make test-duckdb, make test-postgres, make test-spark. A quick check while working:
# make dbt-test (the demo build with unit and data tests on DuckDB, about a minute).
# make dashboard serves the Streamlit dashboard on the published marts at http://127.0.0.1:8501
# (DASHBOARD_PORT to change the port; docs/dashboard.md).
# Everything Python installs into .venv; PostgreSQL comes from Debian's packages (needs root).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
# dbt's anonymous usage statistics would try the network on every run.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
# Spark (local mode, inside the dbt process) binds to loopback only, and keeps its metastore,
# warehouse and logs outside the repository.
export SPARK_LOCAL_IP := 127.0.0.1
# PostgreSQL reads the email salt from the session setting customer_retention.email_salt (macro
# email_salt), handed over by libpq's PGOPTIONS rather than in any SQL text.
ifneq ($(CUSTOMER_RETENTION_EMAIL_SALT),)
export PGOPTIONS := $(PGOPTIONS) -c customer_retention.email_salt=$(CUSTOMER_RETENTION_EMAIL_SALT)
endif
SCRATCH := $(or $(TMPDIR),/tmp)
export SPARK_SCRATCH_DIR ?= $(SCRATCH)/customer_retention_spark
SPARK_TEST_DIR := $(SCRATCH)/customer_retention_spark_test
# target/pytest-report.xml keeps every test's duration, for finding what makes the suite slow.
PYTEST := $(BIN)/pytest tests/integration --durations=12 -n 2 --dist loadgroup --no-loadscope-reorder --junitxml=target/pytest-report.xml

.PHONY: build test test-duckdb test-postgres test-spark lint dbt-test dbt-test-postgres dbt-test-spark \
	pytest pytest-duckdb pytest-postgres pytest-spark docs dashboard clean

# Four stamps, so that each command installs only what it uses: the DuckDB build
# (requirements.txt), the PostgreSQL and Spark adapters (requirements-engines.txt, about three
# quarters of the virtualenv's size), the dashboard (requirements-dashboard.txt), and the test
# tools (requirements-test.txt), which include the dashboard, since its tests run it.
$(BIN)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(BIN)/.installed-engines: $(BIN)/.installed requirements-engines.txt constraints.txt
	$(BIN)/pip install --quiet -r requirements-engines.txt -c constraints.txt
	touch $@

$(BIN)/.installed-dashboard: $(BIN)/.installed requirements-dashboard.txt constraints.txt
	$(BIN)/pip install --quiet -r requirements-dashboard.txt -c constraints.txt
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed-engines $(BIN)/.installed-dashboard requirements-test.txt constraints.txt
	$(BIN)/pip install --quiet -r requirements-test.txt -c constraints.txt
	touch $@

# make build on PostgreSQL or Spark (DBT_TARGET=postgres or spark) needs that engine's adapter.
BUILD_NEEDS := $(BIN)/.installed $(if $(filter postgres spark,$(DBT_TARGET)),$(BIN)/.installed-engines)

# On DuckDB (target dev) a successful build is then published for readers (scripts/publish.py):
# published/customer_retention.duckdb and published/marts/<mart>.parquet, both switched at once
# (one rename of the symlink published/current).
# A failed build stops make before the publish step, so the published marts stay as they were.
# DBT_ARGS passes options to dbt build, e.g. make build DBT_ARGS="--vars '{raw_source: files, raw_path: exports}'".
DBT_ARGS ?=

build: $(BUILD_NEEDS)
	$(DBT) build $(DBT_ARGS)
	@if [ "$${DBT_TARGET:-dev}" = dev ]; then $(BIN)/python scripts/publish.py; fi
	@if [ "$${DBT_TARGET:-dev}" = dev ]; then \
		echo "Marts built in schema marts of $${DBT_DUCKDB_PATH:-customer_retention.duckdb}," \
			"published to $${CUSTOMER_RETENTION_PUBLISH_DIR:-published}/; see docs/querying.md."; \
	else \
		echo "Marts built in schema marts of target $$DBT_TARGET; see docs/querying.md."; \
	fi

# lint (one process) runs beside pytest (two workers); their lines interleave, lint's at its end.
test: $(BIN)/.installed-test
	scripts/with_postgres.sh $(MAKE) --no-print-directory -j2 --output-sync=line lint pytest

test-duckdb: $(BIN)/.installed-test
	$(MAKE) --no-print-directory -j2 --output-sync=line lint pytest-duckdb

test-postgres: $(BIN)/.installed-test
	scripts/with_postgres.sh $(MAKE) --no-print-directory pytest-postgres

test-spark: pytest-spark

# sqlfluff skips (with a warning only) a file dbt cannot compile: such a file fails the lint here.
lint: $(BIN)/.installed-test
	@mkdir -p target
	start=$$(date +%s); DBT_TARGET=lint $(BIN)/sqlfluff lint models tests/reconciliation > target/lint.log 2>&1; status=$$?; \
	    cat target/lint.log; echo "lint took $$(( $$(date +%s) - start )) s"; \
	    if grep -q "Skipped file" target/lint.log; then echo "sqlfluff skipped a file it could not compile"; exit 1; fi; \
	    exit $$status

dbt-test: $(BIN)/.installed
	mkdir -p target/test-build
	DBT_DUCKDB_PATH=target/test-build/demo.duckdb $(DBT) build --target-path target/test-build/target

# The dbt build of the demo data, unit tests included, on a fresh database of the local server.
dbt-test-postgres: $(BIN)/.installed-test
	scripts/postgres.sh recreate-db customer_retention_test
	POSTGRES_DB=customer_retention_test DBT_TARGET=postgres \
		$(DBT) build --target-path target/test-build/postgres/target

# The same on Spark, with a fresh metastore and warehouse.
dbt-test-spark: $(BIN)/.installed-test
	rm -rf $(SPARK_TEST_DIR)
	SPARK_SCRATCH_DIR=$(SPARK_TEST_DIR) DBT_TARGET=spark \
		$(DBT) build --target-path target/test-build/spark/target

# Every integration test; the postgres-marked ones need the server up (make test starts it).
pytest: $(BIN)/.installed-test
	$(PYTEST)

pytest-duckdb: $(BIN)/.installed-test
	$(PYTEST) -m "not postgres and not spark"

pytest-postgres: $(BIN)/.installed-test
	$(PYTEST) -m "postgres and not spark"

pytest-spark: $(BIN)/.installed-test
	$(PYTEST) -m "spark and not postgres"

# The dashboard reads only the published marts (published/, or CUSTOMER_RETENTION_PUBLISH_DIR), so
# it keeps serving while a build runs; .streamlit/config.toml keeps it headless and offline.
DASHBOARD_PORT ?= 8501

dashboard: $(BIN)/.installed-dashboard
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(DASHBOARD_PORT)

docs: $(BIN)/.installed
	$(DBT) docs generate

clean:
	rm -rf target logs published $(VENV) customer_retention.duckdb customer_retention.duckdb.wal $(SPARK_SCRATCH_DIR) $(SPARK_TEST_DIR)
