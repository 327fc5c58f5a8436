"""Reads for the lifecycle pages. Each takes the reader (an access) and reads through reach."""

from django.db.models import Count

from . import services
from .access import contracts_for, programs_for, proposals_for
from .models import Contract, ContractAcceptance, Proposal


def pipeline(*, access):
    """The admin's view of everything in flight: proposals, contracts and programs."""
    proposals = proposals_for(access).select_related("client", "sponsor")
    contracts = contracts_for(access).select_related("client", "sponsor")
    programs = programs_for(access).select_related("client", "coach")
    counts = dict(proposals.values_list("status").annotate(n=Count("id")).order_by())
    contract_counts = dict(contracts.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "proposals": proposals,
        "contracts": contracts,
        "programs": programs,
        "proposal_counts": [
            (label, counts.get(value, 0)) for value, label in Proposal.Status.choices
        ],
        "contract_counts": [
            (label, contract_counts.get(value, 0)) for value, label in Contract.Status.choices
        ],
    }


def contract_page(*, contract, reader):
    versions = list(contract.versions.prefetch_related("acceptances__user"))
    current = versions[-1]
    accepted = {a.party: a for a in current.acceptances.all()}
    parties = services.contract_parties_for(contract, reader)
    return {
        "contract": contract,
        "version": current,
        "versions": versions,
        "accepted": accepted,
        "acceptance_rows": [
            (ContractAcceptance.Party(p), accepted.get(p)) for p in contract.parties()
        ],
        "can_accept": [
            ContractAcceptance.Party(p)
            for p in parties
            if p not in accepted and contract.status == Contract.Status.SENT
        ],
        "events": contract.events.select_related("actor"),
    }
