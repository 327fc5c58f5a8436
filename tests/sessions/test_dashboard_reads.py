"""The client dashboard reads, decrypts and logs only what its panel shows.

The panel shows, per program: the next session (logistics), the client's open tasks, the
latest held session's shared check-out (its summary, #14) and the progress chart (the
objectives in force, by text, and their ratings), and nothing else: no check-in, no earlier
check-out, no done task, no coach's task, no rating of a retired objective. The
client reading their own record writes no access-log row (#11: it was 7 rows a view, 59 at
the outside run's scale); reads by anyone else are logged (tests/ethics).
"""

from collections import Counter
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ethics import crypto
from ethics.fields import encrypted_fields
from ethics.models import AccessEvent
from programs.models import Objective, Program
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
)
from tests.sessions.factories import (
    ObjectiveFactory,
    RatingFactory,
    SessionFactory,
    held_session,
    program_for,
)


def _build(world):
    """Two held sessions with every part, one upcoming session, two objectives in force and
    one retired. Session 1's client task is done; session 2's is open."""
    program = program_for(world)
    in_force = [
        ObjectiveFactory(program=program, text="Delegate the weekly report"),
        ObjectiveFactory(program=program, text="Speak first in the board meeting"),
    ]
    retired = ObjectiveFactory(program=program, text="Retired objective text", is_retired=True)
    first = held_session(program, 1, days_ago=14, objectives=in_force)
    second = held_session(program, 2, days_ago=7, objectives=in_force)
    RatingFactory(session=second, objective=retired, score=3)
    ActionItem.objects.filter(session=first, assignee=ActionItem.Assignee.CLIENT).update(
        done_at=timezone.now()
    )
    upcoming = SessionFactory(program=program, number=3, place="Ruang Anggrek")
    return program, in_force, second, upcoming


def _url(world):
    return reverse("dashboard_client", args=[world.practice.slug])


def _get(browser, url):
    """One GET: the page and the access events it wrote."""
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = browser.get(url)
    assert response.status_code == 200
    events = list(AccessEvent.objects.exclude(pk__in=before))
    return response.content.decode(), events


def _expected(in_force, second):
    """What the panel shows, as (label, object id): the open client task of session 2, the
    two objectives in force and their four ratings (session 2's check-out is not counted:
    the client's own reads are not logged anyway)."""
    task = ActionItem.objects.get(session=second, assignee=ActionItem.Assignee.CLIENT)
    ratings = ObjectiveRating.objects.filter(objective__in=in_force)
    return Counter(
        [("Session 2 task", str(task.pk))]
        + [("Objective", str(o.pk)) for o in in_force]
        + [(f"Session {r.session.number} rating", str(r.pk)) for r in ratings]
    )


def test_one_get_logs_exactly_what_the_client_panel_shows(world, client_for):
    _, in_force, second, _ = _build(world)
    browser = client_for(world.client)
    url = _url(world)

    body, events = _get(browser, url)

    # What shows: the next session's logistics, the open task, the objectives in force.
    assert "Ruang Anggrek" in body
    assert "Client task of session 2" in body
    assert "Delegate the weekly report" in body and "Speak first in the board meeting" in body
    # The latest summary (#14): session 2's check-out, shared with the client.
    assert "Take-away of session 2" in body
    # What does not: the done task, the coach's tasks, earlier summaries, check-ins, the
    # retired objective.
    for hidden in [
        "Client task of session 1",
        "Coach task of session",
        "Take-away of session 1",
        "Goal of session",
        "Retired objective text",
    ]:
        assert hidden not in body

    # The client reading their own record: no access-log row (#11; it was 7 here before:
    # 1 task + 2 objectives + 4 ratings), though the panel shows all seven and a check-out.
    assert events == []


def test_repeated_views_by_the_client_write_nothing(world, client_for):
    """The client's own views are not logged however often they look (#11): before, every
    view wrote the same 7 rows again (14 after two views)."""
    _build(world)
    browser = client_for(world.client)
    url = _url(world)

    _, first = _get(browser, url)
    _, again = _get(browser, url)

    assert first == again == []
    assert not AccessEvent.objects.filter(reader=world.client).exists()


def _columns(*models_and_skips):
    """'"table"."column"' of each encrypted field, as Django's SQL names a selected column."""
    quote = connection.ops.quote_name
    return {
        f"{quote(model._meta.db_table)}.{quote(field.column)}": f"{model.__name__}.{field.name}"
        for model, skip in models_and_skips
        for field in encrypted_fields(model)
        if field.name not in skip
    }


def _selected(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _mentioned(sqls, columns):
    return sorted({name for sql in sqls for column, name in columns.items() if column in sql})


def test_the_client_dashboard_selects_no_content_it_does_not_show(world, client_for):
    _build(world)
    sqls = _selected(client_for(world.client), _url(world))
    not_shown = _columns(
        (Program, ()),
        (Objective, ("text",)),  # the chart's legend
        (ActionItem, ("text",)),  # the open task
        (Preparation, ()),
        (CheckIn, ()),
        (ConversationNote, ()),
    )
    assert _mentioned(sqls, not_shown) == []
    quote = connection.ops.quote_name
    for model in (Preparation, CheckIn, ConversationNote):
        assert not [sql for sql in sqls if quote(model._meta.db_table) in sql], model
    # The check-out table is read once, for the latest held session only (#14's summary):
    # since #11 joined to the sessions' query under an alias, so the table is named once.
    check_out_reads = [sql for sql in sqls if quote(CheckOut._meta.db_table) in sql]
    assert len(check_out_reads) == 1


def test_the_coach_dashboard_selects_only_task_texts_and_logs_nothing(world, client_for):
    """The coach's dashboard lists open tasks (the clients' overdue ones, the coach's own, #14):
    their text is the only content it selects; the coach wrote them, so nothing is logged."""
    _build(world)
    before = AccessEvent.objects.count()
    url = reverse("dashboard_coach", args=[world.practice.slug])
    sqls = _selected(client_for(world.coach), url)
    every = _columns(
        *((model, ()) for model in (Program, Objective, Preparation, CheckIn, ConversationNote)),
        (ActionItem, ("text",)),
        *((model, ()) for model in (CheckOut, ObjectiveRating)),
    )
    assert _mentioned(sqls, every) == []
    assert AccessEvent.objects.count() == before


def test_the_client_dashboard_decrypts_only_what_it_shows(world, client_for):
    """Eight encrypted values show: the open task's text, the two objectives' texts and the
    five fields of the latest check-out (the summary, #14)."""
    _build(world)
    browser = client_for(world.client)
    browser.get(_url(world))  # warm up the signed-in session
    # A spy, not a stub: it counts decryptions and still decrypts.
    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        assert browser.get(_url(world)).status_code == 200
    assert decrypt.call_count == 8


def test_the_latest_held_session_is_chosen_in_the_join_only(world, client_for):
    """Which session's check-out is the summary (the latest held one) is decided in the
    check-out's join condition and nowhere else (#11, g-sess4): the sessions' query selected
    it as a column too, its subquery built and compiled a second time and never read. The
    summary is still the latest held session's, and only that one's check-out is read."""
    _build(world)
    browser = client_for(world.client)
    browser.get(_url(world))  # warm up the signed-in session
    sqls = _selected(browser, _url(world))
    quote = connection.ops.quote_name
    (sessions_query,) = [sql for sql in sqls if quote(CheckOut._meta.db_table) in sql]
    assert quote("gate_parts_of") not in sessions_query
    body = browser.get(_url(world)).content.decode()
    assert "Take-away of session 2" in body
    assert "Take-away of session 1" not in body
