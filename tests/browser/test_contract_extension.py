"""In a real browser (#13): an active 6-session contract is extended to 8 sessions; the client
asks for a change; the practice sends version 3; every party accepts; a session moved in
between keeps the numbering gapless, and the two new sessions are numbered 7 and 8."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from programs.models import Contract
from sessions.models import Session
from tests.factories import PASSWORD
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").first.click()


def _click(page, locator):
    with page.expect_navigation():
        locator.click()


def _amend(admin, contract_url, *, reason, minutes=None):
    admin.goto(contract_url)
    _click(admin, admin.get_by_role("link", name="Amend the contract (new version)"))
    admin.fill("input[name=sessions_count]", "8")
    admin.fill("input[name=ends_on]", "2027-09-04")
    if minutes:
        admin.select_option("select[name=session_minutes]", str(minutes))
    admin.fill("[name=change_reason]", reason)
    _click(admin, admin.get_by_role("button", name="Save terms"))


def _counted(program):
    return list(
        program.sessions.filter(status__in=["scheduled", "held"])
        .order_by("starts_at")
        .values_list("number", flat=True)
    )


def test_an_extension_negotiated_in_the_browser_schedules_sessions_7_and_8(world, new_page):
    program = builders.program(world, sessions=6)  # 5 Jan 2027 onwards, every 14 days
    contract = program.contract
    slug = world.practice.slug
    contract_url = f"/p/{slug}/contracts/{contract.code}/"
    program_url = f"/p/{slug}/programs/{program.code}/"
    admin, client, sponsor = new_page(), new_page(), new_page()
    for page, user in [(admin, world.admin), (client, world.client), (sponsor, world.sponsor)]:
        _sign_in(page, user)

    # Version 2: eight sessions, two more months.
    _amend(admin, contract_url, reason="Two more sessions for the new role")
    contract.refresh_from_db()
    assert (contract.current_version.number, contract.in_force_version.number) == (2, 1)

    # The client asks for changes instead of accepting.
    client.goto(contract_url)
    expect(client.get_by_text("Version 2 is an amendment waiting for every party")).to_be_visible()
    client.fill("textarea[name=comment]", "Ninety minutes each, please.")
    _click(client, client.get_by_role("button", name="Ask for changes"))

    # Meanwhile the admin moves session 2 after session 6: the numbers close up.
    admin.goto(program_url)
    second = program.sessions.get(number=2)
    row = admin.locator("tr").filter(has=admin.locator(f"form[action*='{second.code}']")).first
    row.locator("input[name=starts_at]").last.fill("2027-03-30T09:00")
    _click(admin, row.get_by_role("button", name="Move"))
    assert _counted(program) == [1, 2, 3, 4, 5, 6]
    moved = Session.objects.get(pk=second.pk).rescheduled_to
    assert moved.number == 6

    # The practice reads the comment and answers with version 3.
    admin.goto(contract_url)
    expect(admin.get_by_text("Ninety minutes each, please.")).to_be_visible()
    _amend(admin, contract_url, reason="Ninety minutes as asked", minutes=90)

    # Every party accepts version 3.
    for page, party in [(client, "Client"), (sponsor, "Sponsor"), (admin, "Practice")]:
        page.goto(contract_url)
        _click(page, page.get_by_role("button", name=f"Accept version 3 as {party}"))
    contract.refresh_from_db()
    assert (contract.status, contract.in_force_version.number) == (Contract.Status.ACTIVE, 3)

    # Two more sessions, scheduled on the program's page: numbered 7 and 8.
    admin.goto(program_url)
    expect(admin.get_by_text("0 of 8 sessions used")).to_be_visible()
    _click(admin, admin.get_by_role("link", name="Schedule sessions"))
    admin.fill("input[name=first]", "2027-04-13T09:00")
    admin.fill("input[name=count]", "2")
    admin.fill("input[name=spacing_days]", "14")
    _click(admin, admin.locator("form [type=submit]").last)
    assert _counted(program) == [1, 2, 3, 4, 5, 6, 7, 8]
    new = program.sessions.filter(starts_at__gte=datetime(2027, 4, 1, tzinfo=JKT))
    assert sorted(new.values_list("number", "duration_minutes")) == [(7, 90), (8, 90)]
    numbers = admin.locator("table tbody tr td:first-child").all_inner_texts()
    assert [n for n in numbers if n.strip()][-2:] == ["7", "8"]
