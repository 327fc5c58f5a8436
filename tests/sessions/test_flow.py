"""The coach prepares, runs and closes a session; the client ticks a task; the coach sees it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from ethics import access as gate
from sessions.models import Session
from tests.sessions.factories import ObjectiveFactory, SessionFactory, program_for

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def _url(name, world, *args):
    return reverse(name, args=[world.practice.slug, *args])


@time_machine.travel(NOW, tick=False)
def test_coach_prepares_runs_and_closes_a_session_and_client_ticks_a_task(world, client_for):
    program = program_for(world)
    objective = ObjectiveFactory(program=program, text="Delegate the weekly report")
    first = SessionFactory(program=program, number=1, starts_at=NOW - timedelta(minutes=5))
    second = SessionFactory(program=program, number=2, starts_at=NOW + timedelta(days=14))

    coach = client_for(world.coach)
    response = coach.post(
        _url("session_prepare", world, first.code), {"reflection": "Stay curious"}
    )
    assert response.status_code == 302
    assert "Stay curious" in coach.get(_url("session_prepare", world, first.code)).text

    part = lambda name: _url("session_part_save", world, first.code, name)  # noqa: E731
    # htmx: the part comes back as a partial
    response = coach.post(
        part("check_in"),
        {"client_readiness": 8, "coach_readiness": 9, "goal": "Plan the handover"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="part-check_in"' in response.text and "<html" not in response.text
    # without JavaScript: redirect back to the page
    response = coach.post(part("note"), {"text": "Talked about trust", "on_theme": "yes"})
    assert response.status_code == 302
    response = coach.post(
        part("task"),
        {
            "task-assignee": "client",
            "task-text": "Write the handover list",
            "task-due_on": "2026-03-17",
        },
    )
    assert response.status_code == 302
    coach.post(part("task"), {"task-assignee": "coach", "task-text": "Send the article"})
    coach.post(part("check_out"), {"take_aways": "Trust is built in small steps"})
    coach.post(part("ratings"), {f"objective_{objective.pk}": "4"})
    response = coach.post(_url("session_mark_held", world, first.code))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Session.Status.HELD

    page = client_for(world.client).get(_url("client_coaching", world))
    assert "Write the handover list" in page.text
    assert "Trust is built in small steps" in page.text
    assert "Send the article" in page.text  # in the session summary, the coach's task too
    task = next(
        t for t in page.context["programs"][0]["open_tasks"] if t.text == "Write the handover list"
    )
    response = client_for(world.client).post(
        _url("action_item_done", world, task.code), {"comment": "Done on Friday"}
    )
    assert response.status_code == 302

    page = client_for(world.coach).get(_url("session_prepare", world, second.code))
    assert "Write the handover list" in page.text
    assert "Done on Friday" in page.text
    assert "Trust is built in small steps" in page.text
    done = {t.text: t.done_at is not None for t in page.context["previous_tasks"]}
    assert done == {"Write the handover list": True, "Send the article": False}


@time_machine.travel(NOW, tick=False)
def test_a_validation_error_keeps_the_input(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=NOW)
    url = _url("session_part_save", world, session.code, "note")
    data = {"text": "Keep this text please", "on_theme": "no"}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client_for(world.coach).post(url, data, **headers)
        assert response.status_code == 200
        assert "Keep this text please" in response.text
        assert "Say why the session left the theme." in response.text
    assert not gate.notes_visible_to(_coach_access(world)).exists()

    response = client_for(world.coach).post(
        _url("session_part_save", world, session.code, "check_in"), {"client_readiness": 11}
    )
    assert response.status_code == 200
    assert 'value="11"' in response.text


def _coach_access(world):
    from coaching.access import PracticeAccess

    return PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({"coach"}))


@time_machine.travel(NOW, tick=False)
def test_a_drifted_session_offers_to_revise_the_theme(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=NOW)
    client_for(world.coach).post(
        _url("session_part_save", world, session.code, "note"),
        {"text": "x", "on_theme": "partly", "drift_reason": "circumstances"},
    )
    page = client_for(world.coach).get(_url("session_run", world, session.code))
    assert "left the program" in page.text
    program_page = client_for(world.coach).get(_url("coach_program", world, session.program.code))
    assert "New circumstances" in program_page.text


@time_machine.travel(NOW, tick=False)
def test_a_future_session_cannot_be_marked_held(world, client_for):
    session = SessionFactory(program=program_for(world), starts_at=NOW + timedelta(days=1))
    client_for(world.coach).post(_url("session_mark_held", world, session.code))
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


@time_machine.travel(NOW, tick=False)
def test_a_task_cannot_be_ticked_twice(world, client_for):
    from tests.sessions.factories import ActionItemFactory

    item = ActionItemFactory(session=SessionFactory(program=program_for(world)))
    url = _url("action_item_done", world, item.code)
    client_for(world.client).post(url, {"comment": "first"})
    client_for(world.client).post(url, {"comment": "second"})
    item.refresh_from_db()
    assert item.done_comment == "first"


def test_next_session_number_follows_the_last(world):
    from sessions.services import session_next_number

    program = program_for(world)
    assert session_next_number(program=program) == 1
    SessionFactory(program=program, number=4)
    assert session_next_number(program=program) == 5


@time_machine.travel(NOW, tick=False)
def test_the_client_sees_the_next_session_in_their_time_zone(world, client_for):
    world.client.timezone = "Asia/Jayapura"  # UTC+9, two hours ahead of Jakarta
    world.client.save()
    SessionFactory(
        program=program_for(world),
        starts_at=datetime(2026, 3, 12, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")),
        video_link="https://meet.example/abc",
    )
    page = client_for(world.client).get(_url("client_coaching", world))
    assert "12:00" in page.text and "Asia/Jayapura" in page.text
    assert "https://meet.example/abc" in page.text


@time_machine.travel(NOW, tick=False)
def test_a_client_without_a_time_zone_sees_the_practice_time_zone(world, client_for):
    world.client.timezone = ""
    world.client.save()
    SessionFactory(program=program_for(world), starts_at=NOW + timedelta(days=1))
    page = client_for(world.client).get(_url("client_coaching", world))
    assert page.status_code == 200


def test_the_progress_chart_keeps_svg_numbers_in_indonesian(world, client_for):
    from tests.sessions.factories import held_session

    world.client.language = "id"
    world.client.save()
    program = program_for(world)
    objectives = [ObjectiveFactory(program=program)]
    held_session(program, 1, days_ago=14, objectives=objectives)
    held_session(program, 2, days_ago=7, objectives=objectives)
    browser = client_for(world.client)
    page = browser.get(_url("client_coaching", world), HTTP_ACCEPT_LANGUAGE="id")
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert "<polyline" in svg and ',0"' not in svg and "36.0," in svg


@time_machine.travel(NOW, tick=False)
def test_notes_of_a_cancelled_session_cannot_be_written(world, client_for):
    session = SessionFactory(
        program=program_for(world), starts_at=NOW, status=Session.Status.CANCELLED_COACH
    )
    url = _url("session_part_save", world, session.code, "check_in")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client_for(world.coach).post(url, {"goal": "Kept goal"}, **headers)
        assert response.status_code == 200
        assert "did not take place" in response.text and "Kept goal" in response.text
    assert not gate.check_ins_visible_to(_coach_access(world)).exists()


@time_machine.travel(NOW, tick=False)
def test_a_new_coach_cannot_open_the_previous_coachs_private_notes(world, client_for):
    from tests.sessions.factories import NoteFactory

    program = program_for(world)
    session = SessionFactory(program=program, starts_at=NOW)
    NoteFactory(session=session, text="old coach's private note")
    program.coach = world.other_coach
    program.save()
    response = client_for(world.other_coach).get(_url("session_run", world, session.code))
    assert response.status_code == 403


def test_the_coach_ticks_their_own_task_from_the_client_page(world, client_for):
    from sessions.models import ActionItem
    from tests.sessions.factories import ActionItemFactory

    program = program_for(world)
    item = ActionItemFactory(
        session=SessionFactory(program=program),
        text="Send the article",
        assignee=ActionItem.Assignee.COACH,
    )
    response = client_for(world.coach).post(_url("action_item_done", world, item.code))
    assert response["Location"] == _url("coach_program", world, program.code)
    assert "Send the article" not in client_for(world.coach).get(response["Location"]).text
    # and the client may not tick the coach's task
    other = ActionItemFactory(session=item.session, assignee=ActionItem.Assignee.COACH)
    assert (
        client_for(world.client).post(_url("action_item_done", world, other.code)).status_code
        == 403
    )


@time_machine.travel(NOW, tick=False)
def test_each_form_on_the_run_page_carries_one_csrf_token(world, client_for):
    program = program_for(world)
    ObjectiveFactory(program=program)
    session = SessionFactory(program=program, number=1, starts_at=NOW - timedelta(minutes=5))
    page = client_for(world.coach).get(_url("session_run", world, session.code)).text
    forms = page.split("<form")[1:]
    assert forms
    assert [form.split("</form>")[0].count("csrfmiddlewaretoken") for form in forms] == [1] * len(
        forms
    )


def test_readiness_boxes_carry_the_scale_so_the_browser_refuses_eleven(world, client_for):
    program = program_for(world)
    session = SessionFactory(program=program, number=1, starts_at=NOW - timedelta(minutes=5))
    with time_machine.travel(NOW, tick=False):
        page = client_for(world.coach).get(_url("session_run", world, session.code)).text
    for name in ("client_readiness", "coach_readiness"):
        tag = page[page.index(f'name="{name}"') :].split(">", 1)[0]
        assert 'min="1"' in tag and 'max="10"' in tag, tag
