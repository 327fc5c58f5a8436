"""In a real browser: one program from proposal to graduation through the pages alone, as the
admin, the client, the sponsor and the coach, each in a browser of their own. Its Django-client
twin is tests/programs/test_lifecycle_walk.py.

Nothing but clicks and typing moves the program on; the database is only read, to confirm.
Time travels with time_machine, which patches the clock of the whole process, so the live
server's thread travels with the test. The walk spans eleven days, inside Django's two-week
session age: nobody is signed out on the way.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from programs.models import ChemistryMeeting, Contract, Program, Proposal
from sessions.models import Session
from tests.factories import PASSWORD

JKT = ZoneInfo("Asia/Jakarta")


def follow(locator):
    """Clicks a link or a button and waits for the page it leads to."""
    with locator.page.expect_navigation():
        locator.click()
    return locator.page


def link(page, name, **kw):
    return page.get_by_role("link", name=name, **kw)


def button(page, name, **kw):
    return page.get_by_role("button", name=name, **kw)


def says(page, text):
    """The page shows this message (Django's messages, at the top of <main>)."""
    expect(page.locator(".messages")).to_contain_text(text)


def panel(page, heading):
    """The panel (a dashboard's or a page's section) under this heading."""
    return page.locator(".panel").filter(has=page.get_by_role("heading", name=heading, exact=True))


def save_part(page, part):
    """Saves one part of the running session (htmx posts it and swaps the section in place)."""
    with page.expect_response(
        lambda r: r.url.endswith(f"/run/{part}/") and r.request.method == "POST"
    ) as answer:
        page.locator(f"#part-{part} button[type=submit]").click()
    body = answer.value.text()
    assert answer.value.ok and "is-invalid" not in body and "alert-danger" not in body, body


def prepare_session(coach, number):
    """The coach opens the next session's preparation from the dashboard."""
    follow(link(coach, "Coaching", exact=True))
    upcoming = panel(coach, "Upcoming sessions").get_by_role("listitem").first
    expect(upcoming).to_contain_text(f"session {number}")
    follow(upcoming.get_by_role("link", name="Prepare"))
    expect(coach.get_by_role("heading", name=f"Prepare session {number}")).to_be_visible()


def hold_session(coach, number, *, goal, take_aways, rating):
    """From the preparation, the coach runs the session, checks out and marks it held."""
    follow(link(coach, "Open the session page"))
    expect(coach.get_by_role("heading", name=f"Session {number}")).to_be_visible()
    coach.fill("#part-check_in textarea[name=goal]", goal)
    save_part(coach, "check_in")
    coach.fill("#part-check_out textarea[name=take_aways]", take_aways)
    save_part(coach, "check_out")
    coach.get_by_label("Objective 1:").fill(str(rating))
    save_part(coach, "ratings")
    follow(button(coach, "Mark the session held"))
    says(coach, "The session is marked held.")
    expect(button(coach, "Mark the session held")).to_have_count(0)


def test_one_program_from_proposal_to_graduation_in_the_browser(world, new_page, sign_in):
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=JKT)) as traveller:
        # --- Monday 23 November: the admin proposes coaching to the client, with a sponsor.
        admin = new_page()
        sign_in(admin, world.admin.email, PASSWORD)
        follow(link(admin, "New proposal"))
        admin.select_option("#id_origin", "supply_driven")
        admin.select_option("#id_client", label=f"Client <{world.client.email}>")
        admin.select_option("#id_sponsor", label=f"Sponsor <{world.sponsor.email}>")
        admin.fill("#id_need", "Lead the new team without carrying it alone.")
        admin.select_option("#id_duration", label="3 months")
        admin.fill("#id_sessions_count", "2")
        admin.select_option("#id_session_minutes", label="90 minutes")
        admin.select_option("#id_cadence", label="weekly")
        admin.fill("#id_price_minor", "9000000")
        admin.fill("#id_expires_on", "2026-12-15")
        follow(button(admin, "Save draft"))
        says(admin, "Proposal saved as a draft.")
        expect(admin.get_by_test_id("proposal-status")).to_have_text("Draft")
        follow(button(admin, "Send the proposal"))
        says(admin, "Proposal sent.")
        expect(admin.get_by_test_id("proposal-status")).to_have_text("Sent")

        # The client and the sponsor find it waiting on their dashboards and accept it.
        client = new_page()
        sign_in(client, world.client.email, PASSWORD)
        expect(panel(client, "Waiting for your answer")).to_be_visible()
        follow(link(client, re.compile(r"^A coaching proposal \(answer by")))
        follow(button(client, "Accept the proposal"))
        says(client, "Thank you: you accepted.")
        expect(client.get_by_test_id("proposal-status")).to_have_text("Sent")

        sponsor = new_page()
        sign_in(sponsor, world.sponsor.email, PASSWORD)
        follow(link(sponsor, re.compile(r"^A coaching proposal \(answer by")))
        expect(sponsor.locator("main")).to_contain_text("Lead the new team")
        follow(button(sponsor, "Accept the proposal"))
        says(sponsor, "Thank you: you accepted.")
        expect(sponsor.get_by_test_id("proposal-status")).to_have_text("Accepted")
        assert Proposal.objects.get().status == Proposal.Status.ACCEPTED

        # The admin drafts the contract from the proposal, checks the terms and sends it.
        admin.reload()
        expect(admin.get_by_test_id("proposal-status")).to_have_text("Accepted")
        admin.fill("#id_starts_on", "2026-11-26")
        follow(button(admin, "Draft the contract"))
        says(admin, "Contract drafted from the proposal. Check the terms.")
        expect(admin.locator("#id_sessions_count")).to_have_value("2")
        admin.fill("#id_payment_terms", "Invoice on signing, payable in 14 days.")
        follow(button(admin, "Save terms"))
        says(admin, "Contract terms saved.")
        expect(admin.get_by_test_id("contract-status")).to_have_text("Draft")
        follow(button(admin, "Send for acceptance"))
        says(admin, "Contract sent for acceptance.")
        expect(admin.get_by_test_id("contract-status")).to_have_text("Waiting for acceptance")

        # Every party accepts version 1: the client, the sponsor, then the practice.
        for page, party in [(client, "Client"), (sponsor, "Sponsor")]:
            follow(link(page, "My coaching" if page is client else "Sponsored programs"))
            follow(link(page, "A contract to read and accept"))
            expect(page.locator("main")).to_contain_text("Invoice on signing")
            follow(button(page, f"Accept version 1 as {party}"))
            says(page, "You accepted the contract.")
            expect(button(page, re.compile(r"^Accept version"))).to_have_count(0)
        admin.reload()
        follow(button(admin, "Accept version 1 as Practice"))
        says(admin, "You accepted the contract.")
        expect(admin.get_by_test_id("contract-status")).to_have_text("Active")
        assert Contract.objects.get().status == Contract.Status.ACTIVE

        # The admin proposes the coach as a candidate and books the chemistry meeting.
        follow(link(admin, "Propose a candidate coach"))
        admin.select_option("#id_coach", label="Coach")
        admin.fill("#id_starts_at", "2026-11-24T10:00")
        admin.select_option("#id_format", label="Video call")
        admin.fill("#id_place", "https://meet.example.test/cahaya")
        follow(button(admin, "Propose this coach"))
        says(admin, "Chemistry meeting scheduled.")
        expect(admin.get_by_test_id("meeting-status")).to_have_text("Scheduled")

        # --- Tuesday 24 November, after the chemistry meeting: both sides say how it went.
        traveller.move_to(datetime(2026, 11, 24, 10, 40, tzinfo=JKT))
        coach = new_page()
        sign_in(coach, world.coach.email, PASSWORD)
        meetings = panel(coach, "Programs")
        expect(meetings).to_contain_text("Chemistry meetings")
        meetings.get_by_label("Rapport (1-5)").select_option("4")
        meetings.get_by_label("Compatible?").select_option(label="Compatible")
        follow(button(meetings, "Record the outcome"))
        says(coach, "Thank you, the outcome is recorded.")
        expect(panel(coach, "Programs")).to_contain_text("outcome recorded")

        follow(link(client, "My coaching"))
        follow(link(client, "Record how it went and choose your coach"))
        client.get_by_label("Rapport (1-5)").select_option("5")
        client.get_by_label("Compatible?").select_option(label="Yes")
        client.get_by_label("Note").fill("Easy to talk to.")
        follow(button(client, "Record how it went"))
        says(client, "Thank you, the outcome is recorded.")
        expect(client.get_by_test_id("meeting-status")).to_have_text("Held")
        follow(button(client, "Choose Coach as my coach"))
        says(client, "Your coach is chosen. Your program has started.")
        expect(client.get_by_test_id("program-status")).to_have_text("Active")
        assert ChemistryMeeting.objects.get().status == ChemistryMeeting.Status.CHOSEN
        program = Program.objects.get()

        # The coach writes the theme, the aims, the states of being and an objective.
        follow(link(coach, "Coaching", exact=True))
        follow(link(panel(coach, "Programs"), "Client"))
        follow(link(coach, "Edit", exact=True))
        coach.fill("#id_theme", "Leading calmly")
        coach.fill("#id_aims", "Delegate, and trust the team with it.")
        coach.fill("#id_current_state", "Overwhelmed, doing the team's work at night.")
        coach.fill("#id_future_state", "Calm and trusted; the team owns its work.")
        follow(button(coach, "Save", exact=True))
        says(coach, "Saved.")
        expect(coach.locator("main")).to_contain_text("Leading calmly")
        coach.get_by_label("New objective").fill("Delegate two projects")
        coach.get_by_label("How it will be judged").fill("Both run without me by December")
        follow(button(coach, "Add", exact=True))
        says(coach, "Objective added.")
        expect(panel(coach, "Theme")).to_contain_text("Delegate two projects")

        # The admin sees the program waiting in the pipeline and schedules its two sessions.
        follow(link(admin, "Pipeline", exact=True))
        expect(admin).to_have_title("Pipeline · Coaching practice")
        follow(link(admin, "waiting for the practice to schedule"))
        expect(admin.locator("main")).to_contain_text("with 2 sessions of 90 minutes")
        admin.fill("#id_first", "2026-11-27T09:00")
        admin.fill("#id_count", "2")
        admin.fill("#id_spacing_days", "7")
        admin.select_option("#id_format", label="Video call")
        admin.fill("#id_video_link", "https://meet.example.test/cahaya")
        follow(button(admin, "Schedule", exact=True))
        says(admin, "2 session(s) scheduled.")
        sessions_table = panel(admin, "Sessions").locator("tbody tr")
        expect(sessions_table).to_have_count(2)
        expect(sessions_table.nth(0)).to_contain_text("Scheduled")

        # The sponsor sees the program's logistics, never its theme.
        follow(link(sponsor, "Sponsored programs"))
        follow(link(sponsor, "Coaching with Coach"))
        expect(sponsor.get_by_test_id("program-status")).to_have_text("Active")
        expect(panel(sponsor, "Sessions").locator("tbody tr")).to_have_count(2)
        expect(sponsor.locator("main")).not_to_contain_text("Leading calmly")

        # --- Friday 27 November, five minutes into session 1: prepare, run, check out, held.
        traveller.move_to(datetime(2026, 11, 27, 9, 5, tzinfo=JKT))
        prepare_session(coach, 1)
        expect(coach.locator("main")).to_contain_text("This is the first session of the program.")
        coach.fill("textarea[name=reflection]", "Listen for what the client will not delegate.")
        follow(button(coach, "Save reflection"))
        says(coach, "Your reflection is saved.")
        hold_session(coach, 1, goal="Choose the first project", take_aways="Start small", rating=4)

        # --- Friday 4 December: the last session; its check-out closes the program's sessions.
        traveller.move_to(datetime(2026, 12, 4, 9, 5, tzinfo=JKT))
        prepare_session(coach, 2)
        expect(coach.locator("main")).to_contain_text("Start small")  # the last check-out
        hold_session(
            coach, 2, goal="Hand over the second", take_aways="Trust grows by doing", rating=8
        )
        assert set(program.sessions.values_list("status", flat=True)) == {Session.Status.HELD}

        # The coach reviews the objective against the FSoB and graduates the program.
        follow(link(coach, "Coaching", exact=True))
        follow(link(panel(coach, "Programs"), "Client"))
        follow(link(coach, "Graduation"))
        expect(coach.locator("main")).to_contain_text("2 sessions used.")
        coach.get_by_label("Result").select_option(label="Achieved")
        coach.get_by_label("Note").fill("Both projects run without the client.")
        follow(button(coach, "Save review"))
        says(coach, "Review saved.")
        expect(coach.get_by_test_id("review")).to_contain_text("Achieved")
        coach.fill("#id_summary", "A calmer leader whose team owns its work.")
        follow(button(coach, "Graduate the program"))
        says(coach, "The program has graduated.")
        expect(coach.get_by_test_id("program-status")).to_have_text("Graduated")

        # The client sees the graduated program and opens the certificate.
        follow(link(client, "My coaching"))
        expect(panel(client, "Programs")).to_contain_text("Graduated")
        follow(link(client, "Coaching with Coach"))
        expect(client.get_by_test_id("program-status")).to_have_text("Graduated")
        follow(link(client, "Certificate"))
        certificate = client.locator("main")
        expect(certificate).to_contain_text("Certificate of completion")
        expect(certificate).to_contain_text("Client has completed a coaching program")
        expect(certificate).to_contain_text("2 sessions")
        expect(certificate).to_contain_text("A calmer leader whose team owns its work.")

        # The admin's pipeline counts it graduated; the program's timeline shows its states.
        follow(link(admin, "Admin", exact=True))
        expect(panel(admin, "Pipeline")).to_contain_text("1 Graduated")
        follow(link(admin, "Pipeline", exact=True))
        follow(link(panel(admin, "Programs"), "Client"))
        timeline = panel(admin, "Timeline")
        expect(timeline).to_contain_text("Program: chemistry → active")
        expect(timeline).to_contain_text("Program: active → scheduled")
        expect(timeline).to_contain_text("Program: active → graduated")

    program.refresh_from_db()
    assert program.status == Program.Status.GRADUATED
    assert program.completion_summary == "A calmer leader whose team owns its work."
    assert Contract.objects.get().status == Contract.Status.ENDED
