"""Notifications that respect attention (#14): one email per person per batch operation, the
events that deserve one (graduation, an approved report), and an optional daily digest."""

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import (
    InAppNotification,
    NotificationPreference,
    Reminder,
)
from coaching.notifications.services import reminder_schedule
from ethics import services as ethics_services
from ethics.models import Consent, ProgressReport
from programs import services
from sessions import scheduling
from sessions.models import ActionItem
from tests.programs import builders
from tests.sessions.factories import ActionItemFactory, held_session, program_for

JAKARTA = ZoneInfo("Asia/Jakarta")


def _send_all():
    Reminder.objects.filter(status=Reminder.Status.PENDING).update(next_attempt_at=timezone.now())
    dispatch.dispatch_due()


def _to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def _calendar_parts(message):
    return [
        part
        for part in message.attachments
        if hasattr(part, "get_content_type") and part.get_content_type() == "text/calendar"
    ]


# One email per person per batch ---------------------------------------------------------


def test_a_series_of_six_sessions_sends_one_email_to_each_person(world):
    program = builders.program(world)
    _send_all()
    mail.outbox.clear()
    scheduling.sessions_schedule(
        program=program,
        actor=world.admin,
        starts=scheduling.series_starts(
            first=datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA), count=6, spacing_days=14
        ),
    )
    _send_all()
    for person in (world.coach, world.client):
        [message] = _to(person)
        assert len(_calendar_parts(message)) == 6  # each session's invitation
        assert message.body.count("\n- ") == 6  # a line per session
        # Every session is in the person's in-app list, and none stays waiting.
        assert InAppNotification.objects.filter(recipient=person).count() >= 6
    assert not Reminder.objects.filter(
        kind="session_scheduled", status=Reminder.Status.PENDING
    ).exists()
    assert Reminder.objects.filter(kind="session_scheduled", emailed_at=None).count() == 0


def test_terminating_a_program_with_five_sessions_sends_one_email_to_each_person(world):
    program = builders.program(world, sessions=5)
    _send_all()
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=JAKARTA)):
        services.program_transition(
            program=program, actor=world.admin, name="terminate", reason="the firm reorganised"
        )
        _send_all()
    for person in (world.coach, world.client):
        [message] = _to(person)
        assert len(_calendar_parts(message)) == 5
        assert "the firm reorganised" not in message.body


def test_one_session_cancelled_alone_still_gets_its_own_email(world):
    program = builders.program(world, sessions=2)
    _send_all()
    mail.outbox.clear()
    first = program.sessions.order_by("starts_at").first()
    with time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=JAKARTA)):
        services.session_cancel(session=first, actor=world.admin, by="coach")
        _send_all()
    for person in (world.coach, world.client):
        [message] = _to(person)
        assert len(_calendar_parts(message)) == 1


def test_a_failed_batch_email_is_retried_with_the_whole_batch(world):
    program = builders.program(world)
    _send_all()
    mail.outbox.clear()
    scheduling.sessions_schedule(
        program=program,
        actor=world.admin,
        starts=scheduling.series_starts(
            first=datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA), count=3, spacing_days=14
        ),
    )
    real_send = dispatch.send_email
    with mock.patch.object(dispatch, "send_email", side_effect=ConnectionError("smtp down")):
        _send_all()
    assert mail.outbox == []
    with mock.patch.object(dispatch, "send_email", wraps=real_send):
        _send_all()
    for person in (world.coach, world.client):
        [message] = _to(person)
        assert len(_calendar_parts(message)) == 3


# Events that deserve a notification -----------------------------------------------------


def test_graduation_tells_the_client_the_sponsor_and_the_admin_without_content(world):
    program = builders.program(world, sessions=2)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    builders.hold_all(program)
    services.objective_review(objective=objective, actor=world.coach, result="achieved", note="")
    _send_all()
    mail.outbox.clear()
    services.program_graduate(
        program=program, actor=world.coach, summary="SECRET-SUMMARY", early_reason="done early"
    )
    _send_all()
    [to_client] = _to(world.client)
    assert "Your certificate is ready" in to_client.body
    assert reverse("program_certificate", args=["cahaya", program.code]) in to_client.body
    [to_sponsor] = _to(world.sponsor)
    assert "A coaching program you sponsor at Cahaya has graduated." in to_sponsor.body
    [to_admin] = _to(world.admin)
    assert "A coaching program of Cahaya has graduated." in to_admin.body
    assert _to(world.coach) == []  # the coach graduated it
    for message in mail.outbox:
        assert "SECRET-SUMMARY" not in message.body + str(message.alternatives)
        assert "Delegate" not in message.body and "done early" not in message.body


@pytest.mark.parametrize("consent", [True, False])
def test_an_approved_report_tells_the_coach_and_the_consenting_sponsor(world, consent):
    program = program_for(world)
    if consent:
        Consent.objects.create(
            practice=world.practice,
            client=world.client,
            sponsor=world.sponsor,
            kind=Consent.Kind.SPONSOR_SHARING,
            text="yes",
            text_version="1",
        )
    report = ProgressReport.objects.create(
        program=program,
        author=world.coach,
        text="SECRET-REPORT",
        status=ProgressReport.Status.SUBMITTED,
    )
    ethics_services.progress_report_approve(report=report, actor=world.client, digest=report.digest)
    _send_all()
    [to_coach] = _to(world.coach)
    assert "Your client approved a progress report for their sponsor." in to_coach.body
    to_sponsor = _to(world.sponsor)
    if consent:
        [message] = to_sponsor
        assert "A progress report from Cahaya is ready for you to read." in message.body
        assert reverse("sponsor_program", args=["cahaya", program.code]) in message.body
    else:
        assert to_sponsor == []
    assert all("SECRET-REPORT" not in m.body for m in mail.outbox)


# The daily digest ------------------------------------------------------------------------


def _task_reminders(world, count):
    program = program_for(world)
    session = held_session(program, 1, days_ago=3, content=False)
    for n in range(count):
        item = ActionItemFactory(
            session=session,
            text=f"SECRET-TASK-{n}",
            assignee=ActionItem.Assignee.CLIENT,
            due_on=timezone.localdate() + timedelta(days=1),
        )
        reminder_schedule(
            kind="task_due",
            recipient=world.client,
            obj=item,
            occasion=f"due:{item.due_on.isoformat()}",
            due_at=timezone.now(),
        )


def test_the_preferences_page_turns_the_daily_digest_on(world, client_for):
    browser = client_for(world.client)
    response = browser.post(
        reverse("notification_preferences"),
        {"email_kinds": ["task_due"], "daily_digest": "on", "quiet_start": "", "quiet_end": ""},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.client).daily_digest is True
    page = browser.get(reverse("notification_preferences")).content.decode()
    [checkbox] = re.findall(r'<input[^>]*name="daily_digest"[^>]*>', page)
    assert "checked" in checkbox


def test_a_digest_reader_gets_one_email_a_morning_with_the_days_reminders(world):
    NotificationPreference.objects.create(user=world.client, daily_digest=True)
    with time_machine.travel(datetime(2026, 12, 2, 14, 0, tzinfo=JAKARTA)):
        _task_reminders(world, 3)
        _send_all()
        assert _to(world.client) == []  # held for the digest
        assert InAppNotification.objects.filter(recipient=world.client).count() == 3
    with time_machine.travel(datetime(2026, 12, 3, 6, 30, tzinfo=JAKARTA)):
        assert dispatch.send_digests() == 0  # before 07:00 the reader's time
    with time_machine.travel(datetime(2026, 12, 3, 7, 5, tzinfo=JAKARTA)):
        assert dispatch.send_digests() == 1
        assert dispatch.send_digests() == 0  # claimed: the same day is not sent twice
    [digest] = _to(world.client)
    assert digest.subject == "Your day: 3 reminders"
    assert digest.body.count("[Cahaya] ") == 3
    assert "SECRET-TASK" not in digest.body
    assert not Reminder.objects.filter(recipient=world.client, emailed_at=None).exists()


def test_a_digest_that_fails_to_send_is_tried_again(world):
    NotificationPreference.objects.create(user=world.client, daily_digest=True)
    with time_machine.travel(datetime(2026, 12, 2, 14, 0, tzinfo=JAKARTA)):
        _task_reminders(world, 2)
        _send_all()
    with time_machine.travel(datetime(2026, 12, 3, 7, 5, tzinfo=JAKARTA)):
        with mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError
        ):
            assert dispatch.send_digests() == 0
        assert NotificationPreference.objects.get(user=world.client).digest_sent_on is None
        assert dispatch.send_digests() == 1
    assert len(_to(world.client)) == 1


def test_calendar_invitations_are_not_held_for_the_digest(world):
    NotificationPreference.objects.create(user=world.client, daily_digest=True)
    builders.program(world, sessions=2)
    _send_all()
    [message] = _to(world.client)
    assert len(_calendar_parts(message)) == 2


def test_the_profile_leads_to_the_daily_digest_setting(world, client_for):
    page = client_for(world.client).get(reverse("profile")).content.decode()
    assert "Reminders by email, quiet hours and the daily digest" in page
    assert f'href="{reverse("notification_preferences")}"' in page
