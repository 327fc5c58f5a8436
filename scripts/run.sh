#!/usr/bin/env bash
# `make run`: the embedded run mode. SQLite, a Celery worker and beat on kombu's filesystem
# transport, and the development server on http://127.0.0.1:8000. Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-coaching.settings.dev}
PORT=${PORT:-8000}
# Links in emails point here unless SITE_URL says otherwise.
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
mkdir -p var/celery/queue var/celery/control var/mail
$PY manage.py migrate --no-input -v0
$PY manage.py demo
.venv/bin/celery -A coaching worker -B --loglevel=INFO --concurrency=1 \
  --schedule var/celerybeat-schedule > var/celery.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Celery worker and beat: pid $WORKER, log in var/celery.log (emails print there)"
echo "Open http://127.0.0.1:$PORT and sign in with a demo login above (another port: PORT=8001 make run)."
$PY manage.py runserver 127.0.0.1:$PORT
