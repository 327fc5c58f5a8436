"""In a real browser: the coach prepares, runs and closes a session; the client ticks a task;
the coach sees it done when preparing the next session.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.sessions.factories import ObjectiveFactory, SessionFactory, program_for


@pytest.fixture
def _chromium(browser):
    """The shared Chromium of tests/browser/conftest.py (one Playwright per test run)."""
    return browser


def _sign_in(browser, base, user):
    page = browser.new_context().new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_coach_runs_a_session_client_ticks_a_task_coach_sees_it(live_server, world, _chromium):
    program = program_for(world)
    ObjectiveFactory(program=program, text="Delegate the weekly report")
    first = SessionFactory(
        program=program, number=1, starts_at=timezone.now() - timedelta(minutes=5)
    )
    second = SessionFactory(
        program=program, number=2, starts_at=timezone.now() + timedelta(days=14)
    )
    base, slug = live_server.url, world.practice.slug

    coach = _sign_in(_chromium, base, world.coach)
    coach.goto(f"{base}/p/{slug}/sessions/{first.code}/prepare/")
    coach.fill("textarea[name=reflection]", "Stay curious about the fear of losing control")
    coach.click("text=Save reflection")
    coach.wait_for_load_state("networkidle")

    coach.goto(f"{base}/p/{slug}/sessions/{first.code}/run/")
    coach.fill("#part-check_in textarea[name=goal]", "Plan the handover")
    coach.click("#part-check_in button[type=submit]")
    coach.wait_for_selector("#part-check_in textarea[name=goal]")
    coach.fill("#part-task input[name=task-text]", "Write the handover list")
    coach.fill("#part-task input[name=task-due_on]", "2030-01-15")
    coach.click("#part-task button[type=submit]")
    coach.wait_for_selector("#part-task >> text=Write the handover list")
    coach.fill("#part-check_out textarea[name=take_aways]", "Trust grows in small steps")
    coach.click("#part-check_out button[type=submit]")
    coach.wait_for_timeout(500)
    coach.fill("#part-ratings input[type=number]", "4")
    coach.click("#part-ratings button[type=submit]")
    coach.wait_for_timeout(500)
    coach.click("text=Mark the session held")
    coach.wait_for_load_state("networkidle")
    first.refresh_from_db()
    assert first.status == "held"

    client = _sign_in(_chromium, base, world.client)
    client.goto(f"{base}/p/{slug}/my-sessions/")
    assert "Trust grows in small steps" in client.content()
    client.fill("input[name=comment]", "Done on Friday")
    client.click("text=Mark done")
    client.wait_for_load_state("networkidle")
    assert "No open tasks." in client.content()

    coach.goto(f"{base}/p/{slug}/sessions/{second.code}/prepare/")
    text = coach.inner_text("main")
    assert "Write the handover list" in text
    assert "Done on Friday" in text
    assert "Trust grows in small steps" in text
