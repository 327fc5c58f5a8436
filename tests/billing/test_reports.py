"""The billing report: revenue by month, coach and sponsor; outstanding and overdue; its CSV;
and the hourly beat task that issues and marks."""

from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.urls import reverse

from billing import services, tasks
from billing.models import Invoice

from .builders import scheduled_contract
from .test_services import _program

pytestmark = pytest.mark.django_db


def test_revenue_by_month_coach_and_sponsor_and_what_is_overdue(world, client_for):
    contract = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    _program(world, contract)
    invoice = contract.invoices.get()
    services.record_payment(
        invoice=invoice, amount_minor=3_000_000, paid_on=invoice.issued_on, actor=world.admin
    )
    Invoice.objects.filter(pk=invoice.pk).update(due_on=date.today() - timedelta(days=2))
    client = client_for(world.admin)
    body = client.get(reverse("billing_report", args=[world.practice.slug])).content.decode()
    csv = client.get(reverse("billing_report_csv", args=[world.practice.slug]))
    month = invoice.issued_on.strftime("%Y-%m")
    text = csv.content.decode()
    assert f"month,{month},IDR,8325000,3000000," in text
    assert "coach,Coach,IDR,8325000,3000000," in text
    assert "sponsor,PT Maju Jaya,IDR,8325000,3000000," in text
    assert f"overdue,{invoice.display_number} PT Maju Jaya,IDR,8325000,3000000,5325000" in text
    assert csv["Content-Disposition"] == 'attachment; filename="billing-report.csv"'
    months = body[body.index('data-testid="report-months"') :]
    assert "Rp 8,325,000" in months and "Rp 3,000,000" in months
    totals = body[body.index('data-testid="report-totals"') : body.index('"report-open"')]
    assert totals.count("Rp 5,325,000") == 2  # outstanding, and all of it overdue


def test_a_void_invoice_counts_nowhere(world, client_for):
    invoice = scheduled_contract(world).invoices.get()
    services.invoice_void(invoice=invoice, actor=world.admin, reason="Wrong company")
    text = (
        client_for(world.admin)
        .get(reverse("billing_report_csv", args=[world.practice.slug]))
        .content.decode()
    )
    assert text.strip().splitlines() == ["section,key,currency,invoiced,received,outstanding"]


def test_the_beat_task_issues_what_fell_due_once(world):
    on = date.today() + timedelta(days=40)
    scheduled_contract(
        world,
        schedule=[
            {"kind": "percent", "percent": 40, "trigger": "signature"},
            {"kind": "percent", "percent": 60, "trigger": "date", "due_on": on},
        ],
    )
    with time_machine.travel(on + timedelta(days=1)):
        assert tasks.scan_due() == {"issued": 1, "overdue": 1}
        assert tasks.scan_due() == {"issued": 0, "overdue": 0}
    assert Invoice.objects.count() == 2


# The report of a period (#11: it aggregated every invoice of the practice on each view) ------


def _section(body, testid):
    """The table or list marked with data-testid, up to its end."""
    start = body.index(f'data-testid="{testid}"')
    ends = [body.find(tag, start) for tag in ("</table>", "</dl>")]
    return body[start : min(e for e in ends if e > 0)]


def _report(client, world, **params):
    return client.get(
        reverse("billing_report", args=[world.practice.slug]), params
    ).content.decode()


def test_each_payment_lands_in_its_month_and_the_amounts_stay_exact(world, client_for):
    """A second and a third payment: what the report reads is the sum of the payments in the
    period, by the month they were paid, and what is still owed is the invoice's rest."""
    today = date.today()
    earlier = (today.replace(day=1) - timedelta(days=40)).replace(day=3)  # a month or two ago
    with time_machine.travel(datetime.combine(earlier, time(12)), tick=False):  # issued then
        contract = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    invoice = contract.invoices.get()
    assert invoice.issued_on == earlier
    client = client_for(world.admin)
    expected = [  # (amount, paid on, received in the last 12 months, this month, still owed)
        (1_000_000, earlier, "Rp 1,000,000", None, "Rp 7,325,000"),
        (2_000_000, today, "Rp 3,000,000", "Rp 2,000,000", "Rp 5,325,000"),
        (325_000, today, "Rp 3,325,000", "Rp 2,325,000", "Rp 5,000,000"),
    ]
    for amount, paid_on, received, this_month, owed in expected:
        invoice.refresh_from_db()
        services.record_payment(
            invoice=invoice, amount_minor=amount, paid_on=paid_on, actor=world.admin
        )
        body = _report(client, world)
        totals = _section(body, "report-period-totals")
        assert "Rp 8,325,000" in totals and received in totals
        assert owed in _section(body, "report-totals")
        month = _section(_report(client, world, period="month"), "report-period-totals")
        assert "Rp 8,325,000" not in month  # issued in an earlier month
        assert (this_month or "—") in month
    months = _section(body, "report-months")
    first_row = months[months.index(earlier.strftime("%B %Y")) :].split("</tr>")[0]
    assert "Rp 8,325,000" in first_row and "Rp 1,000,000" in first_row
    this_row = months[months.index(today.strftime("%B %Y")) :].split("</tr>")[0]
    assert "Rp 2,325,000" in this_row


def test_an_invoice_before_the_period_is_still_outstanding_and_a_range_shows_it(world, client_for):
    long_ago = date.today().replace(day=1) - timedelta(days=500)
    with time_machine.travel(datetime.combine(long_ago, time(12)), tick=False):  # issued then
        contract = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    invoice = contract.invoices.get()
    assert invoice.issued_on == long_ago
    Invoice.objects.filter(pk=invoice.pk).update(due_on=long_ago)
    client = client_for(world.admin)
    body = _report(client, world)
    assert "Rp 8,325,000" not in _section(body, "report-period-totals")
    assert "Rp 8,325,000" not in _section(body, "report-sponsors")
    assert _section(body, "report-totals").count("Rp 8,325,000") == 2  # outstanding, overdue
    start, end = long_ago.replace(day=1), long_ago.replace(day=28)
    ranged = _report(client, world, period="custom", start=start, end=end)
    assert "Rp 8,325,000" in _section(ranged, "report-period-totals")
    assert "PT Maju Jaya" in _section(ranged, "report-sponsors")
    csv = client.get(
        reverse("billing_report_csv", args=[world.practice.slug]),
        {"period": "custom", "start": start, "end": end},
    ).content.decode()
    assert f"month,{long_ago:%Y-%m},IDR,8325000,0," in csv
    assert "sponsor,PT Maju Jaya,IDR,8325000,0," in csv
    default_csv = client.get(reverse("billing_report_csv", args=[world.practice.slug]))
    assert "month," not in default_csv.content.decode()


def test_a_wrong_range_says_why_keeps_what_was_typed_and_shows_the_last_12_months(
    world, client_for
):
    scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    client = client_for(world.admin)
    body = _report(client, world, period="custom", start="2026-05-01", end="2026-04-01")
    assert "The first day of the range is after its last day." in body
    assert 'value="2026-05-01"' in body and 'value="2026-04-01"' in body
    assert "The last 12 months are shown." in body
    assert "Rp 8,325,000" in _section(body, "report-period-totals")
    missing = _report(client, world, period="custom", start="2026-05-01")
    assert "A range of dates needs a first and a last day." in missing
    assert "Enter a valid date." in _report(client, world, period="custom", start="soon")


def test_the_table_by_sponsor_is_paged_and_the_next_page_shows_the_rest(
    world, client_for, monkeypatch
):
    from billing import selectors

    monkeypatch.setattr(selectors, "REPORT_ROWS_PER_PAGE", 1)
    invoice = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya").invoices.get()
    other = Invoice.objects.get(pk=invoice.pk)
    other.pk, other.code, other.number, other.bill_to_name = None, uuid4(), 999, "CV Zamrud"
    other.instalment = None
    other.save()
    client = client_for(world.admin)
    first = _section(_report(client, world), "report-sponsors")
    assert "CV Zamrud" in first and "PT Maju Jaya" not in first  # by name
    body = _report(client, world)
    assert "Page 1 of 2" in body and "?sponsors=2" in body
    second = _section(_report(client, world, sponsors=2), "report-sponsors")
    assert "PT Maju Jaya" in second and "CV Zamrud" not in second


def test_each_open_invoice_row_links_to_that_invoices_page(world, client_for):
    # The rows' links are built by {% row_url %} (#11: one reverse() per row before): each
    # row still opens its own invoice, under the practice's slug.
    first = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    second = scheduled_contract(world, payer="sponsor", legal_name="PT Lain")
    client = client_for(world.admin)
    body = _section(_report(client, world), "report-open")
    for contract in (first, second):
        invoice = contract.invoices.get()
        url = reverse("invoice_detail", args=[world.practice.slug, invoice.code])
        assert f'<a href="{url}">{invoice.display_number}</a>' in body
        assert client.get(url).status_code == 200
