"""Writes: session templates, the program's choice of one, and the session clock."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from programs.models import Program
from sessions.services import CLOSED, ENDED

from .models import ProgramTemplate, SessionClock, TemplatePart


def _check_template_writer(template, actor, *, is_admin):
    if template.owner_id is None:
        if not is_admin:
            raise ValidationError(
                _("Only an admin of the practice changes the practice's templates.")
            )
    elif template.owner_id != actor.pk:
        raise ValidationError(_("Only its coach changes this template."))


@transaction.atomic
def session_template_save(*, template, parts, actor, is_admin):
    """template: a SessionTemplate (new or loaded), its practice and owner set by the caller.
    parts: [{kind, position, title_en, title_id, prompts_en, prompts_id}], replacing the old."""
    _check_template_writer(template, actor, is_admin=is_admin)
    if template.check_in_min_minutes > template.check_in_max_minutes:
        raise ValidationError(_("The check-in's shortest time is longer than its longest."))
    positions = [p["position"] for p in parts if p["kind"] != TemplatePart.Kind.PREPARATION]
    if len(positions) != len(set(positions)):
        raise ValidationError(_("Two parts have the same position; give each its own."))
    kinds = {p["kind"] for p in parts}
    for kind in (TemplatePart.Kind.CHECK_IN, TemplatePart.Kind.NOTE, TemplatePart.Kind.CHECK_OUT):
        if kind not in kinds:
            raise ValidationError(
                _("Every session has a check-in, conversation notes and a check-out.")
            )
    template.updated_at = now()
    template.full_clean(exclude=["practice", "owner"])
    template.save()
    TemplatePart.objects.filter(template=template).delete()
    TemplatePart.objects.bulk_create(TemplatePart(template=template, **p) for p in parts)
    return template


@transaction.atomic
def program_template_choose(*, program, template, actor):
    """The program's coach chooses the template its sessions follow (None: the default)."""
    if program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach chooses its session template."))
    if program.status in ENDED:
        raise ValidationError(_("This program has ended; its session template stays as it was."))
    if template is None:
        ProgramTemplate.objects.filter(program=program).delete()
        return None
    if template.practice_id != program.practice_id or template.owner_id not in (None, actor.pk):
        raise ValidationError(_("That template is not one you may use."))
    chosen, _created = ProgramTemplate.objects.update_or_create(
        program=program, defaults={"template": template, "chosen_by": actor, "chosen_at": now()}
    )
    return chosen


# The session clock -----------------------------------------------------------------------------

# event -> (the field it sets, the field that must be set before it, the field that must not)
CLOCK_EVENTS = {
    "check-in-start": ("check_in_started_at", None),
    "check-in-end": ("check_in_ended_at", "check_in_started_at"),
    "check-out-start": ("check_out_started_at", None),
    "check-out-end": ("check_out_ended_at", "check_out_started_at"),
}


@transaction.atomic
def session_clock_mark(*, session, event, plan, actor):
    """Records, in server time, that the coach began or ended check-in or check-out. The first
    mark starts the session's clock and keeps the plan's time boxes beside it. A mark already
    recorded stays (a second click, a resent form): the first time is the true one."""
    if session.program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach keeps this session's clock."))
    if session.status in CLOSED:
        raise ValidationError(_("This session did not take place; it has no clock."))
    if session.program.status in ENDED:
        raise ValidationError(_("This program has ended; its sessions' clocks are closed."))
    if event not in CLOCK_EVENTS:
        raise ValidationError(_("Unknown clock event."))
    Program.objects.select_for_update().filter(pk=session.program_id).first()
    clock, _created = SessionClock.objects.get_or_create(session=session)
    target, needs = CLOCK_EVENTS[event]
    if needs and getattr(clock, needs) is None:
        raise ValidationError(_("Start it before you end it."))
    if getattr(clock, target) is not None:
        return clock
    moment = now()
    setattr(clock, target, moment)
    if clock.started_at is None:
        clock.started_at = moment
        clock.check_in_min_minutes = plan.check_in_min_minutes
        clock.check_in_max_minutes = plan.check_in_max_minutes
        clock.check_out_box_minutes = plan.check_out_minutes
    clock.save()
    return clock
