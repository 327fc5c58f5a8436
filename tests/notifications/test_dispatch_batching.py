"""Dispatch in batches: the queries per reminder, pinned at two batch sizes, and the spread of
dispatch across worker processes (tasks.dispatch_due enqueues one more dispatcher)."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.notifications import dispatch, tasks
from coaching.notifications.models import InAppNotification, Reminder
from coaching.notifications.services import preference_update, reminder_schedule
from tests.integration import reminders_kind


def make_due(world, n, *, start=0):
    recipients = [world.client, world.coach, world.sponsor]
    return [
        reminder_schedule(
            kind=reminders_kind.KIND,
            recipient=recipients[i % 3],
            obj=world.practice,
            occasion=f"n:{i}",
            due_at=timezone.now(),
        )
        for i in range(start, start + n)
    ]


def deliver_queries(n):
    """The statements deliver_batch runs for a claimed batch of n plain email reminders."""
    token, ids = dispatch.claim_batch(limit=n)
    assert len(ids) == n
    with CaptureQueriesContext(connection) as queries:
        statuses = dispatch.deliver_batch(token, ids)
    assert set(statuses.values()) == {Reminder.Status.SENT}
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("n", [10, 40])
def test_queries_per_reminder_are_one_update_per_group_of_emails_plus_a_constant_per_batch(
    world, n, settings
):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 10
    make_due(world, n)
    sql = deliver_queries(n)
    # Per batch: the claimed rows with recipients and practices, the active memberships, one
    # INSERT of the in-app notifications, the preferences, the practices' defaults, and one
    # UPDATE marking the batch sent. Per group of 10 emails: the UPDATE recording their
    # `emailed_at`, which closes their duplicate window (dispatch.py's docstring).
    emailed_updates = [s for s in sql if s.startswith("UPDATE") and '"emailed_at"' in s]
    assert len(emailed_updates) == n // 10
    assert len(sql) == 5 + n // 10 + 1, "\n".join(sql)
    inserts = [s for s in sql if s.startswith("INSERT")]
    assert len(inserts) == 1
    assert len(mail.outbox) == n
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == n
    assert InAppNotification.objects.count() == n


def test_preferences_of_the_batch_still_decide_each_recipients_channel(world):
    # The sponsor wants this kind in the app only; the others by email.
    preference_update(
        user=world.sponsor, email_kinds=[], quiet_start=None, quiet_end=None, daily_digest=False
    )
    make_due(world, 6)
    assert dispatch.dispatch_due() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.client.email, world.coach.email] * 2
    )
    assert InAppNotification.objects.filter(recipient=world.sponsor).count() == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


class CountingBackend(EmailBackend):
    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True


def test_one_smtp_connection_carries_a_batchs_emails(world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = 0
    make_due(world, 12)
    assert dispatch.dispatch_due(batch_size=12) == 12
    assert len(mail.outbox) == 12
    assert CountingBackend.opened == 1


def test_a_full_batch_enqueues_one_more_dispatcher_and_a_partial_one_none(world, monkeypatch):
    enqueued = []
    monkeypatch.setattr(
        tasks.dispatch_due, "apply_async", lambda **options: enqueued.append(options)
    )
    make_due(world, dispatch.BATCH_SIZE * 2 + 5)
    assert tasks.dispatch_due() == dispatch.BATCH_SIZE * 2 + 5
    # Two full batches, but the chain grows by one dispatcher per dispatcher, not per batch.
    assert [options["kwargs"] for options in enqueued] == [{"depth": 1}]
    enqueued.clear()
    make_due(world, 3, start=1000)
    assert tasks.dispatch_due() == 3
    assert enqueued == []


def test_the_chain_of_dispatchers_stops_at_the_fan_out_limit(world, monkeypatch, settings):
    settings.NOTIFICATIONS_DISPATCH_FAN_OUT = 4
    enqueued = []
    monkeypatch.setattr(
        tasks.dispatch_due, "apply_async", lambda **options: enqueued.append(options)
    )
    make_due(world, dispatch.BATCH_SIZE)
    assert tasks.dispatch_due(depth=3) == dispatch.BATCH_SIZE
    assert enqueued == []
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == dispatch.BATCH_SIZE


def test_a_broker_that_refuses_the_next_dispatcher_delays_nothing_of_this_one(world, monkeypatch):
    def refuse(**options):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.dispatch_due, "apply_async", refuse)
    make_due(world, dispatch.BATCH_SIZE + 1)
    assert tasks.dispatch_due() == dispatch.BATCH_SIZE + 1
    assert len(mail.outbox) == dispatch.BATCH_SIZE + 1


@pytest.mark.parametrize("sessions", [3, 12])
def test_session_reminders_ask_whether_still_upcoming_once_per_batch(
    world, make_session, sessions, settings
):
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = 10
    from sessions.models import Session
    from sessions.reminders import session_upcoming_schedule

    made = [
        make_session(starts_in=timezone.timedelta(hours=30, minutes=i)) for i in range(sessions)
    ]
    for session in made:
        session_upcoming_schedule(session)
    Session.objects.filter(pk=made[0].pk).update(status=Session.Status.CANCELLED_COACH)
    Reminder.objects.update(next_attempt_at=timezone.now())
    n = 2 * sessions
    token, ids = dispatch.claim_batch(limit=n)
    with CaptureQueriesContext(connection) as queries:
        statuses = dispatch.deliver_batch(token, ids)
    cancelled = {r.pk for r in Reminder.objects.filter(object_code=made[0].code)}
    assert {pk for pk, status in statuses.items() if status == "cancelled"} == cancelled
    assert Reminder.objects.filter(status=Reminder.Status.CANCELLED).count() == 2
    assert len(mail.outbox) == n - 2
    # The sessions of the batch: one SELECT; the cancelled pair: one UPDATE each; the rest
    # as for any batch (test above): 6 per batch and one `emailed_at` UPDATE per group of up
    # to 10 emails (4 emails: 1; 22 emails: 3).
    session_selects = [
        q for q in queries.captured_queries if f'FROM "{Session._meta.db_table}"' in q["sql"]
    ]
    assert len(session_selects) == 1
    assert len(queries.captured_queries) == 1 + 2 + 6 + -(-(n - 2) // 10)
