"""gate.sessions_with_parts: a session's one-per-session parts read with the sessions in one
query (#11), under the same rules as the per-part gate querysets. A part the reader may not
read is not selected, so never decrypted; the sponsor's consent is checked in that query."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import Q
from django.utils import timezone

from coaching.access import PracticeAccess, Role
from coaching.accounts.models import User
from ethics import access as gate
from ethics import crypto
from ethics.models import AccessEvent
from sessions.models import Scope, Session
from tests.ethics import helpers
from tests.sessions.factories import (
    CheckInFactory,
    CheckOutFactory,
    NoteFactory,
    PreparationFactory,
    SessionFactory,
    program_for,
)

PARTS = ["preparation", "check_in", "note", "check_out"]


def _access(user, practice, role):
    return PracticeAccess(user=user, practice=practice, roles=frozenset({role}))


@pytest.fixture
def sessions(world):
    """A held session with a part in each scope, and an upcoming one with a preparation the
    coach shared with the sponsor (not held: its parts are not read where only held ones
    show)."""
    program = program_for(world)
    held = SessionFactory(
        program=program, number=1, status="held", starts_at=timezone.now() - timedelta(days=3)
    )
    PreparationFactory(session=held, reflection="private-prep-q1", scope=Scope.PRIVATE)
    CheckInFactory(session=held, goal="client-goal-q2", scope=Scope.CLIENT)
    NoteFactory(session=held, text="sponsor-note-q3", scope=Scope.SPONSOR)
    CheckOutFactory(session=held, take_aways="sponsor-out-q4", scope=Scope.SPONSOR)
    upcoming = SessionFactory(program=program, number=2)
    PreparationFactory(session=upcoming, reflection="upcoming-prep-q5", scope=Scope.SPONSOR)
    return held, upcoming


def _read(access, **kwargs):
    """The sessions as the gate returns them and every plaintext decrypted meanwhile."""
    decrypted = set()
    real = crypto.decrypt

    def spy(token):
        text = real(token)
        decrypted.add(text)
        return text

    with mock.patch.object(crypto, "decrypt", side_effect=spy):
        rows = gate.sessions_with_parts(
            access, gate.sessions_for(access).order_by("number"), parts=PARTS, **kwargs
        )
    return rows, decrypted


FIELD = {"preparation": "reflection", "check_in": "goal", "note": "text", "check_out": "take_aways"}


def _texts(session):
    """Per part, the text the reader got (None: no part they may read)."""
    parts = {name: getattr(session, f"visible_{name}") for name in PARTS}
    return {name: getattr(row, FIELD[name]) if row else None for name, row in parts.items()}


def test_the_sponsor_reads_only_sponsor_parts_of_held_sessions_with_consent(world, sessions):
    held, upcoming = sessions
    helpers.consent_for(world)
    access = _access(world.sponsor, world.practice, Role.SPONSOR)

    rows, decrypted = _read(access, role=Role.SPONSOR, parts_of=Q(status=Session.Status.HELD))

    assert [s.pk for s in rows] == [held.pk, upcoming.pk]  # every session is listed
    assert _texts(rows[0]) == {
        "preparation": None,
        "check_in": None,
        "note": "sponsor-note-q3",
        "check_out": "sponsor-out-q4",
    }
    assert _texts(rows[1]) == dict.fromkeys(PARTS)
    # What the sponsor may not read is not even decrypted (what they may, is).
    assert {"sponsor-note-q3", "sponsor-out-q4"} <= decrypted
    assert not decrypted & {"private-prep-q1", "client-goal-q2", "upcoming-prep-q5"}
    assert rows[0].gate_consent is True
    labels = sorted(
        AccessEvent.objects.filter(reader=world.sponsor).values_list("label", flat=True)
    )
    assert labels == ["Session 1 check-out", "Session 1 notes"]


def test_without_consent_or_after_withdrawal_the_sponsor_reads_no_part(world, sessions):
    access = _access(world.sponsor, world.practice, Role.SPONSOR)
    rows, _ = _read(access, role=Role.SPONSOR)
    assert all(_texts(s) == dict.fromkeys(PARTS) for s in rows)
    assert rows[0].gate_consent is False

    consent = helpers.consent_for(world)
    consent.withdrawn_at = timezone.now()
    consent.save()
    rows, decrypted = _read(access, role=Role.SPONSOR)

    assert all(_texts(s) == dict.fromkeys(PARTS) for s in rows)
    assert not decrypted & {"sponsor-note-q3", "sponsor-out-q4"}
    assert not AccessEvent.objects.filter(reader=world.sponsor).exists()


def test_the_client_reads_what_is_shared_with_them_and_not_the_private_preparation(world, sessions):
    access = _access(world.client, world.practice, Role.CLIENT)
    rows, decrypted = _read(access, role=Role.CLIENT)
    assert _texts(rows[0]) == {
        "preparation": None,
        "check_in": "client-goal-q2",
        "note": "sponsor-note-q3",
        "check_out": "sponsor-out-q4",
    }
    assert _texts(rows[1])["preparation"] == "upcoming-prep-q5"  # no parts_of: every session
    assert "private-prep-q1" not in decrypted


def test_another_sponsor_or_client_gets_no_session(world, sessions):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(practice=world.practice, role=Role.SPONSOR).user
    access = _access(stranger, world.practice, Role.SPONSOR)
    assert (
        gate.sessions_with_parts(access, gate.sessions_for(access), role=Role.SPONSOR, parts=PARTS)
        == []
    )


def test_only_one_per_session_parts_can_be_joined(world):
    access = _access(world.client, world.practice, Role.CLIENT)
    with pytest.raises(ValueError, match="action_items"):
        gate.sessions_with_parts(
            access, gate.sessions_for(access), role=Role.CLIENT, parts=["action_items"]
        )


@pytest.mark.parametrize("role", [Role.CLIENT, Role.COACH, Role.SPONSOR])
def test_it_applies_the_roles_reach_to_any_sessions_it_is_given(world, sessions, role):
    """The session selectors hand it Session.objects narrowed by program, not by
    gate.sessions_for (#11, g-sess4): the reach is the gate's. Given every session there is,
    it returns only those of the programs where the reader holds the role in this practice,
    and reads no part of the others."""
    held, upcoming = sessions
    helpers.consent_for(world)
    # Another client's program in the practice (same coach and sponsor, so only the role's
    # own relation tells them apart for the client), and a program of another practice
    # where the world's people hold the same places.
    stranger = User.objects.create_user(email="stranger@example.com", password="x" * 12)
    others = program_for(world, client=stranger)
    theirs = SessionFactory(program=others, number=1, status="held")
    CheckOutFactory(session=theirs, take_aways="stranger-out-q6", scope=Scope.SPONSOR)
    elsewhere = SessionFactory(
        program=program_for(world, practice=world.practice_b), number=1, status="held"
    )
    CheckOutFactory(session=elsewhere, take_aways="elsewhere-out-q7", scope=Scope.SPONSOR)
    user = {Role.CLIENT: world.client, Role.COACH: world.coach, Role.SPONSOR: world.sponsor}
    access = _access(user[role], world.practice, role)

    decrypted = set()
    real = crypto.decrypt

    def spy(token):
        text = real(token)
        decrypted.add(text)
        return text

    with mock.patch.object(crypto, "decrypt", side_effect=spy):
        rows = gate.sessions_with_parts(
            access, Session.objects.order_by("pk"), role=role, parts=["check_out"]
        )

    expected = {held.pk, upcoming.pk} | ({theirs.pk} if role != Role.CLIENT else set())
    assert {row.pk for row in rows} == expected
    assert elsewhere.pk not in {row.pk for row in rows}
    assert "elsewhere-out-q7" not in decrypted
    if role == Role.CLIENT:
        assert "stranger-out-q6" not in decrypted
