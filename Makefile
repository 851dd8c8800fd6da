# Outreach Scheduler: `make run` serves the app on the embedded defaults, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate catalog superuser lint format worker beat bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

catalog: migrate
	$(PY) manage.py load_catalog

run: catalog
	@echo ""
	@echo "  Outreach Scheduler is starting on http://$(HOST):$(PORT)/"
	@echo "  - the catalog:   http://$(HOST):$(PORT)/presentations/"
	@echo "  - staff pages:   http://$(HOST):$(PORT)/staff/  (sign in at /accounts/login/; create an account first with: make superuser)"
	@echo "  - emails it sends are written to var/mail/ as .eml files"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

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

# With REDIS_URL set: a Celery worker and the periodic scheduler, as in production.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

# Benchmarks, run by hand and never by make test: the pages on gunicorn next to a minimal view and
# every page's query count, notification throughput through a worker and an SMTP sink, the feeds.
# Each script makes (and drops) its own database and Redis; figures and machine: bench/RESULTS.md.
bench: install
	$(PY) -m bench.pages
	$(PY) -m bench.notifications
	@if [ -f bench/feeds.py ]; then echo "$(PY) bench/feeds.py"; $(PY) bench/feeds.py; fi

clean:
	rm -rf $(VENV) var/static var/mail
