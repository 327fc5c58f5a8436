"""In a real browser (#14): the coach's dashboard leads to a session whose check-out is
unfinished; a client on a 375 px phone marks a task done; the navigation fits at 1280 px for
every role, with the user's name visible and the current page marked."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ethics.models import Consent
from sessions.models import ActionItem, CheckOut
from tests.factories import PASSWORD, MembershipFactory
from tests.sessions.factories import (
    ActionItemFactory,
    NoteFactory,
    SessionFactory,
    held_session,
    program_for,
)

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def open_as(browser, live_server):
    """open_as(user, viewport) -> a signed-in page in a context of that size."""
    contexts = []

    def _open_as(user, viewport=LAPTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").first.click()
        return page

    yield _open_as
    for context in contexts:
        context.close()


def _overflow(page):
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_coach_opens_a_session_with_an_unfinished_check_out_from_the_dashboard(world, open_as):
    program = program_for(world)
    complete = held_session(program, 1, days_ago=14)  # notes and a check-out
    CheckOut.objects.filter(session=complete).update(completed_at=timezone.now())
    unfinished = held_session(program, 2, days_ago=2, content=False)
    NoteFactory(session=unfinished, text="Notes written, check-out not yet")
    SessionFactory(program=program, number=3)
    page = open_as(world.coach)
    page.goto(reverse("dashboard_coach", args=[world.practice.slug]))
    row = page.locator("#unfinished li", has_text="session 2")
    assert "check-out not done" in row.inner_text()
    assert page.locator("#unfinished li", has_text="session 1").count() == 0
    with page.expect_navigation():
        row.locator("a").first.click()
    assert page.url.endswith(reverse("session_run", args=[world.practice.slug, unfinished.code]))
    assert page.locator("h1").inner_text() == "Session 2"
    assert "Check-out" in page.inner_text("main, body")


def test_a_client_on_a_375_px_phone_marks_a_task_done_with_a_comment(world, open_as):
    Consent.objects.create(
        practice=world.practice,
        client=world.client,
        kind=Consent.Kind.DATA_PROCESSING,
        text="I agree",
        text_version="1",
    )
    program = program_for(world)
    session = held_session(program, 1, days_ago=7, content=False)
    task = ActionItemFactory(
        session=session, text="Ask two peers for feedback", due_on=date(2030, 1, 15)
    )
    ActionItemFactory(session=session, text="Keep a journal", due_on=date(2030, 1, 20))
    SessionFactory(program=program, number=2, video_link="https://meet.example/abc")
    page = open_as(world.client, viewport=PHONE)
    dashboard = reverse("dashboard_client", args=[world.practice.slug])
    page.goto(dashboard)
    assert _overflow(page) <= 0
    item = page.locator(".task-list li", has_text="Ask two peers for feedback")
    assert "due 15 January 2030" in item.inner_text()
    button = item.get_by_role("button", name="Mark done")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    item.locator("input[name=comment]").fill("Both answered")
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(dashboard)
    assert "Task marked done." in page.inner_text("body")
    assert page.locator(".task-list li", has_text="Ask two peers for feedback").count() == 0
    assert page.locator(".task-list li", has_text="Keep a journal").count() == 1
    task.refresh_from_db()
    assert task.done_at is not None and task.done_comment == "Both answered"
    assert ActionItem.objects.filter(done_at=None).count() == 1
    # The client's other pages fit the phone too.
    for url in [
        reverse("client_coaching", args=[world.practice.slug]),
        reverse("consent_list", args=[world.practice.slug]),
        reverse("access_log_mine", args=[world.practice.slug]),
        reverse("notification_inbox"),
    ]:
        page.goto(url)
        assert _overflow(page) <= 0, url


@pytest.mark.parametrize("persona", ["admin", "coach", "client", "sponsor", "admin_and_coach"])
@pytest.mark.parametrize("language", ["en", "id"])
def test_the_navigation_fits_at_1280_px_with_the_name_visible_and_the_page_marked(
    persona, language, world, open_as
):
    if persona == "admin_and_coach":
        # The widest navigation: a practice's admin who also coaches (the demo's admin).
        MembershipFactory(practice=world.practice, user=world.admin, role="coach")
        user, role = world.admin, "admin"
    else:
        user, role = world.persona(persona), persona
    user.full_name = "Ratna Kusumawardhani Setiadi"  # a long Indonesian name
    user.language = language
    user.save()
    page = open_as(user)
    page.goto(reverse(f"dashboard_{role}", args=[world.practice.slug]))
    assert _overflow(page) <= 0
    name = page.locator("#user-menu")
    assert name.is_visible()
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"]
    assert name.inner_text().strip() == "Ratna Kusumawardhani Setiadi"
    # Whole, not cut off with an ellipsis.
    assert page.eval_on_selector("#user-menu .user-name", "e => e.scrollWidth <= e.clientWidth")
    # The whole navigation is one row: every top-level item at the height of the first.
    tops = page.eval_on_selector_all(
        "#mainnav > ul > li, #mainnav > form, #mainnav > ul > li",
        "items => items.map(i => Math.round(i.getBoundingClientRect().top))",
    )
    assert max(tops) - min(tops) <= 8, tops
    current = page.locator("#mainnav [aria-current=page]")
    assert current.count() == 1
    assert current.get_attribute("href") == reverse(f"dashboard_{role}", args=[world.practice.slug])
