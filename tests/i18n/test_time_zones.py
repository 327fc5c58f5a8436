"""Times show in the reader's time zone: their own, else their practice's."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from coaching.accounts import services

pytestmark = pytest.mark.django_db

# 9 November 2026 02:00 UTC; an invitation made then expires 14 days later, 02:00 UTC.
NOW = datetime.datetime(2026, 11, 9, 2, 0, tzinfo=datetime.UTC)


def _member_list_after_inviting(world, client_for, reader):
    with time_machine.travel(NOW, tick=False):
        services.invitation_create(
            practice=world.practice, email="budi@example.test", role="client", invited_by=reader
        )
        return client_for(reader).get(reverse("member_list", args=["cahaya"])).content.decode()


@pytest.mark.parametrize(
    "practice_tz, expected",
    [("Asia/Jakarta", "23 November 2026, 09.00"), ("Asia/Jayapura", "23 November 2026, 11.00")],
)
def test_a_user_without_a_time_zone_reads_the_practice_time(
    world, client_for, practice_tz, expected
):
    world.practice.timezone = practice_tz
    world.practice.save()
    world.admin.timezone = ""
    world.admin.language = "id"
    world.admin.save()
    assert expected in _member_list_after_inviting(world, client_for, world.admin)


def test_a_user_with_a_time_zone_of_their_own_reads_their_time(world, client_for):
    world.practice.timezone = "Asia/Jayapura"
    world.practice.save()
    world.admin.timezone = "Europe/London"
    world.admin.language = "id"
    world.admin.save()
    assert "23 November 2026, 02.00" in _member_list_after_inviting(world, client_for, world.admin)
