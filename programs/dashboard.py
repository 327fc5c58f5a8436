"""Lifecycle panels on the role dashboards: what waits, and for whom."""

from django.db.models import Count, Q

from coaching.access import Role

from .access import contracts_for, proposals_for
from .models import Contract, ContractAcceptance, Proposal


def _admin(access):
    proposals = proposals_for(access).aggregate(
        **{s: Count("id", filter=Q(status=s)) for s in ["draft", "sent", "accepted"]}
    )
    contracts = contracts_for(access).aggregate(
        **{s: Count("id", filter=Q(status=s)) for s in ["draft", "sent", "active"]}
    )
    return {
        "template": "programs/_panel_pipeline.html",
        "stages": [
            (Proposal.Status.DRAFT.label, proposals["draft"]),
            (Proposal.Status.SENT.label, proposals["sent"]),
            (Proposal.Status.ACCEPTED.label, proposals["accepted"]),
            (Contract.Status.SENT.label, contracts["sent"]),
            (Contract.Status.ACTIVE.label, contracts["active"]),
        ],
    }


def _waiting_for_me(access, role):
    user = access.user
    field = "client_response" if role == Role.CLIENT else "sponsor_response"
    party = (
        ContractAcceptance.Party.CLIENT if role == Role.CLIENT else ContractAcceptance.Party.SPONSOR
    )
    person = Q(client=user) if role == Role.CLIENT else Q(sponsor=user)
    if role == Role.CLIENT:
        person |= Q(client=None, client_email=user.email.lower())
    proposals = list(
        proposals_for(access).filter(person, status=Proposal.Status.SENT, **{field: ""})
    )
    contract_person = Q(client=user) if role == Role.CLIENT else Q(sponsor=user)
    contracts = [
        c
        for c in contracts_for(access).filter(contract_person, status=Contract.Status.SENT)
        if not c.current_version.acceptances.filter(party=party).exists()
    ]
    return {
        "template": "programs/_panel_waiting.html",
        "proposals": proposals,
        "contracts": contracts,
    }


def panels(access, role):
    if role == Role.ADMIN:
        return [_admin(access)]
    if role in (Role.CLIENT, Role.SPONSOR):
        panel = _waiting_for_me(access, role)
        return [panel] if panel["proposals"] or panel["contracts"] else []
    return []
