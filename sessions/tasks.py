"""Beat scans that create the sessions app's reminders (kinds in sessions/reminders.py)."""

from celery import shared_task

from . import reminders


@shared_task(name="notifications.scan_upcoming_sessions", time_limit=120, soft_time_limit=100)
def scan_upcoming_sessions():
    """Every 5 minutes (beat): creates the 24-hours-ahead reminders of upcoming sessions."""
    return reminders.session_upcoming_scan()


@shared_task(name="notifications.scan_session_reminders", time_limit=120, soft_time_limit=100)
def scan_session_reminders():
    """Every 15 minutes (beat): tasks due soon or overdue, notes or check-out not completed."""
    return reminders.session_reminders_scan()


@shared_task(name="notifications.scan_notes_retention", time_limit=300, soft_time_limit=280)
def scan_notes_retention():
    """Daily (beat): programs whose notes are past the practice's retention period."""
    return reminders.notes_retention_scan()
