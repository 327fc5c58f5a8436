"""#12 finding 14: after an operator sets a user's password, every read of content by that
account lands in the access log (its own writing included) and the user is told on every
page, until they choose a password themselves."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ethics.models import AccessEvent
from sessions.models import ConversationNote
from tests.factories import PASSWORD
from tests.sessions.factories import NoteFactory, SessionFactory, program_for

NEW = "a-new-long-password-from-ops"


@pytest.fixture
def own_note(world):
    session = SessionFactory(
        program=program_for(world),
        number=1,
        status="held",
        starts_at=timezone.now() - timedelta(days=2),
    )
    note = NoteFactory(session=session, text="the coach's own private note", scope="private")
    url = reverse("session_run", kwargs={"slug": world.practice.slug, "code": session.code})
    return note, url


def reads_of(note, reader):
    return AccessEvent.objects.filter(
        reader=reader, object_id=str(note.pk), kind=AccessEvent.Kind.READ
    ).count()


def operator_sets_password(user, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: NEW)
    call_command("changepassword", user.email, stdout=None)


def test_reads_after_an_operator_password_change_are_logged(
    world, own_note, client_for, monkeypatch
):
    note, url = own_note
    client = client_for(world.coach)
    page = client.get(url)
    assert "the coach&#x27;s own private note" in page.content.decode()
    assert reads_of(note, world.coach) == 0  # the author reading their own note: not logged
    assert 'data-testid="operator-password"' not in page.content.decode()

    operator_sets_password(world.coach, monkeypatch)
    world.coach.refresh_from_db()
    client = client_for(world.coach)
    page = client.get(url).content.decode()
    assert reads_of(note, world.coach) == 1
    event = AccessEvent.objects.get(reader=world.coach, object_id=str(note.pk))
    assert event.subject_id == world.client.pk
    assert 'data-testid="operator-password"' in page
    assert "changed by an administrator" in page


def test_choosing_a_password_oneself_ends_the_extra_logging(
    world, own_note, client_for, monkeypatch
):
    note, url = own_note
    operator_sets_password(world.coach, monkeypatch)
    world.coach.refresh_from_db()
    client = client_for(world.coach)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": NEW, "password1": PASSWORD + "-mine", "password2": PASSWORD + "-mine"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("account_change_password"), response["Location"]
    world.coach.refresh_from_db()
    assert world.coach.password_set_by_operator_at is None
    page = client.get(url).content.decode()
    assert reads_of(note, world.coach) == 0
    assert 'data-testid="operator-password"' not in page
    assert ConversationNote.objects.filter(pk=note.pk).exists()
