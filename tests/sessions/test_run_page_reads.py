"""The session page's "Last time" shows the previous check-out's take-aways and new behaviours
only: its other texts are neither selected nor decrypted (#11, g-sess6); the preparation page
still shows them all. The preparation comes with the session: no query of its own."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.accounts.models import User
from programs.models import Objective, Program
from sessions.models import (
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Session,
)
from tests.ethics.helpers import json_row_columns, json_rows
from tests.sessions.factories import (
    CheckOutFactory,
    ObjectiveFactory,
    SessionFactory,
    program_for,
)


def _previous_and_next(world):
    program = program_for(world)
    previous = SessionFactory(program=program, number=1, status="held")
    CheckOutFactory(
        session=previous,
        take_aways="took-away-1",
        new_behaviours="behaviour-1",
        confirmations="confirmed-1",
        aha_moments="aha-1",
        insights="insight-1",
    )
    return SessionFactory(program=program, number=2)


def test_the_session_page_reads_two_texts_of_the_previous_check_out(world, client_for):
    upcoming = _previous_and_next(world)
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    with CaptureQueriesContext(connection) as queries:
        page = client_for(world.coach).get(url).content.decode()
    assert "took-away-1" in page and "behaviour-1" in page
    assert "confirmed-1" not in page and "aha-1" not in page and "insight-1" not in page
    # The previous session's check-out, a JSON row nested in the previous session's, in the
    # session page's read of its session (ethics.access.get_session_for_writing).
    (read,) = [q["sql"] for q in queries.captured_queries if "gate_previous" in q["sql"]]
    columns = json_row_columns(read, CheckOut)
    # The current session's own check-out is read whole (the page edits it); the previous
    # one's texts are only the two shown: the JSON rows of the check-out table, each apart.
    rows = json_rows(read, CheckOut)
    assert len(rows) == 2
    last = min(rows, key=len)
    assert "take_aways" in last and "new_behaviours" in last
    for name in ("confirmations", "aha_moments", "insights"):
        assert name not in last, name
        assert name in columns  # in the current session's check-out only
    # The preparation is read with the session, not from its own table's query.
    prep_table = connection.ops.quote_name(Preparation._meta.db_table)
    assert not any(q["sql"].startswith(f"SELECT {prep_table}.") for q in queries.captured_queries)


def test_the_preparation_page_still_shows_every_text(world, client_for):
    upcoming = _previous_and_next(world)
    url = reverse("session_prepare", args=[world.practice.slug, upcoming.code])
    page = client_for(world.coach).get(url).content.decode()
    for text in ("took-away-1", "behaviour-1", "confirmed-1", "aha-1", "insight-1"):
        assert text in page, text


def test_the_session_page_heads_with_the_client_name_without_joining_the_client(world, client_for):
    """The head names the program's client; the session read takes their name in a subquery,
    not a join of accounts_user (#11, g-sess7: PostgreSQL planned the joined query in 1.8 ms at
    the bench's scale 1, 1.2 ms with the subquery)."""
    upcoming = _previous_and_next(world)
    world.client.full_name = "Kirana Wibisono-Head"
    world.client.save(update_fields=["full_name"])
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    with CaptureQueriesContext(connection) as queries:
        page = client_for(world.coach).get(url).content.decode()
    head = page.split('<p class="text-muted">', 1)[1].split("</p>", 1)[0]
    assert head.startswith("Kirana Wibisono-Head · ")
    session_table = connection.ops.quote_name(Session._meta.db_table)
    user_table = connection.ops.quote_name(User._meta.db_table)
    (read,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(f"SELECT {session_table}.") and "gate_processing_consent" in q["sql"]
    ]
    assert f"JOIN {user_table}" not in read
    # The preparation page still heads with the name too.
    prepare = reverse("session_prepare", args=[world.practice.slug, upcoming.code])
    page = client_for(world.coach).get(prepare).content.decode()
    assert page.split('<p class="text-muted">', 1)[1].startswith("Kirana Wibisono-Head · ")


def test_the_session_page_reads_no_column_it_does_not_show(world, client_for):
    """#11, g-sess7: of the session, its program, its parts, the previous session and the tasks,
    no code or timestamp the page does not show is selected (each column is compiled and
    converted per request); the page still shows the previous session's number and date."""
    upcoming = _previous_and_next(world)
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    with CaptureQueriesContext(connection) as queries:
        page = client_for(world.coach).get(url).content.decode()
    last_time = page.split('data-testid="last-time"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Session 1 · \d{1,2} \w{3} \d{4}</p>", last_time)
    session_table = connection.ops.quote_name(Session._meta.db_table)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for sql in reads:
        if f"FROM {session_table}" in sql:
            for column in ("status_changed_at", "created_at", "video_link"):
                assert f'{session_table}."{column}"' not in sql, column
    (read,) = [sql for sql in reads if "gate_processing_consent" in sql]
    # The session's parts, JSON rows (ethics.access.get_session_for_writing).
    for model in (Preparation, CheckIn, ConversationNote, CheckOut):
        columns = json_row_columns(read, model)
        assert {"id", "author_id", "scope"} <= columns, model.__name__
        for column in ("code", "created_at", "updated_at"):
            assert column not in columns, (model.__name__, column)
    last = min(json_rows(read, CheckOut), key=len)  # the previous session's (two texts)
    for column in ("code", "created_at", "updated_at", "completed_at"):
        assert column not in last, column
    assert json_rows(read, Session) == [
        {"id", "code", "program_id", "number", "starts_at", "status", "check_out"}
    ]
    # The program is the coach's (read with the session): not joined again for the previous
    # session (g-sess7), whose subquery is by the session's program_id.
    assert read.count("JOIN " + connection.ops.quote_name(Program._meta.db_table)) == 1


def test_the_session_page_reads_the_objectives_and_ratings_without_joining_the_program(
    world, client_for
):
    """#11, g-sess7: the program is the coach's (the gate read it with the session), so its
    objectives in force come by its id with their ratings at this session, in one query that
    does not join the program again; the form still labels each objective with its text and
    shows its rating."""
    upcoming = _previous_and_next(world)
    objective = ObjectiveFactory(program=upcoming.program, text="Delegate-cnry")
    ObjectiveFactory(program=upcoming.program, text="Retired-cnry", is_retired=True)
    ObjectiveRating.objects.create(
        session=upcoming, objective=objective, author=world.coach, score=7
    )
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    with CaptureQueriesContext(connection) as queries:
        page = client_for(world.coach).get(url).content.decode()
    assert "Objective 1: Delegate-cnry" in page and "Retired-cnry" not in page
    assert f'name="objective_{objective.pk}" value="7"' in page
    objective_table = connection.ops.quote_name(Objective._meta.db_table)
    (read,) = [q["sql"] for q in queries.captured_queries if f"FROM {objective_table}" in q["sql"]]
    assert "JOIN " + connection.ops.quote_name(Program._meta.db_table) not in read
