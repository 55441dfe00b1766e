# The project's verbs. Every target sets up what it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint format bench chaos system-deps install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages some features use (espeak-ng for narration, chromium for browser tests).
# Installed when we are root and apt-get exists; otherwise those features say they are missing.
system-deps:
	@bash scripts/system-deps.sh

run: install system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py serve

test: install system-deps
	$(PY) -m pytest

# The API and dashboard-form fuzzers with fresh random inputs and more examples each.
fuzz: install
	FUZZ_RANDOM=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(PY) -m pytest tests/test_api_schemathesis.py tests/test_dashboard_fuzz.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install system-deps
	EMBEDDED_REDIS_PORT=$${EMBEDDED_REDIS_PORT:-6392} $(PY) -m bench

# The whole system under faults (worker kills, no workers, Redis flushed, lost enqueues, killed
# database sessions): a line of figures per scenario; fails if any work was lost or duplicated.
chaos: install system-deps
	EMBEDDED_REDIS_PORT=$${EMBEDDED_REDIS_PORT:-6393} $(PY) -m chaos

clean:
	rm -rf var/test-*.sqlite3* var/redis-test .pytest_cache
