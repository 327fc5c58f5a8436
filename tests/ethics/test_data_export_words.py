"""The client's "my data" page reads in words: labels, not field names; states, not codes.

The JSON download keeps the keys and codes (for machines); the page is for the client."""

import re

from django.utils import translation

from ethics.exports import FIELD_LABELS, data_export, printable
from sessions.models import CheckOut, Scope, Session
from tests.ethics.exports import export_page
from tests.ethics.helpers import consent_for
from tests.sessions.factories import ObjectiveFactory, SessionFactory, held_session, program_for


def _world_with_everything(world):
    program = program_for(world)
    objective = ObjectiveFactory(program=program, text="Lead calmly")
    held_session(program, 1, days_ago=10, objectives=[objective])
    CheckOut.objects.update(scope=Scope.CLIENT, aha_moments="I can say no")
    SessionFactory(program=program, number=2, status=Session.Status.CANCELLED_COACH)
    consent_for(world)
    return program


def _keys(rows):
    for row in rows:
        for key, value in row.items():
            yield key
            if isinstance(value, list) and all(isinstance(item, dict) for item in value):
                yield from _keys(value)


def test_every_key_of_the_export_has_a_label(world):
    _world_with_everything(world)
    sections = data_export(user=world.client, practice=world.practice)
    keys = {key for section in sections for key in _keys(section["rows"])}
    assert keys, "the export should hold rows"
    assert keys <= set(FIELD_LABELS), sorted(keys - set(FIELD_LABELS))


def test_the_page_shows_labels_and_states_not_field_names_or_codes(world, client_for):
    _world_with_everything(world)
    page = export_page(client_for(world.client), world.practice)
    text = page.content.decode()
    for raw in ("full_name", "aha_moments", "cancelled_coach", "data_processing", "take_aways"):
        assert not re.search(rf">\s*{raw}\s*<", text), raw
    assert "Aha moments" in text and "I can say no" in text
    assert "Cancelled by the coach" in text


def test_the_page_reads_in_indonesian_for_an_indonesian_client(world):
    _world_with_everything(world)
    sections = data_export(user=world.client, practice=world.practice)
    with translation.override("id"):
        rows = [printable(s) for s in sections if s["key"] == "session_content"][0]["rows"]
        labels = [str(label) for label, _v, _n in rows[0]]
    assert "Fokus sesi" in labels and "Momen aha" in labels
