"""The client dashboard's programs panel: each program with its coach, its state and its
sessions held of booked, counted from the sessions panel's read of the same sessions (#11)."""

import re

from django.urls import reverse

from sessions.models import Session
from tests.factories import UserFactory
from tests.sessions.factories import SessionFactory, held_session, program_for


def _rows(page):
    return [re.sub(r"\s+", " ", row).strip() for row in re.findall(r"<li><a [^>]*>.*?</li>", page)]


def test_each_program_shows_its_sessions_held_of_booked(world, client_for):
    older = program_for(world)
    held_session(older, 1, days_ago=14)
    held_session(older, 2, days_ago=7)
    SessionFactory(program=older, number=3, status=Session.Status.CANCELLED_COACH)
    SessionFactory(program=older, number=4)
    newer = program_for(world)  # no session booked yet
    held_session(program_for(world, client=UserFactory()), 1, days_ago=3)  # another's
    page = (
        client_for(world.client)
        .get(reverse("dashboard_client", args=[world.practice.slug]))
        .content.decode()
    )
    coach = world.coach.display_name
    assert [row for row in _rows(page) if "Coaching with" in row] == [
        f'<li><a href="{reverse("program_detail", args=[world.practice.slug, p.code])}">'
        f"Coaching with {coach}</a> · Active · {counts}</li>"
        for p, counts in [(newer, "0 held of 0 booked"), (older, "2 held of 4 booked")]
    ]
