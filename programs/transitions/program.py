"""The program's transitions: sessions scheduled, paused, resumed, terminated, cancelled,
graduated (services: programs.services.program and sessions.scheduling)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.notifications.services import reminder_batch
from sessions import reminders as session_reminders
from sessions.models import Session

from .. import reminders
from ..models import Contract, Program
from .engine import Role, Table, Transition, is_admin, is_scheduler


def is_program_coach(program, user, roles):
    """the program's coach (holding the coach role in the practice)"""
    return user.pk == program.coach_id and Role.COACH in roles


def notify_graduation(program, *, actor=None, **_ignored):
    """The client, the sponsor and the admins are told (one line and a link, no content)."""
    reminders.program_graduated_schedule(program, actor=actor)


def end_contract(program, **_ignored):
    """The program's contract becomes ended (no event of its own)."""
    if program.contract_id:
        Contract.objects.filter(pk=program.contract_id).update(status=Contract.Status.ENDED)


def cancel_future_sessions(program, *, actor, reason, **_ignored):
    """Its future scheduled sessions are cancelled (as by the coach, with the reason) and both
    parties' calendars drop them."""
    future = program.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now())
    cancelled = list(future.select_related("coach", "client", "program__practice"))
    future.update(
        status=Session.Status.CANCELLED_COACH,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
        status_reason=(reason or "")[:300],
    )
    with reminder_batch():  # one email per person for all of them (#14)
        for session in cancelled:
            session.status = Session.Status.CANCELLED_COACH
            session_reminders.session_event_schedule(session, "cancelled")


def suspend_future_sessions(program, *, actor, reason, **_ignored):
    """Its future scheduled sessions are suspended (they no longer count or block a slot), their
    pending reminders are cancelled and both parties' calendars drop them; on resuming, the
    admin gives each a new time (a move) or leaves it."""
    future = program.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now())
    suspended = list(future.select_related("coach", "client", "program__practice"))
    future.update(
        status=Session.Status.SUSPENDED,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
        status_reason=(reason or "")[:300],
    )
    with reminder_batch():  # one email per person for all of them (#14)
        for session in suspended:
            session.status = Session.Status.SUSPENDED
            session_reminders.session_event_schedule(session, "cancelled")


G = Program.Status
NOT_THIS_PROGRAM = _("You are not allowed to do this to this program.")
CANNOT_CHANGE = _("A %(status)s program cannot be changed that way.")

PROGRAM = Table(
    entity="program",
    model=Program,
    subject="program",
    kinds={"admin": is_admin, "scheduler": is_scheduler, "coach": is_program_coach},
    links=lambda program: {"program": program},
    rows=[
        Transition(
            "schedule",
            {G.ACTIVE},
            None,
            {"admin", "scheduler"},
            refused=_("Sessions are scheduled only for an active program."),
            label=_("Schedule sessions"),
            event_to="scheduled",
            doc="An admin or a scheduler schedules sessions (all or none) within the "
            "contract's period and count, without double booking; the reason logged is how many.",
        ),
        Transition(
            "pause",
            {G.ACTIVE},
            G.PAUSED,
            {"admin", "coach"},
            refused=CANNOT_CHANGE,
            forbidden=NOT_THIS_PROGRAM,
            label=_("Pause"),
            reason_required=_("Give the reason."),
            effects=(suspend_future_sessions,),
            doc="The program pauses (the reason is kept on the program); its future sessions "
            "are suspended, their reminders cancelled and the calendars told.",
        ),
        Transition(
            "resume",
            {G.PAUSED},
            G.ACTIVE,
            {"admin", "coach"},
            refused=CANNOT_CHANGE,
            forbidden=NOT_THIS_PROGRAM,
            label=_("Resume"),
            doc="A paused program is active again; the program page offers to move each "
            "suspended session to a new time.",
        ),
        Transition(
            "terminate",
            {G.ACTIVE, G.PAUSED},
            G.TERMINATED,
            {"admin"},
            refused=CANNOT_CHANGE,
            forbidden=NOT_THIS_PROGRAM,
            label=_("Terminate"),
            reason_required=_("Give the reason."),
            effects=(cancel_future_sessions,),
            doc="The practice ends the program early.",
        ),
        Transition(
            "cancel",
            {G.ACTIVE, G.PAUSED},
            G.CANCELLED,
            {"admin"},
            refused=CANNOT_CHANGE,
            forbidden=NOT_THIS_PROGRAM,
            label=_("Cancel the program"),
            reason_required=_("Give the reason."),
            effects=(cancel_future_sessions,),
            doc="The program is called off.",
        ),
        Transition(
            "graduate",
            {G.ACTIVE},
            G.GRADUATED,
            {"coach"},
            refused=_("Only an active program can graduate."),
            forbidden=_("Only the program's coach can change its theme and objectives."),
            label=_("Graduate the program"),
            effects=(end_contract, notify_graduation),
            doc="The coach closes the program: every contracted session used (or the reason "
            "for an early completion given), the last session held with its check-out done, "
            "every objective reviewed. The summary and the end date are kept.",
        ),
    ],
)

# The names program_transition takes (the others have services of their own).
PROGRAM_STATE_CHANGES = ("pause", "resume", "terminate", "cancel")
