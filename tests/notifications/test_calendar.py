from datetime import timedelta

import icalendar

from coaching.notifications.services import calendar_feed_regenerate, calendar_feed_revoke
from sessions import calendar


def events(ics):
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def test_the_feed_parses_back_with_date_place_and_other_party_only(world, make_session):
    session = make_session()
    [event] = events(calendar.feed_for(world.client))
    assert str(event["uid"]) == f"{session.code}@coaching"
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert str(event["location"]) == "Ruang Melati, Jl. Sudirman 1"
    assert world.coach.display_name in str(event["summary"])
    assert int(event["sequence"]) == 0
    assert "CANARY" not in calendar.feed_for(world.client).decode()
    assert set(event.keys()) <= {
        "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL", "STATUS",
    }  # fmt: skip


def test_the_coachs_feed_names_the_client(world, make_session):
    make_session()
    [event] = events(calendar.feed_for(world.coach))
    assert world.client.display_name in str(event["summary"])
    assert events(calendar.feed_for(world.sponsor)) == []


def test_a_session_moved_in_place_keeps_its_uid_with_a_higher_sequence(world, make_session):
    session = make_session()
    [before] = events(calendar.feed_for(world.client))
    session.starts_at += timedelta(days=2)
    session.save()
    [after] = events(calendar.feed_for(world.client))
    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    # Reading the feed again without a change does not raise it.
    [again] = events(calendar.feed_for(world.client))
    assert int(again["sequence"]) == int(after["sequence"])


def test_a_session_rescheduled_to_a_new_row_keeps_the_first_uid(world, make_session):
    from sessions.models import Session

    original = make_session()
    [before] = events(calendar.feed_for(world.coach))
    replacement = make_session(starts_in=timedelta(days=3))
    original.status = Session.Status.RESCHEDULED
    original.rescheduled_to = replacement
    original.save()
    [after] = events(calendar.feed_for(world.coach))
    assert str(after["uid"]) == f"{original.code}@coaching" == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == replacement.starts_at


def test_a_cancellation_invitation_says_cancel_with_a_higher_sequence(world, make_session):
    from sessions.models import Session

    session = make_session()
    request = icalendar.Calendar.from_ical(calendar.session_ics(session, for_user=world.client))
    assert str(request["method"]) == "REQUEST"
    session.status = Session.Status.CANCELLED_COACH
    session.save()
    cancel = icalendar.Calendar.from_ical(
        calendar.session_ics(session, for_user=world.client, method="CANCEL")
    )
    assert str(cancel["method"]) == "CANCEL"
    [req_event], [cancel_event] = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert cancel_event["uid"] == req_event["uid"]
    assert int(cancel_event["sequence"]) > int(req_event["sequence"])
    assert str(cancel_event["status"]) == "CANCELLED"


def test_the_feed_url_works_until_revoked_or_regenerated(world, make_session, client):
    make_session()
    token = calendar_feed_regenerate(user=world.client)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(events(response.content)) == 1

    new_token = calendar_feed_regenerate(user=world.client)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200

    calendar_feed_revoke(user=world.client)
    assert client.get(f"/calendar/{new_token}.ics").status_code == 404


def test_the_token_is_long_and_stored_only_as_a_hash(world):
    from coaching.notifications.models import CalendarFeed

    token = calendar_feed_regenerate(user=world.client)
    assert len(token) >= 43  # 32 random bytes, base64
    assert token not in CalendarFeed.objects.get(user=world.client).token_hash


def test_an_invitation_attaches_to_an_email(world, make_session):
    from django.core.mail import EmailMultiAlternatives

    session = make_session()
    message = EmailMultiAlternatives(subject="s", body="b", to=[world.client.email])
    calendar.attach_session_ics(message, session, for_user=world.client)
    raw = message.message().as_string()
    assert 'text/calendar; charset="utf-8"; method="REQUEST"' in raw
    [part] = message.attachments
    assert f"{session.code}@coaching" in part.get_payload(decode=True).decode()


def test_the_feed_holds_three_months_back_and_twelve_ahead_only(world, make_session):
    """#11: the feed no longer builds every session the user ever had."""
    inside = [
        make_session(starts_in=-timedelta(days=80)),
        make_session(starts_in=timedelta(days=350)),
    ]
    make_session(starts_in=-timedelta(days=100))
    make_session(starts_in=timedelta(days=380))
    uids = {str(e["uid"]) for e in events(calendar.feed_for(world.client))}
    assert uids == {f"{s.code}@coaching" for s in inside}


def test_a_chain_that_began_before_the_window_keeps_its_first_uid(world, make_session):
    from sessions.models import Session

    first = make_session(starts_in=-timedelta(days=200))
    moved = make_session(starts_in=timedelta(days=10))
    Session.objects.filter(pk=first.pk).update(status="rescheduled", rescheduled_to=moved)
    [event] = events(calendar.feed_for(world.client))
    assert str(event["uid"]) == f"{first.code}@coaching"
    assert event.decoded("dtstart") == moved.starts_at
