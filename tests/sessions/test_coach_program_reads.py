"""The coach's page of a program decrypts only what it shows (#11, g-coach2): the check-in's
goal and whether each note stayed on the theme, not the notes' text or the rest of the
check-in."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.access import PracticeAccess, Role
from coaching.vocabulary import Scope
from ethics import access as gate
from programs.models import Objective, Program
from session_templates.models import SessionClock
from sessions.models import ActionItem, CheckIn, ConversationNote, ObjectiveRating, Session
from tests.sessions.factories import (
    ActionItemFactory,
    ObjectiveFactory,
    RatingFactory,
    held_session,
    program_for,
)


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


def test_the_page_joins_each_sessions_clock_and_reads_only_the_columns_it_shows(world, client_for):
    """#11, g-sess7: the clock LEFT JOINed once (it was five subqueries, one per field, each
    built and compiled per request), and of each session and part only what the table, the
    chart and the access log read."""
    program = program_for(world)
    first = held_session(program, 1, days_ago=14)
    held_session(program, 2, days_ago=7)
    start = first.starts_at
    SessionClock.objects.create(
        session=first,
        check_in_started_at=start,
        check_in_ended_at=start + timedelta(minutes=7, seconds=5),
        check_out_started_at=start + timedelta(minutes=40),
        check_out_ended_at=start + timedelta(minutes=52),
    )
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    with CaptureQueriesContext(connection) as queries:
        body = client_for(world.coach).get(url).content.decode()
    lengths = body.split('data-testid="clock-lengths">')
    assert lengths[1].startswith("7:05 / 12:00</td>")  # session 1
    assert lengths[2].startswith("</td>")  # session 2: no clock
    clock_table = connection.ops.quote_name(SessionClock._meta.db_table)
    (read,) = [q["sql"] for q in queries.captured_queries if "visible_check_in" in q["sql"]]
    assert f"LEFT OUTER JOIN {clock_table}" in read
    assert f"FROM {clock_table}" not in read  # no subquery
    session_table = connection.ops.quote_name(Session._meta.db_table)
    for column in ("status_changed_at", "created_at", "video_link", "place"):
        assert f'{session_table}."{column}"' not in read, column
    for part in ("note", "check_in"):
        for column in ("code", "created_at", "updated_at"):
            assert _column(part, column) not in read, (part, column)
    # The program is the coach's (coached_program_for): not joined again (g-sess7).
    assert "JOIN " + connection.ops.quote_name(Program._meta.db_table) not in read


def test_the_programs_tasks_objectives_and_ratings_are_read_by_its_id(world, client_for):
    """#11, g-sess7: the program is the coach's (coached_program_for read it through the gate),
    so its open tasks, objectives in force and ratings are read by its id under the coach's
    rule, without joining the program again. Another author's private task stays unread; a
    done task and a retired objective are not shown."""
    program = program_for(world)
    objective = ObjectiveFactory(program=program, text="Delegate-cnry")
    ObjectiveFactory(program=program, text="Retired-cnry", is_retired=True)
    session = held_session(program, 1, days_ago=7, objectives=[objective], content=False)
    ActionItemFactory(session=session, text="Open-cnry", assignee="client")
    ActionItemFactory(session=session, text="Done-cnry", assignee="client", done_at=timezone.now())
    ActionItemFactory(
        session=session, text="Private-cnry", author=world.other_coach, scope=Scope.PRIVATE
    )
    RatingFactory(session=session, objective=objective, score=6)
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    with CaptureQueriesContext(connection) as queries:
        body = client_for(world.coach).get(url).content.decode()
    assert "Open-cnry" in body and "Delegate-cnry" in body
    for hidden in ("Done-cnry", "Private-cnry", "Retired-cnry"):
        assert hidden not in body, hidden
    program_table = connection.ops.quote_name(Program._meta.db_table)
    for model in (ActionItem, Objective, ObjectiveRating):
        table = connection.ops.quote_name(model._meta.db_table)
        (read,) = [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]
        assert f"JOIN {program_table}" not in read, model.__name__


def test_only_the_programs_coach_reads_its_content_by_its_id(world):
    program = program_for(world)
    other = PracticeAccess(
        user=world.other_coach, practice=world.practice, roles=frozenset({Role.COACH})
    )
    with pytest.raises(PermissionDenied):
        gate.coached_program_content(other, ActionItem, program)
    with pytest.raises(PermissionDenied):
        gate.objectives_of_coached_program(other, program)
    with pytest.raises(PermissionDenied):
        gate.sessions_with_parts(
            other, Session.objects.all(), role=Role.COACH, parts=["note"], coached=program
        )
