"""The contract's transitions (drafted, sent, accepted party by party and version by
version, active) and the chemistry stage on an active contract, up to the client's choice of
coach, which starts the program (services: programs.services.contract and .chemistry)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import reminders
from ..access import contract_parties_for
from ..models import Contract, ContractAcceptance, Program
from .engine import Guard, Table, Transition, is_admin


def _contract_party(party, doc):
    def predicate(contract, user, roles):
        return party in contract_parties_for(contract, user)

    predicate.__doc__ = doc
    return predicate


def is_contract_client(contract, user, roles):
    """the contract's client"""
    return user.pk == contract.client_id


def stamp_version_sent(contract, **_ignored):
    """The current version is stamped as sent: from now on a change makes a new version."""
    current = contract.current_version
    current.sent_at = timezone.now()
    current.save(update_fields=["sent_at"])


def remind_contract_parties(contract, *, actor, **_ignored):
    """Every party but the sender (client, sponsor, the practice's admins) gets a reminder to
    accept the version just sent."""
    reminders.contract_waiting_schedule(contract, actor=actor)


def _not_accepted_by(party):
    def test(contract, actor):
        return not contract.current_version.acceptances.filter(party=party).exists()

    return test


def _no_coach_chosen(contract, actor):
    return not Program.objects.filter(contract=contract).exists()


NO_COACH_YET = Guard(
    _no_coach_chosen,
    _("A coach has already been chosen for this contract."),
    "no coach has been chosen for the contract yet",
)
CHOICE_OPEN = Guard(
    _no_coach_chosen,
    _("There is no coach choice open on this contract."),
    "no coach has been chosen for the contract yet",
)


C = Contract.Status
Party = ContractAcceptance.Party
NOT_WAITING = _("This contract is not waiting for acceptance.")
NOT_THAT_PARTY = _("You cannot accept this contract for that party.")


def _awaits_acceptance(contract, actor):
    """Sent, or active with an amendment sent and not yet accepted by everyone."""
    return contract.status == C.SENT or contract.pending_amendment is not None


AWAITS_ACCEPTANCE = Guard(
    _awaits_acceptance,
    _("This contract is not waiting for acceptance."),
    "the contract is sent, or active with an amendment waiting for acceptance",
)


def _respond_as(party, kind):
    verb = {"changes": "ask_changes", "decline": "decline"}[kind]
    logged = {"changes": "changes_asked_by_{party}", "decline": "declined_by_{party}"}[kind]
    return Transition(
        f"{verb}_as_{party}",
        {C.SENT, C.ACTIVE},
        None,
        {party},
        refused=NOT_WAITING,
        forbidden=NOT_THAT_PARTY,
        guards=(
            AWAITS_ACCEPTANCE,
            Guard(
                _not_accepted_by(party),
                _("This version has already been accepted for that party."),
                "that party has not accepted this version yet",
            ),
        ),
        event_to=logged,
        event_reason="v{number}",
        doc=f"The {party} {'asks for changes to' if kind == 'changes' else 'declines'} the "
        "version waiting for acceptance, with a comment the practice reads and answers with a "
        "new version; the contract's state does not change.",
    )


def _accept_as(party):
    return Transition(
        f"accept_as_{party}",
        {C.SENT, C.ACTIVE},
        None,
        {party},
        refused=NOT_WAITING,
        forbidden=NOT_THAT_PARTY,
        guards=(
            AWAITS_ACCEPTANCE,
            Guard(
                _not_accepted_by(party),
                _("This version has already been accepted for that party."),
                "that party has not accepted this version yet",
            ),
        ),
        event_to="accepted_by_{party}",
        event_reason="v{number}",
        doc=f"The {party} accepts the current version (who, when, from which address); on "
        "an active contract, an amendment is in force once every party accepted it.",
    )


CONTRACT = Table(
    entity="contract",
    model=Contract,
    subject="contract",
    kinds={
        "admin": is_admin,
        "client": _contract_party(Party.CLIENT, "the contract's client"),
        "sponsor": _contract_party(Party.SPONSOR, "the contract's sponsor"),
        "practice": _contract_party(Party.PRACTICE, "an admin, accepting for the practice"),
    },
    links=lambda contract: {"contract": contract},
    facts={"number": lambda contract: contract.current_version.number},
    rows=[
        Transition(
            "create",
            {""},
            C.DRAFT,
            {"admin"},
            refused="",
            creates=True,
            doc="An admin drafts version 1 from an accepted proposal's terms; the "
            "confidentiality clause is written in the client's language.",
        ),
        Transition(
            "send",
            {C.DRAFT},
            C.SENT,
            {"admin"},
            refused=_("Only a draft contract can be sent."),
            label=_("Send for acceptance"),
            effects=(stamp_version_sent, remind_contract_parties),
            event_reason="v{number}",
            doc="The current version goes to every party for acceptance.",
        ),
        Transition(
            "new_version",
            {C.DRAFT, C.SENT},
            C.DRAFT,
            {"admin"},
            refused=_("Only a draft or sent contract can be changed."),
            reason_required=_("Say why the sent contract changes."),
            event_to="version_{number}",
            doc="A change to terms already sent makes version n+1 (the sent one is never "
            "edited) and the contract is a draft again; earlier acceptances do not count for "
            "it. A draft's unsent version is edited in place, without an event.",
        ),
        Transition(
            "amend",
            {C.ACTIVE},
            None,
            {"admin"},
            refused=_("Only an active contract can be amended."),
            reason_required=_("Say why the contract changes."),
            effects=(stamp_version_sent, remind_contract_parties),
            event_to="version_{number}",
            doc="An amendment of an active contract (a longer period, more sessions, another "
            "length, price or terms) is version n+1, sent at once to every party; the contract "
            "stays active under the version in force until every party accepts the new one.",
        ),
        *(_accept_as(party) for party in Party.values),
        *(
            _respond_as(party, kind)
            for party in ("client", "sponsor")
            for kind in ("changes", "decline")
        ),
        Transition(
            "activate",
            {C.SENT},
            C.ACTIVE,
            {"client", "sponsor", "practice"},
            refused=NOT_WAITING,
            forbidden=NOT_THAT_PARTY,
            automatic=True,
            doc="Taken with the last acceptance, once every party (client, practice and the "
            "sponsor if any) accepted the current version.",
        ),
    ],
)

CHEMISTRY = Table(
    entity="chemistry",
    model=Contract,
    subject="chemistry",
    kinds={"admin": is_admin, "client": is_contract_client},
    links=lambda contract: {"contract": contract},
    rows=[
        Transition(
            "propose",
            {C.ACTIVE},
            None,
            {"admin"},
            refused=_("Chemistry meetings follow an active contract."),
            label=_("Propose a candidate coach"),
            guards=(NO_COACH_YET,),
            event_from="",
            event_to="scheduled",
            doc="An admin proposes a candidate coach (who must be free then) and schedules "
            "the chemistry meeting.",
        ),
        Transition(
            "ask_another",
            {C.ACTIVE},
            None,
            {"client"},
            refused=_("There is no coach choice open on this contract."),
            forbidden=_("Only the client asks for another candidate."),
            label=_("Ask for another candidate"),
            guards=(CHOICE_OPEN,),
            event_from="held",
            event_to="another_candidate_requested",
            doc="The client asks the practice for another candidate coach.",
        ),
        Transition(
            "choose",
            {C.ACTIVE},
            None,
            {"client"},
            refused=_("The contract is not active."),
            forbidden=_("Only the client chooses their coach."),
            guards=(NO_COACH_YET,),
            subject="program",
            event_from="chemistry",
            event_to="active",
            doc="The client, having recorded how the meeting went, chooses the candidate: "
            "the program starts, active, with the contract's period; that meeting is chosen "
            "and the others not chosen.",
        ),
    ],
)
