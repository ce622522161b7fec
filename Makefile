# 销售服务管理系统 — developer commands. `make` (or `make help`) lists them.
# Needs only Python 3.11+: the first `make run` / `make test` creates .venv and installs the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv run test fuzz lint fmt messages clean

help: ## Show this list of targets
	@echo "销售服务管理系统 — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: PORT=$(PORT) HOST=$(HOST) WORKERS=$(WORKERS) DATABASE_URL=<sqlite under var/ if unset>"
	@echo "           DEBUG (run: true unless set), PYTEST_ARGS (test), PYTHON=$(PYTHON) (creates .venv)"

# Internal: (re)install only when .venv is missing or pyproject.toml changed since the last install.
venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project and its dev tools into $(VENV) …"
	$(PY) -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

run: venv ## Migrate, load demo data and start web + jobs on http://HOST:PORT/ (DEBUG=true unless set)
	@export DEBUG="$${DEBUG:-true}"; \
	set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_demo; \
	exec $(PY) manage.py runstack --host "$(HOST)" --port "$(PORT)" --workers "$(WORKERS)"

test: venv ## Run the test suite on SQLite (extra pytest options: PYTEST_ARGS="-k name -x")
	$(VENV)/bin/pytest $(PYTEST_ARGS)

fuzz: venv ## Schemathesis over every API operation as admin and a store user (FUZZ_EXAMPLES, FUZZ_SEED)
	scripts/api-fuzz

lint: venv ## Check code style (ruff check + ruff format --check) and the import contracts between apps (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: venv ## Format code: ruff format + ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv ## Compile translations (.po → .mo); needs GNU gettext's msgfmt (apt-get install gettext)
	$(PY) manage.py compilemessages --ignore $(VENV)

clean: ## Remove caches and build leftovers (keeps .venv and var/: database, secret key, uploads)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build dist test-results var/static
