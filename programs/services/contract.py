"""Contract: drafted from an accepted proposal, sent, accepted by every party (version by
version), then active until the program ends. Its transitions are rows of
programs.transitions.CONTRACT."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import services as billing
from coaching.accounts.middleware import as_read_by
from coaching.accounts.models import Membership
from sessions.models import Session
from sessions.scheduling import COUNTED

from ..models import (
    CONTRACT_TERMS,
    Contract,
    ContractAcceptance,
    ContractResponse,
    ContractVersion,
    Program,
    Proposal,
)
from ..transitions import CONTRACT, locked, require_role

Role = Membership.Role
Party = ContractAcceptance.Party


# Lazy: the clause is written into each contract in the client's language (whose
# confidentiality it is); a module-level gettext would freeze it in English at import.
DEFAULT_CONFIDENTIALITY = gettext_lazy(
    "What is said in sessions stays between the client and the coach. The sponsor may see "
    "the program's dates, attendance and whether it was completed, never its content."
)


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _as_read_by_client(proposal):
    with as_read_by(proposal.client):
        return str(DEFAULT_CONFIDENTIALITY)


def contract_create(*, proposal, actor, starts_on):
    """A draft contract (version 1) from an accepted proposal's terms."""
    require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = locked(Proposal, proposal)
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
            confidentiality=_as_read_by_client(proposal),
            created_by=actor,
        )
        CONTRACT.created(contract, actor=actor, proposal=proposal)
    return contract


def _check_terms(terms):
    if terms["ends_on"] <= terms["starts_on"]:
        raise ValidationError(_("The contract must end after it starts."))
    if terms["sessions_count"] < 1:
        raise ValidationError(_("A contract needs at least one session."))


def _check_against_booked(contract, terms):
    """An amendment cannot take away sessions already booked or held, nor end before them."""
    booked = Session.objects.filter(program__contract=contract, status__in=COUNTED)
    if terms["sessions_count"] < booked.count():
        raise ValidationError(
            _("%(booked)s sessions are already booked or held: the amendment needs as many.")
            % {"booked": booked.count()}
        )
    last = booked.order_by("-starts_at").first()
    if last is not None and timezone.localdate(last.starts_at) > terms["ends_on"]:
        raise ValidationError(
            _("A session is booked on %(day)s: the amendment cannot end before it.")
            % {"day": timezone.localdate(last.starts_at)}
        )


def contract_amend(*, contract, actor, reason="", instalments=None, **terms):
    """An amendment of an active contract: version n+1 (from the latest version, which may be
    an amendment still waiting), sent at once to every party. The program runs under the
    version in force until every party accepted the new one. Its payment schedule is the
    previous version's, carried over, or `instalments` (billing.services.schedule_set)."""
    with transaction.atomic():
        contract = CONTRACT.lock(contract)
        current = contract.current_version
        merged = {f: terms.get(f, getattr(current, f)) for f in CONTRACT_TERMS}
        _check_terms(merged)
        in_force = contract.in_force_version
        if merged["starts_on"] != in_force.starts_on:
            raise ValidationError(_("An amendment keeps the start date of the contract in force."))
        _check_against_booked(contract, merged)
        version = ContractVersion(
            contract=contract,
            number=current.number + 1,
            change_reason=reason,
            created_by=actor,
            **merged,
        )
        CONTRACT.apply(
            contract,
            "amend",
            actor=actor,
            reason=reason,
            locked=True,
            work=lambda contract: _save_with_schedule(version, current, instalments),
        )
    return version


def _save_with_schedule(version, previous, instalments):
    version.save()
    billing.schedule_set(version=version, rows=instalments, previous=previous)


def contract_change_terms(*, contract, actor, reason="", instalments=None, **terms):
    """Edits a draft version in place; a change to a sent version makes a new version; a
    change to an active contract is an amendment (contract_amend). `instalments`: the
    payment schedule's rows (billing.services.schedule_set); None keeps or carries it."""
    require_role(contract.practice, actor, Role.ADMIN)
    if contract.status == Contract.Status.ACTIVE:
        return contract_amend(
            contract=contract, actor=actor, reason=reason, instalments=instalments, **terms
        )
    with transaction.atomic():
        contract = CONTRACT.lock(contract)
        CONTRACT.require_state("new_version", contract)
        current = contract.current_version
        merged = {f: terms.get(f, getattr(current, f)) for f in CONTRACT_TERMS}
        _check_terms(merged)
        if current.sent_at is None:
            for field, value in merged.items():
                setattr(current, field, value)
            current.save()
            billing.schedule_set(version=current, rows=instalments)
            return current
        version = ContractVersion(
            contract=contract,
            number=current.number + 1,
            change_reason=reason,
            created_by=actor,
            **merged,
        )
        CONTRACT.apply(
            contract,
            "new_version",
            actor=actor,
            reason=reason,
            locked=True,
            work=lambda contract: _save_with_schedule(version, current, instalments),
        )
    return version


def contract_send(*, contract, actor):
    return CONTRACT.apply(contract, "send", actor=actor)


def contract_accept(*, contract, version_number, party, actor, ip_address=None, user_agent=""):
    """One party accepts one specific version. Active once all parties accepted the current one."""
    if party not in Party.values:
        raise ValidationError(_("You cannot accept this contract for that party."))
    name = f"accept_as_{party}"
    CONTRACT.require_actor(name, contract, actor)
    with transaction.atomic():
        contract = CONTRACT.lock(contract)
        current = contract.current_version
        if current.number != version_number:
            raise ValidationError(
                _(
                    "Version %(old)s has been replaced by version %(new)s. Read the current "
                    "version and accept that one."
                )
                % {"old": version_number, "new": current.number}
            )
        CONTRACT.apply(contract, name, actor=actor, locked=True)
        ContractAcceptance.objects.create(
            version=current,
            party=party,
            user=actor,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:400],
        )
        accepted = set(current.acceptances.values_list("party", flat=True))
        if accepted.issuperset(contract.parties()):
            if contract.status == Contract.Status.SENT:
                CONTRACT.apply(contract, "activate", actor=actor, locked=True)
                # Apps above this one act on it in this transaction (intake: the client's
                # intake questionnaire), named in settings so that programs imports none.
                for hook in getattr(settings, "CONTRACT_ACTIVATED_HOOKS", []):
                    import_string(hook)(contract=contract)
            else:  # an amendment in force: the program follows its period
                Program.objects.filter(contract=contract).update(ends_on=current.ends_on)
            # The version's instalments due at signature (and any already due) are invoiced.
            billing.invoices_issue_due(contract=contract)
    return contract


def contract_respond(*, contract, version_number, party, kind, comment, actor):
    """The client or the sponsor asks for changes to, or declines, the version waiting for
    acceptance, with a comment; the practice answers with a new version."""
    if party not in (Party.CLIENT, Party.SPONSOR) or kind not in ContractResponse.Kind.values:
        raise ValidationError(_("You cannot answer this contract for that party."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what should change, or why you decline."))
    name = f"{'ask_changes' if kind == ContractResponse.Kind.CHANGES else 'decline'}_as_{party}"
    CONTRACT.require_actor(name, contract, actor)
    with transaction.atomic():
        contract = CONTRACT.lock(contract)
        current = contract.current_version
        if current.number != version_number:
            raise ValidationError(
                _(
                    "Version %(old)s has been replaced by version %(new)s. Read the current "
                    "version and accept that one."
                )
                % {"old": version_number, "new": current.number}
            )
        CONTRACT.apply(contract, name, actor=actor, locked=True)
        return ContractResponse.objects.create(
            version=current, party=party, kind=kind, comment=comment[:2000], user=actor
        )
