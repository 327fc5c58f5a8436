"""In a real browser (#17, #14): a coach's own session template, with a different part order
and a 10-minute check-in, drives the session page; the session clock shows the check-in's time
box and records its length; a part saves itself as the coach goes."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from session_templates.models import ProgramTemplate, SessionClock, SessionTemplate
from sessions.models import CheckIn, CheckOut
from tests.factories import PASSWORD
from tests.sessions.factories import SessionFactory, program_for

PARTS_IN_ORDER = (
    "Array.from(document.querySelectorAll('[data-testid=session-parts] > section')).map(s => s.id)"
)


def _coach(new_page, sign_in, world, width=1280):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, world.coach.email, PASSWORD)
    return page


def test_a_coachs_template_drives_the_session_page(new_page, sign_in, world):
    program = program_for(world)
    session = SessionFactory(program=program, number=2, starts_at=timezone.now())
    slug = world.practice.slug
    page = _coach(new_page, sign_in, world)

    # The coach writes their model: check-out before the notes, a pause of their own, no
    # ratings, a check-in of at most 10 minutes with their own first question.
    page.goto(f"/p/{slug}/session-templates/new/")
    page.fill("input[name=name]", "Rina's model")
    page.fill("input[name=check_in_max_minutes]", "10")
    for name, value in {
        "check_in_position": "1",
        "extra1_position": "2",
        "check_out_position": "3",
        "note_position": "4",
        "task_position": "5",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.uncheck("input[name=ratings_used]")
    page.fill("input[name=extra1_title_en]", "A minute of silence")
    page.fill("textarea[name=check_in_prompts_en]", "What is alive for you today?")
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('Save the template')")
    assert "The session template is saved." in page.inner_text("main")

    # The program follows it (chosen on the client's page).
    page.goto(f"/p/{slug}/coaching/programs/{program.code}/")
    page.select_option("#id_template", label="Rina's model")
    with page.expect_navigation():
        page.click("#session-template button[type=submit]")
    assert ProgramTemplate.objects.get(program=program).template.name == "Rina's model"

    page.goto(f"/p/{slug}/sessions/{session.code}/run/")
    assert page.evaluate(PARTS_IN_ORDER) == [
        "part-check_in",
        "part-extra-2",
        "part-check_out",
        "part-note",
        "part-task",
        "boundary",
    ]
    assert page.inner_text("#part-extra-2 h2") == "A minute of silence"
    assert "What is alive for you today?" in page.inner_text("#part-check_in")
    assert page.inner_text("[data-testid=check-in-box]") == "time box 5–10 minutes"
    assert page.locator("#part-ratings").count() == 0
    # The clock starts with the template's box, and records it beside the session.
    page.click("[data-testid=check-in-start]")
    page.wait_for_selector("[data-testid=check-in-running]")
    clock = SessionClock.objects.get(session=session)
    assert (clock.check_in_min_minutes, clock.check_in_max_minutes) == (5, 10)
    assert SessionTemplate.objects.get().check_in_max_minutes == 10


def test_the_session_clock_shows_the_check_in_box_and_records_its_length(new_page, sign_in, world):
    program = program_for(world)
    session = SessionFactory(
        program=program, number=1, starts_at=timezone.now() - timedelta(minutes=1)
    )
    slug = world.practice.slug
    page = _coach(new_page, sign_in, world, width=768)  # a tablet
    page.goto(f"/p/{slug}/sessions/{session.code}/run/")
    assert page.is_visible("[data-testid=confidentiality-reminder]")
    assert page.inner_text("[data-testid=check-in-box]") == "time box 5–15 minutes"
    assert page.inner_text("[data-testid=check-out-box]") == "about 15 minutes"
    elapsed = page.inner_text("[data-testid=clock-elapsed]")
    assert elapsed.startswith(("1:", "2:"))  # the session began a minute ago

    page.click("[data-testid=check-in-start]")
    page.wait_for_selector("[data-testid=check-in-running]")
    # It ticks: the figure leaves 0:00 and 0:01 within a few seconds (the page's own script).
    expect(page.locator("[data-testid=check-in-running]")).to_have_text(
        re.compile(r"^0:0[2-9]$"), timeout=6000
    )
    # Nine minutes later (the start moved back in the record): the running check-in shows it.
    clock = SessionClock.objects.get(session=session)
    moved = clock.check_in_started_at - timedelta(minutes=9)
    SessionClock.objects.filter(pk=clock.pk).update(check_in_started_at=moved, started_at=moved)
    page.reload()
    assert page.inner_text("[data-testid=check-in-running]").startswith("9:")

    # A part saves itself when the coach moves on, and says so.
    page.fill("#part-check_in textarea[name=goal]", "Decide on the handover")
    page.press("#part-check_in textarea[name=goal]", "Tab")
    page.wait_for_selector("[data-testid=saved-check_in]")
    assert CheckIn.objects.get(session=session).goal == "Decide on the handover"

    page.click("[data-testid=check-in-end]")
    page.wait_for_selector("[data-testid=check-in-length]")
    length = page.inner_text("[data-testid=check-in-length]")
    assert length.startswith("took 9:")
    clock.refresh_from_db()
    assert 9 * 60 <= clock.check_in_seconds < 10 * 60
    # The coach's pattern: the length is on the client's page too.
    page.goto(f"/p/{slug}/coaching/programs/{program.code}/")
    assert page.inner_text("[data-testid=clock-lengths]").startswith("9:")
    # Usable on a tablet: nothing wider than the screen.
    page.goto(f"/p/{slug}/sessions/{session.code}/run/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768


def test_a_part_typed_while_the_connection_is_down_is_saved_when_it_is_back(
    new_page, sign_in, world
):
    session = SessionFactory(program=program_for(world), number=2, starts_at=timezone.now())
    page = _coach(new_page, sign_in, world)
    page.goto(f"/p/{world.practice.slug}/sessions/{session.code}/run/")
    page.context.set_offline(True)
    page.fill("#part-check_out textarea[name=take_aways]", "Small steps build trust")
    page.press("#part-check_out textarea[name=take_aways]", "Tab")
    expect(page.locator("#saved-check_out")).to_contain_text("Not saved")
    assert page.input_value("#part-check_out textarea[name=take_aways]") == (
        "Small steps build trust"
    )
    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=saved-check_out]")
    assert CheckOut.objects.get(session=session).take_aways == "Small steps build trust"
