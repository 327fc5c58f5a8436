"""The billing report's days (billing.models.ReportDay, #11): the report's months are read from
them, so each write of billing keeps them equal to what the invoices and payments say (the
rebuild from those finds nothing to change), and the rebuild restores them."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from billing import services
from billing.models import ReportDay

from .builders import scheduled_contract
from .test_reports import _report, _section

pytestmark = pytest.mark.django_db


def _days(practice):
    return {
        (d.day, d.currency): (
            d.invoiced_minor,
            d.invoiced_count,
            d.received_minor,
            d.received_count,
        )
        for d in ReportDay.objects.filter(practice=practice)
    }


def _same_after_rebuild(practice):
    kept = _days(practice)
    services.report_days_rebuild(practice)
    return kept == _days(practice)


def test_issue_payments_and_voids_keep_each_day_as_the_invoices_and_payments_say(world):
    today = date.today()
    before = today - timedelta(days=3)
    first = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya").invoices.get()
    assert _days(world.practice) == {(today, "IDR"): (8_325_000, 1, 0, 0)}
    services.record_payment(
        invoice=first, amount_minor=1_000_000, paid_on=before, actor=world.admin
    )
    first.refresh_from_db()
    services.record_payment(invoice=first, amount_minor=325_000, paid_on=today, actor=world.admin)
    first.refresh_from_db()
    with pytest.raises(ValidationError):  # more than is due: refused, counted nowhere
        services.record_payment(
            invoice=first, amount_minor=9_000_000, paid_on=today, actor=world.admin
        )
    assert _days(world.practice) == {
        (today, "IDR"): (8_325_000, 1, 325_000, 1),
        (before, "IDR"): (0, 0, 1_000_000, 1),
    }
    # A second invoice, issued then voided: the day is as before it, its count too.
    second = scheduled_contract(world, payer="sponsor", legal_name="PT Lain").invoices.get()
    assert _days(world.practice)[(today, "IDR")] == (16_650_000, 2, 325_000, 1)
    services.invoice_void(invoice=second, actor=world.admin, reason="Wrong company")
    assert _days(world.practice)[(today, "IDR")] == (8_325_000, 1, 325_000, 1)
    # A draft does not count; issued, it counts from its issue.
    contract = second.contract
    other = services.invoice_draft_other(
        contract=contract, description="Workbook", amount_minor=150_000, actor=world.admin
    )
    assert _days(world.practice)[(today, "IDR")] == (8_325_000, 1, 325_000, 1)
    issued = services.invoice_issue(invoice=other, actor=world.admin)
    total = 8_325_000 + issued.total_minor
    assert issued.total_minor >= 150_000
    assert _days(world.practice)[(today, "IDR")] == (total, 2, 325_000, 1)
    assert _same_after_rebuild(world.practice)


def test_a_repeated_gateway_callback_is_received_once(world):
    invoice = scheduled_contract(world).invoices.get()
    for _ in range(2):
        services.record_payment(
            invoice=invoice,
            amount_minor=2_000_000,
            paid_on=date.today(),
            external_reference="midtrans-42",
        )
    assert _days(world.practice)[(date.today(), "IDR")][2:] == (2_000_000, 1)
    assert _same_after_rebuild(world.practice)


def test_the_rebuild_command_restores_what_the_report_reads(world, client_for):
    invoice = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya").invoices.get()
    services.record_payment(
        invoice=invoice, amount_minor=3_000_000, paid_on=date.today(), actor=world.admin
    )
    kept = _days(world.practice)
    client = client_for(world.admin)
    months = _section(_report(client, world), "report-months")
    assert "Rp 8,325,000" in months and "Rp 3,000,000" in months
    ReportDay.objects.all().delete()  # e.g. rows loaded in bulk, past the services
    assert "Rp 8,325,000" not in _section(_report(client, world), "report-months")
    out = StringIO()
    call_command("billing_report_rebuild", "--practice", world.practice.slug, stdout=out)
    assert out.getvalue().strip() == "1 days rebuilt."
    assert _days(world.practice) == kept
    months = _section(_report(client, world), "report-months")
    assert "Rp 8,325,000" in months and "Rp 3,000,000" in months
    with pytest.raises(CommandError):
        call_command("billing_report_rebuild", "--practice", "no-such-practice")
    csv = client.get(reverse("billing_report_csv", args=[world.practice.slug])).content.decode()
    assert f"month,{date.today():%Y-%m},IDR,8325000,3000000," in csv
