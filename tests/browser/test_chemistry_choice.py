"""In a real browser (#13): a client compares two candidate coaches' profiles after chemistry
and chooses one; both chemistry meetings were in the client's calendar feed beforehand."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import time_machine
from playwright.sync_api import expect

from coaching.notifications.services import calendar_feed_regenerate
from programs import services
from programs.models import ChemistryMeeting, Program
from tests.factories import PASSWORD
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")
FIRST = datetime(2026, 12, 10, 10, 0, tzinfo=JKT)
SECOND = datetime(2026, 12, 10, 14, 0, tzinfo=JKT)
AFTER_BOTH = datetime(2026, 12, 10, 16, 0, tzinfo=JKT)


def _profiles(world):
    services.coach_profile_save(
        practice=world.practice,
        actor=world.coach,
        bio_en="I help new managers lead without doing everything themselves.",
        specialties_en="Leadership transitions",
        languages="Bahasa Indonesia, English",
        icf_level="PCC",
        icf_number="PCC-2041",
        years_coaching=9,
    )
    services.coach_profile_save(
        practice=world.practice,
        actor=world.other_coach,
        bio_en="Career changes and finding your voice in meetings.",
        specialties_en="Career transitions, confidence",
        languages="English",
        icf_level="ACC",
        icf_number="ACC-7788",
        years_coaching=3,
    )


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").first.click()


def test_a_client_compares_two_coaches_and_chooses_one(world, new_page):
    contract = builders.contract(world, status="active")
    _profiles(world)
    for coach, when in [(world.coach, FIRST), (world.other_coach, SECOND)]:
        services.chemistry_propose(
            contract=contract, coach=coach, actor=world.admin, starts_at=when
        )
    page = new_page()

    # Before the meetings: both are in the client's calendar feed.
    token = calendar_feed_regenerate(user=world.client)
    feed = page.request.get(f"/calendar/{token}.ics")
    assert feed.ok
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    chemistry = sorted(
        (e.decoded("dtstart"), str(e["summary"]))
        for e in events
        if str(e["uid"]).startswith("chemistry-")
    )
    assert chemistry == [
        (FIRST, f"Chemistry meeting: {world.coach.display_name}"),
        (SECOND, f"Chemistry meeting: {world.other_coach.display_name}"),
    ]

    with time_machine.travel(AFTER_BOTH):
        _sign_in(page, world.client)
        page.goto(f"/p/{world.practice.slug}/contracts/{contract.code}/")
        cards = page.get_by_test_id("coach-profile")
        expect(cards).to_have_count(2)
        expect(cards.nth(0)).to_contain_text("PCC")
        expect(cards.nth(0)).to_contain_text("9 years of coaching")
        expect(cards.nth(0)).to_contain_text("lead without doing everything themselves")
        expect(cards.nth(1)).to_contain_text("ACC-7788")
        expect(cards.nth(1)).to_contain_text("Career transitions, confidence")

        # The client records how each meeting went, then chooses the second coach.
        for rapport in ["4", "5"]:
            form = page.locator("form:has(button:has-text('Record how it went'))").first
            form.locator("select[name=rapport]").select_option(rapport)
            with page.expect_navigation():
                form.get_by_role("button", name="Record how it went").click()
        choose = page.get_by_role(
            "button", name=f"Choose {world.other_coach.display_name} as my coach"
        )
        with page.expect_navigation():
            choose.click()

    program = Program.objects.get(contract=contract)
    assert program.coach == world.other_coach
    statuses = dict(ChemistryMeeting.objects.values_list("coach__email", "status"))
    assert statuses == {world.coach.email: "not_chosen", world.other_coach.email: "chosen"}
