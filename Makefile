# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: "auto" is one per CPU; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: install fonts run test test-migrations test-schema test-postgres-restart test-browser screenshots lint format migrations-check deploy-check messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create $(VENV): on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) fonts

# The monthly unit report's PDF (WeasyPrint) draws Chinese with Noto Sans CJK: installed here
# when this user may (root with apt-get), otherwise named.
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing fonts-noto-cjk (the unit report's PDF needs Chinese glyphs)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; } \
	      || echo "Could not install fonts-noto-cjk: the unit report's PDF will lack Chinese glyphs"; \
	  else \
	    echo "Missing fonts-noto-cjk: run 'sudo apt-get install fonts-noto-cjk' (the unit report's PDF needs it)"; \
	  fi; }

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C stops)"
	$(PY) manage.py runserver 127.0.0.1:8000

# In parallel: loadgroup keeps each xdist_group (tests/demo/: the demo is built once) on one
# worker; every worker has its own test database (SQLite in memory, or test_<name>_gwN).
# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): pytest
# then keeps its rewritten test modules, and collecting the suite takes 4 s of CPU per worker
# instead of 9 from the second run on (__pycache__ is ignored by git).
TEST_ENV := PYTHONDONTWRITEBYTECODE=
test: install
	$(TEST_ENV) $(PY) -m pytest -m "not browser and not postgres_restart and not migration_round_trip" \
	  -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The accounts move's round trip (tests/accounts/test_migration.py): the demo taken back to the
# layout before the move and forward again, 55 s of CPU on its own. .ci/run runs it on SQLite
# and on PostgreSQL; run it after adding or changing a migration.
test-migrations: install
	$(TEST_ENV) $(PY) -m pytest -m migration_round_trip -p no:xdist $(PYTEST_ARGS)

# Stops and restarts the PostgreSQL in DATABASE_URL (BRANCHDESK_PG_CTL: its pg_ctl -D ...).
test-postgres-restart: install
	$(PY) -m pytest -m postgres_restart -p no:xdist $(PYTEST_ARGS)

# Rewrite tests/schema.sql (the migrated SQLite test database, loaded instead of migrating)
# after adding or changing a migration; tests/project/test_schema_dump.py says when.
test-schema: install
	$(PY) -m tests.schema

test-browser: install
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

# PNGs of the home, branch page, visit form and dashboard at 390 px, both languages, for review.
screenshots: install
	@mkdir -p var/screenshots
	SCREENSHOT_DIR=$(CURDIR)/var/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true \
	  $(PY) -m pytest tests/browser/test_screenshots.py -m browser -p no:xdist -q
	@ls var/screenshots/*.png

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=branchdesk.example.com \
	$(PY) manage.py check --deploy --fail-level WARNING

# Re-extract and compile catalogues after changing translatable strings.
# `make messages APP=branches` touches only that app's catalogues, `APP=project` only the
# project's (locale/: templates/ and config/); without APP, all of them.
# English catalogues are rebuilt from the (English) source text, so msgmerge's fuzzy guesses
# never reach the screen; Chinese ones are translated by hand
# (see `manage.py fill_translations`).
APP ?=
DOMAIN_APPS := accounts grading branches staff duties documents service reminders sales photos outreach worklog offline
messages: install
	@if [ "$(APP)" = project ]; then \
	  $(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=var \
	    --ignore=tests --ignore=bench $(foreach a,$(DOMAIN_APPS),--ignore=$(a)); \
	elif [ -n "$(APP)" ]; then \
	  cd $(APP) && ../$(PY) ../manage.py makemessages -l zh_Hans -l en --no-obsolete; \
	else \
	  $(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete \
	    --ignore=.venv --ignore=var --ignore=tests --ignore=bench; \
	fi
	@for po in $$(find $(if $(filter project,$(APP)),locale,$(or $(APP),.)) -path ./.venv -prune -o -path '*/en/LC_MESSAGES/django.po' -print); do \
	  msgfilter --keep-header --no-wrap -i $$po -o $$po sed -e d && \
	  msgen --force-po --no-wrap -o $$po $$po && \
	  msgattrib --clear-fuzzy --clear-previous --no-wrap -o $$po $$po; done
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache
