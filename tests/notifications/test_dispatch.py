import re
from datetime import time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import InAppNotification, NotificationPreference, Reminder
from coaching.notifications.services import preference_update


class RefusingSMTP(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


@pytest.fixture
def failing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_dispatch.RefusingSMTP"


def make_due(reminder):
    Reminder.objects.filter(pk=reminder.pk).update(next_attempt_at=timezone.now())


def test_a_due_reminder_arrives_in_app_and_by_email_once(due_reminder, world):
    reminder = due_reminder()
    make_due(reminder)
    assert dispatch.dispatch_due() == 1
    assert dispatch.dispatch_due() == 0
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert InAppNotification.objects.filter(recipient=world.client).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.client.email]
    assert mail.outbox[0].extra_headers["Message-ID"] == reminder.message_id


def test_the_email_carries_a_link_and_no_content(due_reminder, world):
    reminder = due_reminder()
    make_due(reminder)
    dispatch.dispatch_due()
    message = mail.outbox[0]
    body = message.body + message.alternatives[0][0] + message.subject
    assert "CANARY" not in body
    assert "Ruang Melati" not in body  # even the place stays in the app
    assert reminder.path in body


def test_the_email_is_in_the_recipients_language(due_reminder, world):
    world.client.language = "id"
    world.client.save()
    reminder = due_reminder()
    make_due(reminder)
    dispatch.dispatch_due()
    # Django's Indonesian formats ("24 Nov. 2026, 17.00") and the recipient's time zone.
    assert re.search(r"\d{1,2} \w+\.? \d{4}, \d{1,2}\.\d{2}", mail.outbox[0].body)


def test_a_reminder_not_yet_due_waits(due_reminder):
    due_reminder()  # due 24 hours before a session 24.5 hours away: in 30 minutes
    assert dispatch.dispatch_due() == 0
    assert len(mail.outbox) == 0


def test_two_claims_never_share_a_row(due_reminder):
    for _ in range(3):
        make_due(due_reminder())
    Reminder.objects.update(next_attempt_at=timezone.now())
    _token_a, first = dispatch.claim_batch(limit=4)
    _token_b, second = dispatch.claim_batch(limit=10)
    assert len(first) == 4
    assert len(second) == 2
    assert not set(first) & set(second)


def test_a_claim_of_a_dead_worker_is_taken_over_after_the_timeout(due_reminder, world):
    reminder = due_reminder()
    make_due(reminder)
    token, ids = dispatch.claim_batch()
    assert ids == [reminder.pk]
    # The worker dies here. Before the timeout nobody else may take the row.
    assert dispatch.claim_batch()[1] == []
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert dispatch.dispatch_due() == 1
    # The dead worker's token no longer owns the row.
    assert dispatch.deliver(reminder.pk, token) is None
    assert InAppNotification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_crash_after_the_email_does_not_send_it_or_the_notification_twice(due_reminder):
    reminder = due_reminder()
    make_due(reminder)
    token, _ids = dispatch.claim_batch()
    dispatch.deliver(reminder.pk, token)
    # Pretend the final "sent" update was lost with the worker: the row is still claimed.
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert dispatch.dispatch_due() == 1
    assert InAppNotification.objects.count() == 1
    assert len(mail.outbox) == 1  # emailed_at was recorded before the crash


def test_a_failed_send_retries_with_growing_backoff(due_reminder, failing_smtp):
    reminder = due_reminder()
    make_due(reminder)
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            dispatch.dispatch_due()
            reminder.refresh_from_db()
            waits.append(reminder.next_attempt_at - timezone.now())
            traveller.move_to(reminder.next_attempt_at)
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 3
    assert reminder.last_error == "ConnectionRefusedError"
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_after_the_last_try_the_reminder_stays_failed_and_visible(due_reminder, failing_smtp):
    reminder = due_reminder()
    make_due(reminder)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(dispatch.MAX_ATTEMPTS + 2):
            dispatch.dispatch_due()
            reminder.refresh_from_db()
            traveller.move_to(reminder.next_attempt_at + timedelta(seconds=1))
    assert reminder.status == Reminder.Status.FAILED
    assert reminder.attempts == dispatch.MAX_ATTEMPTS
    # The in-app notification arrived anyway, once.
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1


def test_email_off_for_a_kind_still_notifies_in_app(due_reminder, world):
    preference_update(user=world.client, email_kinds=[], quiet_start=None, quiet_end=None)
    reminder = due_reminder()
    make_due(reminder)
    dispatch.dispatch_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert InAppNotification.objects.filter(recipient=world.client).count() == 1
    assert mail.outbox == []


def test_quiet_hours_postpone_the_email_to_their_end(due_reminder, world):
    # Jakarta is UTC+7: 23:30 local is 16:30 UTC; quiet 22:00-07:00 ends at 00:00 UTC.
    NotificationPreference.objects.create(
        user=world.client, quiet_start=time(22, 0), quiet_end=time(7, 0)
    )
    with time_machine.travel("2026-11-23 16:30:00+00:00", tick=False) as traveller:
        reminder = due_reminder()
        make_due(reminder)
        dispatch.dispatch_due()
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.PENDING
        assert reminder.next_attempt_at.isoformat() == "2026-11-24T00:00:00+00:00"
        assert InAppNotification.objects.filter(reminder=reminder).count() == 1  # not quiet
        assert mail.outbox == []
        traveller.move_to("2026-11-24 00:00:30+00:00")
        dispatch.dispatch_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert [m.to for m in mail.outbox].count([world.client.email]) == 1
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1


def test_the_practice_default_applies_until_the_user_chooses(due_reminder, world):
    from coaching.notifications.models import PracticeNotificationDefault

    PracticeNotificationDefault.objects.create(
        practice=world.practice, email_off_kinds=["session_upcoming"]
    )
    reminder = due_reminder()
    make_due(reminder)
    dispatch.dispatch_due()
    assert mail.outbox == []
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1


def test_a_reminder_for_a_cancelled_session_is_not_sent(due_reminder, world):
    from sessions.models import Session

    reminder = due_reminder()
    make_due(reminder)
    Session.objects.update(status=Session.Status.CANCELLED_COACH)
    dispatch.dispatch_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert not InAppNotification.objects.exists()
    assert mail.outbox == []


def test_a_recipient_who_left_the_practice_gets_nothing(due_reminder, world):
    reminder = due_reminder()
    make_due(reminder)
    world.client.memberships.update(deactivated_at=timezone.now())
    dispatch.dispatch_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_the_message_id_is_stable_and_distinct(due_reminder, world):
    reminder = due_reminder()
    other = Reminder.objects.get(recipient=world.coach)
    assert reminder.message_id == Reminder.objects.get(pk=reminder.pk).message_id
    assert reminder.message_id != other.message_id
    assert reminder.message_id.startswith("<reminder-")
    assert reminder.message_id.endswith("@coaching>")


@pytest.mark.parametrize(
    ("local_clock", "start", "end", "quiet"),
    [
        ("12:00", time(22, 0), time(7, 0), False),
        ("22:00", time(22, 0), time(7, 0), True),
        ("06:59", time(22, 0), time(7, 0), True),
        ("07:00", time(22, 0), time(7, 0), False),
        ("13:30", time(13, 0), time(14, 0), True),
        ("14:00", time(13, 0), time(14, 0), False),
    ],
)
def test_quiet_hours_windows(world, local_clock, start, end, quiet):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    preference = NotificationPreference(user=world.client, quiet_start=start, quiet_end=end)
    hour, minute = map(int, local_clock.split(":"))
    at = datetime(2026, 11, 23, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta"))
    until = dispatch.in_quiet_hours(preference, world.client, world.practice, at)
    assert (until is not None) is quiet
    if quiet:
        assert until > at
        assert until.astimezone(ZoneInfo("Asia/Jakarta")).time() == end


def test_quiet_hours_follow_the_recipients_time_zone(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    world.client.timezone = "Asia/Jayapura"  # UTC+9, two hours ahead of Jakarta
    preference = NotificationPreference(
        user=world.client, quiet_start=time(22, 0), quiet_end=time(7, 0)
    )
    at = datetime(2026, 11, 23, 21, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # 23:00 in Jayapura
    assert dispatch.in_quiet_hours(preference, world.client, world.practice, at) is not None


def test_the_database_refuses_a_second_notification_for_a_reminder(due_reminder, world):
    from django.db import IntegrityError, transaction

    reminder = due_reminder()
    InAppNotification.objects.create(reminder=reminder, recipient=world.client)
    with pytest.raises(IntegrityError), transaction.atomic():
        InAppNotification.objects.create(reminder=reminder, recipient=world.client)
