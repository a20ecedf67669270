# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VAULT  ?= examples/vault

.PHONY: run test lint docs bench install dev clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install leaves the sources uncompiled: byte-compile them once, as pip does for a wheel, so that
# each command starts without compiling bagu again (a third of a warm `bagu index` with PYTHONDONTWRITEBYTECODE).
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[models]'
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## Index the bundled example vault, show the tour, then serve the web app on 127.0.0.1.
run: install
	$(BIN)/bagu demo $(VAULT)
	$(BIN)/bagu serve $(VAULT) --no-index

## Lint, type-check and run every test (the browser tests use Debian's Chromium, installed here if missing).
test: dev lint browser
	$(BIN)/pytest

browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Chromium and CJK fonts for the browser tests (apt-get)"; \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

docs: dev
	$(BIN)/python -m bagu.cli.reference docs/cli-reference.md

bench: dev
	$(BIN)/python benchmarks/bench_index.py
	$(BIN)/python benchmarks/bench_links.py
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_grade.py
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(VAULT)/.bagu
