# The two commands the README names: `make demo` and `make test`. Both install what they need.
VENV ?= .venv
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
BIN = $(VENV)/bin

.PHONY: demo test test-sqlite test-postgres lint fuzz-api

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/qingdan demo

test: test-sqlite test-postgres

test-sqlite: $(VENV)/.installed
	$(BIN)/pytest

# Fails, on purpose, when PostgreSQL is not reachable at $(PG_URL).
test-postgres: $(VENV)/.installed
	QINGDAN_DATABASE_URL=$(PG_URL) $(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy qingdan

# Fuzz the public and staff API from its OpenAPI description (not part of `make test`): any 500 fails.
fuzz-api: $(VENV)/.installed
	$(BIN)/pip install -q -e ".[bench]"
	VENV=$(VENV) bench/schemathesis.sh
