"""The reminder kinds of sessions, tasks and referrals against PostgreSQL, a real worker and beat:
scheduled, moved and cancelled sessions reach both parties once with an invitation that keeps
its UID and raises its SEQUENCE; the scans create each reminder once however often they run."""

import email
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from coaching.notifications.models import InAppNotification, Reminder
from ethics import reminders as ethics_reminders
from ethics.models import Referral
from programs import services as program_services
from sessions import reminders as kinds_sessions
from sessions.models import ActionItem, Session
from tests.integration.reminders_fixtures import (
    needs_real_services,
    processes_fixture,  # noqa: F401  (the `processes` fixture)
    wait_for,
)
from tests.programs import builders

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
JAKARTA = ZoneInfo("Asia/Jakarta")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def sent_emails(processes):
    """Every email the workers wrote, parsed."""
    messages = []
    for path in sorted(processes.mail_dir.iterdir()):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                messages.append(email.message_from_bytes(raw.strip()))
    return messages


def invitations(messages, to):
    found = []
    for message in messages:
        if message["To"] != to.email:
            continue
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
                [event] = cal.walk("VEVENT")
                found.append((str(cal["method"]), str(event["uid"]), int(event["sequence"])))
    return sorted(found, key=lambda item: item[2])


def sent():
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def test_session_invitations_go_out_once_with_one_uid_and_a_rising_sequence(world, processes):
    needs_real_services()
    processes.worker()
    processes.beat()
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    wait_for(lambda: sent() == 2, timeout=60, message="the scheduled emails")
    moved = program_services.session_reschedule(
        session=session, actor=world.admin, starts_at=datetime(2027, 1, 19, 10, 0, tzinfo=JAKARTA)
    )
    wait_for(lambda: sent() == 4, timeout=60, message="the rescheduled emails")
    program_services.session_cancel(session=moved, actor=world.admin, by="coach")
    wait_for(lambda: sent() == 6, timeout=60, message="the cancellation emails")

    messages = sent_emails(processes)
    counts = Counter(m["Message-ID"] for m in messages)
    assert len(counts) == 6 and set(counts.values()) == {1}, "each email once"
    for person in (world.coach, world.client):
        found = invitations(messages, person)
        assert [method for method, _uid, _seq in found] == ["REQUEST", "REQUEST", "CANCEL"]
        assert {uid for _m, uid, _s in found} == {f"{session.code}@coaching"}
        sequences = [seq for _m, _u, seq in found]
        assert sequences == sorted(set(sequences)), "SEQUENCE rises with every change"
    assert InAppNotification.objects.count() == 6


def test_the_scans_create_each_reminder_once_and_the_worker_delivers_it_once(world, processes):
    needs_real_services()
    program = builders.program(world, sessions=0)
    Reminder.objects.all().delete()  # the proposal's and contract's, answered long ago
    held = Session.objects.create(
        program=program,
        number=1,
        starts_at=timezone.now() - timedelta(hours=30),
        coach=world.coach,
        client=world.client,
        status=Session.Status.HELD,
    )
    ActionItem.objects.create(
        session=held, author=world.coach, text="t", due_on=timezone.localdate() + timedelta(days=1)
    )
    Referral.objects.create(
        program=program,
        coach=world.coach,
        professional="doctor",
        reason="physical_health",
        follow_up_on=timezone.localdate(),
    )
    for _ in range(3):
        kinds_sessions.session_reminders_scan()
        ethics_reminders.referral_follow_up_scan()
    kinds_ = Counter(Reminder.objects.values_list("kind", flat=True))
    assert kinds_ == {"task_due": 1, "session_notes_incomplete": 1, "referral_follow_up": 1}
    # Everything due now, then a real worker and beat deliver it.
    Reminder.objects.update(next_attempt_at=timezone.now())
    processes.worker()
    processes.beat()
    wait_for(lambda: sent() == 3, timeout=60, message="the three reminders")
    per_recipient = defaultdict(list)
    for message in sent_emails(processes):
        per_recipient[message["To"]].append(message["Message-ID"])
    assert len(per_recipient[world.client.email]) == 1
    assert len(per_recipient[world.coach.email]) == 2
    assert InAppNotification.objects.count() == 3
