"""The messaging app's URLs. A thread is its program's coach's and client's only: everybody
else of the practice gets 404 (the gate), the outsider 404 (another practice)."""

from messaging.models import Message
from sessions.models import ActionItem
from tests.authz.spec import Entry, only, practice
from tests.sessions.factories import held_session, program_for

PARTIES = ["coach", "client"]
THREAD = only(PARTIES, admin=404, other_coach=404, sponsor=404)


def thread(world):
    return {"slug": world.practice.slug, "code": program_for(world).code}


def _message(author_role):
    def kwargs(world):
        program = program_for(world)
        held_session(program, 1, days_ago=2, content=False)
        author = getattr(world, author_role)
        message = Message.objects.create(program=program, author=author, body="hello")
        return {"slug": world.practice.slug, "code": message.code}

    return kwargs


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def messages_in_thread(world, kwargs):
    return Message.objects.filter(program__code=kwargs["code"]).count()


def message_state(world, kwargs):
    m = Message.objects.filter(code=kwargs["code"]).first()
    return m and (m.body, m.edited_at, m.deleted_at)


def tasks_of_program(world, kwargs):
    m = Message.objects.get(code=kwargs["code"])
    return ActionItem.objects.filter(session__program=m.program_id).count()


ENTRIES = [
    # Another coach of the practice reads the page: an empty list (no thread of theirs).
    Entry("message_index", only([*PARTIES, "other_coach"]), kwargs=practice),
    Entry("message_thread", THREAD, kwargs=thread),
    Entry("message_poll", THREAD, kwargs=thread),
    Entry(
        "message_send",
        only(PARTIES, 302, admin=404, other_coach=404, sponsor=404),
        kwargs=thread,
        method="post",
        data={"body": "a message"},
        effect=messages_in_thread,
    ),
    Entry(
        "message_edit",
        only(["client"], 302, coach=302, admin=404, other_coach=404, sponsor=404),
        kwargs=_message("client"),
        method="post",
        data={"body": "corrected"},
        effect=message_state,
        unchanged_for={"coach": "only its author edits a message (a message says so)"},
    ),
    Entry(
        "message_delete",
        only(["client"], 302, coach=302, admin=404, other_coach=404, sponsor=404),
        kwargs=_message("client"),
        method="post",
        effect=message_state,
        unchanged_for={"coach": "only its author deletes a message (a message says so)"},
    ),
    Entry(
        "message_task",
        only(["coach"], 302, client=302, admin=404, other_coach=404, sponsor=404),
        kwargs=_message("client"),
        method="post",
        effect=tasks_of_program,
        unchanged_for={"client": "only the coach turns a message into a task"},
    ),
]
