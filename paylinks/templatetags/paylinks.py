from django import template

from billing.models import Invoice
from paylinks import midtrans

register = template.Library()


@register.simple_tag
def pay_online_offered(invoice, access):
    """The "pay online" button: payment links on, the reader is the bill-to party, something
    is still due, in Rupiah."""
    return bool(
        midtrans.config() is not None
        and invoice.bill_to_id == access.user.pk
        and invoice.status in Invoice.OPEN
        and invoice.outstanding_minor > 0
        and invoice.currency == "IDR"
    )
