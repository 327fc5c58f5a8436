"""A smoke of `make bench` (#11) so it cannot rot: scale 0.01, one request per page.

It runs scripts/bench.py as `make bench` does (gunicorn, production settings) on the
PostgreSQL server of this test run; the bench creates its own database there and drops it.
About 20 s."""

import re
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.integration.conftest import ROOT, database_url

PAGES = [
    "F0 signed-in constant",
    "F2 F1 in base.html",
    "pipeline",
    "schedule (month)",
    "members",
    "client dashboard",
    "who read my records",
    "ICS feed (client)",
    "client's data export",
]


def test_the_benchmark_runs_every_page_and_drops_its_database():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures on PostgreSQL: DATABASE_URL does not name it")
    server = database_url(connection.settings_dict)
    done = subprocess.run(
        [sys.executable, "scripts/bench.py", "--scale", "0.01", "--rounds", "1"]
        + ["--concurrency", "2", "--workers", "2", "--out", "-"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BENCH_DATABASE_URL": server},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for page in PAGES:
        assert re.search(rf"^\| {re.escape(page)} \| \d+", out, re.M), page
    assert "(errors:" not in out
    # The client reading their own dashboard writes no access-log row (it wrote 8 here).
    assert "Access-log rows written by one client dashboard view: 0." in out
    [name] = re.findall(r"database (bench_\d+_\d+)", out)
    # Checked on the server directly: this test needs no test database of its own.
    with psycopg.connect(server.rsplit("/", 1)[0] + "/postgres") as conn:
        found = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        assert found.fetchone()[0] == 0
