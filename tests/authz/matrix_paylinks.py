"""Payment links (Midtrans). The matrix runs with payment links off (no MIDTRANS_SERVER_KEY),
as a fresh install does: the payer's button answers 404 and so does the notification URL.
Their effects with the gateway on (a link opened once; a forged notification records nothing,
a valid one one payment, a repeated one no second) are tests/paylinks/test_midtrans.py's, run
against a local HTTP server that speaks Midtrans's documented requests."""

from tests.authz.matrix_billing import issued
from tests.authz.spec import Entry, everyone, only

ENTRIES = [
    # The bill-to party's role passes the gate; the feature being off answers 404.
    Entry(
        "invoice_pay_online",
        only([], client=404, sponsor=404),
        kwargs=issued,
        method="post",
    ),
    # Called by Midtrans, not by a signed-in person: no login redirect, no CSRF; off: 404.
    Entry(
        "midtrans_notification",
        everyone(404, anonymous=404),
        method="post",
        data={"order_id": "x", "status_code": "200", "gross_amount": "1.00"},
        public=True,
        practice_scoped=False,
    ),
]
