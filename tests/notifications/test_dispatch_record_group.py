"""`emailed_at` recorded for a group of emails in one commit (dispatch.py's docstring): at most
NOTIFICATIONS_EMAIL_RECORD_GROUP emails are ever out and unrecorded, so a worker that dies
sends at most that many twice; a slow batch records within about a second; a batch that fails
on a lost connection records the emails it sent before it gives up."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import Reminder
from tests.notifications.test_dispatch_batching import make_due


class Watching(EmailBackend):
    """Before each message goes out, counts the emails already sent whose `emailed_at` is
    still empty: what a worker killed at that moment would send again."""

    by_message_id = {}
    unrecorded_before_send = []

    def send_messages(self, messages):
        sent = {m.extra_headers["Message-ID"] for m in mail.outbox}
        pks = [Watching.by_message_id[mid] for mid in sent]
        Watching.unrecorded_before_send.append(
            Reminder.objects.filter(pk__in=pks, emailed_at=None).count()
        )
        return super().send_messages(messages)


def watch(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Watching"
    Watching.by_message_id = {r.message_id: r.pk for r in Reminder.objects.all()}
    Watching.unrecorded_before_send = []


def test_no_more_than_a_group_of_emails_is_ever_out_and_unrecorded(world, settings):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 4
    make_due(world, 13)
    watch(settings)
    assert dispatch.dispatch_due() == 13
    # Before the 5th email the first 4 are recorded (one UPDATE), and so on.
    assert Watching.unrecorded_before_send == [0, 1, 2, 3] * 3 + [0]
    assert not Reminder.objects.filter(emailed_at=None).exists()
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_a_group_of_one_records_each_email_before_the_next(world, settings):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 1
    make_due(world, 5)
    watch(settings)
    assert dispatch.dispatch_due() == 5
    assert Watching.unrecorded_before_send == [0] * 5


class SlowRelay(EmailBackend):
    """Each message takes 1.5 s (on the clock dispatch reads)."""

    clock = [0.0]

    def send_messages(self, messages):
        SlowRelay.clock[0] += 1.5
        return super().send_messages(messages)


def test_a_slow_batch_records_its_emails_within_about_a_second(world, settings, monkeypatch):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 10
    settings.EMAIL_BACKEND = f"{__name__}.SlowRelay"
    SlowRelay.clock = [0.0]
    monkeypatch.setattr(dispatch, "monotonic", lambda: SlowRelay.clock[0])
    recorded = []
    real_record = dispatch.record_emailed
    monkeypatch.setattr(
        dispatch, "record_emailed", lambda ids: recorded.append(len(ids)) or real_record(ids)
    )
    make_due(world, 5)
    assert dispatch.dispatch_due() == 5
    # The first of a group has waited 1.5 s when the second goes out: recorded in pairs, not
    # held for a group of 10; the last one when the batch ends.
    assert recorded == [2, 2, 1]
    assert not Reminder.objects.filter(emailed_at=None).exists()


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it is recorded by this worker."""


def test_a_worker_dying_before_its_group_is_recorded_sends_that_group_again_and_no_more(
    world, settings, monkeypatch
):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 4
    make_due(world, 10)

    def killed(ids):
        raise WorkerKilled

    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with monkeypatch.context() as patch:
            patch.setattr(dispatch, "record_emailed", killed)
            with pytest.raises(WorkerKilled):
                dispatch.dispatch_due()
        assert len(mail.outbox) == 4
        unrecorded = Reminder.objects.filter(status=Reminder.Status.SENDING, emailed_at=None)
        assert unrecorded.count() == 4
        assert dispatch.dispatch_due() == 6, "the rows never started go out at the next tick"
        traveller.move_to(start + timedelta(seconds=100))  # the dead worker's lease is over
        assert dispatch.dispatch_due() == 4
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 14 and len(set(ids)) == 10, "exactly the unrecorded group sent twice"
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


class ConnectionLostOnThird(EmailBackend):
    """The third message is accepted, then the database connection is reported lost."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 3:
            raise OperationalError("server closed the connection unexpectedly")
        return sent


def test_a_batch_failing_mid_group_records_the_emails_it_sent_and_resends_only_the_one_in_hand(
    world, settings
):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 10
    settings.EMAIL_BACKEND = f"{__name__}.ConnectionLostOnThird"
    make_due(world, 6)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with pytest.raises(OperationalError):
            dispatch.dispatch_due()
        first_two = [m.extra_headers["Message-ID"] for m in mail.outbox[:2]]
        by_message_id = {r.message_id: r for r in Reminder.objects.all()}
        for message_id in first_two:
            row = by_message_id[message_id]
            assert row.emailed_at is not None and row.status == Reminder.Status.SENT
        in_hand = by_message_id[mail.outbox[2].extra_headers["Message-ID"]]
        assert in_hand.status == Reminder.Status.SENDING and in_hand.emailed_at is None
        assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 3
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert dispatch.dispatch_due() == 3
        traveller.move_to(start + timedelta(seconds=100))
        assert dispatch.dispatch_due() == 1
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 7 and len(set(ids)) == 6
    assert ids.count(in_hand.message_id) == 2
