from celery import shared_task

from . import dispatch, kinds


@shared_task(name="notifications.dispatch_due", time_limit=120, soft_time_limit=100)
def dispatch_due():
    """Every minute (beat): sends due reminders. Safe to run concurrently and twice."""
    return dispatch.dispatch_due(budget_seconds=60)


@shared_task(name="notifications.scan_upcoming_sessions", time_limit=120, soft_time_limit=100)
def scan_upcoming_sessions():
    """Every 5 minutes (beat): creates the 24-hours-ahead reminders of upcoming sessions."""
    return kinds.session_upcoming_scan()
