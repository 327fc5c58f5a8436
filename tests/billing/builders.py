"""Billing states built through the services, as a user would reach them."""

from datetime import date

from programs import services
from programs.models import ContractAcceptance
from tests.programs import builders

Party = ContractAcceptance.Party

HALF_AND_HALF = [
    {"kind": "percent", "percent": 50, "trigger": "signature"},
    {"kind": "percent", "percent": 50, "trigger": "session", "after_session": 3},
]


def scheduled_contract(world, *, schedule=HALF_AND_HALF, sponsor=True, accept=True, **billing):
    """A contract whose version 1 carries `schedule`, sent and (accept) accepted by all."""
    from billing import services as billing_services

    contract = builders.contract(world, status="draft", sponsor=sponsor, starts_on=date(2027, 1, 4))
    services.contract_change_terms(contract=contract, actor=world.admin, instalments=schedule)
    if billing:
        billing_services.contract_billing_update(contract=contract, actor=world.admin, **billing)
    services.contract_send(contract=contract, actor=world.admin)
    if accept:
        accept_all(world, contract, sponsor=sponsor)
    contract.refresh_from_db()
    return contract


def accept_all(world, contract, *, sponsor=True):
    number = contract.current_version.number
    for party, user in [
        (Party.CLIENT, world.client),
        (Party.PRACTICE, world.admin),
        *([(Party.SPONSOR, world.sponsor)] if sponsor else []),
    ]:
        services.contract_accept(contract=contract, version_number=number, party=party, actor=user)
