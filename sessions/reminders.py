"""Reminder kinds about sessions and their parts (registered in CoachingSessionsConfig.ready()).

Which kind goes to whom, created by what, with which occasion: the table in README.md.

Texts read only the reminder row (a session number, a date in the occasion); links go into
the app, where the content gate decides what the reader sees. The scheduled, rescheduled and
cancelled emails carry an .ics (METHOD REQUEST or CANCEL, the chain's UID, a rising SEQUENCE).

Over 400 lines: the sessions app's eight kinds share their link and occasion helpers; the
registry needs them registered once, here, from CoachingSessionsConfig.ready().
"""

import zoneinfo
from datetime import date, timedelta

from django.conf import settings
from django.utils import formats
from django.utils.timezone import localtime, now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from coaching.notifications import registry
from coaching.notifications.models import PracticeNotificationDefault
from coaching.notifications.services import reminder_schedule, reminders_cancel
from ethics import access as gate
from programs.models import Program
from sessions.models import (
    ActionItem,
    CheckOut,
    ConversationNote,
    Session,
)

from . import calendar

SESSION_UPCOMING = "session_upcoming"
TASK_DUE = "task_due"
TASK_OVERDUE = "task_overdue"
NOTES_INCOMPLETE = "session_notes_incomplete"
ITEM_SHARED = "item_shared"
SESSION_SCHEDULED = "session_scheduled"
SESSION_RESCHEDULED = "session_rescheduled"
SESSION_CANCELLED = "session_cancelled"
RETENTION_REVIEW = "notes_retention_review"

# How far back the scans look: a task overdue for longer, or a session held longer ago, was
# reminded about by an earlier scan (or predates the reminders) and gets nothing now.
LOOKBACK_DAYS = 14


def _when(reminder):
    return formats.date_format(localtime(registry.occasion_time(reminder)), "DATETIME_FORMAT")


def _occasion_date(reminder):
    return date.fromisoformat(reminder.occasion.split(":", 1)[1])


def _day(reminder):
    return formats.date_format(_occasion_date(reminder), "DATE_FORMAT")


def _session_description(session, recipient):
    return registry.Description(
        practice=session.program.practice,
        label=str(session.number),
        path=session_link(session, recipient),
    )


# Upcoming sessions, 24 hours ahead --------------------------------------------------------
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
    return registry.reverse_first(candidates)


def _describe_session(session, recipient):
    return registry.Description(
        practice=session.program.practice,
        label=str(session.number),
        path=session_link(session, recipient),
    )


def _session_upcoming_text(reminder):
    when = formats.date_format(localtime(registry.occasion_time(reminder)), "DATETIME_FORMAT")
    return gettext("Your coaching session %(number)s starts on %(when)s.") % {
        "number": reminder.object_label,
        "when": when,
    }


def _session_still_upcoming(reminder):
    return Session.objects.filter(
        code=reminder.object_code,
        status=Session.Status.SCHEDULED,
        starts_at=registry.occasion_time(reminder),
        starts_at__gt=now(),
    ).exists()


def _sessions_still_upcoming(reminders):
    """_session_still_upcoming for a dispatch batch, in one query."""
    starts = {
        (code, starts_at)
        for code, starts_at in Session.objects.filter(
            code__in={reminder.object_code for reminder in reminders},
            status=Session.Status.SCHEDULED,
            starts_at__gt=now(),
        ).values_list("code", "starts_at")
    }
    return {
        reminder.pk
        for reminder in reminders
        if (reminder.object_code, registry.occasion_time(reminder)) in starts
    }


registry.register(
    registry.Kind(
        name=SESSION_UPCOMING,
        label=_("A coaching session starts in 24 hours"),
        describe=_describe_session,
        text=_session_upcoming_text,
        is_current=_session_still_upcoming,
        current_among=_sessions_still_upcoming,
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
    at = at or now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=at, starts_at__lte=at + timedelta(hours=25)
    ).select_related("program__practice", "coach", "client")
    count = 0
    for session in sessions:
        session_upcoming_schedule(session)
        count += 1
    return count


# Post-session tasks -------------------------------------------------------------------------


def task_assignee(item):

    session = item.session
    return session.client if item.assignee == ActionItem.Assignee.CLIENT else session.coach


def _describe_task(item, recipient):
    session = item.session
    program = session.program
    slug = program.practice.slug
    if recipient.pk == session.coach_id:
        candidates = [
            ("coach_program", {"slug": slug, "code": program.code}),
            ("dashboard_coach", {"slug": slug}),
        ]
    else:
        candidates = [("client_coaching", {"slug": slug}), ("dashboard_client", {"slug": slug})]
    return registry.Description(
        practice=program.practice,
        label=str(session.number),
        path=registry.reverse_first(candidates),
    )


def _task_due_text(reminder):
    return gettext("A task from coaching session %(number)s is due on %(date)s.") % {
        "number": reminder.object_label,
        "date": _day(reminder),
    }


def _task_overdue_text(reminder):
    return gettext(
        "A task from coaching session %(number)s was due on %(date)s and is not marked done yet."
    ) % {"number": reminder.object_label, "date": _day(reminder)}


def _task_still_open(reminder):

    return ActionItem.objects.filter(
        code=reminder.object_code, done_at=None, due_on=_occasion_date(reminder)
    ).exists()


def task_reminders_schedule(item, *, at=None):
    """The due-soon or the overdue reminder of one open task (idempotent)."""
    at = at or now()
    practice = item.session.program.practice
    today = localtime(at, zoneinfo.ZoneInfo(practice.timezone)).date()
    recipient = task_assignee(item)
    if item.due_on >= today:
        return reminder_schedule(
            kind=TASK_DUE,
            recipient=recipient,
            obj=item,
            occasion=f"due:{item.due_on.isoformat()}",
            due_at=registry.local_moment(practice, item.due_on - timedelta(days=1)),
        )
    return reminder_schedule(
        kind=TASK_OVERDUE,
        recipient=recipient,
        obj=item,
        occasion=f"overdue:{item.due_on.isoformat()}",
        due_at=registry.local_moment(practice, item.due_on + timedelta(days=1)),
    )


def task_reminders_scan(*, at=None):
    """Open tasks due within two days (due soon) or in the last LOOKBACK_DAYS (overdue)."""

    at = at or now()
    today = at.date()
    items = ActionItem.objects.filter(
        done_at=None,
        due_on__gte=today - timedelta(days=LOOKBACK_DAYS),
        due_on__lte=today + timedelta(days=2),
    ).select_related("session__program__practice", "session__coach", "session__client")
    # Dates and owners only: the task's own words are never loaded (nor decrypted) here.
    items = items.defer("text", "done_comment")
    count = 0
    for item in items:
        task_reminders_schedule(item, at=at)
        count += 1
    return count


# Notes and check-out after a held session ---------------------------------------------------


def _describe_notes(session, recipient):
    slug = session.program.practice.slug
    return registry.Description(
        practice=session.program.practice,
        label=str(session.number),
        path=registry.reverse_first(
            [
                ("session_run", {"slug": slug, "code": session.code}),
                ("dashboard_coach", {"slug": slug}),
            ]
        ),
    )


def _notes_incomplete_text(reminder):
    return gettext(
        "The notes or the check-out of coaching session %(number)s (%(when)s) are not complete yet."
    ) % {"number": reminder.object_label, "when": _when(reminder)}


def _notes_missing(session):

    has_note = ConversationNote.objects.filter(session=session).exists()
    checked_out = CheckOut.objects.filter(session=session).exclude(completed_at=None).exists()
    return not (has_note and checked_out)


def _notes_still_incomplete(reminder):

    session = Session.objects.filter(code=reminder.object_code, status=Session.Status.HELD).first()
    return session is not None and _notes_missing(session)


def notes_incomplete_scan(*, at=None):
    """Held sessions that ended 24 h ago or more without notes or a completed check-out."""

    at = at or now()
    sessions = Session.objects.filter(
        status=Session.Status.HELD,
        starts_at__gte=at - timedelta(days=LOOKBACK_DAYS),
        starts_at__lte=at - timedelta(hours=24),
    ).select_related("program__practice", "coach")
    count = 0
    for session in sessions:
        if session.ends_at + timedelta(hours=24) > at or not _notes_missing(session):
            continue
        reminder_schedule(
            kind=NOTES_INCOMPLETE,
            recipient=session.coach,
            obj=session,
            occasion="24h-after:" + session.starts_at.isoformat(),
            due_at=session.ends_at + timedelta(hours=24),
        )
        count += 1
    return count


# An item newly shared -----------------------------------------------------------------------


def _describe_shared(part, recipient):
    session = part.session
    slug = session.program.practice.slug
    if recipient.pk == session.client_id:
        candidates = [("client_coaching", {"slug": slug}), ("dashboard_client", {"slug": slug})]
    else:
        candidates = [("dashboard_sponsor", {"slug": slug})]
    return registry.Description(
        practice=session.program.practice,
        label=str(session.number),
        path=registry.reverse_first(candidates),
    )


def _item_shared_text(reminder):
    return gettext("Something from coaching session %(number)s was shared with you.") % {
        "number": reminder.object_label
    }


def _shared_part(reminder):
    return gate.shared_part(reminder.object_type, reminder.object_code)


def _still_shared(reminder):
    part = _shared_part(reminder)
    return part is not None and reminder.recipient_id in {r.pk for r in gate.readers_of(part)}


def item_shared_schedule(part, *, old_readers=()):
    """Call in session_part_save's transaction, after the save: each reader who could not read
    the part before (a new part, or a scope widened to client or sponsor) gets one reminder."""
    old = {getattr(r, "pk", r) for r in old_readers}
    return [
        reminder_schedule(
            kind=ITEM_SHARED,
            recipient=reader,
            obj=part,
            occasion=f"shared:{part.scope}",
            due_at=now(),
        )
        for reader in gate.readers_of(part)
        if reader.pk not in old
    ]


# Scheduled, rescheduled, cancelled (with an .ics) --------------------------------------------


def _scheduled_text(reminder):
    return gettext("Coaching session %(number)s is scheduled for %(when)s.") % {
        "number": reminder.object_label,
        "when": _when(reminder),
    }


def _rescheduled_text(reminder):
    return gettext("Your coaching session has moved to %(when)s (now session %(number)s).") % {
        "number": reminder.object_label,
        "when": _when(reminder),
    }


def _cancelled_text(reminder):
    return gettext("Coaching session %(number)s on %(when)s is cancelled.") % {
        "number": reminder.object_label,
        "when": _when(reminder),
    }


def _session_of(reminder):

    return (
        Session.objects.filter(code=reminder.object_code)
        .select_related("coach", "client", "program__practice")
        .first()
    )


def _still_scheduled(reminder):

    return Session.objects.filter(
        code=reminder.object_code,
        status=Session.Status.SCHEDULED,
        starts_at=registry.occasion_time(reminder),
        starts_at__gt=now(),
    ).exists()


def _session_exists(reminder):
    return _session_of(reminder) is not None


def _attach_request(message, reminder, recipient):
    session = _session_of(reminder)
    calendar.attach_session_ics(message, session, for_user=recipient, method="REQUEST")


def _attach_cancel(message, reminder, recipient):
    session = _session_of(reminder)
    calendar.attach_session_ics(message, session, for_user=recipient, method="CANCEL")


def session_event_schedule(session, event):
    """Call inside the transaction that schedules, reschedules (with the NEW session) or
    cancels a session: both parties get one email with the calendar invitation, due now.
    Publishes the event's new SEQUENCE at once, so a later change always gets a higher one."""
    kind, prefix = {
        "scheduled": (SESSION_SCHEDULED, "scheduled"),
        "rescheduled": (SESSION_RESCHEDULED, "moved-to"),
        "cancelled": (SESSION_CANCELLED, "cancelled"),
    }[event]
    if event == "cancelled":
        reminders_cancel(obj=session)
    if event == "rescheduled":
        previous = getattr(session, "rescheduled_from", None)
        if previous is not None:
            reminders_cancel(obj=previous)
    calendar.publish(session)
    occasion = f"{prefix}:{session.starts_at.isoformat()}"
    return [
        reminder_schedule(kind=kind, recipient=person, obj=session, occasion=occasion, due_at=now())
        for person in (session.coach, session.client)
    ]


# Notes past the retention period ------------------------------------------------------------


def retention_months(practice):

    default = PracticeNotificationDefault.objects.filter(practice=practice).first()
    if default is not None and default.notes_retention_months:
        return default.notes_retention_months
    return getattr(settings, "NOTIFICATIONS_NOTES_RETENTION_MONTHS", 24)


def _months_ago(at, months):
    # 30.44 days a month is close enough for a review reminder.
    return at - timedelta(days=round(months * 30.44))


def _describe_program_for_coach(program, recipient):
    slug = program.practice.slug
    return registry.Description(
        practice=program.practice,
        label="",
        path=registry.reverse_first(
            [
                ("coach_program", {"slug": slug, "code": program.code}),
                ("dashboard_coach", {"slug": slug}),
            ]
        ),
    )


def _retention_text(reminder):
    return gettext(
        "Notes of one of your programs are older than the practice keeps them. Please review "
        "them and delete what is no longer needed."
    )


def _old_notes(practice, at):

    return ConversationNote.objects.filter(
        session__program__practice=practice,
        session__starts_at__lt=_months_ago(at, retention_months(practice)),
    )


def _retention_still_due(reminder):

    program = Program.objects.filter(code=reminder.object_code).select_related("practice").first()
    return (
        program is not None
        and _old_notes(program.practice, now()).filter(session__program=program).exists()
    )


def notes_retention_scan(*, at=None):
    """One reminder a year per program whose notes are past the practice's retention period."""

    at = at or now()
    count = 0
    for practice in Practice.objects.all():
        program_ids = set(_old_notes(practice, at).values_list("session__program_id", flat=True))
        for program in Program.objects.filter(pk__in=program_ids).select_related(
            "coach", "practice"
        ):
            reminder_schedule(
                kind=RETENTION_REVIEW,
                recipient=program.coach,
                obj=program,
                occasion=f"retention:{at.year}",
                due_at=at,
            )
            count += 1
    return count


def session_reminders_scan(*, at=None):
    return {"tasks": task_reminders_scan(at=at), "notes": notes_incomplete_scan(at=at)}


for _kind in [
    registry.Kind(
        name=TASK_DUE,
        label=_("A post-session task is due soon"),
        describe=_describe_task,
        text=_task_due_text,
        is_current=_task_still_open,
    ),
    registry.Kind(
        name=TASK_OVERDUE,
        label=_("A post-session task is overdue"),
        describe=_describe_task,
        text=_task_overdue_text,
        is_current=_task_still_open,
    ),
    registry.Kind(
        name=NOTES_INCOMPLETE,
        label=_("Session notes or check-out not completed"),
        describe=_describe_notes,
        text=_notes_incomplete_text,
        is_current=_notes_still_incomplete,
    ),
    registry.Kind(
        name=ITEM_SHARED,
        label=_("Something was shared with you"),
        describe=_describe_shared,
        text=_item_shared_text,
        is_current=_still_shared,
    ),
    registry.Kind(
        name=SESSION_SCHEDULED,
        label=_("A coaching session was scheduled"),
        describe=_session_description,
        text=_scheduled_text,
        is_current=_still_scheduled,
        attach=_attach_request,
    ),
    registry.Kind(
        name=SESSION_RESCHEDULED,
        label=_("A coaching session was moved"),
        describe=_session_description,
        text=_rescheduled_text,
        is_current=_still_scheduled,
        attach=_attach_request,
    ),
    registry.Kind(
        name=SESSION_CANCELLED,
        label=_("A coaching session was cancelled"),
        describe=_session_description,
        text=_cancelled_text,
        is_current=_session_exists,
        attach=_attach_cancel,
    ),
    registry.Kind(
        name=RETENTION_REVIEW,
        label=_("Notes are past the retention period"),
        describe=_describe_program_for_coach,
        text=_retention_text,
        is_current=_retention_still_due,
    ),
]:
    registry.register(_kind)
