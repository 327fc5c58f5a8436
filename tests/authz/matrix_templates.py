"""Session templates and the session clock (#17, #14), supervision and the credential tracker."""

from datetime import timedelta

from django.utils import timezone

from session_templates.models import ProgramTemplate, SessionClock, SessionTemplate
from supervision.models import SupervisionEntry
from tests.authz.spec import Entry, only, practice
from tests.sessions.factories import SessionFactory, program_for

COACHES = ["coach", "other_coach"]
TEMPLATE_MAKERS = ["admin", "coach", "other_coach"]

# The smallest valid template form: a name and the time boxes; every part in its place.
TEMPLATE_DATA = {
    "name": "Matrix model",
    "check_in_min_minutes": "5",
    "check_in_max_minutes": "10",
    "check_out_minutes": "15",
    "check_in_position": "1",
    "note_position": "2",
    "task_position": "3",
    "task_used": "on",
    "check_out_position": "4",
    "ratings_position": "5",
    "ratings_used": "on",
}


def templates_count(world, kwargs):
    return SessionTemplate.objects.filter(practice=world.practice).count()


def coach_template(world):
    template = SessionTemplate.objects.create(
        practice=world.practice, owner=world.coach, name="Rina's model"
    )
    return {"slug": world.practice.slug, "code": template.code}


def template_stored(world, kwargs):
    template = SessionTemplate.objects.get(code=kwargs["code"])
    return (template.name, template.check_in_max_minutes, template.updated_at)


def program_and_practice_template(world):
    template = SessionTemplate.objects.create(
        practice=world.practice, owner=None, name="The institute's model"
    )
    program = program_for(world)
    world.matrix_template = template
    return {"slug": world.practice.slug, "code": program.code}


def chosen_template(world, kwargs):
    return (
        ProgramTemplate.objects.filter(program__code=kwargs["code"])
        .values_list("template_id", flat=True)
        .first()
    )


def template_choice(world):
    return {"template": str(world.matrix_template.code)}


def clock_event(world):
    session = SessionFactory(
        program=program_for(world), starts_at=timezone.now() - timedelta(minutes=5)
    )
    return {"slug": world.practice.slug, "code": session.code, "event": "check-in-start"}


def check_in_started(world, kwargs):
    return (
        SessionClock.objects.filter(session__code=kwargs["code"])
        .values_list("check_in_started_at", flat=True)
        .first()
    )


def supervision_count(world, kwargs):
    return SupervisionEntry.objects.filter(practice=world.practice).count()


def supervision_entry(world):
    entry = SupervisionEntry.objects.create(
        practice=world.practice,
        coach=world.coach,
        kind=SupervisionEntry.Kind.SUPERVISION,
        date=timezone.now().date(),
        hours=1,
        with_whom="Supervisor",
        notes="What I noticed",
    )
    return {"slug": world.practice.slug, "code": entry.code}


def supervision_exists(world, kwargs):
    return SupervisionEntry.objects.filter(code=kwargs["code"]).exists()


ENTRIES = [
    Entry("session_template_list", only(TEMPLATE_MAKERS), kwargs=practice),
    Entry(
        "session_template_create",
        only(TEMPLATE_MAKERS, 302),
        kwargs=practice,
        method="post",
        data=TEMPLATE_DATA,
        effect=templates_count,
        note="a coach's template is their own; an admin's is the practice's",
    ),
    Entry(
        "session_template_edit",
        only(["coach"], 302, other_coach=404, admin=404),
        kwargs=coach_template,
        method="post",
        data={**TEMPLATE_DATA, "name": "Renamed", "check_in_max_minutes": "12"},
        effect=template_stored,
        note="a coach's template: only that coach changes it (the admin neither)",
    ),
    Entry(
        "program_template_choose",
        only(["coach"], 302, other_coach=404),
        kwargs=program_and_practice_template,
        method="post",
        data=template_choice,
        effect=chosen_template,
    ),
    Entry(
        "session_clock",
        only(["coach"], 302, other_coach=404),
        kwargs=clock_event,
        method="post",
        effect=check_in_started,
    ),
    Entry(
        "supervision_list",
        only(COACHES, 302),
        kwargs=practice,
        method="post",
        data={
            "kind": "supervision",
            "format": "individual",
            "date": "2026-01-10",
            "hours": "1.5",
            "with_whom": "A supervisor",
            "notes": "What I noticed",
        },
        effect=supervision_count,
    ),
    Entry(
        "supervision_delete",
        only(["coach"], 302, other_coach=404),
        kwargs=supervision_entry,
        method="post",
        effect=supervision_exists,
    ),
    Entry("credential_tracker", only(COACHES), kwargs=practice),
]
