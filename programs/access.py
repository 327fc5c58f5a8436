"""Program reach, built on coaching.access: which proposals, contracts and programs a user sees.

Admins see every one of the practice (for logistics), coaches the programs they coach,
clients their own, sponsors those they sponsor. Outside that reach an object is a 404.

Reach is not content: programs come with their coaching content deferred (never loaded, never
decrypted here); pages get it from the gate (ethics.access.program_content_for) for the
program's coach and client only. Chemistry notes and objective texts are deferred likewise.
"""

from django.db.models import Q
from django.http import Http404

from coaching.access import Role, roles_of

from .models import (
    PROGRAM_CONTENT_FIELDS,
    ChemistryMeeting,
    Contract,
    ContractAcceptance,
    Objective,
    Program,
    Proposal,
)

Party = ContractAcceptance.Party


def _reach(access, *, client_field="client", sponsor_field="sponsor", coach_field=None):
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    if access.is_client:
        q |= Q(**{client_field: access.user})
    if access.is_sponsor:
        q |= Q(**{sponsor_field: access.user})
    if coach_field and access.is_coach:
        q |= Q(**{coach_field: access.user})
    return q


def proposals_for(access):
    reach = _reach(access)
    if access.is_client and not access.is_admin:
        # An invited client sees the proposal made to their email before it is linked.
        reach |= Q(client=None, client_email=access.user.email.lower())
    return Proposal.objects.filter(practice=access.practice).filter(reach)


def contracts_for(access):
    return Contract.objects.filter(practice=access.practice).filter(_reach(access))


def programs_for(access):
    return (
        Program.objects.filter(practice=access.practice)
        .filter(_reach(access, coach_field="coach"))
        .defer(*PROGRAM_CONTENT_FIELDS)
    )


def _get(qs, code):
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_proposal_for(access, code):
    return _get(proposals_for(access).select_related("client", "sponsor"), code)


def get_contract_for(access, code):
    return _get(contracts_for(access).select_related("client", "sponsor", "proposal"), code)


def get_program_for(access, code):
    return _get(programs_for(access).select_related("client", "coach", "sponsor"), code)


def get_meeting_for(access, code):
    qs = ChemistryMeeting.objects.filter(contract__practice=access.practice)
    if not access.is_admin:
        reach = Q(pk__in=[])
        if access.is_client:
            reach |= Q(contract__client=access.user)
        if access.is_coach:
            reach |= Q(coach=access.user)
        qs = qs.filter(reach)
    return _get(qs.select_related("contract", "coach").defer("client_note", "coach_note"), code)


def get_objective_for(access, code):
    # For the coach's review (a write): the objective's own text is not needed, nor loaded.
    qs = Objective.objects.filter(program__in=programs_for(access)).select_related("program")
    deferred = ["text", "measure", *(f"program__{f}" for f in PROGRAM_CONTENT_FIELDS)]
    return _get(qs.defer(*deferred), code)


def get_session_for(access, program, code):
    return _get(program.sessions.all(), code)


# Which side of an agreement a person answers for ------------------------------------------


def proposal_party_of(proposal, user):
    """Which side of the proposal the user answers for: "client", "sponsor" or None."""
    if proposal.client_id == user.pk or (
        proposal.client_id is None and proposal.client_email == user.email.lower()
    ):
        return "client"
    if proposal.sponsor_id == user.pk:
        return "sponsor"
    return None


def contract_parties_for(contract, user):
    """The parties this user may accept for."""
    parties = []
    if contract.client_id == user.pk:
        parties.append(Party.CLIENT)
    if contract.sponsor_id == user.pk:
        parties.append(Party.SPONSOR)
    if Role.ADMIN in roles_of(contract.practice, user):
        parties.append(Party.PRACTICE)
    return parties
