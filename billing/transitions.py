"""The invoice's states as a table (programs.transitions' engine): drafted, issued (by an
admin or when its instalment falls due), partly paid, paid, overdue, void. A void invoice
keeps its number and is shown as void; no invoice is ever deleted. Every transition is a
ProgramEvent on the contract (subject "invoice")."""

from django.utils.translation import gettext_lazy as _

from programs.transitions.engine import Table, Transition, is_admin, is_system

from .models import Invoice

S = Invoice.Status
OPEN = {S.ISSUED, S.PARTLY_PAID, S.OVERDUE}

INVOICE = Table(
    entity="invoice",
    model=Invoice,
    subject="invoice",
    kinds={"admin": is_admin, "system": is_system},
    links=lambda invoice: {"contract": invoice.contract},
    facts={"number": lambda invoice: invoice.display_number},
    rows=[
        Transition(
            "create",
            {""},
            S.DRAFT,
            {"admin", "system"},
            refused="",
            creates=True,
            doc="An invoice is drafted from an instalment or a late cancellation.",
        ),
        Transition(
            "issue",
            {S.DRAFT},
            S.ISSUED,
            {"admin", "system"},
            refused=_("Only a draft invoice can be issued."),
            label=_("Issue"),
            event_reason="{number}",
            doc="The invoice gets the practice's next number for the year (gapless), its "
            "bill-to and tax are fixed, and the bill-to party is told.",
        ),
        Transition(
            "pay_partly",
            OPEN,
            S.PARTLY_PAID,
            {"admin", "system"},
            refused=_("This invoice does not take payments."),
            automatic=True,
            doc="A payment that leaves some of the total due.",
        ),
        Transition(
            "pay_partly_late",
            OPEN,
            S.OVERDUE,
            {"admin", "system"},
            refused=_("This invoice does not take payments."),
            automatic=True,
            event_to="partly_paid",
            doc="A payment that leaves some of the total due, after the due date: still overdue.",
        ),
        Transition(
            "pay",
            OPEN,
            S.PAID,
            {"admin", "system"},
            refused=_("This invoice does not take payments."),
            automatic=True,
            doc="The payment that settles the total.",
        ),
        Transition(
            "fall_overdue",
            {S.ISSUED, S.PARTLY_PAID},
            S.OVERDUE,
            {"system"},
            refused=_("Only an unpaid invoice can fall overdue."),
            automatic=True,
            doc="The beat scan: an invoice not paid in full after its due date.",
        ),
        Transition(
            "void",
            {S.DRAFT, S.ISSUED, S.OVERDUE},
            S.VOID,
            {"admin"},
            refused=_("Only an unpaid invoice can be voided."),
            label=_("Void"),
            reason_required=_("Say why the invoice is void."),
            doc="An admin voids an invoice without payments; it keeps its number and stays "
            "listed as void. Its instalment may then be invoiced again.",
        ),
    ],
)
