"""The billing report's days and coach months (billing.models.ReportDay, ReportCoachMonth, #11):
the report's months and its table by coach are read from them, so each write of billing (and a
program's start) keeps them equal to what the invoices and payments say (the rebuild from those
finds nothing to change), and the rebuild restores them."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from billing import services
from billing.models import ReportCoachMonth, ReportDay

from .builders import scheduled_contract
from .test_reports import _report, _section
from .test_services import _program

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


def _coach_months(practice):
    """The practice's coach months, but those emptied (a program's start leaves its contract's
    invoices' "no program" rows at zero: the report shows no row there, as after a rebuild)."""
    return {
        (m.month, m.coach_key, m.currency): (m.invoiced_minor, m.invoiced_count, m.received_minor)
        for m in ReportCoachMonth.objects.filter(practice=practice)
        if (m.invoiced_minor, m.invoiced_count, m.received_minor) != (0, 0, 0)
    }


def _same_after_rebuild(practice):
    kept = _days(practice), _coach_months(practice)
    services.report_days_rebuild(practice)
    return kept == (_days(practice), _coach_months(practice))


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


def test_a_programs_start_moves_its_contracts_invoices_to_its_coach(world, client_for):
    """Invoiced at signature, before the chemistry meeting: no coach yet ("—"), then the
    program's coach, with what was paid before the program started."""
    invoice = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya").invoices.get()
    services.record_payment(
        invoice=invoice, amount_minor=3_000_000, paid_on=date.today(), actor=world.admin
    )
    month = invoice.issued_on.replace(day=1)
    assert _coach_months(world.practice) == {(month, 0, "IDR"): (8_325_000, 1, 3_000_000)}
    client = client_for(world.admin)
    coaches = _section(_report(client, world), "report-coaches")
    assert "<td>—</td>" in coaches and "<td>Coach</td>" not in coaches
    _program(world, invoice.contract)
    assert _coach_months(world.practice) == {
        (month, world.coach.pk, "IDR"): (8_325_000, 1, 3_000_000),
    }
    assert ReportCoachMonth.objects.get(coach_key=0).invoiced_count == 0
    coaches = _section(_report(client, world), "report-coaches")
    row = coaches[coaches.index("<td>Coach</td>") :].split("</tr>")[0]
    assert "Rp 8,325,000" in row and "Rp 3,000,000" in row
    assert "<td>—</td>" not in coaches  # no invoice without a program left
    invoice.refresh_from_db()
    services.record_payment(
        invoice=invoice, amount_minor=325_000, paid_on=date.today(), actor=world.admin
    )
    assert _coach_months(world.practice)[(month, world.coach.pk, "IDR")] == (
        8_325_000,
        1,
        3_325_000,
    )
    assert _same_after_rebuild(world.practice)


def _first_of(months_back):
    first = date.today().replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def test_a_range_with_part_months_at_both_ends_counts_each_invoice_in_it_once(world, client_for):
    """From the 15th of a month to the 10th of the month after next: the whole month between
    from the coach months, the days at the ends from the invoices themselves."""
    begin, middle, last = _first_of(4), _first_of(3), _first_of(2)
    start, end = begin + timedelta(days=14), last + timedelta(days=9)
    for day in (
        begin + timedelta(days=4),  # before the range
        begin + timedelta(days=19),
        middle + timedelta(days=9),
        last + timedelta(days=4),
        last + timedelta(days=19),  # after it
    ):
        with time_machine.travel(datetime.combine(day, time(12)), tick=False):
            scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    client = client_for(world.admin)
    params = {"period": "custom", "start": start, "end": end}
    body = _report(client, world, **params)
    coaches = _section(body, "report-coaches")
    row = coaches[coaches.index("<td>—</td>") :].split("</tr>")[0]
    assert "Rp 24,975,000" in row  # three of the five invoices, 8,325,000 each
    assert "Rp 24,975,000" in _section(body, "report-period-totals")
    csv = client.get(reverse("billing_report_csv", args=[world.practice.slug]), params)
    assert "coach,,IDR,24975000,0," in csv.content.decode()
    whole = _report(client, world, period="custom", start=begin, end=last - timedelta(days=1))
    assert "Rp 24,975,000" in _section(whole, "report-coaches")  # whole months: the rows only
    within = _report(client, world, period="custom", start=start, end=start + timedelta(days=9))
    assert "Rp 8,325,000" in _section(within, "report-coaches")  # a part of a month only
