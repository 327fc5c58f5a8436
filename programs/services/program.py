"""Program: its theme, aims and objectives (the coach's), and its changes of state: pause,
resume, terminate, cancel, graduate. Its transitions are rows of programs.transitions.PROGRAM.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing import services as billing
from coaching.notifications.services import reminders_cancel
from sessions import calendar
from sessions.models import Session
from sessions.scheduling import renumber, sessions_used

from .. import reminders as program_reminders
from ..models import Objective, ObjectiveReview, Program, ProgramRevision
from ..transitions import PROGRAM, PROGRAM_STATE_CHANGES, locked

# The shape programs.selectors reads (name: (from states, to state, who, reason required))
# until it asks programs.transitions.available_transitions instead.
TRANSITIONS = {
    t.name: (set(t.sources), t.target, set(t.who), t.reason_required is not None)
    for t in PROGRAM
    if t.name in PROGRAM_STATE_CHANGES
}


def _snapshot(program, *, actor, reason):
    ProgramRevision.objects.create(
        program=program,
        theme=program.theme,
        aims=program.aims,
        actor=actor,
        reason=reason,
        objectives=[
            {"text": o.text, "measure": o.measure}
            for o in program.objectives.filter(is_retired=False)
        ],
    )


def _require_coach_of(program, actor):
    if actor.pk != program.coach_id:
        raise ValidationError(_("Only the program's coach can change its theme and objectives."))


def program_update_theme(*, program, actor, reason, **fields):
    """The coach sets theme, aims, CSoB and FSoB. Once set, a change needs its reason."""
    _require_coach_of(program, actor)
    allowed = {"theme", "aims", "current_state", "future_state"}
    with transaction.atomic():
        program = locked(Program, program)
        if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
            raise ValidationError(_("Only an active or paused program can be changed."))
        changes_theme = any(
            getattr(program, f) != v for f, v in fields.items() if f in {"theme", "aims"}
        )
        if changes_theme and program.theme and not reason.strip():
            raise ValidationError(_("Say why the theme or the aims change."))
        for field, value in fields.items():
            if field in allowed:
                setattr(program, field, value)
        program.save()
        if changes_theme:
            _snapshot(program, actor=actor, reason=reason or gettext_noop("First version"))
    return program


def objective_add(*, program, actor, text, measure="", reason=""):
    _require_coach_of(program, actor)
    with transaction.atomic():
        program = locked(Program, program)
        if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
            raise ValidationError(_("Only an active or paused program can be changed."))
        position = program.objectives.count()
        objective = Objective.objects.create(
            program=program, text=text, measure=measure, position=position
        )
        _snapshot(program, actor=actor, reason=reason or gettext_noop("Objective added"))
    return objective


def _changeable_objective(objective):
    """Locks the objective's program; refuses a retired objective or a closed program."""
    program = locked(Program, objective.program)
    if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
        raise ValidationError(_("Only an active or paused program can be changed."))
    if Objective.objects.filter(pk=objective.pk, is_retired=True).exists():
        raise ValidationError(_("This objective has been retired."))
    return program


def objective_update(*, objective, actor, text, measure="", reason=""):
    """The coach rewrites an objective (or how it is judged); the revision keeps who and why."""
    _require_coach_of(objective.program, actor)
    if not text.strip():
        raise ValidationError(_("Write the objective."))
    if not reason.strip():
        raise ValidationError(_("Say why the objective changes."))
    with transaction.atomic():
        program = _changeable_objective(objective)
        objective.text, objective.measure = text, measure
        objective.save(update_fields=["text", "measure"])
        _snapshot(program, actor=actor, reason=reason)
    return objective


def objective_retire(*, objective, actor, reason):
    """The coach retires an objective that no longer applies: it leaves the program page and
    the graduation review; the revision keeps it, with who and why."""
    program = objective.program
    _require_coach_of(program, actor)
    if not reason.strip():
        raise ValidationError(_("Say why the objective no longer applies."))
    with transaction.atomic():
        program = _changeable_objective(objective)
        Objective.objects.filter(pk=objective.pk).update(is_retired=True)
        _snapshot(program, actor=actor, reason=reason)
    objective.is_retired = True
    return objective


def objective_review(*, objective, actor, result, note=""):
    program = objective.program
    _require_coach_of(program, actor)
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(_("Objectives are reviewed while the program is active."))
    review, _created = ObjectiveReview.objects.update_or_create(
        objective=objective,
        defaults={
            "result": result,
            "note": note,
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        },
    )
    return review


def final_checkout_done(program):
    """Is the final check-out done: the last session that counts was held, and its check-out
    was completed? Only the completion time is looked at, never the check-out's content."""
    last = (
        program.sessions.exclude(
            status__in=[
                Session.Status.RESCHEDULED,
                Session.Status.CANCELLED_COACH,
                Session.Status.CANCELLED_CLIENT_IN_TIME,
                Session.Status.SUSPENDED,
            ]
        )
        .order_by("-starts_at")
        .first()
    )
    if last is None or last.status != Session.Status.HELD:
        return False
    return program.sessions.filter(id=last.id, check_out__completed_at__isnull=False).exists()


def _ready_to_graduate(early_reason):
    def check(program):
        contracted = program.contract.in_force_version.sessions_count if program.contract_id else 0
        used = sessions_used(program)
        if used < contracted and not early_reason.strip():
            raise ValidationError(
                _(
                    "%(used)s of %(count)s contracted sessions are used. Record the reason for "
                    "an early completion to graduate now."
                )
                % {"used": used, "count": contracted}
            )
        if not final_checkout_done(program):
            raise ValidationError(
                _("The final check-out is not done: the last session must be held.")
            )
        missing = program.objectives.filter(is_retired=False, review__isnull=True).count()
        if missing or not program.objectives.filter(is_retired=False).exists():
            raise ValidationError(
                _("Review every objective against the FSoB first (%(missing)s not reviewed).")
                % {"missing": missing}
            )

    return check


def remaining_sessions(program):
    """What an early completion cancels: the sessions still to come and those a pause
    suspended."""
    return program.sessions.filter(
        Q(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now())
        | Q(status=Session.Status.SUSPENDED)
    )


def _cancel_remaining(program, actor):
    """An early completion's one step: the remaining sessions are cancelled (they do not
    count), their reminders go and calendars are told, and the coach and the client get one
    reminder each, in the graduation's transaction (a refused graduation cancels nothing).
    The early completion's reason stays on the program: no session carries it."""
    remaining = list(remaining_sessions(program).select_related("coach", "client"))
    if not remaining:
        return
    Session.objects.filter(pk__in=[s.pk for s in remaining]).update(
        status=Session.Status.CANCELLED_COACH,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
        status_reason="",
    )
    for session in remaining:
        session.status = Session.Status.CANCELLED_COACH
        reminders_cancel(obj=session)
        calendar.publish(session)
    renumber(program)
    program_reminders.completed_early_schedule(program, cancelled=len(remaining))


def program_graduate(*, program, actor, summary="", early_reason=""):
    """Graduates the program; the contract's instalments due at graduation are invoiced."""
    with transaction.atomic():
        program = _graduate(program, actor, summary, early_reason)
        if program.contract_id:
            billing.invoices_issue_due(contract=program.contract)
    return program


def _graduate(program, actor, summary, early_reason):
    ready = _ready_to_graduate(early_reason)

    def check(program):
        if early_reason.strip():
            _cancel_remaining(program, actor)
        ready(program)

    return PROGRAM.apply(
        program,
        "graduate",
        actor=actor,
        reason=early_reason,
        check=check,
        changes={
            "early_completion_reason": early_reason[:300],
            "completion_summary": summary,
            "ends_on": timezone.localdate(),
        },
    )


def program_transition(*, program, actor, name, reason=""):
    """Pause, resume, terminate or cancel (the rows of PROGRAM_STATE_CHANGES)."""
    if name not in PROGRAM_STATE_CHANGES:
        raise ValidationError(_("Unknown change of state."))
    return PROGRAM.apply(
        program, name, actor=actor, reason=reason, changes={"status_reason": reason[:300]}
    )
