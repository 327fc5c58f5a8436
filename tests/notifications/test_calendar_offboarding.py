"""Finding 8 of #12: the calendar feed checks the membership on every fetch."""

from django.utils import timezone

from coaching.accounts.models import Membership
from coaching.notifications.services import calendar_feed_regenerate


def _feed(client, token):
    return client.get(f"/calendar/{token}.ics")


def test_a_deactivated_coachs_feed_no_longer_names_the_client(world, make_session, client):
    make_session()
    token = calendar_feed_regenerate(user=world.coach)
    assert b"Client" in _feed(client, token).content
    Membership.objects.filter(user=world.coach, practice=world.practice).update(
        deactivated_at=timezone.now()
    )
    response = _feed(client, token)
    assert response.status_code == 200
    assert b"Client" not in response.content
    assert b"VEVENT" not in response.content


def test_a_deactivated_client_no_longer_sees_the_sessions(world, make_session, client):
    make_session()
    token = calendar_feed_regenerate(user=world.client)
    assert b"VEVENT" in _feed(client, token).content
    Membership.objects.filter(user=world.client, practice=world.practice).update(
        deactivated_at=timezone.now()
    )
    assert b"VEVENT" not in _feed(client, token).content
