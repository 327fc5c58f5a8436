"""PostgreSQL restarted under load: the web app and the worker recover by themselves.

The README's deployment (gunicorn with coaching.settings.prod and DATABASE_CONN_MAX_AGE=60,
`celery -A coaching worker`, `celery -A coaching beat`, a private Redis, a real SMTP server on
loopback) runs against a private, throwaway PostgreSQL cluster that this test creates with
initdb on a free port (never the machine's shared cluster, which other runs use), holding a
copy of the test database (pg_dump / pg_restore). A signed-in coach reads a session page five
times a second while reminders fall due every 0.35 s; the cluster is stopped (`pg_ctl stop -m
fast`) for 15 s and started again. Beat ticks every 2 s instead of every 60 s
(tests/integration/postgres_restart_settings.py), and the claim lease is 15 s.

It shows: every request before the outage and every request that starts after the cluster is
back answers 200 from the same gunicorn processes; requests during the outage answer a clean 503
"temporarily unavailable" page (coaching/errors.py) with no traceback; the same worker process
sends every reminder, those due during and after the outage included, each exactly once.
"""

import http.client
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from coaching.notifications.models import Reminder
from coaching.notifications.services import reminder_schedule
from sessions.reminders import SESSION_CANCELLED
from tests.integration.conftest import database_url, require_services
from tests.sessions.factories import SessionFactory, program_for
from tests.smtp_sink import SmtpSink, free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SECRET_KEY = "pg-restart-test-" + "s3cr3t!" * 8
HOST = "coaching.example.test"
REMINDERS = 90
DUE_EVERY = 0.35  # seconds between two reminders' due times: due before, during and after
OUTAGE = 15  # seconds the cluster is down
LEAKS = ("Traceback", "OperationalError", "psycopg", "connection refused", "5432")


def _as_postgres(args):
    """initdb and postgres refuse to run as root: run them as the postgres OS user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Cluster:
    """A private PostgreSQL 15 cluster in a temporary directory, on a free port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="pg-restart-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.dir, postgres.pw_uid, postgres.pw_gid)
        subprocess.run(
            _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "-A", "trust", "-E", "UTF8", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/coaching"

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                          str(self.dir / "postgres.log"), "-o", options, "-w", "start"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self, mode="fast"):
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                              "stop"]),
                capture_output=True,
            )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    require_services()
    for tool in (PG_BIN / "initdb", PG_BIN / "pg_ctl"):
        if not tool.exists():
            pytest.skip(f"needs PostgreSQL 15's {tool}")
    made = Cluster()
    try:
        made.start()
        yield made
    finally:
        made.remove()


class Processes:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.running = {}

    def start(self, name, args, env):
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115
        self.running[name] = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.running[name]

    def log(self, name):
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def stop_all(self):
        for process in reversed(list(self.running.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def _signed_in_cookie(user):
    """A session as a real sign-in leaves it, signed with the deployment's SECRET_KEY."""
    with override_settings(SECRET_KEY=SECRET_KEY):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
        store["account_authentication_methods_user"] = str(user.pk)
        store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _reminders(world, session):
    return [
        reminder_schedule(
            kind=SESSION_CANCELLED,
            recipient=(world.coach, world.client)[i % 2],
            obj=session,
            # The kind reads the cancelled start time from the occasion (its .ics).
            occasion=f"cancelled:{(session.starts_at + timedelta(minutes=i)).isoformat()}",
            due_at=timezone.now() + timedelta(days=3650),  # spread out once the stack runs
        )
        for i in range(REMINDERS)
    ]


class Traffic(threading.Thread):
    """A signed-in coach reading a page, one request every 0.2 s, each answer recorded."""

    def __init__(self, port, path, cookie):
        super().__init__(daemon=True)
        self.port, self.path, self.cookie = port, path, cookie
        self.answers = []  # (started, finished, status, body)
        self.halt = threading.Event()

    def get(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "GET",
                self.path,
                headers={"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": self.cookie},
            )
            response = conn.getresponse()
            return response.status, response.read().decode(errors="replace")
        except OSError as error:
            return None, repr(error)
        finally:
            conn.close()

    def run(self):
        while not self.halt.is_set():
            started = time.monotonic()
            status, body = self.get()
            self.answers.append((started, time.monotonic(), status, body))
            time.sleep(0.2)


def test_the_app_and_the_worker_ride_out_a_postgres_restart(world, cluster, processes, tmp_path):
    assert Reminder._meta.db_table == "notifications_reminder"  # named in the SQL below
    session = SessionFactory(program=program_for(world), number=1)
    reminders = _reminders(world, session)
    expected_ids = {r.message_id for r in reminders}
    cookie = _signed_in_cookie(world.coach)
    path = reverse("session_run", kwargs={"slug": world.practice.slug, "code": session.code})

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coaching.settings.prod",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": cluster.url,
        "DATABASE_CONN_MAX_AGE": "60",  # kept connections: the harder case after a restart
        "CONTENT_ENCRYPTION_KEYS": ",".join(settings.CONTENT_ENCRYPTION_KEYS),
        "COACHING_VAR_DIR": str(tmp_path / "var"),
        "NOTIFICATIONS_CLAIM_LEASE": "15",
        "CELERY_TASK_DEFAULT_QUEUE": "celery",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("TEST_DATABASE_NAME", "REMINDERS_TEST_DB", "REDIS_URL"):
        env.pop(name, None)
    (tmp_path / "var").mkdir()
    collect = processes.start(
        "collectstatic", [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env
    )

    # The test database, copied into the private cluster.
    dump = tmp_path / "coaching.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}",
         database_url(connection.settings_dict)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
         "coaching"],
        check=True,
    )  # fmt: skip
    subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={cluster.url}", str(dump)],
        check=True,
    )  # fmt: skip
    assert collect.wait(timeout=120) == 0, processes.log("collectstatic")

    with SmtpSink() as sink:
        redis_port = free_port()
        processes.start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            env,
        )  # fmt: skip
        env.update(
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
        )
        web_port = free_port()
        gunicorn = processes.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "coaching.wsgi", "-w", "2", "-b", f"127.0.0.1:{web_port}"],
            env,
        )
        worker = processes.start(
            "worker", [str(BIN / "celery"), "-A", "coaching", "worker", "--loglevel=INFO"], env
        )
        beat = processes.start(
            "beat",
            [str(BIN / "celery"), "-A", "coaching", "beat", "--loglevel=INFO"],
            {**env, "DJANGO_SETTINGS_MODULE": "tests.integration.postgres_restart_settings"},
        )
        traffic = Traffic(web_port, path, cookie)
        wait_until(lambda: traffic.get()[0] == 200, timeout=60, message="gunicorn to answer 200")
        wait_until(lambda: " ready." in processes.log("worker"), timeout=60, message="the worker")

        # Reminders fall due every DUE_EVERY s from now on: before, during and after the outage.
        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
            db.execute(
                "UPDATE notifications_reminder AS r SET due_at = now() + n * %s::interval, "
                "next_attempt_at = now() + n * %s::interval "
                "FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                "FROM notifications_reminder) AS o WHERE r.id = o.id",
                [f"{DUE_EVERY} seconds"] * 2,
            )
        spread_at = time.monotonic()
        traffic.start()
        time.sleep(6)
        stopping_at = time.monotonic()
        cluster.stop("fast")
        down_at = time.monotonic()
        time.sleep(OUTAGE)
        # Down for certain until the start begins: `pg_ctl start -w` returns a moment after
        # the server accepts connections, and a quick page can be answered in that moment.
        starting_at = time.monotonic()
        cluster.start()
        up_at = time.monotonic()
        due_span = REMINDERS * DUE_EVERY
        assert up_at - spread_at < due_span - 5, "some reminders fall due after the outage"

        def sent():
            with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
                return db.execute(
                    "SELECT count(*) FROM notifications_reminder WHERE status = %s",
                    [Reminder.Status.SENT.value],
                ).fetchone()[0]

        wait_until(lambda: sent() == REMINDERS, timeout=90, interval=1, message="every reminder")
        time.sleep(3)  # a few more requests after the last reminder
        traffic.halt.set()
        traffic.join(timeout=40)
        counts = Counter(sink.message_ids())

    before = [a for a in traffic.answers if a[1] < stopping_at]
    during = [a for a in traffic.answers if a[0] >= down_at and a[1] <= starting_at]
    after = [a for a in traffic.answers if a[0] >= up_at]
    statuses = Counter(a[2] for a in during)
    duplicates = sum(c - 1 for c in counts.values())
    print(
        f"\nPostgreSQL down {up_at - down_at:.1f} s: requests before {len(before)} "
        f"({Counter(a[2] for a in before)}), during {len(during)} ({statuses}), after "
        f"{len(after)} ({Counter(a[2] for a in after)}); reminders {REMINDERS}, emails "
        f"{sum(counts.values())}, duplicates {duplicates}, lost {len(expected_ids - set(counts))}"
    )

    assert before and all(a[2] == 200 for a in before)
    # During the outage: a clean 503 page, nothing of the error.
    assert statuses and set(statuses) == {503}, statuses
    for _start, _end, _status, body in during:
        assert "Temporarily unavailable" in body
        assert not [leak for leak in LEAKS if leak in body]
    # After the restart: every request answers, from the same gunicorn (no worker restarted).
    assert len(after) >= 10 and all(a[2] == 200 for a in after), Counter(a[2] for a in after)
    assert gunicorn.poll() is None
    assert processes.log("gunicorn").count("Booting worker") == 2
    # The worker noticed the outage, stayed up and sent every reminder exactly once.
    assert worker.poll() is None and beat.poll() is None
    assert "OperationalError" in processes.log("worker"), "the outage reached the worker"
    assert set(counts) == expected_ids
    assert duplicates == 0
