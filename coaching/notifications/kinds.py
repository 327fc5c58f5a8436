"""The reminder kinds this app can build on its own: upcoming sessions, 24 hours ahead.

Other apps declare their kinds the same way, in their AppConfig.ready():

    from coaching.notifications import registry
    registry.register(registry.Kind(name="task_due", label=_("A task is due"),
                                    describe=..., text=..., is_current=...))

and create the reminder inside the transaction of its cause:

    from coaching.notifications.services import reminder_schedule
    reminder_schedule(kind="task_due", recipient=task.assignee, obj=task,
                      occasion=f"due:{task.due_on.isoformat()}", due_at=...)

`obj` needs a UUID `code`; `occasion` tells occurrences apart (a new due date is a new
reminder; the same one scheduled twice is one row). Kinds planned for the other apps, with the
occasion each should use: task_due ("due:<date>"), task_overdue ("overdue:<date>"),
session_notes_incomplete ("24h-after:<starts_at>"), item_shared ("shared:<share code>"),
referral_follow_up ("follow-up:<date>"), action_waiting ("waiting:<version code>"),
notes_retention_review ("retention:<year>").
"""

from datetime import datetime, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.timezone import localtime, now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import registry
from .services import reminder_schedule

SESSION_UPCOMING = "session_upcoming"


def _reverse_first(candidates):
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return "/"


def session_link(session, recipient):
    slug = session.program.practice.slug
    if recipient.pk == session.coach_id:
        candidates = [
            ("session_prepare", {"slug": slug, "code": session.code}),
            ("dashboard_coach", {"slug": slug}),
        ]
    else:
        candidates = [
            ("session_detail", {"slug": slug, "code": session.code}),
            ("client_coaching", {"slug": slug}),
            ("dashboard_client", {"slug": slug}),
        ]
    return _reverse_first(candidates)


def _describe_session(session, recipient):
    return registry.Description(
        practice=session.program.practice,
        label=str(session.number),
        path=session_link(session, recipient),
    )


def _occasion_time(reminder):
    return datetime.fromisoformat(reminder.occasion.split(":", 1)[1])


def _session_upcoming_text(reminder):
    when = formats.date_format(localtime(_occasion_time(reminder)), "DATETIME_FORMAT")
    return gettext("Your coaching session %(number)s starts on %(when)s.") % {
        "number": reminder.object_label,
        "when": when,
    }


def _session_still_upcoming(reminder):
    from sessions.models import Session

    return Session.objects.filter(
        code=reminder.object_code,
        status=Session.Status.SCHEDULED,
        starts_at=_occasion_time(reminder),
        starts_at__gt=now(),
    ).exists()


registry.register(
    registry.Kind(
        name=SESSION_UPCOMING,
        label=_("A coaching session starts in 24 hours"),
        describe=_describe_session,
        text=_session_upcoming_text,
        is_current=_session_still_upcoming,
    )
)


def session_upcoming_occasion(session):
    return "24h-before:" + session.starts_at.isoformat()


def session_upcoming_schedule(session):
    """Both parties' reminders of one session (idempotent)."""
    due_at = session.starts_at - timedelta(hours=24)
    occasion = session_upcoming_occasion(session)
    return [
        reminder_schedule(
            kind=SESSION_UPCOMING, recipient=person, obj=session, occasion=occasion, due_at=due_at
        )
        for person in (session.coach, session.client)
    ]


def session_upcoming_scan(*, at=None):
    """Reminders for every scheduled session starting within the next 25 hours.

    "Due and not done": a scan that ran late, or not at all for a while, still finds every
    session whose reminder is missing, and a second run changes nothing (the unique key).
    Returns the number of sessions looked at.
    """
    from sessions.models import Session

    at = at or now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=at, starts_at__lte=at + timedelta(hours=25)
    ).select_related("program__practice", "coach", "client")
    count = 0
    for session in sessions:
        session_upcoming_schedule(session)
        count += 1
    return count
