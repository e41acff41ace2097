# Cruscotto task runner. Every target installs what it needs on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
VENDOR := src/cruscotto/web/static/vendor
ADDR ?= 127.0.0.1:8000

.PHONY: default setup run test test-sqlite test-postgres lint bench fuzz chromium pango assets clean

default: test lint

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end files served by Django: copied from the npm packages, never committed.
$(VENDOR)/.stamp: $(NODE_STAMP)
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp -r node_modules/bootstrap-italia/dist $(VENDOR)/bootstrap-italia
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

assets: $(VENDOR)/.stamp

setup: pango $(STAMP) assets

# Debian's Chromium for the browser tests (nothing downloads a browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Pango (text layout) for WeasyPrint, which renders the PDF reports, and Cairo for
# CairoSVG, which draws the charts of the DOCX report as images.
pango:
	@{ /sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && \
	   /sbin/ldconfig -p 2>/dev/null | grep -q 'libcairo.so.2'; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fonts-dejavu-core >/dev/null; }

# The report worker (PDFs are rendered in its queue) runs beside the server and stops
# with it.
run: setup
	$(BIN)/cruscotto migrate --noinput
	$(BIN)/cruscotto plan load-default
	$(BIN)/cruscotto demo
	$(BIN)/cruscotto db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/cruscotto serve $(ADDR)

# SQLite always; PostgreSQL too when DATABASE_URL is set (as .ci/run does).
test: setup chromium
	DATABASE_URL= $(BIN)/pytest -q -n auto
	@if [ -n "$$DATABASE_URL" ]; then echo "== again on $$DATABASE_URL"; $(BIN)/pytest -q -n auto; fi

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(PY) -m bench

# The long fuzz run: the fuzz tests with 20,000 examples each, then atheris
# (coverage-guided) on each parser for FUZZ_SECONDS; crashes land in var/fuzz.
FUZZ_SECONDS ?= 120
fuzz: setup
	CRUSCOTTO_HYPOTHESIS_PROFILE=fuzz DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider tests/fuzz
	@if $(PY) -c "import atheris" 2>/dev/null; then \
	  set -o pipefail; mkdir -p var/fuzz && for t in formula target seed values; do \
	    echo "== atheris: $$t ($(FUZZ_SECONDS) s)"; \
	    (cd var/fuzz && PYTHONPATH=$(CURDIR) ../../$(PY) -m tests.fuzz.atheris_fuzz $$t \
	      -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==|.*ERROR|Traceback|  File|[A-Za-z]*Error)" ) || exit 1; \
	  done; \
	else echo "atheris is not installed here: skipped the coverage-guided run"; fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .pytest_cache
