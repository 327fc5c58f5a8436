"""Billing's URLs. Admins manage invoices; the bill-to party (here the sponsor, who pays the
contract) reads its own; the client of a sponsor-paid contract gets 404 (not theirs); coaches
are refused by role (403); the outsider gets 404."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from billing import services
from billing.models import Invoice, Payment
from tests.authz.spec import Entry, only, practice
from tests.billing.builders import scheduled_contract

STAFF = only(["admin"])
BILL_TO = only(["admin", "sponsor"], client=404)


def _contract(world):
    return scheduled_contract(world, payer="sponsor", legal_name="PT Maju Jaya")


def issued(world):
    """The invoice of the instalment due at signature, issued to the sponsor's company."""
    invoice = _contract(world).invoices.get()
    return {"slug": world.practice.slug, "code": invoice.code}


def drafted(world):
    contract = _contract(world)
    second = contract.current_version.instalments.get(trigger="session")
    invoice = services.invoice_draft_for_instalment(instalment=second, actor=world.admin)
    return {"slug": world.practice.slug, "code": invoice.code}


def with_proof(world):
    invoice = _contract(world).invoices.get()
    payment = services.record_payment(
        invoice=invoice,
        amount_minor=1_000,
        paid_on=date(2026, 11, 1),
        proof=SimpleUploadedFile("slip.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        actor=world.admin,
    )
    return {"slug": world.practice.slug, "code": payment.code}


def contract(world):
    return {"slug": world.practice.slug, "code": _contract(world).code}


def instalment(world):
    second = _contract(world).current_version.instalments.get(trigger="session")
    return {"slug": world.practice.slug, "code": second.code}


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def invoice_state(world, kwargs):
    invoice = Invoice.objects.get(code=kwargs["code"])
    return (invoice.status, invoice.number, invoice.paid_minor, Payment.objects.count())


def invoices_of_contract(world, kwargs):
    return Invoice.objects.filter(contract__code=kwargs["code"]).count()


def invoices_of_instalment(world, kwargs):
    return Invoice.objects.filter(instalment__code=kwargs["code"]).count()


ENTRIES = [
    Entry("invoice_list", only(["admin", "client", "sponsor"]), kwargs=practice),
    Entry("invoice_detail", BILL_TO, kwargs=issued),
    Entry(
        "invoice_issue",
        only(["admin"], 302),
        kwargs=drafted,
        method="post",
        effect=invoice_state,
    ),
    Entry(
        "invoice_void",
        only(["admin"], 302),
        kwargs=issued,
        method="post",
        data={"reason": "Wrong company name"},
        effect=invoice_state,
    ),
    Entry(
        "invoice_payment",
        only(["admin"], 302),
        kwargs=issued,
        method="post",
        data={"paid_on": "2026-11-20", "amount_minor": "1.000.000", "method": "bank_transfer"},
        effect=invoice_state,
    ),
    Entry("payment_proof", STAFF, kwargs=with_proof),
    Entry("contract_billing", STAFF, kwargs=contract),
    Entry(
        "contract_invoice_other",
        only(["admin"], 302),
        kwargs=contract,
        method="post",
        data={"description": "Workshop day", "amount": "Rp 2.500.000"},
        effect=invoices_of_contract,
    ),
    Entry(
        "instalment_invoice",
        only(["admin"], 302),
        kwargs=instalment,
        method="post",
        effect=invoices_of_instalment,
    ),
    Entry("billing_settings", STAFF, kwargs=practice),
    Entry("billing_report", STAFF, kwargs=practice),
    Entry("billing_report_csv", STAFF, kwargs=practice),
]
