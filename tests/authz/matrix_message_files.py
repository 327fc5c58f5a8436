"""A message's file: its thread's coach and client only; everybody else 404 (the gate)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.access import PracticeAccess
from messaging import services
from tests.authz.spec import Entry, only
from tests.sessions.factories import program_for


def message_with_file(world):
    program = program_for(world)
    access = PracticeAccess(user=world.client, practice=world.practice, roles=frozenset({"client"}))
    message = services.message_send(
        access=access,
        program=program,
        body="the report",
        attachment=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"slug": world.practice.slug, "code": message.code}


ENTRIES = [
    Entry(
        "message_attachment",
        only(["coach", "client"], admin=404, other_coach=404, sponsor=404),
        kwargs=message_with_file,
    ),
]
