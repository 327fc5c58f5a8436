"""Lifecycle transitions. Each one checks the actor's role and the current state, runs in one
transaction and writes a ProgramEvent. A refused transition raises ValidationError with a
translated message and changes nothing."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.accounts.models import Membership

from .models import Contract, ContractAcceptance, ContractVersion, ProgramEvent, Proposal

Role = Membership.Role
Party = ContractAcceptance.Party


def roles_of(practice, user):
    return set(
        Membership.objects.filter(practice=practice, user=user, deactivated_at=None).values_list(
            "role", flat=True
        )
    )


def _require_role(practice, user, *roles):
    if not roles_of(practice, user).intersection(roles):
        raise ValidationError(_("You are not allowed to do this in this practice."))


def _event(*, practice, subject, to_state, actor, from_state="", reason="", **objects):
    return ProgramEvent.objects.create(
        practice=practice,
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason[:300],
        **objects,
    )


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Proposal -----------------------------------------------------------------------------------


def proposal_create(*, practice, actor, client=None, client_email="", sponsor=None, **terms):
    """A draft proposal. Without an existing client, the email gets a client invitation."""
    _require_role(practice, actor, Role.ADMIN)
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
            else:
                from coaching.accounts.services import invitation_create

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
            **terms,
        )
        _event(
            practice=practice, subject="proposal", to_state="draft", actor=actor, proposal=proposal
        )
    return proposal


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def proposal_send(*, proposal, actor):
    _require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal)
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Only a draft proposal can be sent."))
        if proposal.expires_on < timezone.localdate():
            raise ValidationError(_("The expiry date has passed; set a later one first."))
        proposal.status = Proposal.Status.SENT
        proposal.save(update_fields=["status"])
        _event(
            practice=proposal.practice,
            subject="proposal",
            from_state="draft",
            to_state="sent",
            actor=actor,
            proposal=proposal,
        )
    return proposal


def proposal_withdraw(*, proposal, actor, reason=""):
    _require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal)
        if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.SENT):
            raise ValidationError(_("Only a draft or sent proposal can be withdrawn."))
        old = proposal.status
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save(update_fields=["status"])
        _event(
            practice=proposal.practice,
            subject="proposal",
            from_state=old,
            to_state="withdrawn",
            actor=actor,
            reason=reason,
            proposal=proposal,
        )
    return proposal


def proposal_party_of(proposal, user):
    """Which side of the proposal the user answers for: "client", "sponsor" or None."""
    if proposal.client_id == user.pk or (
        proposal.client_id is None and proposal.client_email == user.email.lower()
    ):
        return "client"
    if proposal.sponsor_id == user.pk:
        return "sponsor"
    return None


def proposal_respond(*, proposal, actor, accept, reason=""):
    """The client's or the sponsor's answer. Accepted once every party accepted."""
    party = proposal_party_of(proposal, actor)
    if party is None:
        raise ValidationError(_("Only the client or the sponsor can answer this proposal."))
    with transaction.atomic():
        proposal = _locked(Proposal, proposal)
        if proposal.status == Proposal.Status.SENT and proposal.expires_on < timezone.localdate():
            proposal.status = Proposal.Status.EXPIRED
            proposal.save(update_fields=["status"])
            _event(
                practice=proposal.practice,
                subject="proposal",
                from_state="sent",
                to_state="expired",
                actor=None,
                proposal=proposal,
            )
        if proposal.status != Proposal.Status.SENT:
            # The expiry (if any) is kept; the answer is refused after the commit.
            raise_after = ValidationError(
                _("This proposal is %(status)s and can no longer be answered.")
                % {"status": proposal.get_status_display().lower()}
            )
        else:
            raise_after = None
            if getattr(proposal, f"{party}_response"):
                raise ValidationError(_("You have already answered this proposal."))
            fields = [f"{party}_response"]
            setattr(proposal, f"{party}_response", "accepted" if accept else "declined")
            if party == "client" and proposal.client_id is None:
                proposal.client = actor
                fields.append("client")
            if not accept:
                proposal.status = Proposal.Status.DECLINED
            elif proposal.client_response == "accepted" and (
                not proposal.sponsor_id or proposal.sponsor_response == "accepted"
            ):
                proposal.status = Proposal.Status.ACCEPTED
            proposal.save(update_fields=[*fields, "status"])
            _event(
                practice=proposal.practice,
                subject="proposal",
                from_state="sent",
                to_state=proposal.status if proposal.status != "sent" else f"{party}_accepted",
                actor=actor,
                reason=reason,
                proposal=proposal,
            )
    if raise_after:
        raise raise_after
    return proposal


# Contract -----------------------------------------------------------------------------------

TERM_FIELDS = [
    "starts_on",
    "ends_on",
    "sessions_count",
    "session_minutes",
    "cadence",
    "price_minor",
    "currency",
    "payment_terms",
    "termination_clause",
    "cancellation_notice_hours",
    "late_cancellation_uses_session",
    "confidentiality",
    "other_conditions",
]

DEFAULT_CONFIDENTIALITY = _(
    "What is said in sessions stays between the client and the coach. The sponsor may see "
    "the program's dates, attendance and whether it was completed, never its content."
)


def contract_create(*, proposal, actor, starts_on):
    """A draft contract (version 1) from an accepted proposal's terms."""
    _require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal)
        if proposal.status != Proposal.Status.ACCEPTED:
            raise ValidationError(_("A contract needs an accepted proposal."))
        if Contract.objects.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal already has a contract."))
        contract = Contract.objects.create(
            practice=proposal.practice,
            proposal=proposal,
            client=proposal.client,
            sponsor=proposal.sponsor,
        )
        ContractVersion.objects.create(
            contract=contract,
            number=1,
            starts_on=starts_on,
            ends_on=add_months(starts_on, proposal.months or 6),
            sessions_count=proposal.sessions_count,
            session_minutes=proposal.session_minutes,
            cadence=proposal.cadence,
            price_minor=proposal.price_minor,
            currency=proposal.currency,
            confidentiality=str(DEFAULT_CONFIDENTIALITY),
            created_by=actor,
        )
        _event(
            practice=contract.practice,
            subject="contract",
            to_state="draft",
            actor=actor,
            contract=contract,
            proposal=proposal,
        )
    return contract


def _check_terms(terms):
    if terms["ends_on"] <= terms["starts_on"]:
        raise ValidationError(_("The contract must end after it starts."))
    if terms["sessions_count"] < 1:
        raise ValidationError(_("A contract needs at least one session."))


def contract_change_terms(*, contract, actor, reason="", **terms):
    """Edits a draft version in place; a change to a sent version makes a new version."""
    _require_role(contract.practice, actor, Role.ADMIN)
    with transaction.atomic():
        contract = _locked(Contract, contract)
        if contract.status not in (Contract.Status.DRAFT, Contract.Status.SENT):
            raise ValidationError(_("Only a draft or sent contract can be changed."))
        current = contract.current_version
        merged = {f: terms.get(f, getattr(current, f)) for f in TERM_FIELDS}
        _check_terms(merged)
        if current.sent_at is None:
            for field, value in merged.items():
                setattr(current, field, value)
            current.save()
            return current
        if not reason.strip():
            raise ValidationError(_("Say why the sent contract changes."))
        version = ContractVersion.objects.create(
            contract=contract,
            number=current.number + 1,
            change_reason=reason,
            created_by=actor,
            **merged,
        )
        old = contract.status
        contract.status = Contract.Status.DRAFT
        contract.save(update_fields=["status"])
        _event(
            practice=contract.practice,
            subject="contract",
            from_state=old,
            to_state=f"version_{version.number}",
            actor=actor,
            reason=reason,
            contract=contract,
        )
    return version


def contract_send(*, contract, actor):
    _require_role(contract.practice, actor, Role.ADMIN)
    with transaction.atomic():
        contract = _locked(Contract, contract)
        if contract.status != Contract.Status.DRAFT:
            raise ValidationError(_("Only a draft contract can be sent."))
        current = contract.current_version
        current.sent_at = timezone.now()
        current.save(update_fields=["sent_at"])
        contract.status = Contract.Status.SENT
        contract.save(update_fields=["status"])
        _event(
            practice=contract.practice,
            subject="contract",
            from_state="draft",
            to_state="sent",
            actor=actor,
            contract=contract,
            reason=f"v{current.number}",
        )
    return contract


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


def contract_accept(*, contract, version_number, party, actor, ip_address=None, user_agent=""):
    """One party accepts one specific version. Active once all parties accepted the current one."""
    if party not in contract_parties_for(contract, actor):
        raise ValidationError(_("You cannot accept this contract for that party."))
    with transaction.atomic():
        contract = _locked(Contract, contract)
        current = contract.current_version
        if current.number != version_number:
            raise ValidationError(
                _(
                    "Version %(old)s has been replaced by version %(new)s. Read the current "
                    "version and accept that one."
                )
                % {"old": version_number, "new": current.number}
            )
        if contract.status != Contract.Status.SENT:
            raise ValidationError(_("This contract is not waiting for acceptance."))
        if current.acceptances.filter(party=party).exists():
            raise ValidationError(_("This version has already been accepted for that party."))
        ContractAcceptance.objects.create(
            version=current,
            party=party,
            user=actor,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:400],
        )
        _event(
            practice=contract.practice,
            subject="contract",
            from_state="sent",
            to_state=f"accepted_by_{party}",
            actor=actor,
            contract=contract,
            reason=f"v{current.number}",
        )
        accepted = set(current.acceptances.values_list("party", flat=True))
        if accepted.issuperset(contract.parties()):
            contract.status = Contract.Status.ACTIVE
            contract.save(update_fields=["status"])
            _event(
                practice=contract.practice,
                subject="contract",
                from_state="sent",
                to_state="active",
                actor=actor,
                contract=contract,
            )
    return contract
