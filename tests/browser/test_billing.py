"""In a real browser (issue #15): a contract with 50% at signature and 50% after session 3 is
accepted; the first invoice goes to the sponsor's company; a partial payment, then the rest,
mark it paid; after session 3 is held the second invoice appears. The client, whose sponsor
pays, sees neither; the sponsor sees both, in Indonesian, amounts as Rupiah are written there.

The proposal, the chemistry and the first two sessions are set up through the services (their
own walk is tests/browser/test_lifecycle.py); everything about billing is clicks and typing.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from billing.models import Invoice
from programs import services as programs
from sessions import scheduling
from sessions import services as session_services
from tests.factories import PASSWORD
from tests.programs import builders as lifecycle

from .test_lifecycle import button, follow, link, says

JKT = ZoneInfo("Asia/Jakarta")


def _program(world, contract):
    """Chemistry, the client's choice and three weekly sessions from 27 November."""
    meeting = programs.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=datetime(2026, 11, 24, 10, 0, tzinfo=JKT),
    )
    with time_machine.travel(datetime(2026, 11, 24, 11, 0, tzinfo=JKT)):
        programs.chemistry_record_outcome(
            meeting=meeting, actor=world.client, rapport=5, compatible=True, note="good"
        )
        program = programs.chemistry_choose(meeting=meeting, actor=world.client)
        scheduling.sessions_schedule(
            program=program,
            actor=world.admin,
            starts=scheduling.series_starts(
                first=datetime(2026, 11, 27, 9, 0, tzinfo=JKT), count=3, spacing_days=7
            ),
        )
    return program


def test_instalments_invoices_and_payments_in_the_browser(world, new_page, sign_in):
    world.sponsor.language = "id"
    world.sponsor.save()
    slug = world.practice.slug
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=JKT)) as traveller:
        contract = lifecycle.contract(world, status="draft", starts_on=date(2026, 11, 26))

        # The admin writes the payment schedule with the terms, and who pays.
        admin = new_page()
        sign_in(admin, world.admin.email, PASSWORD)
        admin.goto(f"/p/{slug}/contracts/{contract.code}/edit/")
        admin.fill("#id_payment_terms", "50% on signing, 50% after session 3; 14 days.")
        admin.fill("#id_instalments-0-percent", "50")
        admin.select_option("#id_instalments-0-trigger", "signature")
        admin.fill("#id_instalments-1-percent", "50")
        admin.select_option("#id_instalments-1-trigger", "session")
        admin.fill("#id_instalments-1-after_session", "3")
        follow(button(admin, "Save terms"))
        says(admin, "Contract terms saved.")
        schedule = admin.get_by_test_id("payment-schedule")
        expect(schedule).to_contain_text("50% of the price (Rp 7,500,000), at signature")
        expect(schedule).to_contain_text("50% of the price (Rp 7,500,000), after session 3")
        follow(link(admin, "Billing and invoices"))
        admin.select_option("#id_payer", "sponsor")
        admin.fill("#id_legal_name", "PT Maju Jaya Sejahtera")
        admin.fill("#id_address", "Jl. Jenderal Sudirman 1, Jakarta")
        admin.fill("#id_npwp", "01.234.567.8-901.000")
        follow(button(admin, "Save"))
        says(admin, "Billing saved.")
        follow(link(admin, "The contract"))
        follow(button(admin, "Send for acceptance"))
        says(admin, "Contract sent for acceptance.")

        # Every party accepts version 1, the schedule with it.
        client = new_page()
        sign_in(client, world.client.email, PASSWORD)
        sponsor = new_page()
        sign_in(sponsor, world.sponsor.email, PASSWORD)
        for page, party in [(client, "Client"), (sponsor, "Sponsor"), (admin, "Practice")]:
            page.goto(f"/p/{slug}/contracts/{contract.code}/")
            if page is sponsor:  # read in Indonesian: dots group the thousands
                expect(page.get_by_test_id("payment-schedule")).to_contain_text(
                    "50% dari harga (Rp 7.500.000), setelah sesi 3"
                )
                follow(button(page, "Terima versi 1 sebagai Sponsor"))
            else:
                follow(button(page, f"Accept version 1 as {party}"))
        assert Invoice.objects.count() == 1

        # The first invoice is the sponsor's company's; the admin records two payments.
        admin.get_by_role("button", name="Practice").click()  # the admin's menu (#14: 1280 px)
        follow(link(admin, "Invoices", exact=True))
        follow(link(admin, "INV/2026/0001"))
        expect(admin.get_by_test_id("invoice-bill-to")).to_contain_text("PT Maju Jaya Sejahtera")
        expect(admin.get_by_test_id("invoice-bill-to")).to_contain_text("01.234.567.8-901.000")
        expect(admin.get_by_test_id("invoice-total")).to_have_text("Rp 8,325,000")
        expect(admin.get_by_test_id("invoice-status")).to_have_text("Issued")
        form = admin.get_by_test_id("payment-form")
        form.get_by_label("Paid on").fill("2026-11-23")
        form.get_by_label("Amount").fill("Rp 9.000.000")
        form.get_by_label("Reference").fill("BCA 0001")
        follow(button(admin, "Record the payment"))
        expect(admin.locator("main")).to_contain_text(
            "This payment of Rp 9,000,000 is more than the Rp 8,325,000 still due"
        )
        expect(form.get_by_label("Reference")).to_have_value("BCA 0001")
        form.get_by_label("Amount").fill("Rp 3.000.000")
        follow(button(admin, "Record the payment"))
        says(admin, "Payment recorded.")
        expect(admin.get_by_test_id("invoice-status")).to_have_text("Partly paid")
        expect(admin.get_by_test_id("invoice-outstanding")).to_have_text("Rp 5,325,000")
        form.get_by_label("Paid on").fill("2026-11-23")
        form.get_by_label("Amount").fill("5.325.000")
        form.get_by_label("Reference").fill("BCA 0002")
        follow(button(admin, "Record the payment"))
        says(admin, "Payment recorded.")
        expect(admin.get_by_test_id("invoice-status")).to_have_text("Paid")
        expect(admin.get_by_test_id("invoice-outstanding")).to_have_text("Rp 0")

        # The program runs; the first two sessions are held.
        program = _program(world, contract)
        sessions = list(program.sessions.order_by("number"))
        traveller.move_to(datetime(2026, 12, 11, 12, 0, tzinfo=JKT))
        for session in sessions[:2]:
            session_services.session_mark_held(session=session, actor=world.coach)
        assert Invoice.objects.count() == 1

        # The coach marks session 3 held: the second instalment is invoiced.
        coach = new_page()
        sign_in(coach, world.coach.email, PASSWORD)
        coach.goto(f"/p/{slug}/sessions/{sessions[2].code}/run/")
        follow(button(coach, "Mark the session held"))
        says(coach, "The session is marked held.")
        expect(link(coach, "Invoices", exact=True)).to_have_count(0)  # coaches see none

        # The sponsor sees both invoices, in Indonesian; the client sees neither.
        sponsor.goto(f"/p/{slug}/invoices/")
        listing = sponsor.get_by_test_id("invoice-list")
        expect(listing).to_contain_text("INV/2026/0001")
        expect(listing).to_contain_text("INV/2026/0002")
        follow(link(sponsor, "INV/2026/0002"))
        expect(sponsor.get_by_test_id("invoice-total")).to_have_text("Rp 8.325.000")
        expect(sponsor.get_by_test_id("invoice-status")).to_have_text("Diterbitkan")
        expect(sponsor.get_by_test_id("invoice-document")).to_contain_text(
            "Program coaching, termin 2 dari 2 (50% · setelah sesi 3)"
        )
        sponsor.goto(f"/p/{slug}/invoices/")
        follow(link(sponsor, "INV/2026/0001"))
        expect(sponsor.get_by_test_id("invoice-status")).to_have_text("Lunas")

        follow(link(client, "Invoices", exact=True))
        expect(client.get_by_test_id("invoice-list")).to_contain_text("No invoices.")
        expect(client.locator("main")).not_to_contain_text("INV/2026")
        response = client.goto(f"/p/{slug}/invoices/{Invoice.objects.first().code}/")
        assert response.status == 404
