"""The demo's billing step: invoices of the accepted contracts, once."""

from billing.demo import build
from billing.models import Invoice, Payment
from tests.programs import builders as lifecycle


def test_the_demo_bills_the_accepted_contracts_once(world):
    contract = lifecycle.contract(world, status="active")
    build(practice=world.practice, people={})
    invoice = Invoice.objects.get()
    assert (invoice.bill_to, invoice.bill_to_name) == (world.sponsor, "PT Nusantara Energi Tbk")
    assert invoice.status == "partly_paid" and Payment.objects.count() == 1
    assert contract.current_version.instalments.count() == 2
    build(practice=world.practice, people={})
    assert Invoice.objects.count() == 1 and Payment.objects.count() == 1
