"""Ending early in one step (#13 item 3): an early completion with sessions still scheduled
cancels them in the graduation's transaction, with one notification per person (it used to be
refused with "the last session must be held", leaving ten clicks and ten emails)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.notifications.models import Reminder
from programs import services
from programs.models import Program
from sessions.models import CheckOut, Session
from sessions.services import session_part_save
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
# After the first session (5 Jan 2027), before the second (19 Jan): five still to come.
AFTER_FIRST = datetime(2027, 1, 10, 12, 0, tzinfo=JAKARTA)


def _program_after_one_held(world):
    program = builders.program(world, sessions=6)
    first = program.sessions.get(number=1)
    Session.objects.filter(pk=first.pk).update(status=Session.Status.HELD)
    session_part_save(instance=CheckOut(session=first, take_aways="Noted."), actor=world.coach)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    services.objective_review(objective=objective, actor=world.coach, result="partly")
    return program


def _reminder_counts():
    return {
        kind: Reminder.objects.filter(kind=kind).count()
        for kind in ("session_cancelled", "program_completed_early")
    }


def test_an_early_completion_cancels_the_remaining_sessions_in_one_step(world, client_for):
    program = _program_after_one_held(world)
    before = _reminder_counts()
    with time_machine.travel(AFTER_FIRST):
        response = client_for(world.coach).post(
            reverse("program_graduate", args=[world.practice.slug, program.code]),
            {"summary": "Met the aims sooner.", "early_reason": "Client's role changed"},
        )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Program.Status.GRADUATED
    statuses = list(program.sessions.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["held"] + ["cancelled_coach"] * 5
    # One notification per person, none per cancelled session.
    after = _reminder_counts()
    assert after["session_cancelled"] == before["session_cancelled"]
    told = Reminder.objects.filter(kind="program_completed_early")
    assert sorted(r.recipient.email for r in told) == sorted(
        [world.coach.email, world.client.email]
    )
    assert {r.occasion for r in told} == {"completed-early:5"}
    # The reason stays internal: no session and no reminder carries it.
    assert not program.sessions.filter(status_reason__icontains="role changed").exists()
    assert not any("role changed" in (r.object_label + r.occasion) for r in told)
    # The upcoming-session reminders of the cancelled sessions are gone.
    assert not Reminder.objects.filter(
        kind="session_upcoming", status=Reminder.Status.PENDING
    ).exists()


def test_a_refused_early_completion_cancels_nothing(world):
    program = builders.program(world, sessions=6)  # nothing held, no objectives
    with time_machine.travel(AFTER_FIRST), pytest.raises(ValidationError):
        services.program_graduate(
            program=program, actor=world.coach, summary="", early_reason="Moving abroad"
        )
    assert program.sessions.filter(status=Session.Status.SCHEDULED).count() == 6
    assert not Reminder.objects.filter(kind="program_completed_early").exists()


def test_without_a_reason_the_remaining_sessions_stay_and_graduation_is_refused(world):
    program = _program_after_one_held(world)
    with time_machine.travel(AFTER_FIRST), pytest.raises(ValidationError, match="early"):
        services.program_graduate(program=program, actor=world.coach, summary="x")
    assert program.sessions.filter(status=Session.Status.SCHEDULED).count() == 5


def test_the_graduation_page_says_what_an_early_completion_will_cancel(world, client_for):
    program = _program_after_one_held(world)
    with time_machine.travel(AFTER_FIRST):
        page = client_for(world.coach).get(
            reverse("program_graduate", args=[world.practice.slug, program.code])
        )
    assert "5 sessions are still scheduled" in page.content.decode()
