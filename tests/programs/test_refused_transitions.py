"""Transitions that must be refused, refused input that must be kept, and a write that must
not be half done (issue #12, item 13). Each test reads what the person reads and checks that
nothing changed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.access import PracticeAccess
from coaching.accounts import services as accounts
from ethics.models import Referral
from ethics.services import referral_create
from programs import services
from programs.models import ChemistryMeeting, Objective, ObjectiveReview, Program
from sessions import scheduling
from sessions.models import CheckIn, Session
from sessions.services import session_part_save
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def _deactivate_coach(world):
    accounts.member_deactivate(practice=world.practice, user=world.coach, actor=world.admin)


def test_scheduling_for_a_deactivated_coach_is_refused(world):
    program = builders.program(world)
    _deactivate_coach(world)
    with pytest.raises(ValidationError, match="no longer coaches with the practice"):
        scheduling.sessions_schedule(
            program=program,
            actor=world.admin,
            starts=[datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA)],
        )
    assert program.sessions.count() == 0


def test_choosing_a_deactivated_coach_is_refused(world):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA),
    )
    with time_machine.travel(datetime(2026, 12, 1, 11, 0, tzinfo=JAKARTA)):
        services.chemistry_record_outcome(
            meeting=meeting, actor=world.client, rapport=5, compatible=True
        )
    _deactivate_coach(world)
    with pytest.raises(ValidationError, match="no longer coaches with the practice"):
        services.chemistry_choose(meeting=meeting, actor=world.client)
    assert not Program.objects.filter(contract=contract).exists()


def test_rescheduling_on_a_paused_program_is_refused(world, client_for):
    program = builders.program(world, sessions=1)
    services.program_transition(program=program, actor=world.coach, name="pause", reason="leave")
    session = program.sessions.get()
    response = client_for(world.admin).post(
        reverse(
            "program_session_reschedule", args=[world.practice.slug, program.code, session.code]
        ),
        {"starts_at": (timezone.localtime() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert _messages(response) == ["Resume the program before moving its sessions."]
    session.refresh_from_db()
    # Pausing suspended it (#13); the refused move leaves it so, and creates no session.
    assert session.status == Session.Status.SUSPENDED
    assert program.sessions.count() == 1


@pytest.mark.parametrize("status", ["graduated", "terminated"])
def test_notes_on_an_ended_programs_session_are_refused(world, status):
    program = builders.program(world, sessions=1)
    Program.objects.filter(pk=program.pk).update(status=status)  # as the transition leaves it
    session = Session.objects.get(program=program)
    with pytest.raises(ValidationError, match="This program has ended"):
        session_part_save(instance=CheckIn(session=session, goal="late"), actor=world.coach)
    assert not CheckIn.objects.filter(session=session).exists()


def test_a_referral_on_a_graduated_program_is_refused(world):
    program = builders.program(world)
    Program.objects.filter(pk=program.pk).update(status="graduated")
    program.refresh_from_db()
    access = PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({"coach"}))
    with pytest.raises(ValidationError, match="This program has ended"):
        referral_create(
            access=access,
            program=program,
            professional=Referral.Professional.THERAPIST,
            reason=Referral.Reason.MENTAL_HEALTH,
        )
    assert not Referral.objects.filter(program=program).exists()


# Lost input: a refused form inside another page comes back with what was typed --------------


def test_a_refused_chemistry_outcome_keeps_the_note(world, client_for):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=timezone.now() + timedelta(days=2),  # not started: the outcome is refused
    )
    response = client_for(world.client).post(
        reverse("chemistry_outcome", args=[world.practice.slug, meeting.code]),
        {"rapport": "4", "compatible": "yes", "note": "Warm, asked good questions"},
    )
    assert response.status_code == 200
    assert "The outcome can be recorded once the meeting has started." in response.text
    assert "Warm, asked good questions" in response.text
    meeting.refresh_from_db()
    assert (meeting.status, meeting.client_note) == (ChemistryMeeting.Status.SCHEDULED, "")


def test_a_refused_new_objective_keeps_the_measure(world, client_for):
    program = builders.program(world)
    response = client_for(world.coach).post(
        reverse("objective_add", args=[world.practice.slug, program.code]),
        {"text": "", "measure": "Team survey above 4"},
    )
    assert response.status_code == 200
    assert "Team survey above 4" in response.text
    assert "This field is required." in response.text
    assert Objective.objects.filter(program=program).count() == 0


def test_a_refused_objective_review_keeps_the_note(world, client_for):
    program = builders.program(world)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    response = client_for(world.coach).post(
        reverse("objective_review", args=[world.practice.slug, objective.code]),
        {"result": "not-a-result", "note": "Delegates two tasks a week"},
    )
    assert response.status_code == 200
    assert "Delegates two tasks a week" in response.text
    assert not ObjectiveReview.objects.filter(objective=objective).exists()


# A partial write ---------------------------------------------------------------------------


def test_a_chemistry_outcome_with_an_over_long_next_is_saved_and_answered(world, client_for):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=timezone.now() + timedelta(hours=1),
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):  # the meeting has started
        response = client_for(world.client).post(
            reverse("chemistry_outcome", args=[world.practice.slug, meeting.code]),
            {"rapport": "4", "compatible": "yes", "next": "/" + "a" * 3000},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("practice_home", args=[world.practice.slug])
    meeting.refresh_from_db()
    assert meeting.client_rapport == 4


# Double-submitted create forms make one row ----------------------------------------------------


def _token(response):
    import re

    return re.search(r'name="(?:task-)?submission" value="([0-9a-f-]{36})"', response.text)[1]


def test_a_double_submitted_objective_makes_one(world, client_for):
    program = builders.program(world)
    coach = client_for(world.coach)
    page = coach.get(reverse("program_detail", args=[world.practice.slug, program.code]))
    data = {"text": "Delegate more", "submission": _token(page)}
    url = reverse("objective_add", args=[world.practice.slug, program.code])
    assert [coach.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Objective.objects.filter(program=program).count() == 1
    # a new page, a new token: a second objective with the same words is a new one
    page = coach.get(reverse("program_detail", args=[world.practice.slug, program.code]))
    coach.post(url, {**data, "submission": _token(page)})
    assert Objective.objects.filter(program=program).count() == 2


def test_a_double_submitted_task_makes_one(world, client_for):
    from sessions.models import ActionItem

    program = builders.program(world, sessions=1)
    session = Session.objects.get(program=program)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    coach = client_for(world.coach)
    page = coach.get(reverse("session_run", args=[world.practice.slug, session.code]))
    data = {
        "task-assignee": "client",
        "task-text": "Write the three priorities",
        "task-scope": "client",
        "task-submission": _token(page),
    }
    url = reverse("session_part_save", args=[world.practice.slug, session.code, "task"])
    for _ in range(2):
        assert coach.post(url, data).status_code == 302
    assert ActionItem.objects.filter(session=session).count() == 1


def test_a_double_submitted_journal_entry_makes_one(world, client_for):
    from ethics.models import ReflectiveJournalEntry

    coach = client_for(world.coach)
    url = reverse("journal_list", args=[world.practice.slug])
    page = coach.get(url)
    data = {"date": "2026-11-20", "text": "What I noticed", "submission": _token(page)}
    for _ in range(2):
        assert coach.post(url, data).status_code == 302
    assert ReflectiveJournalEntry.objects.filter(coach=world.coach).count() == 1
