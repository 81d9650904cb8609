# Set-up and everyday commands. `make run` and `make test` do all the set-up on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON_VERSION := $(shell cat .python-version)
# The interpreter named by .python-version: through pyenv when present, else pythonX.Y on PATH.
BASE_PYTHON ?= $(shell (command -v pyenv >/dev/null && pyenv which python 2>/dev/null) || command -v python$(PYTHON_VERSION) || echo missing-python$(PYTHON_VERSION))

.PHONY: help run test db migrate messages demo lint format bench wrk chromium pango clean-db cluster cluster-check cluster-stop

help:
	@echo "make run    set everything up and serve http://127.0.0.1:$(PORT)/"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make db     make sure the database manage.py uses is running and exists"
	@echo "make bench  performance benchmark with 10,000 solutions"
	@echo "make demo   load the register of municipalities and the demo content (part of make run)"
	@echo "make cluster        start the rehearsed reference deployment (nginx, 2 app servers, Redis, worker)"
	@echo "make cluster-check  prove its properties against the running cluster (docs/deployment.md)"
	@echo "make cluster-stop   stop everything make cluster started"

$(VENV)/.installed: requirements.lock .python-version
	@if [ ! -x "$(BASE_PYTHON)" ]; then echo "Python $(PYTHON_VERSION) not found: install it (e.g. 'pyenv install $(PYTHON_VERSION)')."; exit 1; fi
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] == "$(PYTHON_VERSION)" else 1)'; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || "$(BASE_PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

# Local development settings (git-ignored); real environment variables always win over this file.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_hex(32))')" > $@
	@echo "wrote .env for local development (DEBUG=1, random SECRET_KEY)"

db: $(VENV)/.installed
	@$(PY) -m marketplace.localdb ensure

migrate: db .env
	@$(PY) manage.py migrate --noinput

messages: $(VENV)/.installed .env
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq gettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext); \
	  else echo "GNU gettext is missing: run 'sudo apt-get install -y gettext'"; exit 1; fi; fi
	@$(PY) manage.py compilemessages --ignore '.venv/*' -v 0

# The register of municipalities: the default register shipped with the code (BKG VG250, older), replaced by
# the official Destatis extract when ../shared/data has it (skipped when that one is loaded already); then the
# Modellprojekte Smart Cities and the demo content. docs/data-sources.md describes every source.
GV_FILE ?= ../shared/data/destatis-gemeindeverzeichnis/AuszugGV4QAktuell_2024.xlsx
MODELLPROJEKTE_FILE ?= ../shared/data/modellprojekte-smart-cities/modellprojekte.csv
WERTGRENZEN_DIR ?= ../shared/data/vergabe-wertgrenzen

demo: migrate
	@$(PY) manage.py load_default_register
	@if [ -f "$(GV_FILE)" ]; then $(PY) manage.py import_gemeindeverzeichnis --if-newer "$(GV_FILE)"; fi
	@# --- Modellprojekte Smart Cities (manage.py import_modellprojekte FILE, issue 12) ---
	@if [ -f "$(MODELLPROJEKTE_FILE)" ]; then $(PY) manage.py import_modellprojekte "$(MODELLPROJEKTE_FILE)"; fi
	@# --- Procurement value limits (manage.py import_wertgrenzen DIR, issue 16) ---
	@if [ -d "$(WERTGRENZEN_DIR)" ]; then $(PY) manage.py import_wertgrenzen "$(WERTGRENZEN_DIR)"; fi
	@$(PY) manage.py seed_demo --if-empty

run: migrate messages pango demo
	@echo "Serving http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing the Debian chromium package for browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "Browser tests need Chromium: run 'sudo apt-get install -y chromium', then 'make test' again."; exit 1; fi; fi

# WeasyPrint (the Markterkundung PDF, marketplace/shortlist/export/) renders through Pango and HarfBuzz.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pango:
	@if /sbin/ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && /sbin/ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Pango for the PDF export"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null \
	    || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null); \
	else echo "The PDF export needs Pango: run 'sudo apt-get install -y $(PANGO_PACKAGES)', then try again."; exit 1; fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: db .env messages chromium pango lint
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: migrate wrk
	@$(PY) manage.py bench $(BENCH_ARGS)

# --- HTTP benchmark (issue 17) ---
# The HTTP table of `make bench` loads each page with wrk (the Debian package). `make test` does not need it:
# the test that runs it is skipped without it. Without root and wrk: manage.py bench --http-seconds 0.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing the Debian wrk package for the HTTP benchmark"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
	      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null); \
	  else echo "The HTTP benchmark needs wrk: run 'sudo apt-get install -y wrk', then 'make bench' again."; exit 1; fi; fi

# --- Reference deployment rehearsal (issue 18, docs/deployment.md) ---
# nginx (TLS) in front of two gunicorn app servers, Redis, a task worker and a database of the local
# PostgreSQL, all on loopback, state in .cluster/. The Debian packages are installed when missing (as root).
CLUSTER_PACKAGES := nginx redis-server openssl
CLUSTER := $(PY) -m marketplace.deploy.cluster
.PHONY: cluster-packages

cluster-packages:
	@missing=""; for bin in nginx redis-server openssl; do \
	  command -v $$bin >/dev/null || [ -x /usr/sbin/$$bin ] || missing=1; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing $(CLUSTER_PACKAGES) for the reference deployment rehearsal"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CLUSTER_PACKAGES) >/dev/null \
	    || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CLUSTER_PACKAGES) >/dev/null); \
	else echo "The rehearsal needs nginx, Redis and openssl: run 'sudo apt-get install -y $(CLUSTER_PACKAGES)'."; exit 1; fi

# `db`, not `migrate`: the rehearsal migrates its own database and leaves the development one alone.
cluster: cluster-packages db .env messages
	@$(CLUSTER) up

cluster-check: $(VENV)/.installed .env
	@$(CLUSTER) check

cluster-stop: $(VENV)/.installed .env
	@$(CLUSTER) down
# --- end of the reference deployment rehearsal ---

clean-db:
	@$(PY) -m marketplace.localdb stop
	rm -rf "$$(readlink -f .pg)" .pg
