"""Reschedule requests (#13 item 2): the client or coach asks to move a session with proposed
times and a reason from a list; an admin or scheduler accepts (the session moves, numbering
stays gapless) or refuses, under the cancellation policy; the outbox tells people, without
content."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.notifications.models import Reminder
from programs.models import ContractVersion
from sessions import rescheduling
from sessions.models import RescheduleRequest, Session
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
FEB_20 = datetime(2027, 2, 20, 9, 0, tzinfo=JAKARTA)


def _numbers(program):
    return list(
        program.sessions.filter(status__in=["scheduled", "held"])
        .order_by("starts_at")
        .values_list("number", flat=True)
    )


def test_a_client_asks_and_the_scheduler_moves_the_session_keeping_numbers_gapless(
    world, client_for
):
    program = builders.program(world, sessions=3)  # 5, 19 Jan, 2 Feb
    first = program.sessions.get(number=1)
    browser = client_for(world.client)
    url = reverse("session_move_request", args=[world.practice.slug, first.code])
    assert browser.get(url).status_code == 200
    response = browser.post(
        url, {"reason": "travel", "time_1": "2027-02-20T09:00", "time_2": "2027-02-21T10:00"}
    )
    assert response.status_code == 302
    request = RescheduleRequest.objects.get()
    assert (request.side, request.reason, request.status) == ("client", "travel", "pending")
    # The admin and the scheduler hear of it; the row says only the session's number.
    told = Reminder.objects.filter(kind="reschedule_requested")
    assert {r.recipient for r in told} == {world.admin, world.scheduler}
    assert {r.object_label for r in told} == {"1"}

    staff = client_for(world.scheduler)
    listing = staff.get(reverse("reschedule_request_list", args=[world.practice.slug]))
    assert "Travel" in listing.content.decode()
    staff.post(
        reverse("reschedule_request_accept", args=[world.practice.slug, request.code]),
        {"choice": "1", "confirm_close_spacing": "on"},
    )
    request.refresh_from_db()
    assert request.status == "accepted"
    assert request.decided_by == world.scheduler
    first.refresh_from_db()
    assert first.status == Session.Status.RESCHEDULED
    assert first.rescheduled_to.starts_at == datetime(2027, 2, 21, 10, 0, tzinfo=JAKARTA)
    assert _numbers(program) == [1, 2, 3]  # the moved one is now the third
    assert first.rescheduled_to.number == 3
    answer = Reminder.objects.get(kind="reschedule_answered")
    assert (answer.recipient, answer.occasion) == (world.client, "answer:accepted")


def test_a_refusal_leaves_the_session_and_tells_the_coach_who_asked(world, client_for):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    request = rescheduling.reschedule_request_create(
        session=session, actor=world.coach, reason="health", times=[FEB_20]
    )
    assert request.side == "coach"
    client_for(world.admin).post(
        reverse("reschedule_request_refuse", args=[world.practice.slug, request.code])
    )
    request.refresh_from_db()
    session.refresh_from_db()
    assert request.status == "refused"
    assert session.status == Session.Status.SCHEDULED
    answer = Reminder.objects.get(kind="reschedule_answered")
    assert (answer.recipient, answer.occasion) == (world.coach, "answer:refused")


def test_a_time_in_the_past_is_refused_with_the_input_kept(world, client_for):
    session = builders.program(world, sessions=1).sessions.get()
    browser = client_for(world.client)
    response = browser.post(
        reverse("session_move_request", args=[world.practice.slug, session.code]),
        {"reason": "work", "time_1": "2020-01-01T09:00"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A proposed time is in the past" in body
    assert 'value="2020-01-01T09:00"' in body
    assert not RescheduleRequest.objects.exists()


def test_a_reason_outside_the_list_is_refused(world, client_for):
    session = builders.program(world, sessions=1).sessions.get()
    response = client_for(world.client).post(
        reverse("session_move_request", args=[world.practice.slug, session.code]),
        {"reason": "I had a fight with my boss", "time_1": "2027-02-20T09:00"},
    )
    assert response.status_code == 200
    assert not RescheduleRequest.objects.exists()


def test_one_open_request_per_session(world):
    session = builders.program(world, sessions=1).sessions.get()
    rescheduling.reschedule_request_create(
        session=session, actor=world.client, reason="work", times=[FEB_20]
    )
    with pytest.raises(ValidationError, match="already waiting"):
        rescheduling.reschedule_request_create(
            session=session, actor=world.coach, reason="work", times=[FEB_20]
        )


def test_a_late_request_by_the_client_cannot_move_the_session_for_free(world):
    program = builders.program(world, sessions=1)  # 5 Jan 2027 09:00, 24 h notice
    session = program.sessions.get()
    with time_machine.travel(session.starts_at - timedelta(hours=3)):
        request = rescheduling.reschedule_request_create(
            session=session, actor=world.client, reason="health", times=[FEB_20]
        )
        assert request.late
        with pytest.raises(ValidationError, match="later than the contract's notice"):
            rescheduling.reschedule_request_accept(request=request, actor=world.admin, choice=0)
    request.refresh_from_db()
    session.refresh_from_db()
    assert (request.status, session.status) == ("pending", Session.Status.SCHEDULED)


def test_a_late_request_is_free_when_the_contract_says_late_cancellation_costs_nothing(world):
    program = builders.program(world, sessions=1)
    ContractVersion.objects.filter(contract=program.contract).update(
        late_cancellation_uses_session=False
    )
    session = program.sessions.get()
    with time_machine.travel(session.starts_at - timedelta(hours=3)):
        request = rescheduling.reschedule_request_create(
            session=session, actor=world.client, reason="health", times=[FEB_20]
        )
        assert not request.late
        rescheduling.reschedule_request_accept(request=request, actor=world.admin, choice=0)
    request.refresh_from_db()
    assert request.status == "accepted"


def test_a_move_into_a_clash_is_refused_and_the_request_stays_open(world):
    program = builders.program(world, sessions=2)  # 5 and 19 Jan, 09:00
    first, second = program.sessions.order_by("number")
    request = rescheduling.reschedule_request_create(
        session=first, actor=world.client, reason="work", times=[second.starts_at]
    )
    with pytest.raises(ValidationError, match="Double booking"):
        rescheduling.reschedule_request_accept(
            request=request, actor=world.admin, choice=0, confirm_close_spacing=True
        )
    request.refresh_from_db()
    assert request.status == "pending"
    assert program.sessions.count() == 2


def test_only_the_sessions_client_or_coach_may_ask(world):
    session = builders.program(world, sessions=1).sessions.get()
    with pytest.raises(ValidationError):
        rescheduling.reschedule_request_create(
            session=session, actor=world.sponsor, reason="work", times=[FEB_20]
        )


def test_the_clients_next_session_offers_to_ask_for_a_move(world, client_for):
    session = builders.program(world, sessions=1).sessions.get()
    page = client_for(world.client).get(reverse("client_coaching", args=[world.practice.slug]))
    assert (
        reverse("session_move_request", args=[world.practice.slug, session.code])
        in page.content.decode()
    )


def test_the_clients_export_lists_the_requests_to_move_their_sessions(world):
    from ethics.exports import data_export, printable

    session = builders.program(world, sessions=1).sessions.get()
    rescheduling.reschedule_request_create(
        session=session, actor=world.client, reason="travel", times=[FEB_20]
    )
    sections = {s["key"]: s for s in data_export(user=world.client, practice=world.practice)}
    rows = sections["move_requests"]["rows"]
    assert [(r["number"], r["asked_by"], r["reason"], r["status"]) for r in rows] == [
        (1, "client", "travel", "pending")
    ]
    [proposed] = rows[0]["proposed_times"]
    assert datetime.fromisoformat(proposed["starts_at"]) == FEB_20
    words = printable(sections["move_requests"])
    assert "Travel" in str(words)
