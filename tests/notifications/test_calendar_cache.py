"""The calendar feed is cached per user (#11), and every change to what it shows reaches the
next fetch: sessions scheduled, moved, cancelled, held, suspended by a pause, cancelled by an
end; chemistry meetings; names; memberships (checked outside the cache); language, time zone;
the token. Each change is made through the service a user's click runs, two or three times in
a row, against a warm cache."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from coaching import feedcache
from coaching.accounts.models import Membership
from coaching.accounts.services import profile_update
from coaching.notifications.services import calendar_feed_regenerate
from programs import services as program_services
from sessions import scheduling
from sessions.models import Session
from sessions.services import session_mark_held
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 20, 3, 0, tzinfo=ZoneInfo("UTC")), tick=False) as t:
        yield t


def fetch(client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return response.content


def events(ics):
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def starts(ics):
    return sorted(e.decoded("dtstart") for e in events(ics) if "Coaching:" in str(e["summary"]))


def statuses(ics):
    return sorted(str(e["status"]) for e in events(ics) if "Coaching:" in str(e["summary"]))


def _sessions(program):
    return list(program.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at"))


def test_a_second_fetch_costs_two_queries_and_returns_the_same_bytes(world, client, clock):
    builders.program(world, sessions=3)
    token = calendar_feed_regenerate(user=world.coach)
    with CaptureQueriesContext(connection) as cold:
        first = fetch(client, token)
    assert len(starts(first)) == 3
    clock.shift(timedelta(minutes=5))  # a rebuild would carry a later DTSTAMP
    # The feed by its token hash (with the user), and the user's active memberships: read on
    # every fetch, outside the cache (finding 8 of #12).
    with CaptureQueriesContext(connection) as warm:
        second = fetch(client, token)
    assert second == first
    assert len(warm) == 2 < len(cold)


def test_each_move_shows_in_the_next_fetch(world, client, clock):
    program = builders.program(world, sessions=2)
    token = calendar_feed_regenerate(user=world.coach)
    session = _sessions(program)[0]
    fetch(client, token)
    for days in (1, 2, 3):  # the second and third moves too, not only the first
        new_time = session.starts_at + timedelta(days=days)
        session = scheduling.session_reschedule(
            session=session, actor=world.admin, starts_at=new_time, confirm_close_spacing=True
        )
        assert new_time in starts(fetch(client, token))
        assert new_time - timedelta(days=days) not in starts(fetch(client, token))
    assert len(starts(fetch(client, token))) == 2


def test_each_scheduled_session_shows_in_the_next_fetch(world, client, clock):
    program = builders.program(world, sessions=1)
    token = calendar_feed_regenerate(user=world.client)
    assert len(starts(fetch(client, token))) == 1
    for count, day in ((2, 20), (3, 27)):
        at = datetime(2027, 2, day, 9, 0, tzinfo=JKT)
        scheduling.sessions_schedule(
            program=program, actor=world.admin, starts=[at], confirm_close_spacing=True
        )
        shown = starts(fetch(client, token))
        assert len(shown) == count and at in shown


def test_each_cancellation_and_held_session_shows_in_the_next_fetch(world, client, clock):
    program = builders.program(world, sessions=3)
    token = calendar_feed_regenerate(user=world.coach)
    first, second, third = _sessions(program)
    assert statuses(fetch(client, token)) == ["CONFIRMED"] * 3
    scheduling.session_cancel(session=first, actor=world.admin, by="coach")
    assert statuses(fetch(client, token)) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]
    scheduling.session_cancel(session=second, actor=world.admin, by="client")
    assert statuses(fetch(client, token)) == ["CANCELLED", "CANCELLED", "CONFIRMED"]
    # Held looks the same in a calendar, but the feed is built again (its DTSTAMP moves on).
    clock.move_to(third.starts_at + timedelta(minutes=30))
    before = fetch(client, token)
    clock.shift(timedelta(minutes=5))
    session_mark_held(session=third, actor=world.coach)
    after = fetch(client, token)
    assert after != before
    assert statuses(after) == ["CANCELLED", "CANCELLED", "CONFIRMED"]


def test_a_pause_a_move_after_resuming_and_an_end_show_in_the_next_fetch(world, client, clock):
    program = builders.program(world, sessions=3)
    token = calendar_feed_regenerate(user=world.client)
    assert statuses(fetch(client, token)) == ["CONFIRMED"] * 3
    program_services.program_transition(
        program=program, actor=world.admin, name="pause", reason="referral"
    )
    assert statuses(fetch(client, token)) == ["CANCELLED"] * 3
    program_services.program_transition(program=program, actor=world.admin, name="resume")
    program.refresh_from_db()
    suspended = program.sessions.order_by("starts_at").first()
    moved_to = suspended.starts_at + timedelta(days=1)
    scheduling.session_reschedule(
        session=suspended, actor=world.admin, starts_at=moved_to, confirm_close_spacing=True
    )
    ics = fetch(client, token)
    assert moved_to in starts(ics)
    assert statuses(ics) == ["CANCELLED", "CANCELLED", "CONFIRMED"]
    program.refresh_from_db()
    program_services.program_transition(
        program=program, actor=world.admin, name="terminate", reason="ended"
    )
    assert statuses(fetch(client, token)) == ["CANCELLED"] * 3


def test_each_chemistry_meeting_shows_in_the_next_fetch(world, client, clock):
    contract = builders.contract(world, status="active")
    token = calendar_feed_regenerate(user=world.other_coach)
    assert events(fetch(client, token)) == []
    for count, day in ((1, 22), (2, 23)):
        program_services.chemistry_propose(
            contract=contract,
            coach=world.other_coach,
            actor=world.admin,
            starts_at=datetime(2026, 12, day, 10, 0, tzinfo=JKT),
        )
        meetings = [e for e in events(fetch(client, token)) if "Chemistry" in str(e["summary"])]
        assert len(meetings) == count


def test_each_rename_of_the_other_party_shows_in_the_coachs_feed(world, client, clock):
    builders.program(world, sessions=1)
    token = calendar_feed_regenerate(user=world.coach)
    fetch(client, token)
    for name in ("Dewi Santoso", "Dewi L. Santoso"):
        profile_update(user=world.client, full_name=name, language="id", timezone_name="UTC")
        summaries = {str(e["summary"]) for e in events(fetch(client, token))}
        assert summaries == {f"Coaching: {name}", f"Chemistry meeting: {name}"}


def test_a_deactivated_coach_is_refused_with_a_warm_cache(world, client, clock):
    builders.program(world, sessions=2)
    token = calendar_feed_regenerate(user=world.coach)
    assert len(starts(fetch(client, token))) == 2
    membership = Membership.objects.filter(user=world.coach, practice=world.practice)
    # Straight in the database, no service: no version is bumped, only the check on every fetch
    # can see it.
    membership.update(deactivated_at=timezone.now())
    assert events(fetch(client, token)) == []
    membership.update(deactivated_at=None)
    assert len(starts(fetch(client, token))) == 2
    membership.update(deactivated_at=timezone.now())
    assert events(fetch(client, token)) == []
    type(world.coach).objects.filter(pk=world.coach.pk).update(is_active=False)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_language_time_zone_and_token_key_the_cache(world, client, clock):
    program = builders.program(world, sessions=1)
    token = calendar_feed_regenerate(user=world.client)
    first = fetch(client, token)
    # A change no service announces: only a new key shows it.
    Session.objects.filter(program=program).update(place="Ruang Anggrek")
    assert fetch(client, token) == first
    profile_update(
        user=world.client, full_name=world.client.full_name, language="en", timezone_name="UTC"
    )
    assert b"Ruang Anggrek" in fetch(client, token)
    Session.objects.filter(program=program).update(place="Ruang Mawar")
    name = world.client.full_name
    profile_update(user=world.client, full_name=name, language="en", timezone_name="Asia/Makassar")
    assert b"Ruang Mawar" in fetch(client, token)
    Session.objects.filter(program=program).update(place="Ruang Kenanga")
    new_token = calendar_feed_regenerate(user=world.client)
    assert b"Ruang Kenanga" in fetch(client, new_token)


def test_a_bump_is_repeated_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedcache.feed_changed([world.coach.pk])
        during = feedcache._versions([feedcache._user_key(world.coach.pk)])
    # A fetch between the bump and the commit may have cached the old rows under `during`.
    assert feedcache._versions([feedcache._user_key(world.coach.pk)]) != during


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "coaching.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: Redis is down
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_with_redis_down_the_feed_is_still_served_and_current(world, client, clock):
    program = builders.program(world, sessions=2)
    token = calendar_feed_regenerate(user=world.coach)
    assert len(starts(fetch(client, token))) == 2
    scheduling.session_cancel(session=_sessions(program)[0], actor=world.admin, by="coach")
    assert statuses(fetch(client, token)) == ["CANCELLED", "CONFIRMED"]
