"""The outbox's own task. The scans that create reminders live with the app that owns each
kind (sessions/tasks.py, programs/tasks.py, ethics/tasks.py); their task names keep the
"notifications." prefix so that a running beat schedule and queued messages stay valid."""

from celery import shared_task

from . import dispatch


@shared_task(name="notifications.dispatch_due", time_limit=120, soft_time_limit=100)
def dispatch_due():
    """Every minute (beat): sends due reminders. Safe to run concurrently and twice."""
    return dispatch.dispatch_due(budget_seconds=60)


@shared_task(name="notifications.send_digests", time_limit=300, soft_time_limit=280)
def send_digests():
    """Every 15 minutes (beat): the daily digests that are due. Safe to run concurrently."""
    return dispatch.send_digests()
