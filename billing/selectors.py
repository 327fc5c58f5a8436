"""Reads of billing that take the reader. Who sees which invoice: the practice's admins every
invoice of the practice; a client or a sponsor the invoices billed to them; coaches none
(the views refuse their role). Outside the reader's reach an invoice is a 404."""

import csv
import io
from collections import defaultdict
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.http import Http404
from django.utils import timezone

from coaching.access import Role
from coaching.accounts.models import User
from coaching.accounts.selectors import CountedPaginator
from programs.models import Contract

from . import services
from .models import Instalment, Invoice, Payment, ReportCoachMonth, ReportDay


def invoices_for(access):
    """The invoices this reader may see in the practice."""
    qs = Invoice.objects.filter(practice=access.practice)
    if access.is_admin:
        return qs
    if access.has(Role.CLIENT, Role.SPONSOR):
        return qs.filter(bill_to=access.user).exclude(status=Invoice.Status.DRAFT)
    return qs.none()


# The invoice list grows with the practice (two invoices a contract): a page at a time (#11).
INVOICES_PER_PAGE = 50


def invoice_list(*, access, status="", page_number=1, per_page=INVOICES_PER_PAGE):
    """A page of the invoices the reader sees, newest number first (two queries: the count
    and the page; the list shows the copied bill-to name, so nothing is joined)."""
    qs = invoices_for(access).only(*LIST_FIELDS)
    if status in Invoice.Status.values:
        qs = qs.filter(status=status)
    return Paginator(qs.order_by("-year", "-number", "-created_at", "-pk"), per_page).get_page(
        page_number
    )


# What a row of the list shows.
LIST_FIELDS = (
    "code",
    "practice_id",
    "status",
    "year",
    "number",
    "prefix",
    "issued_on",
    "due_on",
    "bill_to_name",
    "currency",
    "total_minor",
    "paid_minor",
    "created_at",
)


def get_invoice_for(access, code):
    invoice = (
        invoices_for(access)
        # The contract's client too: a sponsor's invoice names whom the coaching is for, and
        # the page asks the same queries whoever pays (#11: one more for a sponsor's).
        .select_related("practice", "contract__client", "bill_to")
        .prefetch_related("lines", Prefetch("payments", queryset=Payment.objects.order_by("id")))
        .filter(code=code)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def get_contract_for_billing(access, code):
    # The client joined: the page's title names them (#11: one query fewer).
    contract = (
        Contract.objects.filter(practice=access.practice, code=code)
        .select_related("client")
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def get_instalment_for(access, code):
    instalment = (
        Instalment.objects.filter(version__contract__practice=access.practice, code=code)
        .select_related("version__contract")
        .first()
    )
    if instalment is None:
        raise Http404
    return instalment


def get_payment_for(access, code):
    payment = Payment.objects.filter(invoice__practice=access.practice, code=code).first()
    if payment is None:
        raise Http404
    return payment


def schedule_rows(version):
    """[(instalment, amount)] of a version's payment schedule, for its pages."""
    return services.schedule_amounts(list(version.instalments.all()), version.price_minor)


def contract_billing_page(*, contract):
    version = contract.in_force_version
    invoices = Invoice.objects.filter(contract=contract).order_by("created_at")
    live = {i.instalment_id for i in invoices if i.status != Invoice.Status.VOID}
    return {
        "contract": contract,
        "version": version,
        "rows": [(i, a, i.pk in live) for i, a in schedule_rows(version)],
        "invoices": invoices,
    }


# Reports -----------------------------------------------------------------------------------


class _PerGroup(Subquery):
    """A subquery on a grouped column, read once per group of an aggregate: Django would
    otherwise add it to the GROUP BY, and the database would run it for every row."""

    def get_group_by_cols(self):
        return []


def _next_month(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _coach_name(key):
    """The coach's name, read once per row of an aggregate grouped by the coach's id."""
    return _PerGroup(User.objects.filter(pk=OuterRef(key)).values("full_name"))


def _by_coach(practice, issued, start, end):
    """The period's live invoices by the coach of their contract's program (None before there
    is one) and currency, in one query: the whole months of the period from
    billing.models.ReportCoachMonth (a row a coach and month), the days at its ends that are
    not whole months from the invoices themselves, joined on the contract through the
    practice's programs (#11: every invoice of the period joined to its program was 4.8 ms of
    8,400 invoices at the bench's scale 1, ten times scale 0.1's)."""
    first = start if start.day == 1 else _next_month(start)  # of the whole months
    after = _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    parts = []
    if first < after:
        parts.append(
            ReportCoachMonth.objects.filter(practice=practice, month__gte=first, month__lt=after)
            .values_list("coach_key", "currency")
            .annotate(
                invoiced=Sum("invoiced_minor"),
                received=Sum("received_minor"),
                n=Sum("invoiced_count"),
                name=_coach_name("coach_key"),
            )
            .filter(n__gt=0)
            .order_by()
        )
        ends = Q(issued_on__lt=first) | Q(issued_on__gte=after)
    else:
        ends = Q()
    if not parts or start < first or end >= after:
        parts.append(
            issued.filter(ends)
            .annotate(
                program_now=FilteredRelation(
                    "contract_program", condition=Q(contract_program__practice=practice)
                )
            )
            .values_list("program_now__coach_id", "currency")
            .annotate(
                invoiced=Sum("total_minor"),
                received=Sum("paid_minor"),
                n=Count("pk"),
                name=_coach_name("program_now__coach_id"),
            )
            .order_by()
        )
    rows = {}
    for coach, currency, invoiced, received, _n, name in parts[0].union(*parts[1:], all=True):
        row = rows.setdefault(
            (coach or None, currency),
            {"coach": name, "currency": currency, "invoiced": 0, "received": 0},
        )
        row["invoiced"] += invoiced
        row["received"] += received
    return sorted(
        rows.values(), key=lambda r: (r["coach"] is None, r["coach"] or "", r["currency"])
    )


# The report's list of open invoices, a page at a time (it grows with the practice, #11), and
# its tables by coach and by sponsor (a row per coach or sponsor with invoices in the period).
OPEN_PER_PAGE = 25
REPORT_ROWS_PER_PAGE = 25


def report(*, access, start, end, today=None, pages=None):
    """The billing report of the period [start, end] (dates, both included): money invoiced
    (live invoices by issue date) and received (payments by payment date) in it, by month;
    the period's invoices by coach and by sponsor; and what is outstanding and overdue today
    (every open invoice, whatever its date). Void and draft invoices count nowhere (a void
    invoice has no payment, a draft takes none: billing.services).

    pages: {"page", "coaches", "sponsors"} page numbers of the three long tables, or None
    for every row (the CSV). Each query reads one index (the models' indexes named
    invoice_report_issued, invoice_open_by_due, program_contract_coach; the months read
    report_day_once, billing.models.ReportDay)."""
    today = today or timezone.localdate()
    practice = access.practice
    issued = Invoice.objects.filter(
        practice=practice, issued_on__gte=start, issued_on__lte=end
    ).exclude(status__in=(Invoice.Status.DRAFT, Invoice.Status.VOID))
    # Money invoiced and received by month, from the practice's days (billing.models.ReportDay,
    # kept by the services): at most a row a day, however many invoices and payments the
    # period holds (#11: the invoices and payments themselves were 15,000 rows at the
    # bench's scale 1, ten times those of scale 0.1).
    months = defaultdict(lambda: {"invoiced": 0, "received": 0})
    for day, currency, invoiced, received in (
        ReportDay.objects.filter(practice=practice, day__gte=start, day__lte=end)
        .filter(Q(invoiced_count__gt=0) | Q(received_count__gt=0))
        .values_list("day", "currency", "invoiced_minor", "received_minor")
    ):
        month = months[(day.replace(day=1), currency)]
        month["invoiced"] += invoiced
        month["received"] += received
    by_month = [
        {"month": month, "currency": currency, **sums}
        for (month, currency), sums in sorted(months.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]
    totals = defaultdict(lambda: {"invoiced": 0, "received": 0})
    for row in by_month:
        totals[row["currency"]]["invoiced"] += row["invoiced"]
        totals[row["currency"]]["received"] += row["received"]
    sums = {"invoiced": Sum("total_minor"), "received": Sum("paid_minor")}
    by_coach = _by_coach(practice, issued, start, end)
    by_sponsor = sorted(
        issued.filter(payer="sponsor")
        .values("bill_to_name", "currency")
        .annotate(**sums)
        .order_by(),
        key=lambda r: (r["bill_to_name"], r["currency"]),
    )
    # What is owed today, from aggregates (not from the list, which the page shows a page at
    # a time).
    open_qs = Invoice.objects.filter(practice=practice, status__in=Invoice.OPEN)
    owed = F("total_minor") - F("paid_minor")
    outstanding, overdue = {}, {}
    open_count = 0  # the list's length for its pager, from the same aggregate (#11)
    for row in (
        open_qs.values("currency")
        .annotate(owed=Sum(owed), late=Sum(owed, filter=Q(due_on__lt=today)), n=Count("pk"))
        .order_by("currency")
    ):
        open_count += row["n"]
        outstanding[row["currency"]] = row["owed"]
        if row["late"]:
            overdue[row["currency"]] = row["late"]
    open_invoices = open_qs.only(*LIST_FIELDS).order_by("due_on", "id")
    if pages is None:  # the CSV: every row
        open_invoices = list(open_invoices)
    else:
        # Counted by the aggregate above (#11: the pager's own COUNT query was one more).
        open_invoices = CountedPaginator(open_invoices, OPEN_PER_PAGE, count=open_count).get_page(
            pages.get("page")
        )
        # Whole tables are a few hundred small rows from the aggregates; a page of each shown.
        by_coach = Paginator(by_coach, REPORT_ROWS_PER_PAGE).get_page(pages.get("coaches"))
        by_sponsor = Paginator(by_sponsor, REPORT_ROWS_PER_PAGE).get_page(pages.get("sponsors"))
    return {
        "start": start,
        "end": end,
        "totals": dict(totals),
        "by_month": by_month,
        "by_coach": by_coach,
        "by_sponsor": by_sponsor,
        "open_invoices": open_invoices,
        "outstanding": outstanding,
        "overdue": overdue,
        "today": today,
    }


def _cell(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage
    return before one) is prefixed with an apostrophe (as ethics.icf does, OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def report_csv(data):
    """One CSV of the report: a section per table, amounts in minor units with the currency."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "key", "currency", "invoiced", "received", "outstanding"])
    for row in data["by_month"]:
        month = row["month"].strftime("%Y-%m") if row["month"] else ""
        writer.writerow(["month", month, row["currency"], row["invoiced"], row["received"], ""])
    for row in data["by_coach"]:
        name = row["coach"] or ""
        writer.writerow(
            ["coach", _cell(name), row["currency"], row["invoiced"], row["received"], ""]
        )
    for row in data["by_sponsor"]:
        writer.writerow(
            [
                "sponsor",
                _cell(row["bill_to_name"]),
                row["currency"],
                row["invoiced"],
                row["received"],
                "",
            ]
        )
    for invoice in data["open_invoices"]:
        section = "overdue" if invoice.due_on and invoice.due_on < data["today"] else "open"
        writer.writerow(
            [
                section,
                _cell(f"{invoice.display_number} {invoice.bill_to_name}"),
                invoice.currency,
                invoice.total_minor,
                invoice.paid_minor,
                invoice.outstanding_minor,
            ]
        )
    return out.getvalue()
