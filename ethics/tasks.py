"""Beat scan that creates the ethics app's reminders (kinds in ethics/reminders.py)."""

from celery import shared_task

from . import reminders


@shared_task(name="notifications.scan_referral_follow_ups", time_limit=120, soft_time_limit=100)
def scan_referral_follow_ups():
    """Hourly (beat): referral follow-ups that are missing a reminder."""
    return reminders.referral_follow_up_scan()
