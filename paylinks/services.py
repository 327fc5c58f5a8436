"""Payment links for invoices (Midtrans Snap) and the payments their notifications record.

The delivery guarantee: Midtrans may send a notification more than once (and retries until it
gets a 2xx). Each paid order records one payment: billing.services.record_payment is called
with external_reference "midtrans:<order_id>", which it checks under the invoice's row lock and
which a unique column backs, so a repeated or concurrent notification returns the first
payment and records nothing.
"""

import logging
import secrets
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import services as billing
from billing.models import Invoice, Payment
from coaching.money import to_minor

from . import midtrans
from .models import PaymentLink

logger = logging.getLogger(__name__)

# Midtrans's statuses of a transaction whose money has arrived (card: only when the fraud
# check accepted it); every other status (pending, deny, cancel, expire, ...) records nothing.
PAID = {"settlement"}
PAID_IF_ACCEPTED = {"capture"}


class UnknownOrder(Exception):
    """A notification for an order this platform did not open."""


def payment_link_create(*, invoice, actor, cfg):
    """Opens (or reuses) a Snap transaction for what is still due; returns where to pay."""
    if invoice.status not in Invoice.OPEN or invoice.outstanding_minor <= 0:
        raise ValidationError(_("This invoice has nothing left to pay."))
    if invoice.currency != "IDR":
        raise ValidationError(_("Payment links take Rupiah only: pay this invoice by transfer."))
    amount = invoice.outstanding_minor
    recent = timezone.now() - timedelta(hours=12)
    reuse = (
        PaymentLink.objects.filter(invoice=invoice, amount_minor=amount, created_at__gte=recent)
        .order_by("-created_at")
        .first()
    )
    if reuse is not None:
        return reuse
    order_id = f"{invoice.code.hex[:24]}-{secrets.token_hex(6)}"
    path = reverse("invoice_detail", args=[invoice.practice.slug, invoice.code])
    body = {
        "transaction_details": {"order_id": order_id, "gross_amount": amount},
        # The payer's name and email only: no line, nothing about the coaching.
        "customer_details": {"first_name": invoice.bill_to_name[:50], "email": actor.email},
        "callbacks": {"finish": settings.SITE_URL.rstrip("/") + path},
    }
    try:
        answer = midtrans.create_transaction(cfg, body)
    except midtrans.GatewayError as exc:
        raise ValidationError(
            _("The payment service did not answer. Try again later, or pay by bank transfer.")
        ) from exc
    return PaymentLink.objects.create(
        order_id=order_id,
        invoice=invoice,
        amount_minor=amount,
        redirect_url=str(answer["redirect_url"])[:500],
        created_by=actor,
    )


def _paid_on(payload):
    for name in ("settlement_time", "transaction_time"):
        value = payload.get(name)
        if isinstance(value, str):
            try:
                # Midtrans writes its times in Jakarta time, "2026-11-20 10:15:00".
                return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").date()
            except ValueError:
                continue
    return timezone.localdate()


def notification_receive(*, payload):
    """An authentic notification (midtrans.is_authentic): the payment it reports, recorded
    once; None when it reports no payment. UnknownOrder for an order we did not open;
    ValidationError when billing refuses it (an amount other than the link's, or more than
    is still due)."""
    link = (
        PaymentLink.objects.select_related("invoice__practice")
        .filter(order_id=payload.get("order_id"))
        .first()
    )
    if link is None:
        raise UnknownOrder(payload.get("order_id"))
    status = payload.get("transaction_status")
    accepted = payload.get("fraud_status") in (None, "accept")
    if not (status in PAID or (status in PAID_IF_ACCEPTED and accepted)):
        return None
    try:
        amount = to_minor(Decimal(str(payload.get("gross_amount"))), link.invoice.currency)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError("gross_amount is not an amount") from exc
    if amount != link.amount_minor:
        raise ValidationError("the amount paid is not the amount the link asked")
    return billing.record_payment(
        invoice=link.invoice,
        amount_minor=amount,
        paid_on=_paid_on(payload),
        method=Payment.Method.GATEWAY,
        reference=f"Midtrans {payload.get('payment_type', '')}".strip()[:100],
        external_reference=f"midtrans:{link.order_id}",
        actor=None,
    )
