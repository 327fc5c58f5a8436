from datetime import timedelta

from django.utils import timezone

from sessions.models import ActionItem, CheckIn, Session
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


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)

CHECK_IN_FIELDS = ["client_readiness", "coach_readiness", "since_last_time", "goal", "agenda"]


def check_in_stored(world, kwargs):
    """The session's check-in as stored: its fields (decrypted by the model) and scope."""
    check_in = CheckIn.objects.filter(session__code=kwargs["code"]).first()
    if check_in is None:
        return None
    return tuple(getattr(check_in, f) for f in [*CHECK_IN_FIELDS, "scope", "updated_at"])


def session_status(world, kwargs):
    return Session.objects.get(code=kwargs["code"]).status


def task_done(world, kwargs):
    item = ActionItem.objects.get(code=kwargs["code"])
    return (item.done_at, item.done_comment)


ENTRIES = [
    Entry("session_prepare", COACH_ONLY, kwargs=session),
    Entry("session_run", COACH_ONLY, kwargs=session),
    Entry(
        "session_part_save",
        only(["coach"], 302, other_coach=404),
        kwargs=session_part,
        method="post",
        data={"goal": "x"},
        effect=check_in_stored,
    ),
    Entry(
        "session_mark_held",
        only(["coach"], 302, other_coach=404),
        kwargs=session,
        method="post",
        effect=session_status,
    ),
    Entry("client_coaching", only(["client"]), kwargs=practice),
    Entry(
        "action_item_done",
        only(["client"], 302, coach=403, other_coach=404),
        kwargs=client_task,
        method="post",
        effect=task_done,
        note="only the assignee; the coach reads the client's task but may not tick it",
    ),
    Entry("coach_program", COACH_ONLY, kwargs=program),
]
