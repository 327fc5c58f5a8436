"""Which session templates a reader may see or change, and the session clock's pattern.

Templates are the practice's or one coach's method, not coaching content: a coach sees the
practice's templates and their own (never another coach's); an admin sees the practice's.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from .models import ProgramTemplate, SessionClock, SessionTemplate, TemplatePart, plan_of


def templates_for(access):
    reach = Q(owner=None)
    if access.is_coach:
        reach |= Q(owner=access.user)
    return SessionTemplate.objects.filter(reach, practice=access.practice)


def get_template_for(access, code, *, write=False):
    """404 outside the reader's templates; with write=True, 404 too for one they may only use
    (a coach may use the practice's templates but only an admin changes them)."""
    qs = templates_for(access)
    if write:
        qs = qs.filter(
            Q(owner=access.user) if not access.is_admin else Q(owner=None) | Q(owner=access.user)
        )
    try:
        return qs.get(code=code)
    except (SessionTemplate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def template_list(*, access):
    templates = list(templates_for(access).select_related("owner"))
    parts = TemplatePart.objects.filter(template__in=templates)
    by_template = {}
    for part in parts:
        by_template.setdefault(part.template_id, []).append(part)
    return [(t, plan_of(t, by_template.get(t.pk, []))) for t in templates]


def templates_for_program(access, program):
    """templates_for(access), each marked `is_chosen` if the program follows it: the list and
    the choice in one query (the coach's program page, #11; chosen_template was a second)."""
    return templates_for(access).annotate(
        is_chosen=Exists(ProgramTemplate.objects.filter(program=program, template=OuterRef("pk")))
    )


def chosen_template(program):
    return (
        ProgramTemplate.objects.filter(program=program)
        .values_list("template_id", flat=True)
        .first()
    )


def clocks_of(sessions):
    """{session id: SessionClock} for the given sessions; one query."""
    return {c.session_id: c for c in SessionClock.objects.filter(session__in=sessions)}
