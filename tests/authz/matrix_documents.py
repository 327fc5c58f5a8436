"""The documents' URLs (PDF downloads): exactly the readers of the page each one prints."""

from tests.authz.matrix_billing import BILL_TO, issued
from tests.authz.matrix_programs import PARTIES, _contract, _graduated
from tests.authz.spec import Entry, only

ENTRIES = [
    Entry("contract_pdf", only(PARTIES), kwargs=_contract("sent")),
    Entry(
        "certificate_pdf",
        only(["admin", "coach", "other_coach", "client"], other_coach=404),
        kwargs=_graduated,
    ),
    # The bill-to party (the sponsor) reads its own; the client of a sponsor-paid contract 404.
    Entry("invoice_pdf", BILL_TO, kwargs=issued),
]
