"""A database connection lost right after the SMTP server accepted an email (a PostgreSQL
restart, tests/integration/test_postgres_restart.py) no longer costs a duplicate: the worker
records `emailed_at` through a fresh connection once the database answers again."""

from contextlib import contextmanager

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import Reminder

# Outside a test transaction, as the worker runs: a lost connection inside one is not retried.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_due(due_reminder):
    reminders = [due_reminder() for _ in range(3)]
    Reminder.objects.exclude(pk__in=[r.pk for r in reminders]).delete()
    Reminder.objects.update(next_attempt_at=timezone.now())
    return reminders


@contextmanager
def database_gone_for(failures):
    """The next `failures` UPDATEs recording emailed_at fail as on a connection the server
    closed (Django's execute_wrapper, at the database boundary)."""
    left = [failures]

    def wrapper(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and '"emailed_at"' in sql and left[0] > 0:
            left[0] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield left


def test_an_email_accepted_before_the_connection_died_is_recorded_and_not_sent_again(
    three_due, monkeypatch
):
    # The wait, not the database (raising=False: the same test runs on code without a retry).
    monkeypatch.setattr(dispatch, "sleep", lambda seconds: None, raising=False)
    with database_gone_for(2) as left:
        assert dispatch.dispatch_due() == 3

    assert left == [0]
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 3 and len(set(ids)) == 3, "each reminder emailed once"
    assert not Reminder.objects.filter(emailed_at=None).exists()
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    # Nothing is left to send a second time, even after the lease.
    assert dispatch.dispatch_due() == 0
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(("group", "unrecorded"), [(1, 1), (10, 3)])
def test_a_database_gone_for_longer_than_the_retry_budget_still_fails_the_batch(
    three_due, monkeypatch, settings, group, unrecorded
):
    # Emails are recorded in groups of NOTIFICATIONS_EMAIL_RECORD_GROUP (dispatch.py): with 1,
    # the first email's record fails; with 10, the batch's three wait for one record, which
    # fails when the batch ends.
    settings.NOTIFICATIONS_EMAIL_RECORD_GROUP = group
    clock = [0.0]
    monkeypatch.setattr(dispatch, "monotonic", lambda: clock[0])
    monkeypatch.setattr(dispatch, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    with database_gone_for(1000), pytest.raises(OperationalError):
        dispatch.dispatch_due()

    assert clock[0] <= dispatch.RECORD_RETRY_SECONDS
    # The emails waiting for the record went out; their record could not be made, so they stay
    # claimed and go again after the lease: the duplicates the group size bounds.
    assert len(mail.outbox) == unrecorded
    waiting = Reminder.objects.filter(status=Reminder.Status.SENDING, emailed_at=None)
    assert waiting.count() == unrecorded
