"""Proposal: drafted by an admin, sent, answered by the client and the sponsor, withdrawn or
expired. Its transitions are rows of programs.transitions.PROPOSAL."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.access import roles_of
from coaching.accounts.models import Membership
from coaching.accounts.services import invitation_create

from ..access import proposal_party_of
from ..models import PROPOSAL_TERMS, Proposal
from ..transitions import PROPOSAL, locked, require_role

Role = Membership.Role


def proposal_create(*, practice, actor, client=None, client_email="", sponsor=None, **terms):
    """A draft proposal. Without an existing client, the email gets a client invitation.

    A coach may draft one (the supply-driven proposal): it needs an admin's approval, given
    by sending it, and the new client's invitation waits for that approval."""
    require_role(practice, actor, Role.ADMIN, Role.COACH)
    by_coach = Role.ADMIN not in roles_of(practice, actor)
    client_email = (client_email or "").strip().lower()
    if client is None and not client_email:
        raise ValidationError(_("Choose an existing client or give the email of a new one."))
    if client is not None and Role.CLIENT not in roles_of(practice, client):
        raise ValidationError(_("That person is not a client of this practice."))
    if sponsor is not None and Role.SPONSOR not in roles_of(practice, sponsor):
        raise ValidationError(_("That person is not a sponsor of this practice."))
    if terms.get("duration") == Proposal.Duration.CUSTOM and not terms.get(
        "custom_duration_months"
    ):
        raise ValidationError(_("A custom duration needs its number of months."))
    if terms.get("sessions_count", 1) < 1:
        raise ValidationError(_("A program needs at least one session."))
    with transaction.atomic():
        invitation = None
        if client is None:
            existing = (
                Membership.objects.filter(
                    practice=practice,
                    role=Role.CLIENT,
                    deactivated_at=None,
                    user__email__iexact=client_email,
                )
                .select_related("user")
                .first()
            )
            if existing:
                client = existing.user
            elif not by_coach:
                invitation = invitation_create(
                    practice=practice, email=client_email, role=Role.CLIENT, invited_by=actor
                )
        proposal = Proposal.objects.create(
            practice=practice,
            client=client,
            client_email=client.email if client else client_email,
            invitation=invitation,
            sponsor=sponsor,
            created_by=actor,
            needs_approval=by_coach,
            **terms,
        )
        PROPOSAL.created(proposal, actor=actor)
    return proposal


def proposal_update(*, proposal, actor, **terms):
    """Changes a draft proposal's terms (not its client). Once sent, it is withdrawn instead."""
    require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = locked(Proposal, proposal)
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Only a draft proposal can be changed."))
        for field in PROPOSAL_TERMS:
            if field in terms:
                setattr(proposal, field, terms[field])
        if proposal.duration == Proposal.Duration.CUSTOM and not proposal.custom_duration_months:
            raise ValidationError(_("A custom duration needs its number of months."))
        proposal.save()
    return proposal


def proposal_send(*, proposal, actor):
    """An admin sends the proposal; sending a coach's draft approves it (who, when), and its
    new client's invitation goes out now."""

    def approve(proposal):
        if not proposal.needs_approval:
            return None
        Proposal.objects.filter(pk=proposal.pk).update(
            approved_by=actor, approved_at=timezone.now()
        )
        if proposal.client_id is None and proposal.invitation_id is None:
            invitation = invitation_create(
                practice=proposal.practice,
                email=proposal.client_email,
                role=Role.CLIENT,
                invited_by=actor,
            )
            Proposal.objects.filter(pk=proposal.pk).update(invitation=invitation)
            proposal.invitation = invitation
        return None

    return PROPOSAL.apply(proposal, "send", actor=actor, work=approve)


def proposal_withdraw(*, proposal, actor, reason=""):
    return PROPOSAL.apply(proposal, "withdraw", actor=actor, reason=reason)


def _answer(proposal, party, accept):
    """Which row an answer takes: declined, accepted by the last party, or accepted in part."""
    if not accept:
        return "decline"
    answers = {"client": proposal.client_response}
    if proposal.sponsor_id:
        answers["sponsor"] = proposal.sponsor_response
    answers[party] = Proposal.Response.ACCEPTED
    return "accept" if set(answers.values()) == {Proposal.Response.ACCEPTED} else "accept_in_part"


def proposal_respond(*, proposal, actor, accept, reason=""):
    """The client's or the sponsor's answer. Accepted once every party accepted.

    Past the expiry date a sent proposal expires first (that is kept) and the answer is refused.
    """
    PROPOSAL.require_actor("accept", proposal, actor)
    party = proposal_party_of(proposal, actor)
    with transaction.atomic():
        proposal = PROPOSAL.lock(proposal)
        if proposal.status == Proposal.Status.SENT and proposal.expires_on < timezone.localdate():
            PROPOSAL.apply(proposal, "expire", actor=None, locked=True)
    with transaction.atomic():
        proposal = PROPOSAL.lock(proposal)
        changes = {f"{party}_response": "accepted" if accept else "declined"}
        if party == "client" and proposal.client_id is None:
            changes["client"] = actor
        PROPOSAL.apply(
            proposal,
            _answer(proposal, party, accept),
            actor=actor,
            reason=reason,
            locked=True,
            changes=changes,
        )
    return proposal


def proposals_expire_due(*, today=None):
    """Marks sent proposals past their expiry date as expired (a periodic task may call this)."""
    today = today or timezone.localdate()
    expired = 0
    for proposal in Proposal.objects.filter(status=Proposal.Status.SENT, expires_on__lt=today):
        try:
            PROPOSAL.apply(proposal, "expire", actor=None)
        except ValidationError:
            continue  # answered or withdrawn meanwhile
        expired += 1
    return expired
