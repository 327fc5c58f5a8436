"""Dispatch under faults: a killed worker's lease, a failed batch, a lost database connection
in the duplicate window, and an SMTP server that hangs (a real one on loopback)."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import InAppNotification, Reminder
from tests.smtp_sink import SmtpSink


class ConnectionLostAfterSending(EmailBackend):
    """The SMTP server accepts the message, then the database connection dies (the first
    time only), so `emailed_at` cannot be recorded: the duplicate window."""

    tripped = False

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if not ConnectionLostAfterSending.tripped:
            ConnectionLostAfterSending.tripped = True
            raise OperationalError("server closed the connection unexpectedly")
        return sent


@pytest.fixture
def three_due(due_reminder):
    reminders = [due_reminder() for _ in range(3)]
    # Only the client's three (each session also has the coach's).
    Reminder.objects.exclude(pk__in=[r.pk for r in reminders]).delete()
    Reminder.objects.update(next_attempt_at=timezone.now())
    return reminders


def statuses():
    return dict(Reminder.objects.values_list("pk", "status"))


def test_a_killed_workers_claims_are_taken_over_within_two_minutes(three_due):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _token, ids = dispatch.claim_batch()
        assert len(ids) == 3
        # The worker is killed here, having renewed nothing.
        traveller.move_to(start + timedelta(seconds=60))
        assert dispatch.dispatch_due() == 0, "a claim younger than the lease is left alone"
        traveller.move_to(start + timedelta(seconds=100))
        assert dispatch.dispatch_due() == 3
    assert set(statuses().values()) == {Reminder.Status.SENT}
    assert len(mail.outbox) == 3


class SlowSMTP(EmailBackend):
    """Each message takes 50 s; while the second is on its way, a second worker tries to claim
    (what it got is kept in `stolen`)."""

    traveller = None
    stolen = None

    def send_messages(self, messages):
        SlowSMTP.traveller.shift(timedelta(seconds=50))
        if len(mail.outbox) == 1:
            SlowSMTP.stolen = dispatch.claim_batch()[1]
        return super().send_messages(messages)


def test_a_live_worker_keeps_its_batch_by_renewing_the_lease(three_due, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_dispatch_faults.SlowSMTP"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        SlowSMTP.traveller, SlowSMTP.stolen = traveller, None
        assert dispatch.dispatch_due(budget_seconds=600) == 3
    # 100 s after the claim the third row is not started yet; its lease was renewed at 50 s.
    assert SlowSMTP.stolen == []
    assert len(mail.outbox) == 3
    assert set(statuses().values()) == {Reminder.Status.SENT}


def test_a_lost_connection_releases_the_unstarted_rows_at_once_and_costs_one_duplicate(
    three_due, settings
):
    settings.EMAIL_BACKEND = "tests.notifications.test_dispatch_faults.ConnectionLostAfterSending"
    ConnectionLostAfterSending.tripped = False
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with pytest.raises(OperationalError):
            dispatch.dispatch_due()
        after_failure = statuses()
        # The row in hand keeps its lease (its email is out, unrecorded); the others are free.
        # (Which row the batch took first is the database's order, not the test's.)
        in_hand = [pk for pk, status in after_failure.items() if status == "sending"]
        assert len(in_hand) == 1, after_failure
        first = Reminder.objects.get(pk=in_hand[0])
        assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first.message_id]
        after_failure.pop(first.pk)
        assert set(after_failure.values()) == {Reminder.Status.PENDING}
        assert not Reminder.objects.filter(pk__in=after_failure, claim_token__isnull=False)
        assert dispatch.dispatch_due() == 2, "the released rows go out on the next tick"
        assert len(mail.outbox) == 3
        # After the lease the row in hand is re-claimed and its email sent a second time.
        traveller.move_to(start + timedelta(seconds=100))
        assert dispatch.dispatch_due() == 1
    assert set(statuses().values()) == {Reminder.Status.SENT}
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 4 and len(set(ids)) == 3, "exactly one duplicate, same Message-ID"
    assert ids.count(first.message_id) == 2
    assert InAppNotification.objects.count() == 3


def test_email_has_a_timeout_by_default():
    assert isinstance(django_settings.EMAIL_TIMEOUT, int)
    assert 0 < django_settings.EMAIL_TIMEOUT <= 30


def test_an_smtp_server_that_hangs_fails_the_attempt_within_the_timeout(due_reminder, settings):
    reminder = due_reminder()
    Reminder.objects.exclude(pk=reminder.pk).delete()
    Reminder.objects.update(next_attempt_at=timezone.now())
    with SmtpSink(hang=True) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 1
        began = time.monotonic()
        assert dispatch.dispatch_due() == 1
        elapsed = time.monotonic() - began
        assert sink.connections == 1
    assert elapsed < 10
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1
    assert reminder.last_error in {"TimeoutError", "SMTPServerDisconnected"}
    assert reminder.emailed_at is None
    # The in-app notification does not wait for the mail server.
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1
