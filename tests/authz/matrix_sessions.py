from datetime import timedelta

from django.utils import timezone

from tests.authz.spec import Entry, only, practice
from tests.sessions.factories import ActionItemFactory, SessionFactory, program_for

COACH_ONLY = only(["coach"], other_coach=404)


def session(world):
    program = program_for(world)
    s = SessionFactory(program=program, starts_at=timezone.now() - timedelta(minutes=10))
    return {"slug": world.practice.slug, "code": s.code}


def session_part(world):
    return {**session(world), "part": "check_in"}


def client_task(world):
    item = ActionItemFactory(session=SessionFactory(program=program_for(world)))
    return {"slug": world.practice.slug, "code": item.code}


def program(world):
    return {"slug": world.practice.slug, "code": program_for(world).code}


ENTRIES = [
    Entry("session_prepare", COACH_ONLY, kwargs=session),
    Entry("session_run", COACH_ONLY, kwargs=session),
    Entry(
        "session_part_save",
        only(["coach"], 302, other_coach=404),
        kwargs=session_part,
        method="post",
        data={"goal": "x"},
    ),
    Entry(
        "session_mark_held",
        only(["coach"], 302, other_coach=404),
        kwargs=session,
        method="post",
    ),
    Entry("client_coaching", only(["client"]), kwargs=practice),
    Entry(
        "action_item_done",
        only(["client"], 302, coach=403, other_coach=404),
        kwargs=client_task,
        method="post",
        note="only the assignee; the coach reads the client's task but may not tick it",
    ),
    Entry("coach_program", COACH_ONLY, kwargs=program),
]
