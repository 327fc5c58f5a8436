"""In a real browser, in Indonesian: one program from proposal to its first held session, as
the admin, the client, the sponsor and the coach (each reads Indonesian; their browsers say
id-ID). Every page any of them sees is checked against the English catalogue: an English
interface string on an Indonesian page is a leak (tests/i18n/english.py).

The buttons and links are found by their Indonesian names, taken from the catalogue through
gettext, so the walk also proves that what a person clicks is in their language.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation
from playwright.sync_api import expect

from programs.models import Program
from sessions.models import Session
from tests.browser.test_lifecycle import button, follow, link, panel, save_part, says
from tests.factories import PASSWORD
from tests.i18n.english import english_leaks

JKT = ZoneInfo("Asia/Jakarta")
INDONESIAN_NAMES = {
    "admin": "Dewi Lestari",
    "coach": "Rina Wijaya",
    "client": "Andi Saputra",
    "sponsor": "Hendra Gunawan",
}


def t(msgid, **values):
    """The Indonesian of a catalogue string, with its %(name)s values filled in."""
    with translation.override("id"):
        text = translation.gettext(msgid)
    return text % values if values else text


def starts_with(msgid, **values):
    """A pattern for the Indonesian of msgid, up to its first unfilled %(name)s value."""
    text = t_raw(msgid)
    for name, value in values.items():
        text = text.replace(f"%({name})s", str(value))
    return re.compile("^" + re.escape(text.split("%(")[0]))


def t_raw(msgid):
    with translation.override("id"):
        return translation.gettext(msgid)


def t_button(msgid):
    with translation.override("id"):
        return translation.pgettext("button", msgid)


class LeakLog:
    """Collects, page by page, the English strings each person saw."""

    def __init__(self):
        self.pages = 0
        self.leaks = {}

    def check(self, who, page):
        self.pages += 1
        found = english_leaks(page.content())
        if found:
            self.leaks[f"{who} at {page.url}"] = found


def test_proposal_to_the_first_held_session_in_indonesian(world, new_page, sign_in):
    for role, name in INDONESIAN_NAMES.items():
        person = world.persona(role)
        person.full_name, person.language = name, "id"
        person.save()
    world.practice.default_language = "id"
    world.practice.save()
    seen = LeakLog()

    def visit(who, page):
        """Follows a click, then checks the page it led to."""
        seen.check(who, page)
        return page

    def go(who, locator):
        return visit(who, follow(locator))

    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=JKT)) as traveller:
        admin = new_page(locale="id-ID")
        admin.goto("/accounts/login/")
        visit("anonymous", admin)  # the sign-in page follows the browser's language
        sign_in(admin, world.admin.email, PASSWORD)
        visit("admin", admin)
        expect(admin.locator("html")).to_have_attribute("lang", "id")

        go("admin", link(admin, t("New proposal")))
        admin.select_option("#id_origin", "supply_driven")
        admin.select_option("#id_client", label=f"Andi Saputra <{world.client.email}>")
        admin.select_option("#id_sponsor", label=f"Hendra Gunawan <{world.sponsor.email}>")
        admin.fill("#id_need", "Memimpin tim baru tanpa memikulnya sendirian.")
        admin.select_option("#id_duration", label=t("3 months"))
        admin.fill("#id_sessions_count", "2")
        admin.select_option("#id_session_minutes", label=t("90 minutes"))
        admin.select_option("#id_cadence", label="mingguan")
        admin.fill("#id_price_minor", "9000000")
        admin.fill("#id_expires_on", "2026-12-15")
        go("admin", button(admin, t("Save draft")))
        says(admin, t("Proposal saved as a draft."))
        go("admin", button(admin, t("Send the proposal")))
        says(admin, t("Proposal sent."))

        client = new_page(locale="id-ID")
        sign_in(client, world.client.email, PASSWORD)
        visit("client", client)
        go("client", link(client, starts_with("A coaching proposal (answer by %(date)s)")))
        go("client", button(client, t("Accept the proposal")))
        says(client, t("Thank you: you accepted."))

        sponsor = new_page(locale="id-ID")
        sign_in(sponsor, world.sponsor.email, PASSWORD)
        visit("sponsor", sponsor)
        go(
            "sponsor",
            link(sponsor, starts_with("A coaching proposal (answer by %(date)s)")),
        )
        go("sponsor", button(sponsor, t("Accept the proposal")))
        says(sponsor, t("Thank you: you accepted."))

        # The contract: drafted, its terms checked, sent, accepted by every party.
        admin.reload()
        visit("admin", admin)
        admin.fill("#id_starts_on", "2026-11-26")
        go("admin", button(admin, t("Draft the contract")))
        says(admin, t("Contract drafted from the proposal. Check the terms."))
        admin.fill("#id_payment_terms", "Tagihan saat penandatanganan, dibayar dalam 14 hari.")
        go("admin", button(admin, t("Save terms")))
        go("admin", button(admin, t("Send for acceptance")))
        says(admin, t("Contract sent for acceptance."))
        for who, page, party in [("client", client, "Client"), ("sponsor", sponsor, "Sponsor")]:
            go(who, link(page, t("My coaching") if who == "client" else t("Sponsored programs")))
            go(who, link(page, t("A contract to read and accept")))
            go(
                who,
                button(page, t("Accept version %(number)s as %(party)s", number=1, party=t(party))),
            )
            says(page, t("You accepted the contract."))
        admin.reload()
        visit("admin", admin)
        go(
            "admin",
            button(
                admin, t("Accept version %(number)s as %(party)s", number=1, party=t("Practice"))
            ),
        )
        says(admin, t("You accepted the contract."))

        # Chemistry: the admin proposes the coach; both sides say how it went; the client chooses.
        go("admin", link(admin, t("Propose a candidate coach")))
        admin.select_option("#id_coach", label="Rina Wijaya")
        admin.fill("#id_starts_at", "2026-11-24T10:00")
        admin.select_option("#id_format", label=t("Video call"))
        admin.fill("#id_place", "https://meet.example.test/cahaya")
        go("admin", button(admin, t("Propose this coach")))
        says(admin, t("Chemistry meeting scheduled."))

        traveller.move_to(datetime(2026, 11, 24, 10, 40, tzinfo=JKT))
        coach = new_page(locale="id-ID")
        sign_in(coach, world.coach.email, PASSWORD)
        visit("coach", coach)
        meetings = panel(coach, t("Programs"))
        meetings.get_by_label(t("Rapport (1-5)")).select_option("4")
        meetings.get_by_label(t("Compatible?")).select_option("yes")
        go("coach", button(meetings, t("Record the outcome")))
        says(coach, t("Thank you, the outcome is recorded."))

        go("client", link(client, t("My coaching")))
        go("client", link(client, t("Record how it went and choose your coach")))
        client.get_by_label(t("Rapport (1-5)")).select_option("5")
        client.get_by_label(t("Compatible?")).select_option("yes")
        client.get_by_label(t("Note")).fill("Mudah diajak bicara.")
        go("client", button(client, t("Record how it went")))
        go("client", button(client, t("Choose %(name)s as my coach", name="Rina Wijaya")))
        says(client, t("Your coach is chosen. Your program has started."))

        # The coach writes the program's theme and an objective; the admin schedules.
        go("coach", link(coach, t("Coaching"), exact=True))
        go("coach", link(panel(coach, t("Programs")), "Andi Saputra"))
        go("coach", link(coach, t("Edit"), exact=True))
        coach.fill("#id_theme", "Memimpin dengan tenang")
        coach.fill("#id_aims", "Mendelegasikan dan memercayai tim.")
        coach.fill("#id_current_state", "Kewalahan, mengerjakan pekerjaan tim di malam hari.")
        coach.fill("#id_future_state", "Tenang dan dipercaya; tim memiliki pekerjaannya.")
        go("coach", button(coach, t("Save"), exact=True))
        coach.get_by_label(t("New objective")).fill("Mendelegasikan dua proyek")
        coach.get_by_label(t("How it will be judged")).fill("Keduanya berjalan tanpa saya")
        go("coach", button(coach, t("Add"), exact=True))
        says(coach, t("Objective added."))

        go("admin", link(admin, t("Pipeline"), exact=True))
        go("admin", link(admin, t("waiting for the practice to schedule")))
        admin.fill("#id_first", "2026-11-27T09:00")
        admin.fill("#id_count", "2")
        admin.fill("#id_spacing_days", "7")
        admin.select_option("#id_format", label=t("Video call"))
        admin.fill("#id_video_link", "https://meet.example.test/cahaya")
        go("admin", button(admin, t_button("Schedule"), exact=True))
        says(admin, t("%(count)s session(s) scheduled.", count=2))
        go("sponsor", link(sponsor, t("Sponsored programs")))

        # Friday 27 November: the coach prepares, runs and closes the first session.
        traveller.move_to(datetime(2026, 11, 27, 9, 5, tzinfo=JKT))
        go("coach", link(coach, t("Coaching"), exact=True))
        upcoming = panel(coach, t("Upcoming sessions")).get_by_role("listitem").first
        go("coach", upcoming.get_by_role("link", name=t("Prepare")))
        coach.fill("textarea[name=reflection]", "Dengarkan apa yang tidak mau didelegasikan klien.")
        go("coach", button(coach, t("Save reflection")))
        go("coach", link(coach, t("Open the session page")))
        coach.fill("#part-check_in textarea[name=goal]", "Memilih proyek pertama")
        save_part(coach, "check_in")
        coach.fill("#part-check_out textarea[name=take_aways]", "Mulai dari yang kecil")
        save_part(coach, "check_out")
        rating = coach.locator("#part-ratings input[type=number]")
        expect(coach.locator("#part-ratings label").first).to_contain_text(
            t("Objective %(number)s: %(text)s", number=1, text="Mendelegasikan dua proyek")
        )
        rating.fill("4")
        save_part(coach, "ratings")
        visit("coach", coach)  # the run page after its parts were swapped in by htmx
        go("coach", button(coach, t("Mark the session held")))
        says(coach, t("The session is marked held."))

        # The client finds the held session on their coaching page.
        go("client", link(client, t("My coaching")))

    program = Program.objects.get()
    assert program.sessions.get(number=1).status == Session.Status.HELD
    assert seen.pages >= 40
    assert seen.leaks == {}, seen.leaks
