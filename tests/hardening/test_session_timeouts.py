"""Finding 4 of #12: 30 minutes idle for coaches and admins, 12 hours absolute for everyone."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone


def _dashboard(world, person):
    role = {"coach": "dashboard_coach", "admin": "dashboard_admin", "client": "dashboard_client"}
    return reverse(role[person], args=[world.practice.slug])


def test_a_coach_idle_for_31_minutes_is_signed_out(world, client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        browser = client_for(world.coach)
        url = _dashboard(world, "coach")
        assert browser.get(url).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert browser.get(url).status_code == 200  # active: still signed in
        traveller.shift(timedelta(minutes=31))
        response = browser.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response.url
        assert "_auth_user_id" not in browser.session


def test_a_client_idle_for_an_hour_stays_but_not_past_twelve_hours(world, client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        browser = client_for(world.client)
        url = _dashboard(world, "client")
        assert browser.get(url).status_code == 200
        traveller.shift(timedelta(hours=1))
        assert browser.get(url).status_code == 200
        traveller.shift(timedelta(hours=11, minutes=1))
        assert browser.get(url).status_code == 302


def test_an_admin_working_steadily_is_still_signed_out_after_twelve_hours(world, client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        browser = client_for(world.admin)
        url = _dashboard(world, "admin")
        for _ in range(24):
            assert browser.get(url).status_code == 200
            traveller.shift(timedelta(minutes=29))
        traveller.shift(timedelta(minutes=25))  # 721 minutes after signing in, 25 idle
        assert browser.get(url).status_code == 302
