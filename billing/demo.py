"""The demo's billing: the practice's seller details and PPN, the payment schedule of every
accepted contract (50% at signature, 50% after session 3, as their payment terms say), the
sponsor's company as the payer of sponsored contracts, the invoices that fell due and one
partial payment.

Listed in settings.DEMO_EXTENSIONS after the programs and sessions steps. Idempotent: a
contract whose version already has a schedule, or a practice with invoices, is left alone.
"""

from django.db import transaction
from django.utils import timezone

from programs.models import Contract

from . import services
from .models import BillingSettings, ContractBilling, Instalment, Invoice

HALF_AND_HALF = (
    {"kind": "percent", "percent": 50, "trigger": "signature"},
    {"kind": "percent", "percent": 50, "trigger": "session", "after_session": 3},
)
COMPANY = {
    "legal_name": "PT Nusantara Energi Tbk",
    "address": "Jl. Jenderal Gatot Subroto Kav. 18, Jakarta Selatan 12950",
    "npwp": "01.234.567.8-091.000",
}


@transaction.atomic
def build(*, practice, people):
    BillingSettings.objects.update_or_create(
        practice=practice,
        defaults={
            "legal_name": f"PT {practice.name} Indonesia",
            "address": "Jl. Kemang Raya No. 10, Jakarta Selatan 12730",
            "npwp": "02.345.678.9-012.000",
            "bank_details": f"BCA 123 456 7890 a.n. PT {practice.name} Indonesia",
        },
    )
    if Invoice.objects.filter(practice=practice).exists():
        return
    contracts = Contract.objects.filter(
        practice=practice, status__in=(Contract.Status.ACTIVE, Contract.Status.ENDED)
    )
    for contract in contracts:
        version = contract.in_force_version
        if version.instalments.exists():
            continue
        # Written onto the accepted version as its terms said (the demo's contracts predate
        # structured schedules); a real schedule is edited with the terms before acceptance.
        for position, row in enumerate(HALF_AND_HALF):
            Instalment.objects.create(version=version, position=position, **row)
        if contract.sponsor_id:
            ContractBilling.objects.get_or_create(
                contract=contract, defaults={"payer": ContractBilling.Payer.SPONSOR, **COMPANY}
            )
        services.invoices_issue_due(contract=contract)
    first = Invoice.objects.filter(practice=practice, status=Invoice.Status.ISSUED).first()
    if first is not None:
        services.record_payment(
            invoice=first,
            amount_minor=first.total_minor // 2,
            paid_on=timezone.localdate(),
            reference="BCA 0001",
        )
