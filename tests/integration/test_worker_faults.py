"""Reminder dispatch under faults, with the worker and beat started as the README deploys them.

`celery -A coaching worker --loglevel=INFO` and `celery -A coaching beat --loglevel=INFO` under
`coaching.settings.prod`, on the test database, a private Redis on a free port (never the
shared 6379) and a real SMTP server on loopback (tests/integration/smtp_sink.py). Beat keeps
its production schedule (dispatch every 60 s), so these tests take minutes.
"""

import os
import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from coaching.notifications.models import Reminder
from coaching.notifications.services import reminder_schedule
from sessions.reminders import SESSION_CANCELLED
from tests.integration.conftest import database_url, require_services
from tests.integration.reminders_fixtures import CELERY
from tests.sessions.factories import SessionFactory, program_for
from tests.smtp_sink import SmtpSink, free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TEST_KEY = "Y29hY2hpbmctZGV2LW9ubHkta2V5LW5vdC1zZWNyZXQ="


class Deployment:
    """The README's processes, each in its own process group, logging into tmp_path."""

    def __init__(self, tmp_path, redis_port, smtp_port):
        self.tmp_path = tmp_path
        self.redis_port = redis_port
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coaching.settings.prod",
            "SECRET_KEY": "fault-test-" + "k3y!" * 12,
            "ALLOWED_HOSTS": "coaching.example.test",
            "SITE_URL": "https://coaching.example.test",
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CONTENT_ENCRYPTION_KEYS": TEST_KEY,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "COACHING_VAR_DIR": str(tmp_path / "var"),
            "CELERY_TASK_DEFAULT_QUEUE": "celery",
            "PYTHONPATH": str(ROOT),
        }
        for name in ("TEST_DATABASE_NAME", "REMINDERS_TEST_DB"):
            self.env.pop(name, None)
        self.running = []

    def start(self, name, args):
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.running.append(process)
        return process

    def log(self, name):
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def redis(self):
        process = self.start(
            f"redis-{time.monotonic_ns()}",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
        )  # fmt: skip
        time.sleep(0.5)
        return process

    def worker(self):
        return self.start("worker", [CELERY, "-A", "coaching", "worker", "--loglevel=INFO"])

    def beat(self):
        return self.start("beat", [CELERY, "-A", "coaching", "beat", "--loglevel=INFO"])

    @staticmethod
    def stop(process, sig=signal.SIGTERM):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self):
        for process in reversed(self.running):
            if process.poll() is None:
                self.stop(process)


@pytest.fixture
def deployment(tmp_path):
    require_services()
    (tmp_path / "var").mkdir()
    with SmtpSink() as sink:
        deployed = Deployment(tmp_path, free_port(), sink.port)
        deployed.sink = sink
        try:
            yield deployed
        finally:
            deployed.stop_all()


def cancelled_reminders(world, n, *, due_at, start=0):
    """n due "session cancelled" reminders (a real kind, with its .ics), as the service makes
    them: one session, coach and client, one occasion each."""
    session = getattr(world, "_fault_session", None)
    if session is None:
        session = world._fault_session = SessionFactory(program=program_for(world), number=1)
    first = session.starts_at
    return [
        reminder_schedule(
            kind=SESSION_CANCELLED,
            recipient=(world.coach, world.client)[i % 2],
            obj=session,
            occasion=f"cancelled:{(first + timedelta(minutes=i)).isoformat()}",
            due_at=due_at,
        )
        for i in range(start, start + n)
    ]


def sent():
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def test_the_worker_rides_out_a_60_second_broker_outage_and_sends_the_backlog(world, deployment):
    cancelled_reminders(world, 600, due_at=timezone.now())
    deployment.redis()
    worker = deployment.worker()
    deployment.beat()
    # Beat's first dispatch tick comes 60 s after it starts; wait for a dispatch in progress,
    # so that its message is in flight when the broker goes away.
    wait_until(lambda: sent() >= 100, timeout=180, message="the first dispatch to be under way")
    redis = deployment.running[0]
    deployment.stop(redis, signal.SIGKILL)
    down_at = timezone.now()
    # The backlog: due only after the broker is back, so that only a dispatch that the worker
    # receives after the outage can send it.
    cancelled_reminders(world, 200, due_at=down_at + timedelta(seconds=75), start=600)
    time.sleep(60)
    assert worker.poll() is None, f"the worker exited:\n{deployment.log('worker')[-3000:]}"
    deployment.redis()

    wait_until(lambda: sent() == 800, timeout=300, interval=2, message="the backlog to be sent")
    assert worker.poll() is None, "the same worker process sent the backlog"
    log = deployment.log("worker")
    assert "Connection to broker lost" in log, "the outage reached the worker"
    assert "Unrecoverable error" not in log
    counts = Counter(deployment.sink.message_ids())
    expected = {r.message_id for r in Reminder.objects.all()}
    assert set(counts) == expected
    duplicates = sum(c - 1 for c in counts.values())
    print(f"\nbroker down 60 s under a dispatching worker: 800 reminders, duplicates {duplicates}")
    assert duplicates == 0
