# `make run` and `make test` work from a fresh clone; everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench browser kannel clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: install, migrate, seed demo data when empty, start web + worker + clock
run: $(STAMP)
	$(BIN)/python -m service.devrun

## test: install if needed and run the whole suite (TEST_DATABASE_URL=postgresql://... for PG)
test: $(STAMP) browser kannel
	$(BIN)/pytest $(PYTEST_ARGS)

## browser: Debian's Chromium for the Playwright tests (skipped when it cannot be installed)
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium not installed: browser tests will be skipped"

## kannel: Debian's Kannel and its fakesmsc for the SMS route tests (skipped when not installable)
kannel:
	@{ [ -x /usr/sbin/bearerbox ] && [ -x /usr/lib/kannel/test/fakesmsc ]; } || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kannel kannel-extras >/dev/null) || \
		echo "kannel not installed: the Kannel tests will be skipped"

## lint: ruff (lint + format), the import layers (import-linter) and types on the interfaces (mypy)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	for script in ussd inbound dispatch dashboard kannel; do $(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache

## migration: regenerate the (unreleased) initial migration from the models
migration: $(STAMP)
	rm -f /tmp/asuh-migration.db migrations/versions/0001_initial_schema.py
	DATABASE_URL=sqlite:////tmp/asuh-migration.db $(BIN)/asuh db migrate -m "initial schema" --rev-id 0001
