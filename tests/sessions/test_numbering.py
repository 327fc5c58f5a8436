"""Session numbers follow the sessions that count, by time, after every move or cancellation
(issue 13: a moved session took max + 1, so a program read 1, 2, 3, 4 (moved), 8, 5, 6, 7)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from coaching.notifications.models import Reminder
from sessions import scheduling
from sessions.models import Session
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")
ROW = re.compile(r"<tr>\s*<td>(\d+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>")


def at(y, m, d, h=9):
    return datetime(y, m, d, h, 0, tzinfo=JKT)


def _rows(client_for, world, program):
    """(number, status) as the admin reads them on the program page, top to bottom (by time)."""
    url = reverse("program_detail", args=[world.practice.slug, program.code])
    return ROW.findall(client_for(world.admin).get(url).content.decode())


def _counted(rows):
    return [int(n) for n, status in rows if status.strip() != "Rescheduled"]


def _move(client_for, world, program, number, when):
    session = program.sessions.get(number=number, status="scheduled")
    url = reverse(
        "program_session_reschedule", args=[world.practice.slug, program.code, session.code]
    )
    response = client_for(world.admin).post(
        url, {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "confirm_close_spacing": "on"}
    )
    assert response.status_code == 302
    return session


def test_numbers_stay_gapless_and_in_time_order_after_three_moves(world, client_for):
    # Sessions 1-5 on Jan 5, 19, Feb 2, 16, Mar 2.
    program = builders.program(world, sessions=5)
    assert _counted(_rows(client_for, world, program)) == [1, 2, 3, 4, 5]

    # 1st move: session 2 to after session 5. It becomes 5; 3, 4, 5 become 2, 3, 4.
    _move(client_for, world, program, 2, at(2027, 3, 16))
    rows = _rows(client_for, world, program)
    assert _counted(rows) == [1, 2, 3, 4, 5]
    assert ("2", "Rescheduled") in rows
    assert program.sessions.get(number=5, status="scheduled").starts_at == at(2027, 3, 16)

    # 2nd move: session 1 to between the (now) sessions 2 and 3.
    _move(client_for, world, program, 1, at(2027, 2, 9))
    rows = _rows(client_for, world, program)
    assert _counted(rows) == [1, 2, 3, 4, 5]
    assert program.sessions.get(number=2, status="scheduled").starts_at == at(2027, 2, 9)

    # 3rd move: the last session a day later: its number stays 5.
    _move(client_for, world, program, 5, at(2027, 3, 17))
    assert _counted(_rows(client_for, world, program)) == [1, 2, 3, 4, 5]
    scheduled = program.sessions.filter(status="scheduled").order_by("starts_at")
    assert [s.number for s in scheduled] == [1, 2, 3, 4, 5]
    assert [s.starts_at.date().isoformat() for s in scheduled] == [
        "2027-02-02",
        "2027-02-09",
        "2027-02-16",
        "2027-03-02",
        "2027-03-17",
    ]


def test_a_cancellation_that_does_not_count_closes_the_gap(world):
    program = builders.program(world, sessions=4)
    second = program.sessions.get(number=2)
    scheduling.session_cancel(session=second, actor=world.admin, by="coach", reason="ill")
    counted = program.sessions.filter(status="scheduled").order_by("starts_at")
    assert [s.number for s in counted] == [1, 2, 3]
    # The next session scheduled takes the next number, 4.
    (new,) = scheduling.sessions_schedule(
        program=program, actor=world.admin, starts=[at(2027, 4, 1)]
    )
    assert new.number == 4


def test_pending_reminders_carry_the_new_number(world):
    program = builders.program(world, sessions=3)
    third = program.sessions.get(number=3)
    scheduling.session_reschedule(
        session=program.sessions.get(number=1), actor=world.admin, starts_at=at(2027, 3, 1)
    )
    third.refresh_from_db()
    assert third.number == 2
    labels = set(
        Reminder.objects.filter(object_code=third.code, status="pending").values_list(
            "object_label", flat=True
        )
    )
    assert labels == {"2"}


def test_the_moved_session_keeps_its_old_number_beside_its_status(world):
    program = builders.program(world, sessions=3)
    first = program.sessions.get(number=1)
    new = scheduling.session_reschedule(session=first, actor=world.admin, starts_at=at(2027, 1, 6))
    first.refresh_from_db()
    assert (first.number, first.status, new.number) == (1, Session.Status.RESCHEDULED, 1)
