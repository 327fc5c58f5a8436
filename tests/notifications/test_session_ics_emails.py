"""Session scheduled, moved and cancelled emails carry an invitation calendar apps understand."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.core import mail
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import Reminder
from programs import services as program_services
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")


def _send_all():
    Reminder.objects.filter(status=Reminder.Status.PENDING).update(next_attempt_at=timezone.now())
    dispatch.dispatch_due()


def _invitations(to):
    """[(METHOD, event)] of the .ics attachments in the emails sent to `to`, in order."""
    found = []
    for message in mail.outbox:
        if message.to != [to.email]:
            continue
        for part in message.attachments:
            if part.get_content_type() != "text/calendar":
                continue
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            assert part.get_param("method") == str(cal["method"])
            events = list(cal.walk("VEVENT"))
            assert len(events) == 1
            found.append((str(cal["method"]), events[0]))
    return found


def test_a_scheduled_session_email_carries_a_request(world):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    _send_all()
    for person in (world.client, world.coach):
        [(method, event)] = _invitations(person)
        assert method == "REQUEST"
        assert str(event["uid"]) == f"{session.code}@coaching"
        assert int(event["sequence"]) == 0
        assert event.decoded("dtstart") == session.starts_at
        assert str(event["status"]) == "CONFIRMED"


def test_a_rescheduled_session_keeps_its_uid_with_a_higher_sequence(world):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    _send_all()
    new_start = datetime(2027, 1, 19, 10, 0, tzinfo=JAKARTA)
    new = program_services.session_reschedule(
        session=session, actor=world.admin, starts_at=new_start
    )
    _send_all()
    (_m1, first), (method, moved) = _invitations(world.client)
    assert method == "REQUEST"
    assert str(moved["uid"]) == str(first["uid"]) == f"{session.code}@coaching"
    assert int(moved["sequence"]) > int(first["sequence"])
    assert moved.decoded("dtstart") == new_start
    assert new.code != session.code


def test_moving_a_session_twice_before_the_emails_go_out_still_raises_the_sequence(world):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    _send_all()
    moved = program_services.session_reschedule(
        session=session, actor=world.admin, starts_at=datetime(2027, 1, 19, 10, 0, tzinfo=JAKARTA)
    )
    program_services.session_reschedule(
        session=moved, actor=world.admin, starts_at=datetime(2027, 1, 26, 10, 0, tzinfo=JAKARTA)
    )
    _send_all()
    invitations = _invitations(world.coach)
    # The first move's email is not wanted any more: one REQUEST for the schedule, one for the
    # final time, same UID, two changes later.
    assert [int(e["sequence"]) for _m, e in invitations] == [0, 2]
    assert len({str(e["uid"]) for _m, e in invitations}) == 1


def test_a_cancelled_session_email_carries_a_cancel(world):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    _send_all()
    program_services.session_cancel(session=session, actor=world.admin, by="client")
    _send_all()
    for person in (world.client, world.coach):
        (_m, first), (method, cancelled) = _invitations(person)
        assert method == "CANCEL"
        assert str(cancelled["uid"]) == str(first["uid"])
        assert int(cancelled["sequence"]) > int(first["sequence"])
        assert str(cancelled["status"]) == "CANCELLED"


def test_the_invitation_names_only_the_other_party(world):
    builders.program(world, sessions=1)
    _send_all()
    [(_m, event)] = _invitations(world.client)
    assert world.coach.display_name in str(event["summary"])
    assert "description" not in event
