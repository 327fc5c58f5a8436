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


def _last_time_both_ways(world, current):
    """(previous session, its check-out) as the session page reads them with the session, and
    as sessions.selectors reads them on their own (the preparation page's way)."""
    from sessions.selectors import _LAST_TIME_CHECK_OUT, _previous_with_check_out

    access = _coach(world)
    with_session = gate.previous_held_read_with(session_for_run(access, current.code))
    on_its_own = _previous_with_check_out(access, current, check_out_fields=_LAST_TIME_CHECK_OUT)
    return with_session, on_its_own


def _same(pair):
    previous, check_out = pair
    return (
        previous and (previous.pk, previous.number, previous.starts_at, previous.code),
        check_out and (check_out.pk, check_out.take_aways, check_out.new_behaviours),
    )


def test_last_time_read_with_the_session_is_what_its_own_query_reads(world):
    program = program_for(world)
    first = SessionFactory(program=program, number=1, status=Session.Status.HELD)
    CheckOutFactory(session=first, take_aways="first-took", new_behaviours="first-try")
    second = SessionFactory(program=program, number=2, status=Session.Status.HELD)
    SessionFactory(program=program, number=3, status=Session.Status.CANCELLED_COACH)
    current = SessionFactory(program=program, number=4)
    # The previous held one (2, not the cancelled 3) has no check-out yet.
    with_session, on_its_own = _last_time_both_ways(world, current)
    assert (
        _same(with_session)
        == _same(on_its_own)
        == ((second.pk, 2, second.starts_at, second.code), None)
    )
    # Its check-out, the client's, shared with them: read, and logged as a read by the coach.
    CheckOutFactory(
        session=second,
        author=world.client,
        scope=Scope.CLIENT,
        take_aways='Kata "dua"\nbaris',
        new_behaviours="",
        confirmations="not-shown",
    )
    before = gate.AccessEvent.objects.count()
    with_session, on_its_own = _last_time_both_ways(world, current)
    assert _same(with_session) == _same(on_its_own)
    assert with_session[1].take_aways == 'Kata "dua"\nbaris'
    assert "confirmations" not in with_session[1].__dict__  # neither read nor decrypted
    assert gate.AccessEvent.objects.count() == before + 1  # folded: one row for both reads


def test_last_time_leaves_out_another_coachs_private_check_out_and_starts_empty(world):
    program = program_for(world)
    current = SessionFactory(program=program, number=1)
    with_session, on_its_own = _last_time_both_ways(world, current)
    assert with_session == on_its_own == (None, None)
    earlier = SessionFactory(program=program, number=0, status=Session.Status.HELD)
    CheckOutFactory(session=earlier, author=world.other_coach, scope=Scope.PRIVATE)
    with_session, on_its_own = _last_time_both_ways(world, current)
    assert _same(with_session) == _same(on_its_own)
    assert with_session[0].pk == earlier.pk and with_session[1] is None
