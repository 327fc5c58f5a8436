"""URLs of the daily workspace (#14): the next session as an .ics file."""

from tests.authz.spec import Entry, only
from tests.sessions.factories import SessionFactory, program_for


def upcoming_session(world):
    session = SessionFactory(program=program_for(world))
    return {"slug": world.practice.slug, "code": session.code}


ENTRIES = [
    Entry(
        "session_calendar_file",
        only(["client", "coach"], other_coach=404),
        kwargs=upcoming_session,
        note="the session's own client and coach; another coach of the practice does not "
        "reach it (404)",
    ),
]
