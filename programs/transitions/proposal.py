"""The proposal's transitions: drafted, sent, answered by the client and the sponsor,
withdrawn or expired (services: programs.services.proposal)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import reminders
from ..access import proposal_party_of
from ..models import Proposal
from .engine import Guard, Role, Table, Transition, is_admin, is_system


def is_proposal_client(proposal, user, roles):
    """the proposal's client (or, before they have an account, the invited email)"""
    return proposal_party_of(proposal, user) == "client"


def is_proposal_sponsor(proposal, user, roles):
    """the proposal's sponsor"""
    return proposal_party_of(proposal, user) == "sponsor"


def is_practice_coach(proposal, user, roles):
    """a coach of the practice (drafting a proposal for an admin to approve)"""
    return Role.COACH in roles


def remind_proposal_parties(proposal, **_ignored):
    """The client (or their invitation) and the sponsor get a reminder to answer."""
    reminders.proposal_waiting_schedule(proposal)


def _not_expired(proposal, actor):
    return proposal.expires_on >= timezone.localdate()


def _not_answered(proposal, actor):
    party = proposal_party_of(proposal, actor) if actor is not None else None
    return not (party and getattr(proposal, f"{party}_response"))


NOT_EXPIRED = Guard(
    _not_expired,
    _("The expiry date has passed; set a later one first."),
    "its expiry date has not passed",
)
NOT_ANSWERED = Guard(
    _not_answered, _("You have already answered this proposal."), "this party has not answered"
)

P = Proposal.Status
ANSWER_REFUSED = _("This proposal is %(status)s and can no longer be answered.")
ANSWER_FORBIDDEN = _("Only the client or the sponsor can answer this proposal.")

PROPOSAL = Table(
    entity="proposal",
    model=Proposal,
    subject="proposal",
    kinds={
        "admin": is_admin,
        "coach": is_practice_coach,
        "client": is_proposal_client,
        "sponsor": is_proposal_sponsor,
        "system": is_system,
    },
    links=lambda proposal: {"proposal": proposal},
    rows=[
        Transition(
            "create",
            {""},
            P.DRAFT,
            {"admin", "coach"},
            refused="",
            creates=True,
            doc="An admin drafts a proposal for an existing client or an email (which gets a "
            "client invitation); a coach may draft one too, which waits for an admin's "
            "approval (the invitation waits with it).",
        ),
        Transition(
            "send",
            {P.DRAFT},
            P.SENT,
            {"admin"},
            refused=_("Only a draft proposal can be sent."),
            label=_("Send the proposal"),
            guards=(NOT_EXPIRED,),
            effects=(remind_proposal_parties,),
            doc="The proposal goes to the client and the sponsor for their answer; a coach's "
            "draft is approved by the admin who sends it.",
        ),
        Transition(
            "withdraw",
            {P.DRAFT, P.SENT},
            P.WITHDRAWN,
            {"admin"},
            refused=_("Only a draft or sent proposal can be withdrawn."),
            label=_("Withdraw"),
            doc="The practice takes the proposal back (the reason is optional).",
        ),
        Transition(
            "expire",
            {P.SENT},
            P.EXPIRED,
            {"system"},
            refused="Only a sent proposal expires.",  # the system's own: nobody reads it
            automatic=True,
            doc="Past its expiry date a sent proposal expires: on the daily task, or when "
            "someone answers it late (the answer is then refused).",
        ),
        Transition(
            "accept_in_part",
            {P.SENT},
            P.SENT,
            {"client", "sponsor"},
            refused=ANSWER_REFUSED,
            forbidden=ANSWER_FORBIDDEN,
            guards=(NOT_ANSWERED,),
            event_to="{party}_accepted",
            automatic=True,
            doc="One party accepts while another has still to: the proposal stays sent (the "
            "client's or sponsor's answer is recorded; an invited client is linked).",
        ),
        Transition(
            "accept",
            {P.SENT},
            P.ACCEPTED,
            {"client", "sponsor"},
            refused=ANSWER_REFUSED,
            forbidden=ANSWER_FORBIDDEN,
            label=_("Accept the proposal"),
            guards=(NOT_ANSWERED,),
            doc="The last party to answer accepts: the proposal is accepted (a contract can "
            "follow).",
        ),
        Transition(
            "decline",
            {P.SENT},
            P.DECLINED,
            {"client", "sponsor"},
            refused=ANSWER_REFUSED,
            forbidden=ANSWER_FORBIDDEN,
            label=_("Decline"),
            guards=(NOT_ANSWERED,),
            doc="The client or the sponsor declines: the proposal is declined for everyone.",
        ),
    ],
)
