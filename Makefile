# Outreach Scheduler: `make run` serves the app on the embedded defaults, `make test` runs the suite.
# `make lock` re-compiles requirements*.txt from requirements*.in with pip-tools (LOCK_ARGS=--upgrade: newest transitive pins).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-$(shell cat requirements-dev.txt requirements-bench.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The development processes (run, worker, beat) use the development settings, and the links in the
# emails and invites they write point at the server `make run` starts (http://HOST:PORT) unless
# SITE_URL is set in the environment. Production processes use config.settings.production (README).
DEV_ENV := DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-config.settings.local}" SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"
LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

.PHONY: run test install lock migrate catalog superuser lint format worker beat bench clean messages messages-check

# requirements-dev.txt holds the whole development set (the runtime pins included), every package with
# its hashes, so pip checks each download; pip-tools is needed only to re-compile, never to install.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Edit a requirements*.in file, then `make lock`; commit the .in and the .txt files together.
lock: install
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) --output-file requirements-bench.txt requirements-bench.in

migrate: install
	$(PY) manage.py migrate --noinput

catalog: migrate
	$(PY) manage.py load_catalog

run: catalog
	@echo ""
	@echo "  Outreach Scheduler is starting on http://$(HOST):$(PORT)/"
	@echo "  - the catalog:   http://$(HOST):$(PORT)/presentations/"
	@echo "  - staff pages:   http://$(HOST):$(PORT)/staff/  (sign in at /accounts/login/; create an account first with: make superuser)"
	@echo "  - emails it sends are written to var/mail/ as .eml files; their links point at $${SITE_URL:-http://$(HOST):$(PORT)}"
	@echo ""
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

superuser: migrate
	$(PY) manage.py createsuperuser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Translations (README, "Languages"). `make messages` extracts every string a requester, host or
# audience member can see into locale/<language>/LC_MESSAGES/django.po, compiles the .mo files
# (both committed, so neither `make run` nor `make test` needs GNU gettext) and checks the catalogs.
# It needs GNU gettext (xgettext, msgmerge, msgfmt). Staff-only pages, staff and presenters'
# emails, the admin and the models' admin labels stay English and are left out.
LOCALES := es so hmn
MESSAGES_IGNORE := tests bench var static config '*/migrations' '*/management' '*/admin.py' \
	outreach/models.py calendars/models.py scheduling/models scheduling/views scheduling/api scheduling/forms \
	scheduling/services/presenter_availability.py scheduling/services/assignment.py \
	outcomes/reports outcomes/templates/outcomes/report.html outcomes/templates/outcomes/_table.html \
	scheduling/templates/scheduling/staff scheduling/templates/scheduling/presenter \
	'scheduling/templates/scheduling/email/staff_*' 'scheduling/templates/scheduling/email/presenter_*' \
	calendars/templates/calendars/staff_tokens.html calendars/templates/calendars/admin_rotated.html \
	templates/registration common/templates/common/forbidden.html '*/apps.py'
MAKEMESSAGES := $(PY) manage.py makemessages $(addprefix --locale ,$(LOCALES)) --extension html,txt,py \
	--add-location file --no-obsolete $(addprefix --ignore ,$(MESSAGES_IGNORE))

messages: install
	$(MAKEMESSAGES)
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'var'
	$(PY) -m pytest -q tests/test_translations.py

# Fails when the code has strings the committed catalogs lack (re-extracts in place; needs GNU gettext).
messages-check: install
	$(MAKEMESSAGES)
	git diff --exit-code -I '^"POT-Creation-Date' -- locale
	$(PY) -m pytest -q tests/test_translations.py

# With REDIS_URL set: a Celery worker and the periodic scheduler, on the development settings (DEV_ENV).
worker: install
	$(DEV_ENV) $(VENV)/bin/celery -A config worker --loglevel INFO

beat: install
	$(DEV_ENV) $(VENV)/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

# Benchmarks, run by hand and never by make test: the pages on gunicorn next to a minimal view and
# every page's query count, notification throughput through a worker and an SMTP sink, the feeds.
# Each script makes (and drops) its own database and Redis; figures and machine: bench/RESULTS.md.
# requirements-bench.txt adds the feeds' peer (django-ical) to .venv; the app and the tests never need it.
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	rm -f $(VENV)/.bench-*
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m bench.pages
	$(PY) -m bench.notifications
	$(PY) -m bench.feeds
	$(PY) -m bench.feed_links
	$(PY) -m bench.access_log
	$(PY) -m bench.staff

clean:
	rm -rf $(VENV) var/static var/mail
