"""Reminders against a real PostgreSQL, Redis, Celery worker and beat.

Run with DATABASE_URL=postgres://... REDIS_URL=redis://... pytest -m integration.
Each test starts its own worker and beat processes (tests/integration/reminders_fixtures.py)
that share the test database; beat ticks every 2 seconds.
"""

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import InAppNotification, Reminder
from coaching.notifications.services import reminder_schedule
from tests.integration import reminders_kind
from tests.integration.reminders_fixtures import (
    Processes,
    needs_real_services,
    processes_fixture,  # noqa: F401  (the `processes` fixture)
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_reminders(world, n, *, due_at, start=0):
    """n reminders through the service, as a cause would create them."""
    recipients = [world.client, world.coach, world.sponsor]
    return [
        reminder_schedule(
            kind=reminders_kind.KIND,
            recipient=recipients[i % 3],
            obj=world.practice,
            occasion=f"n:{i}",
            due_at=due_at,
        )
        for i in range(start, start + n)
    ]


def sent_count():
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def assert_delivered_once(processes, n):
    assert Reminder.objects.exclude(status=Reminder.Status.SENT).count() == 0
    assert InAppNotification.objects.count() == n
    # Exactly one in-app notification per reminder is also what the unique constraint says.
    assert InAppNotification.objects.values("reminder").distinct().count() == n
    ids = processes.message_ids()
    counts = Counter(ids)
    expected = {r.message_id for r in Reminder.objects.select_related(None)}
    assert set(counts) == expected, "every reminder's email went out"
    return sum(c - 1 for c in counts.values())


def handled_by(processes, name):
    """Reminders a worker's dispatch_due tasks reported handling (from its log)."""
    log = (processes.tmp_path / f"{name}.log").read_text(errors="replace")
    return sum(
        int(n) for n in re.findall(r"dispatch_due\[[^\]]+\] succeeded in [\d.]+s: (\d+)", log)
    )


def test_a_worker_killed_mid_batch_loses_nothing(world, processes):
    needs_real_services()
    # Enough reminders that the kill lands mid-run however fast the worker sends: with
    # emailed_at recorded a group at a time, a quiet machine sent the rest of 1,000 between
    # the poll that saw 150 and the kill (CI, 2026-11-30), so the kill tested nothing.
    n = 4000
    make_reminders(world, n, due_at=timezone.now())
    worker = processes.worker("worker-1", concurrency=2)
    processes.beat()
    wait_for(
        lambda: sent_count() >= 150, timeout=90, interval=0.05, message="the first 150 reminders"
    )
    processes.kill(worker)  # SIGKILL to the worker and its pool: a crash mid-batch
    at_kill = Counter(Reminder.objects.values_list("status", flat=True))
    assert at_kill[Reminder.Status.SENT] < n, "the kill came too late to test anything"
    processes.worker("worker-2", concurrency=2)
    wait_for(lambda: sent_count() == n, timeout=300, message="all reminders sent")
    duplicates = assert_delivered_once(processes, n)
    print(
        f"\nSIGKILL mid-batch: statuses at the kill {dict(at_kill)}; "
        f"{n} reminders, {n} in-app notifications, duplicate emails: {duplicates}"
    )
    # The only window is between SMTP accepting a message and recording it, which a worker
    # process does for a group of emails at once (dispatch.py's docstring): at most one group
    # per killed pool process (the worker's settings are this process's, tests/integration/
    # reminders_settings.py).
    assert duplicates <= 2 * dispatch.record_group()


def ticked(processes, name):
    """Whether a beat has sent dispatch_due at least once (its log says so at each tick)."""
    log = processes.tmp_path / f"{name}.log"
    return log.exists() and "notifications.dispatch_due" in log.read_text(errors="replace")


def test_two_beats_and_two_workers_at_once_send_no_duplicates(world, processes):
    needs_real_services()
    n = 300
    processes.worker("worker-a", concurrency=2)
    processes.worker("worker-b", concurrency=2)
    processes.beat("beat-a")
    processes.beat("beat-b")
    # The reminders fall due once both beats tick (every 2 s), so two beats really dispatch at
    # once. A beat's first tick waits for its start (Django and Celery imported, the schedule
    # file opened): seconds on a quiet machine, far longer on a loaded one, hence the deadline
    # (a beat that never ticks still fails here, by name).
    for name in ("beat-a", "beat-b"):
        wait_for(lambda name=name: ticked(processes, name), timeout=240, message=f"{name} to tick")
    make_reminders(world, n, due_at=timezone.now())
    wait_for(lambda: sent_count() == n, timeout=90, message="all reminders sent")
    duplicates = assert_delivered_once(processes, n)
    handled = {name: handled_by(processes, name) for name in ("worker-a", "worker-b")}
    print(f"\ntwo beats, two workers: {n} reminders, handled {handled}, duplicates: {duplicates}")
    assert duplicates == 0
    assert sum(handled.values()) == n


def test_a_broker_outage_delays_reminders_and_loses_none(world, tmp_path, client_for):
    needs_real_services()
    port = 6390
    procs = Processes(tmp_path, f"redis://127.0.0.1:{port}/0")
    try:
        redis = procs.redis(port)
        time.sleep(0.5)
        procs.worker("worker", concurrency=2)
        procs.beat()
        make_reminders(world, 50, due_at=timezone.now())
        wait_for(lambda: sent_count() == 50, timeout=60, message="reminders before the outage")

        procs.kill(redis, sig=9)
        down_at = time.monotonic()
        # While the broker is down, the service layer and the web keep working: a cause
        # creates its reminders (rows, no broker involved) and pages answer.
        make_reminders(world, 150, due_at=timezone.now() + timedelta(seconds=5), start=50)
        assert Reminder.objects.count() == 200
        # The web tier shares this Redis as its cache in production: point the cache at the
        # stopped server too, and a signed-in page still answers.
        down_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": procs.broker_url,
            }
        }
        with override_settings(CACHES=down_cache):
            response = client_for(world.client).get("/me/inbox/")
        assert response.status_code == 200
        time.sleep(max(0.0, 30 - (time.monotonic() - down_at)))
        assert sent_count() == 50, "nothing can be sent while the broker is down"

        procs.redis(port)
        wait_for(lambda: sent_count() == 200, timeout=90, message="reminders after the outage")
        duplicates = assert_delivered_once(procs, 200)
        print(f"\nbroker down 30 s: 200 reminders, duplicate emails: {duplicates}")
        assert duplicates == 0
    finally:
        procs.stop_all()
