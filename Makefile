# Kneadwell: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test contract lint format chromium bench bench-scale clean

install: $(STAMP)

$(STAMP): requirements.lock requirements-pip.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: install
	$(BIN)/kneadwell demo --host $(HOST) --port $(PORT)
	$(BIN)/kneadwell serve --with-worker --host $(HOST) --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/kneadwell manage check --fail-level WARNING
	$(BIN)/kneadwell manage makemigrations --check --dry-run

# Everything but benchmarks, the API contract tests (-m contract) included.
test: install chromium lint
	$(BIN)/pytest

contract: install
	$(BIN)/pytest -m contract kneadwell/api

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/pytest -m bench --benchmark-only --benchmark-columns=min,median,mean,max,rounds kneadwell

# The Scale Clinic served by gunicorn, its busy pages timed against /library/ (docs/scaling.md).
# SCALE=1000000 for a bigger clinic; BENCH_PG=1 or DATABASE_URL=… adds PostgreSQL.
bench-scale: install
	$(BIN)/python -m kneadwell.demo.benchscale

clean:
	rm -rf $(VENV) test-artifacts
