# sqltrain — a new user needs two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= 1
SEED   ?= 42
AS_OF  ?= 2025-12-01
export SQLTRAIN_WAREHOUSE ?= $(CURDIR)/warehouse/demo.duckdb
export DO_NOT_TRACK := 1

.PHONY: install demo warehouse build snapshot test bench clean browser screenshot spark-demo postgres-server postgres-demo
SUDO     := $(if $(filter 0,$(shell id -u)),,sudo)
CHROMIUM ?= /usr/bin/chromium

$(BIN)/sqltrain: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,spark,postgres]'
	touch $@

install: $(BIN)/sqltrain

# the demo warehouse is generated once; `make warehouse` rebuilds it (SCALE=, SEED= to change it)
$(SQLTRAIN_WAREHOUSE): | $(BIN)/sqltrain
	$(BIN)/sqltrain demo-warehouse --scale $(SCALE) --seed $(SEED) --path "$@"

warehouse: install
	$(BIN)/sqltrain demo-warehouse --scale $(SCALE) --seed $(SEED) --path "$(SQLTRAIN_WAREHOUSE)"

build: $(SQLTRAIN_WAREHOUSE)
	$(BIN)/dbt build --project-dir . --profiles-dir . --vars '{as_of: "$(AS_OF)"}'

snapshot: $(SQLTRAIN_WAREHOUSE)
	$(BIN)/sqltrain snapshot --as-of $(AS_OF) --model churn_training

demo: build snapshot

# the same demo on a local Apache Spark (docs/spark.md): load the warehouse as Parquet tables, build
spark-demo: $(SQLTRAIN_WAREHOUSE)
	$(BIN)/python -m sqltrain.spark.demo --warehouse "$(SQLTRAIN_WAREHOUSE)"
	$(BIN)/dbt build --target spark --exclude resource_type:snapshot --project-dir . --profiles-dir . --vars '{as_of: "$(AS_OF)"}'

# the same demo on PostgreSQL (docs/postgres.md): a throw-away local cluster (or the server SQLTRAIN_PG_PORT
# and friends name, when PG_CLUSTER=none), the warehouse copied into it, the whole DAG built with its tests
PG_CLUSTER ?= /tmp/sqltrain-postgres-demo
postgres-demo: $(SQLTRAIN_WAREHOUSE) postgres-server
	$(if $(filter none,$(PG_CLUSTER)),,eval "$$($(BIN)/python -m sqltrain.postgres.cluster start --dir $(PG_CLUSTER))" &&) \
	$(BIN)/python -m sqltrain.postgres.demo --warehouse "$(SQLTRAIN_WAREHOUSE)" && \
	$(BIN)/dbt build --target postgres --project-dir . --profiles-dir . --vars '{as_of: "$(AS_OF)"}'

# the Postgres tests (tests/postgres) start their own cluster with the system's initdb and pg_ctl
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

# the review-site test (tests/site) drives Debian's Chromium with Playwright; never `playwright install`
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(CHROMIUM)

# two pytest-xdist workers (TEST_WORKERS=0 runs in one process): tests/conftest.py keeps each
# module, and the Spark and the PostgreSQL modules, on one worker
TEST_WORKERS ?= 2
test: install browser postgres-server
	SQLTRAIN_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# the README's screenshot of a snapshot page
screenshot: $(SQLTRAIN_WAREHOUSE) browser
	$(BIN)/sqltrain snapshot --as-of 2025-09-01 --model churn_training
	$(BIN)/sqltrain snapshot --as-of $(AS_OF) --model churn_training
	$(BIN)/sqltrain docs --out target/site
	$(BIN)/python tests/site/screenshot.py --site target/site --out docs/img/snapshot-page.png

# docs/benchmarks.md: DuckDB, pandas, Feast and Spark on the same data, the scale-out figure, the CLI end to
# end; under 30 minutes on 2 cores (no job starts after --deadline-min 26); writes docs/benchmarks.md
bench: install
	$(BIN)/pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf target logs dbt_packages warehouse .spark snapshots/*/as_of=* snapshots/*/.tmp-*
