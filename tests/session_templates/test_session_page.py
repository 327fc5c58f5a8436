"""The session page follows the program's template (#17) and keeps time (#14)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from session_templates.models import SessionClock
from sessions.models import CheckIn, Session
from tests.session_templates.helpers import Kind, coach_template, use
from tests.sessions.factories import (
    ActionItemFactory,
    ObjectiveFactory,
    SessionFactory,
    held_session,
    program_for,
)

pytestmark = pytest.mark.django_db


def _run(world, client_for, session, **headers):
    url = reverse("session_run", args=[world.practice.slug, session.code])
    return client_for(world.coach).get(url, **headers).content.decode()


def _positions(page, markers):
    return [page.index(marker) for marker in markers]


PART_IDS = ['id="part-check_in"', 'id="part-note"', 'id="part-task"', 'id="part-check_out"']


def test_a_program_without_a_template_keeps_the_six_parts_in_their_order(world, client_for):
    program = program_for(world)
    ObjectiveFactory(program=program)
    session = SessionFactory(program=program, number=2)
    page = _run(world, client_for, session)
    positions = _positions(page, [*PART_IDS, 'id="part-ratings"'])
    assert positions == sorted(positions)
    assert "time box 5–15 minutes" in page
    assert "about 15 minutes" in page
    assert "Session template:" not in page


def test_the_coachs_template_orders_the_parts_titles_prompts_and_time_box(world, client_for):
    program = program_for(world)
    template = coach_template(
        world,
        order=[
            Kind.CHECK_IN,
            Kind.CHECK_OUT,
            (Kind.EXTRA, "Body scan"),
            Kind.NOTE,
            Kind.TASK,
        ],
        check_in=(5, 10),
        prompts={Kind.CHECK_IN: "What is alive for you today?"},
    )
    use(program, template)
    session = SessionFactory(program=program, number=2)
    page = _run(world, client_for, session)
    order = [
        'id="part-check_in"',
        'id="part-check_out"',
        'id="part-extra-3"',
        'id="part-note"',
        'id="part-task"',
    ]
    positions = _positions(page, order)
    assert positions == sorted(positions)
    assert "Body scan" in page
    assert 'id="part-ratings"' not in page  # the coach's model has no rating part
    assert "What is alive for you today?" in page
    assert "What has happened since last time?" not in page  # the standard prompt replaced
    assert "time box 5–10 minutes" in page
    assert "Session template: Model of the world&#x27;s coach" in page


def test_prompts_follow_the_readers_language(world, client_for):
    program = program_for(world)
    template = coach_template(
        world,
        order=[Kind.CHECK_IN, Kind.NOTE, Kind.CHECK_OUT],
        prompts={Kind.CHECK_IN: "How are you arriving?", "check_in_id": "Bagaimana kabarmu?"},
    )
    use(program, template)
    session = SessionFactory(program=program, number=2)
    world.coach.language = "id"
    world.coach.save()
    page = _run(world, client_for, session, HTTP_ACCEPT_LANGUAGE="id")
    assert "Bagaimana kabarmu?" in page
    assert "How are you arriving?" not in page


def test_the_first_session_opens_with_the_confidentiality_reminder(world, client_for):
    program = program_for(world)
    first = SessionFactory(program=program, number=1)
    second = SessionFactory(program=program, number=2)
    assert 'data-testid="confidentiality-reminder"' in _run(world, client_for, first)
    assert 'data-testid="confidentiality-reminder"' not in _run(world, client_for, second)


def test_last_time_is_at_hand_on_the_session_page(world, client_for):
    program = program_for(world)
    held_session(program, 1, days_ago=28)
    previous = held_session(program, 2, days_ago=14)
    ActionItemFactory(session=previous, text="Call the finance lead", due_on=None)
    session = SessionFactory(program=program, number=3)
    page = _run(world, client_for, session)
    last = page[page.index('id="last-time"') :]
    assert "Take-away of session 2" in last
    assert "Call the finance lead" in last
    assert "Client task of session 1" in last  # still open from earlier


# The clock -------------------------------------------------------------------------------------


def _clock(world, client_for, session, event, **headers):
    url = reverse("session_clock", args=[world.practice.slug, session.code, event])
    return client_for(world.coach).post(url, **headers)


def test_the_clock_records_the_check_ins_and_check_outs_lengths(world, client_for):
    program = program_for(world)
    session = SessionFactory(program=program, starts_at=timezone.now() - timedelta(minutes=2))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _clock(world, client_for, session, "check-in-start")
    with time_machine.travel(start + timedelta(minutes=9, seconds=30), tick=False):
        response = _clock(world, client_for, session, "check-in-end", HTTP_HX_REQUEST="true")
    assert "took 9:30" in response.content.decode()
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        _clock(world, client_for, session, "check-out-start")
    with time_machine.travel(start + timedelta(minutes=46), tick=False):
        _clock(world, client_for, session, "check-out-end")
    clock = SessionClock.objects.get(session=session)
    assert (clock.check_in_seconds, clock.check_out_seconds) == (570, 960)
    # The boxes in force are kept beside the record (the default: 5 to 15, about 15).
    assert (clock.check_in_min_minutes, clock.check_in_max_minutes) == (5, 15)
    assert clock.check_out_box_minutes == 15
    page = client_for(world.coach).get(
        reverse("coach_program", args=[world.practice.slug, program.code])
    )
    assert "9:30 / 16:00" in page.content.decode()


def test_a_second_click_keeps_the_first_time_and_ending_before_starting_is_refused(
    world, client_for
):
    session = SessionFactory(program=program_for(world))
    response = _clock(world, client_for, session, "check-in-end")
    assert response.status_code == 302
    assert not SessionClock.objects.filter(
        session=session, check_in_ended_at__isnull=False
    ).exists()
    _clock(world, client_for, session, "check-in-start")
    first = SessionClock.objects.get(session=session).check_in_started_at
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        _clock(world, client_for, session, "check-in-start")
    assert SessionClock.objects.get(session=session).check_in_started_at == first


def test_the_clock_of_a_cancelled_session_stays_closed(world, client_for):
    session = SessionFactory(program=program_for(world), status="cancelled_coach")
    _clock(world, client_for, session, "check-in-start")
    assert not SessionClock.objects.filter(session=session).exists()


def test_an_unknown_clock_event_is_404(world, client_for):
    session = SessionFactory(program=program_for(world))
    assert _clock(world, client_for, session, "lunch").status_code == 404


def test_the_coach_sees_their_pattern_of_check_ins(world, client_for):
    program = program_for(world)
    earlier = held_session(program, 1, days_ago=14, content=False)
    now = timezone.now() - timedelta(days=14)
    SessionClock.objects.create(
        session=earlier,
        started_at=now,
        check_in_started_at=now,
        check_in_ended_at=now + timedelta(minutes=12),
    )
    session = SessionFactory(program=program, number=2)
    page = _run(world, client_for, session)
    pattern = page[page.index("Your check-ins and check-outs with this client") :]
    assert "12:00" in pattern


# Saving as the coach goes ------------------------------------------------------------------------


def _save(world, client_for, session, part, data, **headers):
    url = reverse("session_part_save", args=[world.practice.slug, session.code, part])
    return client_for(world.coach).post(url, data, **headers)


AUTOSAVE = {"HTTP_HX_REQUEST": "true", "HTTP_X_AUTOSAVE": "1"}


def test_an_autosave_answers_with_the_saved_mark_only(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=timezone.now())
    response = _save(
        world, client_for, session, "check_in", {"goal": "Plan the handover"}, **AUTOSAVE
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#saved-check_in"
    body = response.content.decode()
    assert "Saved" in body and "<textarea" not in body
    page = _run(world, client_for, session)
    assert "Plan the handover" in page


def test_a_refused_autosave_shows_the_error_and_keeps_what_was_typed(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=timezone.now())
    response = _save(
        world,
        client_for,
        session,
        "check_in",
        {"goal": "Keep this goal", "client_readiness": "11"},
        **AUTOSAVE,
    )
    body = response.content.decode()
    assert "HX-Retarget" not in response
    assert "Keep this goal" in body
    assert "Ensure this value is less than or equal to 10." in body
    assert not CheckIn.objects.filter(session=session).exists()  # nothing saved


def test_a_save_with_the_button_shows_the_part_marked_saved(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=timezone.now())
    response = _save(
        world, client_for, session, "note", {"text": "x", "on_theme": "yes"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="part-note"' in body
    assert 'data-testid="saved-note"' in body


def test_the_pattern_names_each_session_by_its_number_read_with_the_clock(world, client_for):
    """#11, g-sess7: of each clock's session only its number is read, with the clock (no
    session row); the pattern's first column is that number."""
    program = program_for(world)
    earlier = held_session(program, 4, days_ago=14, content=False)
    start = timezone.now() - timedelta(days=14)
    SessionClock.objects.create(
        session=earlier,
        check_in_started_at=start,
        check_in_ended_at=start + timedelta(minutes=9, seconds=30),
    )
    session = SessionFactory(program=program, number=5)
    with CaptureQueriesContext(connection) as queries:
        page = _run(world, client_for, session)
    pattern = page[page.index("Your check-ins and check-outs with this client") :]
    assert "<tr><td>4</td><td>9:30</td><td>–</td></tr>" in pattern
    clock_table = connection.ops.quote_name(SessionClock._meta.db_table)
    session_table = connection.ops.quote_name(Session._meta.db_table)
    (read,) = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(f"SELECT {clock_table}.")
    ]
    selected = read.split(" FROM ", 1)[0]
    assert f'{session_table}."number"' in selected
    assert f'{session_table}."id"' not in selected
