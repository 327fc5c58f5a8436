"""Scheduling, moving and cancelling a program's sessions, against its contract's terms.

The session's own changes of state are rows of SESSION below, taken by the engine of
programs.transitions (which writes the program's event log). This module builds on
programs.models, programs.transitions and sessions.models only; programs.services re-exports
it for callers not yet moved, so it must never import programs.services.
"""

import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import services as billing
from coaching.access import roles_of
from coaching.accounts.models import Membership, User
from coaching.notifications.models import Reminder
from coaching.notifications.services import object_type_of, reminder_batch
from programs.models import ChemistryMeeting, Contract, Program
from programs.transitions import (
    PROGRAM,
    Table,
    Transition,
    is_admin,
    is_scheduler,
    require_role,
)
from programs.transitions.engine import Guard

from . import reminders
from .models import Session

Role = Membership.Role
S = Session.Status


def remind_of_the_move(session, **_ignored):
    """Both parties get the new session's calendar invitation; the old one's reminders go."""
    reminders.session_event_schedule(session.rescheduled_to, "rescheduled")


def remind_of_the_cancellation(session, **_ignored):
    """Both parties' calendars drop the session; its reminders go."""
    reminders.session_event_schedule(session, "cancelled")


PROGRAM_ACTIVE = Guard(
    lambda session, actor: session.program.status == Program.Status.ACTIVE,
    gettext_lazy("Resume the program before moving its sessions."),
    "the program is active (not paused)",
)

NOT_SCHEDULED = gettext_lazy("Only a scheduled session can be cancelled.")


def _cancel(name, target, doc, *, label=None, automatic=False):
    return Transition(
        name,
        {S.SCHEDULED},
        target,
        {"admin", "scheduler"},
        refused=NOT_SCHEDULED,
        label=label,
        automatic=automatic,
        effects=(remind_of_the_cancellation,),
        doc=doc,
    )


SESSION = Table(
    entity="session",
    model=Session,
    subject="session",
    kinds={"admin": is_admin, "scheduler": is_scheduler},
    links=lambda session: {"program": session.program},
    practice=lambda session: session.program.practice,
    rows=[
        Transition(
            "reschedule",
            {S.SCHEDULED, S.SUSPENDED},
            S.RESCHEDULED,
            {"admin", "scheduler"},
            refused=gettext_lazy("Only a scheduled session can be moved."),
            label=gettext_lazy("Move"),
            guards=(PROGRAM_ACTIVE,),
            effects=(remind_of_the_move,),
            doc="An admin or a scheduler moves the session (or one suspended by a pause, once "
            "the program is active again): a new session takes the new time, checked like a "
            "new one; this one stays, rescheduled, pointing to it. The sessions that count are "
            "numbered again by time (1, 2, 3, ... without gaps).",
        ),
        _cancel(
            "cancel_coach",
            S.CANCELLED_COACH,
            "Cancelled by the coach: the session does not count.",
            label=gettext_lazy("by the coach"),
        ),
        _cancel(
            "cancel_client_in_time",
            S.CANCELLED_CLIENT_IN_TIME,
            "Cancelled by the client with the contract's notice (or when the contract says a "
            "late cancellation does not use a session): it does not count.",
            label=gettext_lazy("by the client"),
        ),
        _cancel(
            "cancel_client_late",
            S.CANCELLED_CLIENT_LATE,
            "Cancelled by the client later than the contract's notice, when the contract says "
            "so: the session is used up. Taken instead of cancel_client_in_time.",
            automatic=True,
        ),
    ],
)


def _local_date(practice, moment):
    return timezone.localtime(moment, zoneinfo.ZoneInfo(practice.timezone)).date()


def _schedulable(program_or_contract):
    """The program a schedule applies to, or a refusal when no coach has been chosen."""
    if isinstance(program_or_contract, Contract):
        program = Program.objects.filter(contract=program_or_contract).first()
        if program is None:
            raise ValidationError(
                _("No sessions before a coach is chosen: arrange the chemistry meeting first.")
            )
        return program
    return program_or_contract


def overlapping(
    qs, starts_at, minutes, *, start_field="starts_at", minutes_field="duration_minutes"
):
    """Rows of qs whose [start, start + their minutes) overlaps [starts_at, + minutes)."""
    ends_at = starts_at + timedelta(minutes=minutes)
    # A session is at most 8 hours long (Session's check constraint): bound the search.
    candidates = qs.filter(
        **{f"{start_field}__lt": ends_at, f"{start_field}__gt": starts_at - timedelta(hours=8)}
    )
    return [
        row
        for row in candidates
        if getattr(row, start_field) + timedelta(minutes=getattr(row, minutes_field)) > starts_at
    ]


def _check_slot(program, version, starts_at, minutes, *, others, confirm_close, ignore=None):
    practice = program.practice
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(
            _("Sessions are scheduled and moved on an active program only; this one is %(s)s.")
            % {"s": program.get_status_display().lower()}
        )
    if Role.COACH not in roles_of(practice, program.coach):
        raise ValidationError(
            _("%(name)s no longer coaches with the practice.")
            % {"name": program.coach.display_name}
        )
    # The coach's row is the lock on their calendar (as for chemistry): two programs of one
    # coach scheduled at once would each find the slot free.
    User.objects.select_for_update().filter(pk=program.coach_id).first()
    day = _local_date(practice, starts_at)
    if version is not None and not version.starts_on <= day <= version.ends_on:
        raise ValidationError(
            _("%(day)s is outside the contract period (%(start)s to %(end)s).")
            % {"day": day, "start": version.starts_on, "end": version.ends_on}
        )
    for who, field, meeting_field in [
        (program.coach, "coach", "coach"),
        (program.client, "client", "contract__client"),
    ]:
        qs = Session.objects.filter(**{field: who}, status__in=Session.BLOCKING)
        if ignore is not None:
            qs = qs.exclude(pk=ignore.pk)
        clash = overlapping(qs, starts_at, minutes)
        # A chemistry meeting (the coach meeting another candidate client) blocks the slot too.
        clash += overlapping(
            ChemistryMeeting.objects.filter(
                **{meeting_field: who}, status=ChemistryMeeting.Status.SCHEDULED
            ),
            starts_at,
            minutes,
        )
        clash += [
            s
            for s in others
            if s[0] < starts_at + timedelta(minutes=minutes)
            and s[0] + timedelta(minutes=minutes) > starts_at
        ]
        if clash:
            when = clash[0].starts_at if hasattr(clash[0], "starts_at") else clash[0][0]
            raise ValidationError(
                _("Double booking: %(name)s already has a session at %(when)s.")
                % {
                    "name": who.display_name,
                    "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                }
            )
    if not confirm_close:
        spacing = timedelta(days=practice.min_session_spacing_days)
        near = Session.objects.filter(
            program=program,
            status__in=Session.BLOCKING,
            starts_at__gt=starts_at - spacing,
            starts_at__lt=starts_at + spacing,
        )
        if ignore is not None:
            near = near.exclude(pk=ignore.pk)
        if near.exists() or any(abs(s[0] - starts_at) < spacing for s in others):
            raise ValidationError(
                _(
                    "Sessions less than %(days)s days apart leave little room for work between "
                    "them. Tick the confirmation to schedule them anyway."
                )
                % {"days": practice.min_session_spacing_days}
            )


def _terms(program):
    """The contract's terms in force (an amendment counts once every party accepted it), or
    None for a program made without a contract."""
    return program.contract.in_force_version if program.contract_id else None


def _counted(program):
    """Sessions that hold or used a place of the contract: scheduled, held, late, no-show."""
    return Session.objects.filter(program=program, status__in=[S.SCHEDULED, *Session.USED]).count()


COUNTED = [S.SCHEDULED, *Session.USED]
# Numbers are moved above this while a program is renumbered, so that the unique
# (program, number) among counted sessions never collides half-way (see renumber()).
_PARKED = 10_000


def lock_program(program):
    """Every change to a program's sessions takes the program's row first, always in that
    order (program, then session), so two moves or a move and a cancellation wait for each
    other instead of racing for a number or deadlocking."""
    return Program.objects.select_for_update().get(pk=program.pk)


def renumber(program):
    """Numbers the sessions that count (scheduled, held, late-cancelled, no-show) 1, 2, 3, ...
    in time order. A moved or freely cancelled session keeps the number it had, shown beside
    its status; the unique number per program holds among counted sessions only. Call with
    the program locked. Pending reminders of a renumbered session carry its new number."""
    counted = list(
        Session.objects.filter(program=program, status__in=COUNTED).order_by("starts_at", "pk")
    )
    changed = [(s, n) for n, s in enumerate(counted, start=1) if s.number != n]
    for session, n in changed:
        Session.objects.filter(pk=session.pk).update(number=_PARKED + n)
    session_type = object_type_of(Session)
    for session, n in changed:
        Session.objects.filter(pk=session.pk).update(number=n)
        session.number = n
        Reminder.objects.filter(
            object_type=session_type, object_code=session.code, status=Reminder.Status.PENDING
        ).update(object_label=str(n))
    return counted


def _next_free_number(program):
    return (program.sessions.aggregate(n=models.Max("number"))["n"] or 0) % _PARKED + 1


def sessions_used(program):
    return program.sessions.filter(status__in=Session.USED).count()


def coaching_hours(program):
    """Hours of coaching held (the sessions that took place, at their contracted length), as
    the certificate and the ICF log count them: a late cancellation uses a session, not an hour."""
    minutes = program.sessions.filter(status=S.HELD).aggregate(m=models.Sum("duration_minutes"))
    return Decimal(minutes["m"] or 0) / 60


def series_starts(*, first, count, spacing_days):
    return [first + timedelta(days=spacing_days * i) for i in range(count)]


def sessions_schedule(
    *, program, actor, starts, format="video", place="", video_link="", confirm_close_spacing=False
):
    """Schedules sessions at the given aware datetimes, all or none."""
    require_role(program.practice, actor, Role.ADMIN, Role.SCHEDULER)
    program = _schedulable(program)
    created = []

    def check(program):
        version = _terms(program)
        if version is None:
            raise ValidationError(_("This program has no contract to schedule against."))
        if _counted(program) + len(starts) > version.sessions_count:
            raise ValidationError(
                _("The contract allows %(count)s sessions; %(booked)s are already booked.")
                % {"count": version.sessions_count, "booked": _counted(program)}
            )
        others = []
        for starts_at in sorted(starts):
            _check_slot(
                program,
                version,
                starts_at,
                version.session_minutes,
                others=others,
                confirm_close=confirm_close_spacing,
            )
            others.append((starts_at,))

    def work(program):
        version = _terms(program)
        number = _next_free_number(program) - 1
        for starts_at in sorted(starts):
            number += 1
            created.append(
                Session.objects.create(
                    program=program,
                    number=number,
                    starts_at=starts_at,
                    duration_minutes=version.session_minutes,
                    format=format,
                    place=place,
                    video_link=video_link,
                    coach=program.coach,
                    client=program.client,
                )
            )
        renumber(program)
        with reminder_batch():  # one email per person for the whole series (#14)
            for session in created:
                reminders.session_event_schedule(session, "scheduled")

    PROGRAM.apply(program, "schedule", actor=actor, reason=f"{len(starts)}", check=check, work=work)
    return created


def _status_change(actor, reason):
    return {
        "status_changed_at": timezone.now(),
        "status_changed_by": actor,
        "status_reason": reason[:300],
    }


def session_reschedule(*, session, actor, starts_at, confirm_close_spacing=False, reason=""):
    SESSION.require_actor("reschedule", session, actor)
    with transaction.atomic():
        lock_program(session.program)
        session = SESSION.lock(session)
        SESSION.require_state("reschedule", session)
        program = session.program
        SESSION.require_guards(SESSION["reschedule"], session, actor)
        _check_slot(
            program,
            _terms(program),
            starts_at,
            session.duration_minutes,
            others=[],
            confirm_close=confirm_close_spacing,
            ignore=session,
        )
        new = Session.objects.create(
            program=program,
            number=_next_free_number(program),
            starts_at=starts_at,
            duration_minutes=session.duration_minutes,
            format=session.format,
            place=session.place,
            video_link=session.video_link,
            coach=session.coach,
            client=session.client,
        )
        SESSION.apply(
            session,
            "reschedule",
            actor=actor,
            reason=reason,
            locked=True,
            changes={"rescheduled_to": new, **_status_change(actor, reason)},
        )
        renumber(program)
        new.refresh_from_db()
    return new


def session_cancel(*, session, actor, by, reason=""):
    """Cancels a session by the client or the coach, under the contract's policy.

    A client cancelling later than the notice hours, when the contract says so, uses up the
    session (CANCELLED_CLIENT_LATE counts as used)."""
    SESSION.require_actor("cancel_coach", session, actor)
    with transaction.atomic():
        lock_program(session.program)
        session = SESSION.lock(session)
        SESSION.require_state("cancel_coach", session)
        version = _terms(session.program)
        notice_hours = version.cancellation_notice_hours if version else 24
        uses_session = version.late_cancellation_uses_session if version else True
        if by == "coach":
            name = "cancel_coach"
        elif by == "client":
            late = session.starts_at - timezone.now() < timedelta(hours=notice_hours)
            name = "cancel_client_late" if late and uses_session else "cancel_client_in_time"
        else:
            raise ValidationError(_("Say who cancels: the client or the coach."))
        SESSION.apply(
            session,
            name,
            actor=actor,
            reason=reason,
            locked=True,
            changes=_status_change(actor, reason),
        )
        renumber(session.program)
        if by == "client" and late and not uses_session:  # the contract may charge a fee
            billing.late_cancellation_charge(session=session)
    return session
