"""WhatsApp reminders against a real PostgreSQL, Redis, Celery worker and beat, and the local
fake Cloud API (tests/whatsapp/fake_cloud_api.py) in this process.

Run with DATABASE_URL=postgres://... REDIS_URL=redis://... pytest -m integration.
"""

import time
from collections import Counter

import pytest
from django.utils import timezone

from coaching.notifications.models import InAppNotification, Reminder
from coaching.notifications.services import reminder_schedule
from coaching.whatsapp import channel, services
from coaching.whatsapp.models import WhatsAppMessage
from tests.integration import whatsapp_kind
from tests.integration.reminders_fixtures import (
    CELERY,
    needs_real_services,
    processes_fixture,  # noqa: F401  (the `processes` fixture)
    wait_for,
)
from tests.whatsapp.fake_cloud_api import FakeCloudApi

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def start_worker(processes, name, api):
    return processes._start(
        name,
        [CELERY, "-A", "coaching", "worker", "--include", "tests.integration.whatsapp_kind",
         "-c", "2", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-l", "info"],
        **api.settings(),
    )  # fmt: skip


def start_beat(processes, api):
    return processes._start(
        "beat",
        [CELERY, "-A", "coaching", "beat", "-s", str(processes.tmp_path / "beat-schedule"),
         "-l", "info"],
        **api.settings(),
    )  # fmt: skip


def sent_count():
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def emails(processes):
    return processes.message_ids()


@pytest.fixture
def api(settings):
    # A little latency per request, as a real API has, so that the kill lands mid-batch.
    with FakeCloudApi(delay=0.01) as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        yield fake


def test_500_whatsapp_reminders_survive_a_killed_worker(world, processes, api, live_server):
    needs_real_services()
    people = [world.client, world.coach, world.sponsor]
    for i, person in enumerate(people):
        services.opt_in_give(user=person, phone=f"0812 3456 78{i:02d}")
        services.channel_choice_update(user=person, choices={whatsapp_kind.KIND: "whatsapp"})
    n = 500
    reminders = [
        reminder_schedule(
            kind=whatsapp_kind.KIND, recipient=people[i % 3], obj=world.practice,
            occasion=f"n:{i}", due_at=timezone.now(),
        )
        for i in range(n)
    ]  # fmt: skip
    worker = start_worker(processes, "worker-1", api)
    start_beat(processes, api)
    wait_for(lambda: sent_count() >= 100, timeout=120, message="the first 100 reminders")
    processes.kill(worker)  # SIGKILL to the worker and its pool: a crash mid-batch
    at_kill = Counter(Reminder.objects.values_list("status", flat=True))
    assert at_kill[Reminder.Status.SENT] < n, "the kill came too late to test anything"
    start_worker(processes, "worker-2", api)
    wait_for(lambda: sent_count() == n, timeout=240, message="all reminders sent")

    # The fake's record: every reminder's id arrived, each once but for the measured window.
    keys = Counter(r["body"]["biz_opaque_callback_data"] for r in api.accepted())
    expected = {channel.message_key(r) for r in reminders}
    assert set(keys) == expected, "every reminder went out by WhatsApp"
    duplicates = sum(c - 1 for c in keys.values())
    retried = WhatsAppMessage.objects.filter(attempts__gt=1).count()
    assert InAppNotification.objects.count() == n
    assert WhatsAppMessage.objects.exclude(wamid=None).count() == n
    assert emails(processes) == [], "nothing went by email: WhatsApp took every reminder"
    print(
        f"\nWhatsApp, SIGKILL mid-batch: statuses at the kill {dict(at_kill)}; {n} reminders, "
        f"{len(api.accepted())} messages accepted by the API, duplicates: {duplicates} "
        f"(rows begun more than once: {retried})"
    )
    # The only window is between the API accepting a message and recording its wamid: at
    # most one message per killed pool process (2), and each is a row begun twice.
    assert duplicates <= 2
    assert duplicates <= retried

    # Status webhooks over HTTP to the web process: a forged one is refused and changes
    # nothing; a signed "failed" one makes the worker send that reminder's email, once.
    url = live_server.url + "/whatsapp/webhook/"
    first, second = api.accepted()[0], api.accepted()[1]
    forged = FakeCloudApi.status_webhook(first, "failed")
    assert FakeCloudApi.send_webhook(url, forged, signature="sha256=" + "0" * 64) == 403
    assert FakeCloudApi.send_webhook(url, forged, signature=FakeCloudApi.sign(b"x")) == 403
    assert WhatsAppMessage.objects.get(wamid=first["wamid"]).status == "accepted"
    failed = FakeCloudApi.status_webhook(second, "failed", error_code=131026)
    assert FakeCloudApi.send_webhook(url, failed) == 200
    wait_for(lambda: len(emails(processes)) == 1, timeout=60, message="the fallback email")
    assert FakeCloudApi.send_webhook(url, failed) == 200  # Meta retries its webhooks
    time.sleep(6)  # three beat ticks
    fallback = Reminder.objects.get(whatsapp__wamid=second["wamid"])
    assert emails(processes) == [fallback.message_id]
    assert WhatsAppMessage.objects.get(wamid=first["wamid"]).status == "accepted"
