"""The invoice as a PDF, from billing's invoice template: number, dates, seller and bill-to
with their NPWP, lines, PPN, total, paid, still due; a void one says so; no coaching content."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, translation

from billing import services
from billing.models import BillingSettings
from tests.billing.builders import scheduled_contract
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db

SELLER_NPWP = "09.876.543.2-101.000"
BUYER_NPWP = "01.234.567.8-901.000"


@pytest.fixture
def invoice(world):
    BillingSettings.objects.update_or_create(
        practice=world.practice,
        defaults={
            "legal_name": "PT Cahaya Insani",
            "address": "Jl. Sudirman 1, Jakarta",
            "npwp": SELLER_NPWP,
        },
    )
    world.client.full_name = "Andi Saputra"
    world.client.save()
    contract = scheduled_contract(
        world, payer="sponsor", legal_name="PT Maju Jaya", npwp=BUYER_NPWP
    )
    return contract.invoices.get()


def _download(client_for, user, invoice, language):
    user.language = language
    user.save()
    return client_for(user).get(reverse("invoice_pdf", args=[invoice.practice.slug, invoice.code]))


def test_the_sponsor_reads_its_invoice_in_indonesian(world, client_for, invoice):
    response = _download(client_for, world.sponsor, invoice, "id")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    assert "Faktur" in text and invoice.display_number in text
    assert "PT Cahaya Insani" in text and SELLER_NPWP in text
    assert "PT Maju Jaya" in text and BUYER_NPWP in text
    assert "Andi Saputra" in text  # for whose coaching
    assert "Rp 7.500.000" in text  # the line and the subtotal
    assert "Rp 825.000" in text  # PPN 11 %
    assert "Rp 8.325.000" in text  # the total, and still due
    assert "PPN 11%" in text
    with translation.override("id"):
        issued = formats.date_format(invoice.issued_on, "DATE_FORMAT")
        due = formats.date_format(invoice.due_on, "DATE_FORMAT")
    assert f"Diterbitkan pada {issued}" in text and f"Jatuh tempo {due}" in text


def test_the_admin_reads_it_in_english_with_what_was_paid(world, client_for, invoice):
    services.record_payment(
        invoice=invoice,
        amount_minor=3_000_000,
        paid_on=date(2026, 11, 20),
        reference="BCA 1",
        actor=world.admin,
    )
    text = pdf_text(_download(client_for, world.admin, invoice, "en"))
    assert "Invoice" in text and invoice.display_number in text
    assert "Rp 8,325,000" in text
    assert "Paid Rp 3,000,000" in text
    assert "Still due Rp 5,325,000" in text
    assert "Nov. 20, 2026" in text and "BCA 1" in text
    assert "Partly paid" in text


def test_a_void_invoice_says_void_and_keeps_its_number(world, client_for, invoice):
    services.invoice_void(invoice=invoice, actor=world.admin, reason="Wrong company")
    text = pdf_text(_download(client_for, world.admin, invoice, "en"))
    assert "Invoice (void)" in text and "VOID" in text
    assert invoice.display_number in text
    assert "nothing is to be paid on it" in text


def test_the_client_of_a_sponsor_paid_invoice_and_a_coach_get_nothing(world, client_for, invoice):
    assert _download(client_for, world.client, invoice, "en").status_code == 404
    assert _download(client_for, world.coach, invoice, "en").status_code == 403


def test_a_draft_is_the_admins_alone(world, client_for, invoice):
    second = invoice.contract.current_version.instalments.get(trigger="session")
    draft = services.invoice_draft_for_instalment(instalment=second, actor=world.admin)
    assert "Draft, not numbered yet" in pdf_text(_download(client_for, world.admin, draft, "en"))
    assert _download(client_for, world.sponsor, draft, "en").status_code == 404
