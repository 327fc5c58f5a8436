"""`make loadtest`: 50 simulated users of mixed roles for 2 minutes (locust) against the
deployed stack: gunicorn (production settings), PostgreSQL, Redis, a Celery worker and beat.

Reuses scripts/bench.py's setup: its own PostgreSQL database (created, loaded with
`bench_data --scale S`, dropped at the end; never one it did not create) and, here, its own
redis-server on a free port. The users of the largest practice are signed in with
server-side sessions, each simulated user with its own session: admins, coaches, clients
and sponsors (20 % / 40 % / 30 % / 10 %), each walking its role's main pages. Then locust
runs headless; the figures (requests, p50, p95, errors, per role and in total) are appended
to docs/benchmarks.md with the machine and date. Not run in CI (it takes minutes).

Usage: python scripts/loadtest.py [--users 50] [--duration 120] [--scale 0.05] [--out -]
"""

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402

MIX = [("admin", 0.2), ("coach", 0.4), ("client", 0.3), ("sponsor", 0.1)]
ROLE_OF_LABEL = {
    "admin": ("admin dashboard", "pipeline", "schedule", "members", "reminders"),
    "coach": ("coach", "program page (coach)", "session", "ICF"),
    "client": ("client", "who read my records", "notifications"),
    "sponsor": ("sponsor",),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 50)))
    parser.add_argument(
        "--duration", type=int, default=int(os.environ.get("LOADTEST_SECONDS", 120))
    )
    parser.add_argument(
        "--scale", type=float, default=float(os.environ.get("LOADTEST_SCALE", 0.05))
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    return parser.parse_args(argv)


def role_of(label):
    if label.startswith(("F0", "F1", "F2", "ICS")) or label == "client's data export":
        return None
    for role, prefixes in ROLE_OF_LABEL.items():
        if label.startswith(prefixes):
            return role
    return None


def plan(page_list, users):
    """One entry per simulated user: a fresh session of its role's persona, and its pages."""
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from coaching.accounts.models import User

    by_role, persona = {}, {}
    for label, headers, path in page_list:
        role = role_of(label)
        if role is None:
            continue
        by_role.setdefault(role, []).append((label, path))
        session_key = headers["Cookie"].split("=", 1)[1]
        persona[role] = User.objects.get(pk=SessionStore(session_key)[SESSION_KEY])
    entries = []
    for role, share in MIX:
        for _ in range(max(1, round(users * share))):
            cookie = bench.sign_in(persona[role])["Cookie"]
            entries.append({"role": role, "cookie": cookie, "pages": by_role[role]})
    assert settings.SESSION_COOKIE_NAME in entries[0]["cookie"]
    return entries[:users] if len(entries) > users else entries


def start(name, args, var, env=None):
    log = open(Path(var) / f"{name}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env=env or os.environ,
    )  # fmt: skip


def stop(process):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def summary(csv_prefix):
    rows = list(csv.DictReader(open(f"{csv_prefix}_stats.csv")))  # noqa: SIM115
    lines = [
        "| page mix | requests | failures | p50 ms | p95 ms | p99 ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    by_role = {}
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            continue
        role = name.split(":", 1)[0]
        by_role.setdefault(role, []).append(row)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    for row in sorted(rows, key=lambda r: r["Name"]):
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    lines.append(
        f"| **all** | **{total['Request Count']}** | **{total['Failure Count']}** | "
        f"**{total['50%']}** | **{total['95%']}** | **{total['99%']}** | "
        f"**{float(total['Requests/s']):.1f}** |"
    )
    return total, "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    url = bench.server_url()
    name = f"loadtest_{os.getpid()}_{int(time.time())}"
    admin = bench.admin_connection(url)
    admin.execute(f'CREATE DATABASE "{name}"')  # fails if the name exists: never reuse one
    var = tempfile.mkdtemp(prefix="loadtest-var-")
    redis = gunicorn = worker = beat = None
    try:
        redis_port = bench.free_port()
        redis = start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            var,
        )  # fmt: skip
        bench.prepare_environment(bench.with_database(url, name), var)
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        started = time.perf_counter()
        bench.load(args.scale)
        print(f"loaded scale {args.scale} in {time.perf_counter() - started:.0f} s")
        page_list, _client = bench.pages()
        entries = plan(page_list, args.users)
        plan_path = Path(var) / "plan.json"
        plan_path.write_text(json.dumps(entries))
        from django.db import connection

        connection.close()
        port = bench.free_port()
        gunicorn_log = open(Path(var) / "gunicorn.log", "wb")  # noqa: SIM115
        gunicorn = bench.start_gunicorn(port, args.workers, gunicorn_log)
        celery = str(Path(sys.executable).parent / "celery")
        worker = start("worker", [celery, "-A", "coaching", "worker", "--loglevel=INFO"], var)
        beat = start(
            "beat",
            [celery, "-A", "coaching", "beat", "--loglevel=INFO", "-s", f"{var}/beat-schedule"],
            var,
        )
        load_before = os.getloadavg()
        csv_prefix = Path(var) / "locust"
        locust = subprocess.run(  # noqa: S603 - fixed arguments
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "scripts/locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", "10",
             "--run-time", f"{args.duration}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "10"],
            cwd=ROOT, env={**os.environ, "LOADTEST_PLAN": str(plan_path)},
        )  # fmt: skip
        alive = {n: p.poll() is None for n, p in [("worker", worker), ("beat", beat)]}
        load_after = os.getloadavg()
        total, body = summary(csv_prefix)
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        mix = ", ".join(f"{role} {round(share * 100)} %" for role, share in MIX)
        section = (
            f"\n## Load test: {when}\n\n"
            f"`make loadtest`: {args.users} simulated users ({mix}), "
            f"one page every 1 to 3 s each, for {args.duration} s, against gunicorn "
            f"({args.workers} sync workers, production settings), PostgreSQL (bench_data scale "
            f"{args.scale}), Redis, a Celery worker and beat (still running at the end: "
            f"{'yes' if all(alive.values()) else alive}). Machine: {bench.machine()}. "
            f"Requests {total['Request Count']}, failures {total['Failure Count']}, p50 "
            f"{total['50%']} ms, p95 {total['95%']} ms; locust exit code {locust.returncode}. "
            f"Load average (1, 5, 15 min) before {'/'.join(f'{x:.1f}' for x in load_before)}, "
            f"after {'/'.join(f'{x:.1f}' for x in load_after)}."
            f"\n\n{body}\n"
        )
        print(section)
        if args.out != "-":
            with Path(args.out).open("a") as f:
                f.write(section)
            print(f"appended to {args.out}")
        return 0 if int(total["Failure Count"]) == 0 and all(alive.values()) else 1
    finally:
        for process in (beat, worker, gunicorn, redis):
            stop(process)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110
            pass
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
