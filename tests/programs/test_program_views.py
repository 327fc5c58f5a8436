from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import ChemistryMeeting, Program, Proposal
from sessions import scheduling
from sessions.models import Session
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def _url(url_name, world, **kwargs):
    return reverse(url_name, kwargs={"slug": world.practice.slug, **kwargs})


def _themed(world):
    program = builders.program(world, sessions=2)
    services.program_update_theme(
        program=program, actor=world.coach, reason="", theme="Secret theme", future_state="Calm"
    )
    return program


def test_the_coach_and_the_client_see_the_theme(world, client_for):
    program = _themed(world)
    for person in (world.coach, world.client):
        page = client_for(person).get(_url("program_detail", world, code=program.code))
        assert "Secret theme" in page.content.decode()


def test_the_admin_and_the_sponsor_see_logistics_but_never_the_theme(world, client_for):
    program = _themed(world)
    for person in (world.admin, world.sponsor):
        body = client_for(person).get(_url("program_detail", world, code=program.code))
        body = body.content.decode()
        assert "Secret theme" not in body
        assert "0 of 6 sessions used" in body


def test_another_coach_gets_404_for_the_program(world, client_for):
    program = _themed(world)
    response = client_for(world.other_coach).get(_url("program_detail", world, code=program.code))
    assert response.status_code == 404


def test_a_double_booking_in_the_schedule_form_names_the_clash(world, client_for):
    program = builders.program(world, sessions=1)
    response = client_for(world.admin).post(
        _url("program_schedule", world, code=program.code),
        {
            "first": "2027-01-05T09:30",
            "count": "1",
            "spacing_days": "30",
            "format": "video",
            "confirm_close_spacing": "on",
        },
    )
    assert response.status_code == 200
    assert "Double booking: Coach already has a session" in response.content.decode()
    assert program.sessions.count() == 1


def test_close_spacing_shows_the_confirmation_message(world, client_for):
    program = builders.program(world)
    response = client_for(world.admin).post(
        _url("program_schedule", world, code=program.code),
        {"first": "2027-01-05T09:00", "count": "2", "spacing_days": "3", "format": "video"},
    )
    assert "Tick the confirmation" in response.content.decode()
    assert program.sessions.count() == 0


def test_cancelling_late_in_the_page_uses_the_session(world, client_for):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    with time_machine.travel(datetime(2027, 1, 5, 1, tzinfo=JKT)):
        client_for(world.admin).post(
            _url("program_session_cancel", world, code=program.code, session_code=session.code),
            {"by": "client"},
        )
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED_CLIENT_LATE


def test_graduating_without_reviews_shows_the_message_and_changes_nothing(world, client_for):
    program = builders.program(world, sessions=6)
    services.objective_add(program=program, actor=world.coach, text="Delegate")
    builders.hold_all(program)
    response = client_for(world.coach).post(
        _url("program_graduate", world, code=program.code), {"summary": "Done"}
    )
    assert "Review every objective against the FSoB first" in response.content.decode()
    assert Program.objects.get().status == "active"


def test_an_unknown_transition_is_refused_with_a_message(world, client_for):
    program = builders.program(world)
    response = client_for(world.admin).post(
        _url("program_transition", world, code=program.code, name="explode"), follow=True
    )
    assert "Unknown change of state." in response.content.decode()
    assert Program.objects.get().status == "active"


def test_the_certificate_is_404_before_graduation(world, client_for):
    program = builders.program(world)
    response = client_for(world.client).get(_url("program_certificate", world, code=program.code))
    assert response.status_code == 404


def test_the_admin_schedule_shows_every_coachs_sessions_in_the_week(world, client_for):
    builders.program(world, sessions=2)
    response = client_for(world.admin).get(
        _url("schedule_overview", world) + "?view=week&day=2027-01-05"
    )
    body = response.content.decode()
    assert "Coach" in body and "#1" in body and "#2" not in body


def test_the_admin_schedule_month_view_and_a_bad_day_never_500(world, client_for):
    browser = client_for(world.admin)
    assert browser.get(_url("schedule_overview", world) + "?view=month&day=bad").status_code == 200


def test_the_coach_dashboard_lists_chemistry_meetings_and_programs(world, client_for):
    builders.program(world)
    body = client_for(world.coach).get(_url("dashboard_coach", world)).content.decode()
    assert "Client" in body and "0 held of 0 booked" in body


def test_the_coach_dashboard_lists_a_chemistry_meeting_only_while_it_waits(world, client_for):
    contract = builders.contract(world, status="active")
    meeting = ChemistryMeeting.objects.create(
        contract=contract, coach=world.coach, starts_at=timezone.now() + timedelta(days=2)
    )
    outcome = reverse("chemistry_outcome", args=[world.practice.slug, meeting.code])
    browser = client_for(world.coach)
    body = browser.get(_url("dashboard_coach", world)).content.decode()
    assert "Chemistry meetings" in body and outcome in body  # counted first, then read
    ChemistryMeeting.objects.filter(pk=meeting.pk).update(status=ChemistryMeeting.Status.CHOSEN)
    body = browser.get(_url("dashboard_coach", world)).content.decode()
    assert "Chemistry meetings" not in body and outcome not in body


def test_a_program_without_a_contract_can_still_cancel_a_session(world):
    program = Program.objects.create(
        practice=world.practice, client=world.client, coach=world.coach, status="active"
    )
    session = Session.objects.create(
        program=program,
        number=1,
        starts_at=datetime(2030, 1, 1, 9, tzinfo=JKT),
        coach=world.coach,
        client=world.client,
    )
    scheduling.session_cancel(session=session, actor=world.admin, by="client")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED_CLIENT_IN_TIME


def test_sent_proposals_past_their_date_expire(world):
    proposal = builders.proposal(world, status="sent")
    assert services.proposals_expire_due(today=proposal.expires_on) == 0
    assert services.proposals_expire_due(today=proposal.expires_on.replace(year=2099)) == 1
    assert Proposal.objects.get().status == "expired"
