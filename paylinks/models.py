from django.conf import settings
from django.db import models
from django.utils.timezone import now

from billing.models import Invoice


class PaymentLink(models.Model):
    """One Midtrans Snap transaction opened for an invoice: the order id we chose, the amount
    asked and where the payer pays. A notification is honoured only for an order listed here,
    and only for the amount asked (on top of its signature)."""

    order_id = models.CharField(max_length=50, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payment_links")
    amount_minor = models.BigIntegerField()
    redirect_url = models.URLField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # The invoice page reuses the newest link for the amount still due.
            models.Index(fields=["invoice", "-created_at"], name="paylink_invoice_newest"),
        ]

    def __str__(self):
        return f"Payment link {self.order_id}"
