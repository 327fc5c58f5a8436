"""The coach's private notes and reflection reach no page of the client, admin or sponsor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import ActionItem
from tests.sessions.factories import (
    ActionItemFactory,
    CheckInFactory,
    CheckOutFactory,
    NoteFactory,
    ObjectiveFactory,
    PreparationFactory,
    RatingFactory,
    SessionFactory,
    held_session,
    program_for,
)

SECRET = "zq-PRIVATE-7731-marker"


@pytest.fixture
def planted(world):
    program = program_for(world)
    objective = ObjectiveFactory(program=program)
    held = SessionFactory(
        program=program, number=1, status="held", starts_at=timezone.now() - timedelta(days=7)
    )
    upcoming = SessionFactory(program=program, number=2)
    NoteFactory(
        session=held,
        text=f"note {SECRET}",
        on_theme="no",
        drift_reason="other",
        drift_text=f"drift {SECRET}",
    )
    PreparationFactory(session=held, reflection=f"reflection {SECRET}")
    PreparationFactory(session=upcoming, reflection=f"next reflection {SECRET}")
    CheckInFactory(session=held, goal="Shared goal")
    CheckOutFactory(session=held, take_aways="Shared take-away")
    ActionItemFactory(session=held, text="Shared task")
    ActionItemFactory(session=held, text="Coach task", assignee=ActionItem.Assignee.COACH)
    RatingFactory(session=held, objective=objective, score=6)
    return {"program": program, "held": held, "upcoming": upcoming}


def _pages(world, planted):
    slug = world.practice.slug
    pages = [
        reverse(name, args=[slug])
        for name in [
            "practice_home",
            "dashboard_admin",
            "dashboard_coach",
            "dashboard_client",
            "dashboard_sponsor",
            "client_coaching",
            "member_list",
        ]
    ]
    pages.append(reverse("member_detail", args=[slug, world.client.code]))
    pages.append(reverse("coach_program", args=[slug, planted["program"].code]))
    for session in (planted["held"], planted["upcoming"]):
        pages.append(reverse("session_prepare", args=[slug, session.code]))
        pages.append(reverse("session_run", args=[slug, session.code]))
    return pages


@pytest.mark.parametrize("persona", ["client", "admin", "sponsor", "other_coach"])
def test_it_hides_private_notes_and_reflection_from_everyone_but_the_coach(
    persona, world, planted, client_for
):
    browser = client_for(world.persona(persona))
    reached = 0
    for url in _pages(world, planted):
        response = browser.get(url, follow=True)
        assert SECRET not in response.content.decode(), f"{persona} reads the secret at {url}"
        reached += response.status_code == 200
    assert reached >= 1


def test_the_client_reads_what_is_shared(world, planted, client_for):
    page = client_for(world.client).get(reverse("client_coaching", args=[world.practice.slug]))
    for shared in ["Shared goal", "Shared take-away", "Shared task", "<svg"]:
        assert shared in page.text


def test_the_coach_reads_their_private_notes(world, planted, client_for):
    slug = world.practice.slug
    browser = client_for(world.coach)
    assert SECRET in browser.get(reverse("session_run", args=[slug, planted["held"].code])).text
    assert (
        SECRET in browser.get(reverse("coach_program", args=[slug, planted["program"].code])).text
    )


def test_private_notes_are_encrypted_at_rest(world, planted):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text, drift_text FROM coaching_sessions_conversationnote")
        rows = cursor.fetchall()
        cursor.execute("SELECT reflection FROM coaching_sessions_preparation")
        rows += cursor.fetchall()
    assert rows and all(SECRET not in value for row in rows for value in row)


@pytest.mark.parametrize(
    ("scope", "shown"), [("private", False), ("client", True)], ids=["private", "shared"]
)
def test_last_time_shows_a_previous_coachs_check_out_only_if_not_private(
    scope, shown, world, client_for
):
    """The session and preparation pages read the previous session with its check-out in one
    query (#11): a check-out another coach kept private (the program changed coach) stays
    hidden there, a shared one is shown."""
    program = program_for(world)
    previous = held_session(program, 1, days_ago=7, content=False)
    CheckOutFactory(
        session=previous, author=world.other_coach, scope=scope, take_aways="PREVIOUS-TAKEAWAY"
    )
    upcoming = SessionFactory(program=program, number=2)
    web = client_for(world.coach)
    for name in ("session_run", "session_prepare"):
        body = web.get(reverse(name, args=[world.practice.slug, upcoming.code])).content.decode()
        assert ("PREVIOUS-TAKEAWAY" in body) is shown
        assert ("No check-out was written." in body) is not shown
