# sqltrain — the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= 1
AS_OF  ?= 2025-12-01
export SQLTRAIN_WAREHOUSE ?= $(CURDIR)/warehouse/demo.duckdb

.PHONY: install demo warehouse build snapshot test bench clean

$(BIN)/sqltrain: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(BIN)/sqltrain

warehouse: install
	$(BIN)/sqltrain demo-warehouse --scale $(SCALE) --path "$(SQLTRAIN_WAREHOUSE)"

build: warehouse
	$(BIN)/dbt build --project-dir . --profiles-dir . --vars '{as_of: "$(AS_OF)"}'

snapshot: install
	$(BIN)/sqltrain snapshot --as-of $(AS_OF) --model churn_training

demo: build snapshot

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m sqltrain.bench

clean:
	rm -rf target logs dbt_packages warehouse snapshots/*/as_of=*
