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


@shared_task(name="notifications.scan_session_reminders", time_limit=120, soft_time_limit=100)
def scan_session_reminders():
    """Every 15 minutes (beat): tasks due soon or overdue, notes or check-out not completed."""
    from . import kinds_sessions

    return kinds_sessions.session_reminders_scan()


@shared_task(name="notifications.scan_referral_follow_ups", time_limit=120, soft_time_limit=100)
def scan_referral_follow_ups():
    """Hourly (beat): referral follow-ups that are missing a reminder."""
    from . import kinds_programs

    return kinds_programs.referral_follow_up_scan()


@shared_task(name="notifications.scan_notes_retention", time_limit=300, soft_time_limit=280)
def scan_notes_retention():
    """Daily (beat): programs whose notes are past the practice's retention period."""
    from . import kinds_sessions

    return kinds_sessions.notes_retention_scan()


@shared_task(name="notifications.expire_proposals", time_limit=120, soft_time_limit=100)
def expire_proposals():
    """Hourly (beat): sent proposals past their expiry date become expired
    (programs.services.proposals_expire_due; programs has no tasks module of its own)."""
    from programs.services import proposals_expire_due

    return proposals_expire_due()
