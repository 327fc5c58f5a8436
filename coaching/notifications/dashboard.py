"""Dashboard panel: the practice admin hears about reminders that could not be sent."""

from coaching.access import Role
from coaching.accounts.models import Practice
from coaching.queries import counts_in_one_query

from .models import Reminder


def counts_wanted(access, role):
    """The failed reminders' number, read with the other panels' (coaching.dashboards)."""
    if role not in (Role.ADMIN, Role.SCHEDULER):
        return {}
    return {
        "failed": Reminder.objects.filter(practice=access.practice, status=Reminder.Status.FAILED)
    }


def panels(access, role, counts=None):
    if role not in (Role.ADMIN, Role.SCHEDULER):
        return []
    if counts is None:
        counts = counts_in_one_query(
            Practice.objects.filter(pk=access.practice.pk), counts_wanted(access, role)
        )
    failed = counts["failed"]
    if not failed:
        return []
    return [{"template": "notifications/_panel_failed.html", "failed": failed}]
