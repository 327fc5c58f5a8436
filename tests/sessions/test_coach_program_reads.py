"""The coach's page of a program decrypts only what it shows (#11, g-coach2): the check-in's
goal and whether each note stayed on the theme, not the notes' text or the rest of the
check-in."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import CheckIn, ConversationNote
from tests.sessions.factories import held_session, program_for


def _column(part, name):
    """A part's column as the page's query names it: the part is joined under the alias
    visible_<part> (ethics.access.sessions_with_parts)."""
    return f'visible_{part}."{name}"'


def test_the_coachs_program_page_shows_goals_without_reading_the_notes_text(world, client_for):
    program = program_for(world)
    held_session(program, 1, days_ago=14)
    held_session(program, 2, days_ago=7)
    browser = client_for(world.coach)
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Goal of session 1" in body and "Goal of session 2" in body
    assert "Note of session" not in body
    sqls = " ".join(q["sql"] for q in queries.captured_queries)
    assert _column("check_in", "goal") in sqls and _column("note", "on_theme") in sqls
    for part, name in (("note", "text"), ("check_in", "since_last_time"), ("check_in", "agenda")):
        assert _column(part, name) not in sqls, (part, name)
    # and nowhere else on the page
    for model in (CheckIn, ConversationNote):
        assert connection.ops.quote_name(model._meta.db_table) + "." not in sqls
