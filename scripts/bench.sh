#!/usr/bin/env bash
# `make bench`: every main page under gunicorn on a PostgreSQL database the bench creates and
# drops itself (BENCH_DATABASE_URL names the server; BENCH_SCALE, BENCH_ROUNDS the run;
# BENCH_KEEP=1 keeps it, marked as the bench's; BENCH_REUSE=bench_<pid>_<time> runs on such a
# kept database again, refusing any other).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
exec $PY scripts/bench.py "$@"
