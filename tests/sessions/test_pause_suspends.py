"""Pausing a program suspends its future sessions and their reminders; resuming offers to
move each one (issue 13: a paused program's sessions stayed and their reminders went out)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from coaching.notifications.models import Reminder
from sessions.models import Session
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")
SCHEDULED = "session_scheduled"


def _transition(client_for, world, program, name, reason=""):
    url = reverse("program_transition", args=[world.practice.slug, program.code, name])
    return client_for(world.admin).post(url, {"reason": reason})


def _page(client_for, user, world, program):
    url = reverse("program_detail", args=[world.practice.slug, program.code])
    return client_for(user).get(url).content.decode()


def _move(client_for, world, program, session, when):
    url = reverse(
        "program_session_reschedule", args=[world.practice.slug, program.code, session.code]
    )
    return client_for(world.admin).post(
        url, {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "confirm_close_spacing": "on"}
    )


def test_pause_suspends_future_sessions_and_cancels_their_reminders(world, client_for):
    program = builders.program(world, sessions=4)  # Jan 5, 19, Feb 2, 16 (2027)
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=JKT), tick=False):
        program.sessions.filter(number=1).update(status=Session.Status.HELD)
        future = list(program.sessions.filter(number__gt=1))
        codes = [s.code for s in future]
        assert Reminder.objects.filter(object_code__in=codes, status="pending").exists()

        assert _transition(client_for, world, program, "pause", "referral").status_code == 302
        statuses = dict(program.sessions.values_list("number", "status"))
        assert statuses == {1: "held", 2: "suspended", 3: "suspended", 4: "suspended"}
        # Nothing about them is left to send but the calendars' cancellation.
        pending = Reminder.objects.filter(object_code__in=codes, status="pending")
        assert set(pending.values_list("kind", flat=True)) == {"session_cancelled"}
        assert not Reminder.objects.filter(
            object_code__in=codes, kind=SCHEDULED, status="pending"
        ).exists()
        body = _page(client_for, world.admin, world, program)
        assert "3 sessions are suspended while the program is paused" in body
        assert body.count("Suspended (program paused)") == 3
        # A suspended session cannot be moved while the program is paused.
        response = _move(client_for, world, program, future[0], datetime(2027, 3, 1, 9, tzinfo=JKT))
        assert response.status_code == 302
        assert Session.objects.get(pk=future[0].pk).status == "suspended"

        assert _transition(client_for, world, program, "resume").status_code == 302
        body = _page(client_for, world.admin, world, program)
        assert "3 sessions were suspended during the pause" in body

        # The admin moves two of them; the numbers go on from the held session: 2, 3.
        _move(client_for, world, program, future[0], datetime(2027, 3, 1, 9, tzinfo=JKT))
        _move(client_for, world, program, future[1], datetime(2027, 3, 15, 9, tzinfo=JKT))
        scheduled = program.sessions.filter(status="scheduled").order_by("starts_at")
        assert [(s.number, s.starts_at.date().isoformat()) for s in scheduled] == [
            (2, "2027-03-01"),
            (3, "2027-03-15"),
        ]
        body = _page(client_for, world.admin, world, program)
        assert "1 session was suspended during the pause" in body
        # Each move sent the invitation for the new time.
        assert (
            Reminder.objects.filter(
                object_code=scheduled[1].code, kind="session_rescheduled", status="pending"
            ).count()
            == 2
        )


def test_the_coach_and_client_see_suspended_sessions_without_the_admin_actions(world, client_for):
    program = builders.program(world, sessions=2)
    _transition(client_for, world, program, "pause", "referral")
    body = _page(client_for, world.coach, world, program)
    assert body.count("Suspended (program paused)") == 2
    assert "Move</button>" not in body
