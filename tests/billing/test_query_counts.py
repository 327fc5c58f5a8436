"""Query counts of the invoice list, an invoice's page and the report do not grow with the
number of invoices, lines and payments."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing import services as billing_services
from billing.models import Invoice, InvoiceLine, Payment
from billing.selectors import INVOICES_PER_PAGE, OPEN_PER_PAGE

from .builders import scheduled_contract
from .test_services import _program

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
        Payment(
            invoice=first,
            practice=world.practice,
            currency="IDR",
            paid_on=date(2026, 11, 1),
            amount_minor=1,
        )
        for i in range(n)
    )
    # Rows written in bulk, past billing.services: the report's days rebuilt from them (as
    # bench_data does).
    billing_services.report_days_rebuild(world.practice)
    return first


# Every page here: the signed-in request's 2 (session, user; allauth's session activity is
# refreshed at most every 5 minutes, #11), memberships (gate; also the nav's practices) and in
# the base template the nav inbox count = 4 (admin and sponsor have no message thread: no
# unread badge query).
# List: + the count of the invoices and their page of 50 (nothing joined: the row shows the
# copied bill-to name; #11 paginated it, it listed every invoice) = 7.
# Invoice page: + the invoice (practice, contract, bill-to joined), its lines, its payments,
# the contract's client (the document's "for the coaching of") = 9.
# Report: + invoiced by month, received by month, by coach, by sponsor, what is outstanding
# and overdue (one aggregate), the count of the open ones and their page (#11: the list was
# every open invoice, its totals summed in Python) = 12. #11 (g-adm): the same queries, of a
# period (last 12 months by default), each read from one index; the tables by coach and by
# sponsor are paged in Python from their aggregates (no count query); the coaches' names are
# read after the grouping by coach (one query more: grouping by name sorted every invoice).
# #11 (g-adm2): invoiced and received by day in one query (a UNION), summed by month in
# Python: one query fewer.
# Contract's payment schedule: + the contract (client joined), its billing, its current version
# (twice: the two forms' currency), the version in force and its acceptances, its invoices,
# the schedule's instalments = 13 (#11: the client was one more).
# #11 (g-qa): every page -1 (the nav's practices come from the gate's memberships query),
# a coach's or a client's page -1 more (unread messages and inbox count in one query).
# #11 (g-adm3): the report's pager takes the open invoices' count from the outstanding and
# overdue aggregate: -1.
# #11 (g-billing6): the report's coaches' names read in the per-coach aggregate (a subquery
# per group), not in a query of their ids: -1 (its months now read billing.ReportDay: same).
# #11: the invoice page reads the contract's client with the invoice (a sponsor's invoice
# names them): -1 here, where the sponsor pays.
COUNTS = {"list": 6, "detail": 7, "report": 9, "schedule": 12}


@pytest.mark.parametrize("size", [5, 60])
def test_invoice_list_queries(size, world, client_for, django_assert_num_queries):
    _invoices(world, size)
    browser = client_for(world.admin)
    url = reverse("invoice_list", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["list"]):
        response = browser.get(url)
    page = response.content.decode()
    # The first invoice and `size` more, newest number first, 50 a page.
    shown = re.findall(r"/invoices/[0-9a-f-]{36}/", page)
    assert len(shown) == min(size + 1, INVOICES_PER_PAGE)
    assert ("Page 1 of 2" in page) == (size + 1 > INVOICES_PER_PAGE)
    assert f"INV/2025/{size:04d}" in page  # the newest


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
    first = _invoices(world, size)
    _program(world, first.contract)  # the table by coach names the coach
    browser = client_for(world.admin)
    # A range of dates holding all the invoices (issued in 2025 and today).
    url = reverse("billing_report", args=[world.practice.slug])
    url += f"?period=custom&start=2025-01-01&end={date.today():%Y-%m-%d}"
    browser.get(url)
    with django_assert_num_queries(COUNTS["report"]):
        response = browser.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # Outstanding: the first invoice's due, and each of the `size` others still owes 999,000
    # (IDR, no minor unit), from one aggregate whatever the length of the list (25 a page).
    first.refresh_from_db()
    assert first.outstanding_minor > 0
    owed = first.outstanding_minor + 999_000 * size
    assert response.context["outstanding"] == {"IDR": owed}
    # The period's invoiced total: the first invoice and the `size` others of 1,000,000 each.
    assert response.context["totals"]["IDR"]["invoiced"] == first.total_minor + 1_000_000 * size
    assert [row["coach"] for row in response.context["by_coach"]] == ["Coach"]
    assert len(response.context["open_invoices"].object_list) == min(size + 1, OPEN_PER_PAGE)
    pages = -(-(size + 1) // OPEN_PER_PAGE)
    assert ("Page 1 of " in page) == (pages > 1)
    assert (f"Page 1 of {pages}" in page) == (pages > 1)


@pytest.mark.parametrize("size", [5, 60])
def test_contract_payment_schedule_queries(size, world, client_for, django_assert_num_queries):
    first = _invoices(world, size)
    browser = client_for(world.admin)
    url = reverse("contract_billing", args=[world.practice.slug, first.contract.code])
    browser.get(url)
    with django_assert_num_queries(COUNTS["schedule"]):
        response = browser.get(url)
    assert response.status_code == 200
    assert len(response.context["invoices"]) == size + 1


def test_the_invoice_page_asks_as_many_queries_whoever_pays(world, client_for):
    """A sponsor's invoice also names the client the coaching is for: read with the invoice,
    so the admin's page asks the same number of queries for a sponsor's invoice as for a
    client's (#11: the bench saw 8 against 7)."""
    browser = client_for(world.admin)
    asked, pages = {}, {}
    for payer in ("client", "sponsor"):
        invoice = scheduled_contract(world, payer=payer).invoices.get()
        url = reverse("invoice_detail", args=[world.practice.slug, invoice.code])
        browser.get(url)
        with CaptureQueriesContext(connection) as queries:
            pages[payer] = browser.get(url).content.decode()
        asked[payer] = len(queries)
    assert asked["sponsor"] == asked["client"]
    assert "For the coaching of" in pages["sponsor"]
    assert world.client.display_name in pages["sponsor"]
    assert "For the coaching of" not in pages["client"]
