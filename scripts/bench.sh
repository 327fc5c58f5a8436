#!/usr/bin/env bash
# `make bench`: PostgreSQL when TEST_DATABASE_URL answers (as in CI), SQLite otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DB=${TEST_DATABASE_URL:-postgres://coaching:coaching@127.0.0.1:5432/coaching}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
if $PY scripts/probe_services.py "$DB" "$REDIS" >/dev/null 2>&1; then
  DATABASE_URL="$DB" $PY scripts/bench.py
else
  echo "PostgreSQL not reachable: measuring on SQLite"
  $PY scripts/bench.py
fi
