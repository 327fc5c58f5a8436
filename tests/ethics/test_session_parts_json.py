"""The session page reads the session's four one-per-session parts as JSON objects, one
subquery each (ethics.access.get_session_for_writing, #11: the LEFT JOINs cost more to plan
than the query took to run). Each part must come out exactly as the ORM reads it from its own
row: every column, decrypted content, times to the microsecond with their zone, UUIDs, the
numbers, the unset ones as None; and a part not written yet as none, with no query."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.access import PracticeAccess, Role
from ethics import access as gate
from sessions.models import CheckIn, CheckOut, ConversationNote, Preparation, Scope, Session
from sessions.selectors import session_for_run
from tests.sessions.factories import (
    CheckInFactory,
    CheckOutFactory,
    NoteFactory,
    PreparationFactory,
    SessionFactory,
    program_for,
)

PARTS = {"preparation": Preparation, "check_in": CheckIn, "note": ConversationNote}
PARTS["check_out"] = CheckOut


def _coach(world):
    return PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({Role.COACH}))


@pytest.fixture
def written(world):
    """A held session with every part written, with awkward values: text with quotes, a
    backslash, a newline and non-ASCII letters; a time with microseconds; a null."""
    session = SessionFactory(program=program_for(world), number=1, status=Session.Status.HELD)
    awkward = 'Kata "klien": \\ café\nbaris kedua'
    PreparationFactory(session=session, reflection=awkward, scope=Scope.PRIVATE)
    CheckInFactory(
        session=session,
        author=world.client,
        goal=awkward,
        since_last_time="Minggu lalu",
        client_readiness=3,
        coach_readiness=None,
        scope=Scope.CLIENT,
    )
    NoteFactory(session=session, text=awkward, drift_reason="", scope=Scope.PRIVATE)
    CheckOutFactory(
        session=session,
        take_aways=awkward,
        insights="",
        completed_at=datetime(2026, 11, 29, 10, 11, 12, 345678, tzinfo=UTC),
        scope=Scope.SPONSOR,
    )
    return session


def _columns(instance):
    return {
        f.attname: getattr(instance, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.attname in instance.__dict__
    }


def test_each_part_is_what_its_own_row_reads(world, written):
    session = gate.get_session_for_writing(_coach(world), written.code)
    for accessor, model in PARTS.items():
        assert Session._meta.get_field(accessor).is_cached(session)
        part = getattr(session, accessor)
        assert type(part) is model
        own_row = model.objects.get(session=written)
        assert _columns(part) == _columns(own_row), accessor
        assert len(_columns(part)) == len(model._meta.concrete_fields)
        assert part.session is session
        assert part._state.adding is False
    assert session.check_out.completed_at == datetime(2026, 11, 29, 10, 11, 12, 345678, tzinfo=UTC)
    assert session.check_in.coach_readiness is None
    assert session.note.text == 'Kata "klien": \\ café\nbaris kedua'


def test_the_session_page_leaves_the_columns_it_defers_unread(world, written):
    """session_for_run defers the parts' codes and timestamps: not in the JSON either."""
    session = session_for_run(_coach(world), written.code)
    check_in = session.check_in
    assert "code" not in check_in.__dict__ and "created_at" not in check_in.__dict__
    assert check_in.goal == 'Kata "klien": \\ café\nbaris kedua'
    assert check_in.author_id == world.client.pk and check_in.scope == Scope.CLIENT


def test_parts_not_written_are_none_without_a_query(world):
    session = SessionFactory(program=program_for(world), number=1)
    read = gate.get_session_for_writing(_coach(world), session.code)
    with CaptureQueriesContext(connection) as queries:
        for accessor in PARTS:
            # As after select_related: known to be missing (the accessor raises
            # RelatedObjectDoesNotExist, an AttributeError), not read again.
            assert Session._meta.get_field(accessor).is_cached(read)
            assert getattr(read, accessor, None) is None
    assert len(queries) == 0


def test_one_query_and_the_parts_as_a_part_for_writing(world, written):
    with CaptureQueriesContext(connection) as queries:
        session = gate.get_session_for_writing(_coach(world), written.code)
        note = gate.part_for_writing(_coach(world), session, ConversationNote)
    assert len(queries) == 1
    assert note.pk == written.note.pk and note.text.startswith("Kata")
