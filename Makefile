# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The first Python ≥ 3.12 found (pyenv installs included).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
DEV := DJANGO_SETTINGS_MODULE=criteria_portal.settings.dev
PORT ?= 8000

.PHONY: run worker test install assets migrate demo check lint messages clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Cần Python ≥ 3.12 (python3.13)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed
	$(DEV) $(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v0

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput -v1

demo: migrate
	$(DEV) $(PY) manage.py load_reference_data
	$(DEV) PORTAL_DEMO=1 $(PY) manage.py seed_demo
	$(DEV) PORTAL_DEMO=1 $(PY) manage.py seed_demo_models

# The server and, beside it, the worker of background jobs (exports); Ctrl+C stops both.
run: demo
	@echo "Cổng tiêu chí: http://127.0.0.1:$(PORT)  (dừng: Ctrl+C)"
	@$(DEV) PORTAL_DEMO=1 $(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) PORTAL_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(DEV) $(PY) manage.py db_worker

test: install
	$(PY) -m pytest -n auto --dist worksteal

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .

lint: check

messages: install
	$(DEV) $(PY) manage.py makemessages -l vi --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*'

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 private_media
