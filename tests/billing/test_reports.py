"""The billing report: revenue by month, coach and sponsor; outstanding and overdue; its CSV;
and the hourly beat task that issues and marks."""

from datetime import date, timedelta

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
