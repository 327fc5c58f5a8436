"""Chemistry worth choosing on (#13 item 4): no meeting in the past, the client's calendar and
the coach's chemistry meetings in the clash checks, invitations, reminders and the ICS feed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.notifications.models import Reminder
from coaching.notifications.services import calendar_feed_regenerate
from programs import services
from sessions import scheduling
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
DEC_10 = datetime(2026, 12, 10, 10, 0, tzinfo=JAKARTA)


def _propose(world, contract, coach, starts_at, **extra):
    return services.chemistry_propose(
        contract=contract, coach=coach, actor=world.admin, starts_at=starts_at, **extra
    )


def test_a_chemistry_meeting_in_the_past_is_refused(world):
    contract = builders.contract(world, status="active")
    with pytest.raises(ValidationError, match="in the past"):
        _propose(world, contract, world.coach, timezone.now() - timedelta(hours=1))
    assert not contract.chemistry_meetings.exists()


def test_two_chemistry_meetings_for_the_same_client_at_the_same_minute_are_refused(world):
    contract = builders.contract(world, status="active")
    _propose(world, contract, world.coach, DEC_10)
    with pytest.raises(ValidationError, match="already has a meeting"):
        _propose(world, contract, world.other_coach, DEC_10 + timedelta(minutes=10))
    assert contract.chemistry_meetings.count() == 1
    _propose(world, contract, world.other_coach, DEC_10 + timedelta(hours=1))  # later: fine
    assert contract.chemistry_meetings.count() == 2


def test_a_session_is_not_scheduled_on_top_of_the_coachs_chemistry_meeting(world):
    program = builders.program(world)  # coached by world.coach
    # world.coach meets another client's contract for chemistry at 5 Jan 2027 09:00.
    other_client = type(world.client).objects.create_user(
        email="second.client@cahaya.test", password="x"
    )
    from tests.factories import MembershipFactory

    MembershipFactory(practice=world.practice, user=other_client, role="client")
    other = builders.contract(world, status="active")
    type(other).objects.filter(pk=other.pk).update(client=other_client)
    other.refresh_from_db()
    slot = datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA)
    _propose(world, other, world.coach, slot)
    with pytest.raises(ValidationError, match="Double booking"):
        scheduling.sessions_schedule(program=program, actor=world.admin, starts=[slot])
    assert program.sessions.count() == 0


def test_a_proposed_meeting_sends_invitations_and_reminders_to_both(world):
    contract = builders.contract(world, status="active")
    meeting = _propose(world, contract, world.coach, DEC_10)
    rows = Reminder.objects.filter(object_code=meeting.code)
    kinds = sorted((r.kind, r.recipient.email) for r in rows)
    assert kinds == sorted(
        [
            ("chemistry_scheduled", world.coach.email),
            ("chemistry_scheduled", world.client.email),
            ("chemistry_upcoming", world.coach.email),
            ("chemistry_upcoming", world.client.email),
        ]
    )
    upcoming = rows.filter(kind="chemistry_upcoming").first()
    assert upcoming.due_at == DEC_10 - timedelta(hours=24)


@pytest.mark.parametrize("persona", ["client", "coach"])
def test_chemistry_meetings_appear_in_the_ics_feed(world, client, persona):
    contract = builders.contract(world, status="active")
    _propose(world, contract, world.coach, DEC_10)
    _propose(world, contract, world.other_coach, DEC_10 + timedelta(hours=2))
    token = calendar_feed_regenerate(user=world.persona(persona))
    body = client.get(reverse("calendar_feed", args=[token])).content
    events = list(icalendar.Calendar.from_ical(body).walk("VEVENT"))
    chemistry = [e for e in events if str(e["uid"]).startswith("chemistry-")]
    expected = 2 if persona == "client" else 1
    assert len(chemistry) == expected
    assert all(str(e["summary"]).startswith("Chemistry meeting: ") for e in chemistry)
    assert chemistry[0].decoded("dtstart") == DEC_10
