from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from programs import services
from programs.models import ChemistryMeeting, Program, ProgramEvent, ProgramRevision
from sessions import scheduling
from sessions.models import Session
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def at(y, m, d, h=9):
    return datetime(y, m, d, h, 0, tzinfo=JKT)


# Chemistry


def test_chemistry_needs_an_active_contract(world):
    contract = builders.contract(world, status="sent")
    with pytest.raises(ValidationError, match="active contract"):
        services.chemistry_propose(
            contract=contract, coach=world.coach, actor=world.admin, starts_at=at(2026, 12, 1)
        )
    assert ChemistryMeeting.objects.count() == 0


def test_choosing_a_coach_creates_the_program_with_the_contracts_period(world):
    program = builders.program(world)
    assert (program.coach, program.client, program.sponsor) == (
        world.coach,
        world.client,
        world.sponsor,
    )
    assert str(program.starts_on) == "2027-01-04"
    assert ChemistryMeeting.objects.get().status == "chosen"
    assert ProgramEvent.objects.filter(program=program, to_state="active").exists()


def test_the_client_must_record_the_outcome_before_choosing(world):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract, coach=world.coach, actor=world.admin, starts_at=at(2026, 12, 1)
    )
    with pytest.raises(ValidationError, match="Record how the meeting went"):
        services.chemistry_choose(meeting=meeting, actor=world.client)
    assert Program.objects.count() == 0


def test_a_coach_cannot_choose_for_the_client(world):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract, coach=world.coach, actor=world.admin, starts_at=at(2026, 12, 1)
    )
    with pytest.raises(ValidationError, match="Only the client chooses"):
        services.chemistry_choose(meeting=meeting, actor=world.coach)
    assert Program.objects.count() == 0


def test_the_client_may_ask_for_another_candidate(world):
    contract = builders.contract(world, status="active")
    services.chemistry_ask_another(contract=contract, actor=world.client, reason="not a fit")
    assert ProgramEvent.objects.filter(
        contract=contract, to_state="another_candidate_requested"
    ).exists()


# Scheduling


def test_scheduling_before_a_coach_is_chosen_is_refused(world):
    contract = builders.contract(world, status="active")
    with pytest.raises(ValidationError, match="No sessions before a coach is chosen"):
        scheduling.sessions_schedule(program=contract, actor=world.admin, starts=[at(2027, 1, 5)])
    assert Session.objects.count() == 0


def test_the_admin_generates_the_contracted_series(world):
    program = builders.program(world, sessions=6)
    numbers = list(program.sessions.values_list("number", "duration_minutes"))
    assert numbers == [(n, 60) for n in range(1, 7)]


def test_the_series_cannot_exceed_the_contracted_count(world):
    program = builders.program(world, sessions=6)
    with pytest.raises(ValidationError, match="allows 6 sessions; 6 are already booked"):
        scheduling.sessions_schedule(program=program, actor=world.admin, starts=[at(2027, 5, 1)])
    assert program.sessions.count() == 6


def test_a_session_outside_the_contract_period_is_refused(world):
    program = builders.program(world)
    with pytest.raises(ValidationError, match="outside the contract period"):
        scheduling.sessions_schedule(program=program, actor=world.admin, starts=[at(2027, 9, 1)])
    assert program.sessions.count() == 0


def test_a_double_booking_of_the_coach_is_refused_naming_the_clash(world):
    from tests.factories import MembershipFactory

    program = builders.program(world)
    other_client = MembershipFactory(practice=world.practice, role="client").user
    other = Program.objects.create(
        practice=world.practice, client=other_client, coach=world.coach, status="active"
    )
    Session.objects.create(
        program=other,
        number=1,
        starts_at=at(2027, 1, 5, 9),
        coach=world.coach,
        client=other_client,
        duration_minutes=60,
    )
    with pytest.raises(ValidationError, match="Double booking: Coach already has a session"):
        scheduling.sessions_schedule(
            program=program, actor=world.admin, starts=[at(2027, 1, 5, 9).replace(minute=30)]
        )
    assert program.sessions.count() == 0


def test_a_double_booking_of_the_client_is_refused(world):
    program = builders.program(world, sessions=1)
    other = Program.objects.create(
        practice=world.practice, client=world.client, coach=world.other_coach, status="active"
    )
    with pytest.raises(ValidationError, match="Double booking: Client"):
        scheduling._check_slot(
            other,
            program.contract.current_version,
            at(2027, 1, 5, 9),
            60,
            others=[],
            confirm_close=True,
        )
    assert Session.objects.count() == 1


def test_close_sessions_need_an_explicit_confirmation(world):
    program = builders.program(world)
    starts = [at(2027, 1, 5), at(2027, 1, 8)]
    with pytest.raises(ValidationError, match="Tick the confirmation"):
        scheduling.sessions_schedule(program=program, actor=world.admin, starts=starts)
    assert program.sessions.count() == 0
    scheduling.sessions_schedule(
        program=program, actor=world.admin, starts=starts, confirm_close_spacing=True
    )
    assert program.sessions.count() == 2


def test_a_late_client_cancellation_uses_the_session(world):
    program = builders.program(world, sessions=2)
    first = program.sessions.get(number=1)
    with time_machine.travel(at(2027, 1, 5, 0)):
        scheduling.session_cancel(session=first, actor=world.admin, by="client", reason="ill")
    first.refresh_from_db()
    assert first.status == Session.Status.CANCELLED_CLIENT_LATE
    assert scheduling.sessions_used(program) == 1


def test_a_timely_client_cancellation_does_not_use_the_session(world):
    program = builders.program(world, sessions=2)
    first = program.sessions.get(number=1)
    with time_machine.travel(at(2027, 1, 2)):
        scheduling.session_cancel(session=first, actor=world.admin, by="client")
    first.refresh_from_db()
    assert first.status == Session.Status.CANCELLED_CLIENT_IN_TIME
    assert scheduling.sessions_used(program) == 0


def test_rescheduling_moves_the_session_and_keeps_the_old_row(world):
    program = builders.program(world, sessions=2)
    first = program.sessions.get(number=1)
    new = scheduling.session_reschedule(
        session=first, actor=world.admin, starts_at=at(2027, 1, 12), reason="holiday"
    )
    first.refresh_from_db()
    assert first.status == Session.Status.RESCHEDULED and first.rescheduled_to == new


# Theme, objectives, graduation


def test_the_coach_revises_the_theme_and_the_revision_is_kept(world):
    program = builders.program(world)
    services.program_update_theme(program=program, actor=world.coach, reason="", theme="Lead")
    with pytest.raises(ValidationError, match="Say why"):
        services.program_update_theme(program=program, actor=world.coach, reason="", theme="X")
    services.program_update_theme(
        program=program, actor=world.coach, reason="new role", theme="Lead calmly"
    )
    assert list(ProgramRevision.objects.values_list("theme", "reason")) == [
        ("Lead calmly", "new role"),
        ("Lead", "First version"),
    ]


def test_the_admin_does_not_edit_the_theme(world):
    program = builders.program(world)
    with pytest.raises(ValidationError, match="Only the program's coach"):
        services.program_update_theme(program=program, actor=world.admin, reason="", theme="X")
    program.refresh_from_db()
    assert program.theme == ""


def _held(program):
    builders.hold_all(program)


def test_graduating_with_objectives_not_reviewed_is_refused(world):
    program = builders.program(world, sessions=6)
    services.objective_add(program=program, actor=world.coach, text="Delegate", measure="weekly")
    _held(program)
    with pytest.raises(ValidationError, match="Review every objective"):
        services.program_graduate(program=program, actor=world.coach)
    program.refresh_from_db()
    assert program.status == "active"


def test_graduating_early_needs_a_reason(world):
    program = builders.program(world, sessions=2)
    _held(program)
    with pytest.raises(ValidationError, match="2 of 6 contracted sessions are used"):
        services.program_graduate(program=program, actor=world.coach)
    program.refresh_from_db()
    assert program.status == "active"


def test_graduation_needs_the_final_checkout(world):
    program = builders.program(world, sessions=6)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    services.objective_review(objective=objective, actor=world.coach, result="achieved")
    program.sessions.exclude(number=6).update(status=Session.Status.HELD)
    program.sessions.filter(number=6).update(status=Session.Status.NO_SHOW)
    with pytest.raises(ValidationError, match="final check-out"):
        services.program_graduate(program=program, actor=world.coach)
    assert Program.objects.get().status == "active"


def test_a_program_graduates_when_all_is_done(world):
    program = builders.program(world, sessions=6)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    services.objective_review(objective=objective, actor=world.coach, result="partly", note="ok")
    _held(program)
    services.program_graduate(program=program, actor=world.coach, summary="Grew a lot.")
    program.refresh_from_db()
    assert program.status == "graduated"
    assert program.contract.status == "ended"


def test_pause_needs_a_reason_and_resume_returns_to_active(world):
    program = builders.program(world)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.program_transition(program=program, actor=world.coach, name="pause")
    services.program_transition(program=program, actor=world.coach, name="pause", reason="referral")
    services.program_transition(program=program, actor=world.admin, name="resume")
    program.refresh_from_db()
    assert program.status == "active"
    assert list(program.events.values_list("to_state", flat=True))[-2:] == ["paused", "active"]


def test_only_the_admin_terminates_and_a_graduated_program_stays_graduated(world):
    program = builders.program(world)
    with pytest.raises(ValidationError, match="not allowed"):
        services.program_transition(
            program=program, actor=world.coach, name="terminate", reason="x"
        )
    Program.objects.filter(pk=program.pk).update(status="graduated")
    with pytest.raises(ValidationError, match="graduated program cannot"):
        services.program_transition(program=program, actor=world.admin, name="cancel", reason="x")
    assert Program.objects.get().status == "graduated"


def test_another_coach_cannot_pause_the_program(world):
    program = builders.program(world)
    with pytest.raises(ValidationError, match="not allowed"):
        services.program_transition(
            program=program, actor=world.other_coach, name="pause", reason="x"
        )
    assert Program.objects.get().status == "active"
