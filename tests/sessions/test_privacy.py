from datetime import timedelta

from django.utils import timezone

from sessions import privacy
from sessions.models import Session
from tests.sessions.factories import (
    CheckOutFactory,
    NoteFactory,
    PreparationFactory,
    SessionFactory,
    program_for,
)


def _held(world):
    session = SessionFactory(
        program=program_for(world),
        status=Session.Status.HELD,
        starts_at=timezone.now() - timedelta(days=3),
    )
    NoteFactory(session=session, text="private-note-xyz")
    PreparationFactory(session=session, reflection="private-reflection-xyz")
    CheckOutFactory(session=session, take_aways="shared-take-away")
    return session


def test_export_holds_what_was_shared_and_not_the_private_notes(world):
    _held(world)
    section = privacy.export(user=world.client, practice=world.practice)
    text = repr(section)
    assert "shared-take-away" in text
    assert "private-note-xyz" not in text and "private-reflection-xyz" not in text


def test_erasure_deletes_content_and_keeps_the_session_row(world):
    from ethics.access import content_for_erasure

    session = _held(world)
    privacy.erase(user=world.client, practice=world.practice)
    assert all(
        not qs.exists() for qs in content_for_erasure(user=world.client, practice=world.practice)
    )
    assert Session.objects.filter(pk=session.pk).exists()
