"""Query counts of the invoice list, an invoice's page and the report do not grow with the
number of invoices, lines and payments."""

from datetime import date

import pytest
from django.urls import reverse

from billing.models import Invoice, InvoiceLine, Payment

from .builders import scheduled_contract

pytestmark = pytest.mark.django_db


def _invoices(world, n):
    contract = scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")
    first = contract.invoices.get()
    Invoice.objects.bulk_create(
        Invoice(
            practice=world.practice,
            contract=contract,
            status=Invoice.Status.PARTLY_PAID,
            year=2025,
            number=i + 1,
            prefix="INV",
            issued_on=date(2025, 1 + i % 12, 1),
            due_on=date(2025, 1 + i % 12, 15),
            payer="sponsor",
            bill_to=world.sponsor,
            bill_to_name="PT Maju Jaya",
            total_minor=1_000_000,
            paid_minor=1_000,
        )
        for i in range(n)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=first, kind="other", description=f"Day {i}", unit_price_minor=1, amount_minor=1
        )
        for i in range(n)
    )
    Payment.objects.bulk_create(
        Payment(invoice=first, paid_on=date(2026, 11, 1), amount_minor=1) for i in range(n)
    )
    return first


# Every page here: the signed-in request's 2 (session, user; allauth's session activity is
# refreshed at most every 5 minutes, #11), the user's memberships with their practices (the
# gate and the nav's practices, one query since #11) and in the base template the nav inbox
# count = 4 (admin and sponsor have no message thread: no unread badge query).
# List: + the invoices (the contract's client and the bill-to joined) = 5.
# Invoice page: + the invoice (practice, contract, bill-to joined), its lines, its payments,
# the contract's client (the document's "for the coaching of") = 8.
# Report: + invoiced by month, received by month, by coach, by sponsor, the open ones = 9.
# #11: 6, 9, 10 before the nav's practices came from the gate's memberships query.
COUNTS = {"list": 5, "detail": 8, "report": 9}


@pytest.mark.parametrize("size", [5, 60])
def test_invoice_list_queries(size, world, client_for, django_assert_num_queries):
    _invoices(world, size)
    browser = client_for(world.admin)
    url = reverse("invoice_list", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["list"]):
        response = browser.get(url)
    assert response.content.decode().count("/invoices/") >= size


@pytest.mark.parametrize("size", [5, 60])
def test_invoice_page_queries(size, world, client_for, django_assert_num_queries):
    first = _invoices(world, size)
    browser = client_for(world.sponsor)
    url = reverse("invoice_detail", args=[world.practice.slug, first.code])
    browser.get(url)
    with django_assert_num_queries(COUNTS["detail"]):
        response = browser.get(url)
    assert response.content.decode().count("Day ") == size


@pytest.mark.parametrize("size", [5, 60])
def test_report_queries(size, world, client_for, django_assert_num_queries):
    _invoices(world, size)
    browser = client_for(world.admin)
    url = reverse("billing_report", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["report"]):
        response = browser.get(url)
    assert response.status_code == 200
