"""What the coach writes in an extra part of their template is coaching content (#17):
encrypted, read through the gate, private by default, in the client's export and erasure."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ethics import crypto
from session_templates.models import ExtraPartNote
from sessions.privacy import erase
from tests.ethics.exports import export_json
from tests.session_templates.helpers import Kind, coach_template, use
from tests.sessions.factories import SessionFactory, program_for

pytestmark = pytest.mark.django_db

TEXT = "extra-part-canary-31c9: breathing slowed the client down"


def _session(world, status="scheduled"):
    program = program_for(world)
    template = coach_template(
        world, order=[Kind.CHECK_IN, (Kind.EXTRA, "A minute of silence"), Kind.NOTE, Kind.CHECK_OUT]
    )
    use(program, template)
    return SessionFactory(program=program, number=1, starts_at=timezone.now(), status=status)


def _save(world, client_for, session, data, user=None, part="extra-2", **headers):
    url = reverse("session_part_save", args=[world.practice.slug, session.code, part])
    return client_for(user or world.coach).post(url, data, **headers)


def _raw(note):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM session_templates_extrapartnote WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


def test_the_coach_writes_in_an_extra_part_and_it_is_stored_encrypted(world, client_for):
    session = _session(world)
    response = _save(world, client_for, session, {"extra-2-text": TEXT}, HTTP_HX_REQUEST="true")
    assert 'id="part-extra-2"' in response.content.decode()
    note = ExtraPartNote.objects.get(session=session)
    assert (note.title, note.position, note.scope, note.author) == (
        "A minute of silence",
        2,
        "private",
        world.coach,
    )
    assert TEXT not in _raw(note) and crypto.decrypt(_raw(note)) == TEXT
    page = client_for(world.coach).get(
        reverse("session_run", args=[world.practice.slug, session.code])
    )
    assert TEXT in page.content.decode()


def test_a_private_extra_part_stays_with_the_coach_a_shared_one_reaches_the_client(
    world, client_for
):
    session = _session(world, status="held")
    _save(world, client_for, session, {"extra-2-text": TEXT})
    mine = reverse("client_coaching", args=[world.practice.slug])
    assert TEXT not in client_for(world.client).get(mine).content.decode()
    _save(world, client_for, session, {"extra-2-text": TEXT, "extra-2-scope": "client"})
    page = client_for(world.client).get(mine).content.decode()
    assert "A minute of silence" in page and TEXT in page
    export = export_json(client_for(world.client), world.practice)
    assert TEXT in json.dumps(export.json(), ensure_ascii=False)


def test_the_sponsor_scope_is_not_offered_for_an_extra_part(world, client_for):
    session = _session(world)
    response = _save(world, client_for, session, {"extra-2-text": TEXT, "extra-2-scope": "sponsor"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not ExtraPartNote.objects.exists()


def test_a_part_the_template_does_not_have_is_404(world, client_for):
    session = _session(world)
    assert (
        _save(world, client_for, session, {"extra-9-text": "x"}, part="extra-9").status_code == 404
    )
    assert not ExtraPartNote.objects.exists()


def test_another_coach_reaches_nothing(world, client_for):
    session = _session(world)
    response = _save(world, client_for, session, {"extra-2-text": TEXT}, user=world.other_coach)
    assert response.status_code == 404
    assert not ExtraPartNote.objects.exists()


def test_erasure_deletes_the_extra_parts(world, client_for):
    session = _session(world, status="held")
    _save(world, client_for, session, {"extra-2-text": TEXT})
    erase(user=world.client, practice=world.practice)
    assert not ExtraPartNote.objects.exists()
