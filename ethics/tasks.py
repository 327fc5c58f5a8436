"""The ethics app's tasks: the beat scan that creates its reminders (kinds in
ethics/reminders.py) and the client's prepared data export (ethics/prepared_exports.py)."""

from celery import shared_task

from . import prepared_exports, reminders


@shared_task(name="notifications.scan_referral_follow_ups", time_limit=120, soft_time_limit=100)
def scan_referral_follow_ups():
    """Hourly (beat): referral follow-ups that are missing a reminder."""
    return reminders.referral_follow_up_scan()


@shared_task(name="ethics.data_export_prepare", time_limit=240, soft_time_limit=200, acks_late=True)
def data_export_prepare(export_id):
    """Build one requested export (claimed by a conditional update: at most one worker)."""
    return prepared_exports.data_export_build(export_id)


@shared_task(name="ethics.data_exports_sweep", time_limit=120, soft_time_limit=100)
def data_exports_sweep():
    """Every 10 minutes (beat): expired exports deleted, lost requests enqueued again."""
    return prepared_exports.data_exports_sweep()
