"""Billing's pages as each reader reads them: amounts as people write them, in both
languages; bad input refused on the form with what was typed; nothing for the wrong reader."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing import services
from billing.models import BillingSettings, Invoice, Payment
from programs.models import Contract
from tests.programs import builders as lifecycle

from .builders import scheduled_contract

pytestmark = pytest.mark.django_db


def _invoice(world, **billing):
    billing = {"payer": "sponsor", "legal_name": "PT Maju Jaya", **billing}
    return scheduled_contract(world, **billing).invoices.get()


def _page(client, invoice):
    url = reverse("invoice_detail", args=[invoice.practice.slug, invoice.code])
    return client.get(url).content.decode()


def test_the_sponsor_reads_its_invoice_in_indonesian_with_rupiah_grouped_by_dots(world, client_for):
    invoice = _invoice(world, npwp="01.234.567.8-901.000")
    world.sponsor.language = "id"
    world.sponsor.save()
    body = _page(client_for(world.sponsor), invoice)
    assert invoice.display_number in body
    assert "PT Maju Jaya" in body and "01.234.567.8-901.000" in body
    assert "Rp 7.500.000" in body  # the line and the subtotal
    assert "Rp 825.000" in body  # PPN 11%
    assert "Rp 8.325.000" in body  # the total
    assert "Faktur" in body  # the page is Indonesian


def test_the_admin_reads_it_in_english_with_commas(world, client_for):
    invoice = _invoice(world)
    world.admin.language = "en"
    world.admin.save()
    body = _page(client_for(world.admin), invoice)
    assert "Rp 8,325,000" in body
    assert "instalment 1 of 2 (50% · at signature)" in body
    assert "Record a payment" in body


def test_the_client_of_a_sponsor_paid_contract_sees_no_invoice(world, client_for):
    invoice = _invoice(world)
    client = client_for(world.client)
    listing = client.get(reverse("invoice_list", args=[world.practice.slug])).content.decode()
    assert invoice.display_number not in listing
    assert "No invoices." in listing or "Tidak ada faktur." in listing
    url = reverse("invoice_detail", args=[world.practice.slug, invoice.code])
    assert client.get(url).status_code == 404


def test_the_client_who_pays_sees_their_invoice(world, client_for):
    invoice = _invoice(world, payer="client", legal_name="")
    assert invoice.bill_to == world.client
    listing = client_for(world.client).get(reverse("invoice_list", args=[world.practice.slug]))
    assert invoice.display_number in listing.content.decode()


def test_an_overpayment_is_refused_on_the_form_and_keeps_what_was_typed(world, client_for):
    invoice = _invoice(world)
    url = reverse("invoice_payment", args=[world.practice.slug, invoice.code])
    response = client_for(world.admin).post(
        url,
        {
            "paid_on": "2026-11-20",
            "amount_minor": "Rp 9.000.000",
            "method": "bank_transfer",
            "reference": "BCA 123456",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "is more than the Rp 8,325,000 still due" in body
    assert 'value="Rp 9.000.000"' in body and 'value="BCA 123456"' in body
    assert not Payment.objects.exists()


def test_a_payment_that_is_not_a_proof_is_refused_and_records_nothing(world, client_for):
    invoice = _invoice(world)
    url = reverse("invoice_payment", args=[world.practice.slug, invoice.code])
    response = client_for(world.admin).post(
        url,
        {
            "paid_on": "2026-11-20",
            "amount_minor": "1.000.000",
            "method": "bank_transfer",
            "reference": "BCA 123456",
            "proof": SimpleUploadedFile("slip.pdf", b"<html>not a pdf</html>", "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "must be a PDF, PNG or JPEG file" in response.content.decode()
    assert not Payment.objects.exists()


def test_partial_then_full_payment_through_the_page(world, client_for):
    invoice = _invoice(world)
    client = client_for(world.admin)
    url = reverse("invoice_payment", args=[world.practice.slug, invoice.code])
    data = {"paid_on": "2026-11-20", "method": "bank_transfer", "reference": "BCA 1"}
    client.post(url, {**data, "amount_minor": "5 juta"})
    invoice.refresh_from_db()
    assert (invoice.status, invoice.outstanding_minor) == ("partly_paid", 3_325_000)
    client.post(url, {**data, "amount_minor": "3.325.000"})
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    body = _page(client, invoice)
    assert "Rp 8,325,000" in body and "Paid" in body


def test_a_void_invoice_keeps_its_number_and_says_void(world, client_for):
    invoice = _invoice(world)
    client = client_for(world.admin)
    url = reverse("invoice_void", args=[world.practice.slug, invoice.code])
    client.post(url, {"reason": ""})
    invoice.refresh_from_db()
    assert invoice.status == "issued"  # a void needs a reason
    client.post(url, {"reason": "Wrong company"})
    body = _page(client, invoice)
    assert "Invoice (void)" in body and invoice.display_number in body
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_the_contract_page_shows_the_schedule_in_both_languages(world, client_for):
    contract = scheduled_contract(world, accept=False)
    url = reverse("contract_detail", args=[world.practice.slug, contract.code])
    client = client_for(world.client)
    body = client.get(url).content.decode()
    assert "50% of the price (Rp 7,500,000), at signature" in body
    assert "after session 3" in body
    world.client.language = "id"
    world.client.save()
    body = client.get(url).content.decode()
    assert "Rp 7.500.000" in body and "setelah sesi 3" in body


def test_the_terms_page_saves_a_schedule_and_refuses_one_that_misses_the_price(world, client_for):
    contract = lifecycle.contract(world, status="draft")
    version = contract.current_version
    client = client_for(world.admin)
    url = reverse("contract_edit", args=[world.practice.slug, contract.code])
    terms = {
        "starts_on": version.starts_on.isoformat(),
        "ends_on": version.ends_on.isoformat(),
        "sessions_count": 6,
        "session_minutes": 60,
        "cadence": "monthly",
        "price_minor": "Rp 15.000.000",
        "currency": "IDR",
        "cancellation_notice_hours": 24,
        "late_cancellation_uses_session": "on",
        "instalments-TOTAL_FORMS": 2,
        "instalments-INITIAL_FORMS": 0,
        "instalments-0-percent": "50",
        "instalments-0-trigger": "signature",
        "instalments-1-amount": "Rp 5.000.000",
        "instalments-1-trigger": "session",
        "instalments-1-after_session": "3",
    }
    response = client.post(url, terms)
    assert response.status_code == 200
    assert "add up to Rp 12,500,000; the contract&#x27;s price is Rp 15,000,000" in (
        response.content.decode()
    )
    assert 'value="Rp 5.000.000"' in response.content.decode()
    assert not version.instalments.exists()
    response = client.post(url, {**terms, "instalments-1-amount": "7,5 juta"})
    assert response.status_code == 302
    assert [(i.trigger, i.amount_of(15_000_000)) for i in version.instalments.all()] == [
        ("signature", 7_500_000),
        ("session", 7_500_000),
    ]


def test_settings_change_the_tax_of_the_next_invoice(world, client_for):
    client = client_for(world.admin)
    url = reverse("billing_settings", args=[world.practice.slug])
    response = client.post(
        url,
        {
            "legal_name": "PT Cahaya Coaching",
            "ppn_rate": "11",
            "prices_include_ppn": "on",
            "number_prefix": "cc",
            "payment_days": 14,
        },
    )
    assert response.status_code == 302
    assert BillingSettings.objects.get(practice=world.practice).number_prefix == "CC"
    invoice = _invoice(world)
    # Prices include PPN: Rp 7.500.000 is the total, of which 11/111 is tax.
    assert (invoice.total_minor, invoice.tax_minor) == (7_500_000, 743_243)
    assert invoice.display_number.startswith("CC/")
    assert "PT Cahaya Coaching" in _page(client, invoice)


def test_the_report_and_its_csv(world, client_for):
    invoice = _invoice(world, legal_name="=HYPERLINK(1)")
    services.record_payment(
        invoice=invoice, amount_minor=2_000_000, paid_on=date(2026, 11, 20), actor=world.admin
    )
    client = client_for(world.admin)
    body = client.get(reverse("billing_report", args=[world.practice.slug])).content.decode()
    assert "Rp 6,325,000" in body  # outstanding
    csv = client.get(reverse("billing_report_csv", args=[world.practice.slug])).content.decode()
    assert "sponsor,'=HYPERLINK(1),IDR,8325000,2000000," in csv
    assert f"open,{invoice.display_number} '=HYPERLINK(1)" not in csv  # one cell, escaped whole
    assert "open," in csv and ",8325000,2000000,6325000" in csv


def test_contract_without_schedule_has_no_invoice(world):
    contract = lifecycle.contract(world, status="active")
    assert contract.status == Contract.Status.ACTIVE
    assert not Invoice.objects.exists()


def test_a_double_click_records_one_payment(world, client_for):
    invoice = _invoice(world)
    client = client_for(world.admin)
    url = reverse("invoice_payment", args=[world.practice.slug, invoice.code])
    data = {
        "paid_on": "2026-11-20",
        "amount_minor": "1.000.000",
        "method": "bank_transfer",
        "submission": "5b0c3a52-7d43-4a51-9d0e-0c6d6f1a2b3c",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.paid_minor == 1_000_000


def test_an_invoice_typed_by_hand_is_drafted_then_issued(world, client_for):
    contract = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    client = client_for(world.admin)
    url = reverse("contract_invoice_other", args=[world.practice.slug, contract.code])
    refused = client.post(url, {"description": "Workshop day", "amount": "lots"})
    assert refused.status_code == 400
    assert 'value="Workshop day"' in refused.content.decode()
    assert contract.invoices.count() == 1
    response = client.post(url, {"description": "Workshop day", "amount": "Rp 2.500.000"})
    invoice = contract.invoices.get(status="draft")
    assert response["Location"].endswith(f"/invoices/{invoice.code}/")
    client.post(reverse("invoice_issue", args=[world.practice.slug, invoice.code]))
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.total_minor == 2_775_000
    assert "Workshop day" in _page(client, invoice)


def test_a_payment_dated_in_the_future_is_refused(world, client_for):
    invoice = _invoice(world)
    url = reverse("invoice_payment", args=[world.practice.slug, invoice.code])
    response = client_for(world.admin).post(
        url, {"paid_on": "2099-01-01", "amount_minor": "1.000.000", "method": "bank_transfer"}
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_draft_invoice_can_be_voided_without_taking_a_number(world, client_for):
    """A draft an admin does not want (e.g. drafted from an instalment by mistake) is voided
    from its page: no number is taken (the year's numbering stays gapless), it says void, and
    the next issued invoice gets the number the draft never had."""
    issued = _invoice(world)
    services.invoice_void(invoice=issued, actor=world.admin, reason="Wrong company")
    draft = services.invoice_draft_for_instalment(instalment=issued.instalment, actor=world.admin)
    client = client_for(world.admin)
    url = reverse("invoice_void", args=[world.practice.slug, draft.code])
    response = client.post(url, {"reason": "Drafted twice"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.display_number) == ("void", None, "")
    body = _page(client, draft)
    assert "Invoice (void)" in body
    again = services.invoice_draft_for_instalment(instalment=issued.instalment, actor=world.admin)
    services.invoice_issue(invoice=again, actor=world.admin)
    again.refresh_from_db()
    assert again.number == issued.number + 1  # the void draft took none
