# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint messages bench bench-reminders loadtest screenshots translations venv clean

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

# Compiled catalogues are built, not committed.
messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: venv messages
	bash scripts/run.sh

test: venv messages
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=coaching.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

bench: venv messages
	bash scripts/bench.sh
	$(PY) scripts/bench_reminders.py --n 5000 --workers 1

# Reminder sending by real Celery workers against no-op tasks on the same broker (issue #11):
# its own PostgreSQL database and Redis db number (BENCH_REDIS_DB); table into docs/benchmarks.md.
bench-reminders: venv messages
	$(PY) scripts/bench_reminders.py --n $${BENCH_REMINDERS_N:-20000} --workers 1,2

# 50 simulated users of mixed roles for 2 minutes (locust) against gunicorn, PostgreSQL, Redis,
# a worker and beat; figures into docs/benchmarks.md. Not part of `make test` or CI.
loadtest: venv messages
	$(PY) scripts/loadtest.py

# PNGs of the main pages per role, from the demo data, into docs/screenshots/.
screenshots: venv messages
	$(PY) scripts/screenshots.py

# Lists strings the Indonesian catalogue lacks into var/pending-id.json (then: --apply).
translations: venv
	$(PY) scripts/translate_catalogue.py --out var/pending-id.json

clean:
	rm -rf var/celery var/cache
