#!/usr/bin/env bash
# `make test`: every test layer whose services are here.
#   fast         SQLite in memory; always runs
#   integration  PostgreSQL + Redis + a real Celery worker (TEST_DATABASE_URL, TEST_REDIS_URL);
#                then the fast layer once more on PostgreSQL
#   browser      Playwright driving /usr/bin/chromium against a live server
# With REQUIRE_ALL_LAYERS=1 a missing service, or any skipped test, is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
REQUIRE=${REQUIRE_ALL_LAYERS:-0}
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://coaching:coaching@127.0.0.1:5432/coaching}
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# The fast layer on every core (pytest-xdist; each worker has its own database).
WORKERS=${TEST_WORKERS:-2}
status=0
summary=()

run_layer() {
  local layer=$1; shift
  echo; echo "=== layer: $layer ==="
  if "$@"; then summary+=("$layer: passed"); else summary+=("$layer: FAILED"); status=1; fi
}

missing_layer() {
  local layer=$1 why=$2
  if [ "$REQUIRE" = "1" ]; then
    summary+=("$layer: FAILED (REQUIRE_ALL_LAYERS=1 and $why)"); status=1
  else
    summary+=("$layer: skipped ($why)")
  fi
}

run_layer fast env -u DATABASE_URL -u REDIS_URL $PY -m pytest -m "not integration and not browser" -q -p no:cacheprovider -n "$WORKERS"

if $PY scripts/probe_services.py "$TEST_DATABASE_URL" "$TEST_REDIS_URL"; then
  run_layer integration env DATABASE_URL="$TEST_DATABASE_URL" REDIS_URL="$TEST_REDIS_URL" \
    CELERY_TASK_DEFAULT_QUEUE="test-$(hostname)-$$" TEST_DATABASE_NAME="test_coaching_$$" \
    $PY -m pytest -m integration -v -p no:cacheprovider
  # The fast layer again on PostgreSQL: SQLite keeps what PostgreSQL refuses (an over-long
  # varchar, a constraint checked at commit), so each fast test also runs on the real thing.
  run_layer "fast on PostgreSQL" env -u REDIS_URL DATABASE_URL="$TEST_DATABASE_URL" \
    TEST_DATABASE_NAME="test_coaching_fast_$$" \
    $PY -m pytest -m "not integration and not browser" -q -p no:cacheprovider -n "$WORKERS"
else
  missing_layer integration "PostgreSQL or Redis is not reachable"
  missing_layer "fast on PostgreSQL" "PostgreSQL or Redis is not reachable"
fi

if [ -x "$CHROMIUM" ]; then
  run_layer browser env -u DATABASE_URL -u REDIS_URL CHROMIUM="$CHROMIUM" \
    $PY -m pytest -m browser -v -p no:cacheprovider
else
  missing_layer browser "no Chromium at $CHROMIUM"
fi

echo; echo "=== test layers ==="
printf '%s\n' "${summary[@]}"
exit $status
