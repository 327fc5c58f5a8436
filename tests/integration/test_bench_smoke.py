"""A smoke of `make bench` (#11) so it cannot rot: scale 0.01, one request per page.

It runs scripts/bench.py as `make bench` does (gunicorn, production settings) on the
PostgreSQL server of this test run; the bench creates its own database there and drops it.
About 40 s. Then the database reuse (--keep, --reuse): the mark a kept database carries, and
the refusal of any database without it, checked on the server directly (a few seconds)."""

import os
import re
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from tests.benchscript import bench_module
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
    "client's data export, my-data page",
    # The pages later issues added (#11).
    "invoices (admin)",
    "invoice page (admin)",
    "billing reports",
    "contract payment schedule",
    "contract page, chemistry (admin)",
    "questionnaires",
    "reschedule requests",
    "session templates (admin)",
    "messages inbox (coach)",
    "message thread (client)",
    "questionnaire answers (coach)",
    "360 feedback (client)",
    "assessments (coach)",
    "supervision log",
    "credentials",
    "coach profile",
    "intake answers (client)",
    "invoices (sponsor)",
]


def run_bench(args, server, timeout=300):
    """scripts/bench.py with these arguments; past the timeout it is asked to stop (SIGTERM:
    it stops its gunicorn and drops its database) before the test fails. About 40 s on an
    idle machine; the timeout is for a machine shared with other work."""
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "scripts/bench.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BENCH_DATABASE_URL": server},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.terminate()
        out, err = process.communicate(timeout=60)
        pytest.fail(f"the bench took more than {timeout} s:\n{err[-3000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_the_benchmark_runs_every_page_and_drops_its_database():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures on PostgreSQL: DATABASE_URL does not name it")
    server = database_url(connection.settings_dict)
    done = run_bench(
        ["--scale", "0.01", "--rounds", "1", "--concurrency", "2", "--workers", "2", "--out", "-"],
        server,
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


def test_reuse_takes_only_a_database_the_bench_created_and_loaded():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures on PostgreSQL: DATABASE_URL does not name it")
    bench = bench_module()
    server = database_url(connection.settings_dict)
    name = f"bench_{os.getpid()}_{int(time.time())}"
    admin = psycopg.connect(server.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        # Not created by the bench (no mark): refused, by the script itself too, untouched.
        with pytest.raises(SystemExit, match="does not carry the bench's mark"):
            bench.marked_scale(admin, name)
        done = run_bench(["--reuse", name, "--out", "-"], server, timeout=60)
        assert done.returncode != 0
        assert "does not carry the bench's mark" in done.stderr
        with psycopg.connect(server.rsplit("/", 1)[0] + f"/{name}") as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]
        assert tables == 0  # not migrated: nothing was done to it
        # Created by the bench, load unfinished: refused; once loaded: its scale.
        bench.mark(admin, name)
        with pytest.raises(SystemExit, match="its load did not finish"):
            bench.marked_scale(admin, name)
        bench.mark(admin, name, 0.01)
        assert bench.marked_scale(admin, name) == 0.01
        # A name that is not a bench database's is refused before anything is looked up.
        with pytest.raises(SystemExit):
            bench.parse_args(["--reuse", "coaching"])
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
