"""Dashboard panel: the practice admin hears about reminders that could not be sent."""

from coaching.access import Role

from .models import Reminder


def panels(access, role):
    if role not in (Role.ADMIN, Role.SCHEDULER):
        return []
    failed = Reminder.objects.filter(
        practice=access.practice, status=Reminder.Status.FAILED
    ).count()
    if not failed:
        return []
    return [{"template": "notifications/_panel_failed.html", "failed": failed}]
