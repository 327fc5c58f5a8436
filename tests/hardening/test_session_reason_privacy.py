"""#12 finding 6, the rest: a session's status reason (why it was cancelled or moved) is
encrypted at rest, in the client's export, and blanked by erasure; so are the reasons of the
lifecycle events about the client."""

import json

from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse

from programs.models import ProgramEvent
from programs.services import program_transition
from sessions.models import Session
from sessions.scheduling import session_cancel
from tests.ethics.exports import export_json
from tests.ethics.helpers import erasure_request_for
from tests.sessions.factories import SessionFactory, program_for

REASON = "session-reason-canary client in hospital"
PAUSE = "pause-reason-canary burnout"


def raw(model, pk, field):
    return (
        model.objects.filter(pk=pk)
        .annotate(raw=Cast(field, TextField()))
        .values_list("raw", flat=True)
        .get()
    )


def cancelled_session(world, program=None):
    program = program or program_for(world)
    session = SessionFactory(program=program, number=1)
    session_cancel(session=session, actor=world.admin, by="coach", reason=REASON)
    return Session.objects.get(pk=session.pk)


def test_a_session_status_reason_is_encrypted_at_rest(world):
    session = cancelled_session(world)
    assert session.status == Session.Status.CANCELLED_COACH
    assert session.status_reason == REASON
    stored = raw(Session, session.pk, "status_reason")
    assert REASON not in stored
    assert stored.startswith("gAAAA")  # a Fernet token


def test_the_session_reason_is_in_my_export(world, client_for):
    cancelled_session(world)
    sections = json.loads(export_json(client_for(world.client), world.practice).content)["sections"]
    assert [row["status_reason"] for row in sections["sessions"]["rows"]] == [REASON]


def test_erasure_blanks_session_and_event_reasons_about_me_only(world, client_for):
    mine = program_for(world)
    session = cancelled_session(world, mine)
    program_transition(program=mine, actor=world.coach, name="pause", reason=PAUSE)
    other_client = program_for(world, client=world.other_coach)  # another person's program
    other_session = cancelled_session(world, other_client)
    events = ProgramEvent.objects.filter(program=mine)
    assert {e.reason for e in events} >= {REASON, PAUSE}

    request = erasure_request_for(world)
    url = reverse(
        "erasure_request_complete", kwargs={"slug": world.practice.slug, "code": request.code}
    )
    client_for(world.admin).post(url)

    assert Session.objects.get(pk=session.pk).status_reason == ""
    assert {e.reason for e in ProgramEvent.objects.filter(program=mine)} == {""}
    # The log's other facts stay; so do another client's reasons.
    assert ProgramEvent.objects.filter(program=mine, to_state="paused").exists()
    assert Session.objects.get(pk=other_session.pk).status_reason == REASON
    assert REASON in {e.reason for e in ProgramEvent.objects.filter(program=other_client)}


def test_the_migration_encrypts_existing_plaintext_reasons_and_back(world):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("sessions.migrations.0008_encrypt_session_status_reason")
    session = SessionFactory(program=program_for(world), number=1)
    untouched = SessionFactory(program=session.program, number=2)
    with connection.cursor() as cursor:  # a row as it was before the migration: plain text
        cursor.execute(
            "UPDATE coaching_sessions_session SET status_reason = %s WHERE id = %s",
            ["plain reason from before", session.pk],
        )
    editor = SimpleNamespace(connection=connection)

    migration.encrypt_existing(apps, editor)
    assert raw(Session, session.pk, "status_reason").startswith("gAAAA")
    assert (
        Session.objects.defer(None).get(pk=session.pk).status_reason == "plain reason from before"
    )
    assert raw(Session, untouched.pk, "status_reason") == ""

    migration.decrypt_existing(apps, editor)
    assert raw(Session, session.pk, "status_reason") == "plain reason from before"
