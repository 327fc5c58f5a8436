"""Billing's part of the client's rights (see ethics/README.md).

settings.DATA_EXPORTERS += ["billing.privacy.export"]; erasure: nothing. Invoices and payments
are kept as issued, as the tax law requires and the erasure notice tells the client: they hold
no coaching content (numbers, parties, amounts, dates), and an issued invoice is never changed.
"""

from django.utils.translation import gettext as _

from coaching.money import format_money

from .models import Invoice


def export(*, user, practice):
    """The invoices billed to the client, as the invoice pages show them."""
    invoices = (
        Invoice.objects.filter(practice=practice, bill_to=user)
        .exclude(status=Invoice.Status.DRAFT)
        .order_by("year", "number")
    )
    rows = [
        {
            "number": invoice.display_number,
            "status": str(invoice.get_status_display()),
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else "",
            "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
            "bill_to": invoice.bill_to_name,
            "total": format_money(invoice.total_minor, invoice.currency),
            "paid": format_money(invoice.paid_minor, invoice.currency),
        }
        for invoice in invoices
    ]
    return {"key": "invoices", "title": _("Invoices billed to you"), "rows": rows}
