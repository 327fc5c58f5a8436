"""Lifecycle transitions. Each one checks the actor's role and the current state, runs in one
transaction and writes a ProgramEvent. A refused transition raises ValidationError with a
translated message and changes nothing."""

import calendar
import zoneinfo
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.access import roles_of
from coaching.accounts.middleware import as_read_by
from coaching.accounts.models import Membership
from sessions import reminders as session_reminders

from . import reminders
from .access import contract_parties_for, proposal_party_of
from .models import (
    Contract,
    ContractAcceptance,
    ContractVersion,
    Objective,
    ObjectiveReview,
    Program,
    ProgramEvent,
    ProgramRevision,
    Proposal,
)

Role = Membership.Role
Party = ContractAcceptance.Party


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


PROPOSAL_TERMS = [
    "origin",
    "need",
    "duration",
    "custom_duration_months",
    "sessions_count",
    "session_minutes",
    "cadence",
    "price_minor",
    "currency",
    "expires_on",
]


def proposal_update(*, proposal, actor, **terms):
    """Changes a draft proposal's terms (not its client). Once sent, it is withdrawn instead."""
    _require_role(proposal.practice, actor, Role.ADMIN)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal)
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Only a draft proposal can be changed."))
        for field in PROPOSAL_TERMS:
            if field in terms:
                setattr(proposal, field, terms[field])
        if proposal.duration == Proposal.Duration.CUSTOM and not proposal.custom_duration_months:
            raise ValidationError(_("A custom duration needs its number of months."))
        proposal.save()
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
        reminders.proposal_waiting_schedule(proposal)
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

# Lazy: the clause is written into each contract in the client's language (whose
# confidentiality it is); a module-level gettext would freeze it in English at import.
DEFAULT_CONFIDENTIALITY = gettext_lazy(
    "What is said in sessions stays between the client and the coach. The sponsor may see "
    "the program's dates, attendance and whether it was completed, never its content."
)


def _as_read_by_client(proposal):
    with as_read_by(proposal.client):
        return str(DEFAULT_CONFIDENTIALITY)


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
            confidentiality=_as_read_by_client(proposal),
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
        reminders.contract_waiting_schedule(contract, actor=actor)
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


# Chemistry ----------------------------------------------------------------------------------


def _overlaps(qs, starts_at, minutes, *, start_field="starts_at", minutes_field="duration_minutes"):
    """Rows of qs whose [start, start + their minutes) overlaps [starts_at, + minutes)."""
    ends_at = starts_at + timedelta(minutes=minutes)
    # A session is at most 8 hours long (Session's check constraint): bound the search.
    candidates = qs.filter(
        **{f"{start_field}__lt": ends_at, f"{start_field}__gt": starts_at - timedelta(hours=8)}
    )
    return [
        row
        for row in candidates
        if getattr(row, start_field) + timedelta(minutes=getattr(row, minutes_field)) > starts_at
    ]


def chemistry_propose(
    *, contract, coach, starts_at, actor, format="video", place="", duration_minutes=30
):
    """The admin proposes a candidate coach and schedules the chemistry meeting."""
    from .models import ChemistryMeeting

    _require_role(contract.practice, actor, Role.ADMIN)
    if Role.COACH not in roles_of(contract.practice, coach):
        raise ValidationError(_("That person is not a coach of this practice."))
    with transaction.atomic():
        contract = _locked(Contract, contract)
        if contract.status != Contract.Status.ACTIVE:
            raise ValidationError(_("Chemistry meetings follow an active contract."))
        if Program.objects.filter(contract=contract).exists():
            raise ValidationError(_("A coach has already been chosen for this contract."))
        clash = _overlaps(
            ChemistryMeeting.objects.filter(coach=coach, status="scheduled"),
            starts_at,
            duration_minutes,
        ) + _overlaps(
            _sessions().filter(coach=coach, status__in=_sessions().model.BLOCKING),
            starts_at,
            duration_minutes,
        )
        if clash:
            raise ValidationError(
                _("%(name)s is already booked at that time.") % {"name": coach.display_name}
            )
        meeting = ChemistryMeeting.objects.create(
            contract=contract,
            coach=coach,
            starts_at=starts_at,
            format=format,
            place=place,
            duration_minutes=duration_minutes,
        )
        _event(
            practice=contract.practice,
            subject="chemistry",
            to_state="scheduled",
            actor=actor,
            contract=contract,
        )
    return meeting


def chemistry_record_outcome(*, meeting, actor, rapport, compatible, note=""):
    """The client's or the candidate coach's view of the meeting (rapport 1-5)."""
    from .models import ChemistryMeeting

    if actor.pk == meeting.contract.client_id:
        side = "client"
    elif actor.pk == meeting.coach_id:
        side = "coach"
    else:
        raise ValidationError(_("Only the client and the candidate coach record the outcome."))
    if not 1 <= int(rapport) <= 5:
        raise ValidationError(_("Rapport is a number from 1 to 5."))
    with transaction.atomic():
        meeting = _locked(ChemistryMeeting, meeting)
        if meeting.status not in (ChemistryMeeting.Status.SCHEDULED, ChemistryMeeting.Status.HELD):
            raise ValidationError(_("This chemistry meeting is closed."))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("The outcome can be recorded once the meeting has started."))
        setattr(meeting, f"{side}_rapport", int(rapport))
        setattr(meeting, f"{side}_compatible", bool(compatible))
        setattr(meeting, f"{side}_note", note)
        meeting.status = ChemistryMeeting.Status.HELD
        meeting.save()
    return meeting


def chemistry_choose(*, meeting, actor):
    """The client chooses this candidate: the program starts (with the contract's period)."""
    from .models import ChemistryMeeting

    contract = meeting.contract
    if actor.pk != contract.client_id:
        raise ValidationError(_("Only the client chooses their coach."))
    with transaction.atomic():
        contract = _locked(Contract, contract)
        meeting = _locked(ChemistryMeeting, meeting)
        if contract.status != Contract.Status.ACTIVE:
            raise ValidationError(_("The contract is not active."))
        if Program.objects.filter(contract=contract).exists():
            raise ValidationError(_("A coach has already been chosen for this contract."))
        if meeting.client_compatible is None:
            raise ValidationError(_("Record how the meeting went before choosing."))
        version = contract.current_version
        program = Program.objects.create(
            practice=contract.practice,
            client=contract.client,
            coach=meeting.coach,
            sponsor=contract.sponsor,
            contract=contract,
            status=Program.Status.ACTIVE,
            starts_on=version.starts_on,
            ends_on=version.ends_on,
        )
        meeting.status = ChemistryMeeting.Status.CHOSEN
        meeting.save(update_fields=["status"])
        contract.chemistry_meetings.exclude(pk=meeting.pk).update(
            status=ChemistryMeeting.Status.NOT_CHOSEN
        )
        _event(
            practice=contract.practice,
            subject="program",
            from_state="chemistry",
            to_state="active",
            actor=actor,
            contract=contract,
            program=program,
        )
    return program


def chemistry_ask_another(*, contract, actor, reason=""):
    """The client asks the practice for another candidate coach."""
    if actor.pk != contract.client_id:
        raise ValidationError(_("Only the client asks for another candidate."))
    with transaction.atomic():
        contract = _locked(Contract, contract)
        if (
            contract.status != Contract.Status.ACTIVE
            or Program.objects.filter(contract=contract).exists()
        ):
            raise ValidationError(_("There is no coach choice open on this contract."))
        _event(
            practice=contract.practice,
            subject="chemistry",
            from_state="held",
            to_state="another_candidate_requested",
            actor=actor,
            reason=reason,
            contract=contract,
        )


# Program: theme, objectives -----------------------------------------------------------------


def _snapshot(program, *, actor, reason):
    ProgramRevision.objects.create(
        program=program,
        theme=program.theme,
        aims=program.aims,
        actor=actor,
        reason=reason,
        objectives=[
            {"text": o.text, "measure": o.measure}
            for o in program.objectives.filter(is_retired=False)
        ],
    )


def _require_coach_of(program, actor):
    if actor.pk != program.coach_id:
        raise ValidationError(_("Only the program's coach can change its theme and objectives."))


def program_update_theme(*, program, actor, reason, **fields):
    """The coach sets theme, aims, CSoB and FSoB. Once set, a change needs its reason."""
    _require_coach_of(program, actor)
    allowed = {"theme", "aims", "current_state", "future_state"}
    with transaction.atomic():
        program = _locked(Program, program)
        if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
            raise ValidationError(_("Only an active or paused program can be changed."))
        changes_theme = any(
            getattr(program, f) != v for f, v in fields.items() if f in {"theme", "aims"}
        )
        if changes_theme and program.theme and not reason.strip():
            raise ValidationError(_("Say why the theme or the aims change."))
        for field, value in fields.items():
            if field in allowed:
                setattr(program, field, value)
        program.save()
        if changes_theme:
            _snapshot(program, actor=actor, reason=reason or _("First version"))
    return program


def objective_add(*, program, actor, text, measure="", reason=""):
    _require_coach_of(program, actor)
    with transaction.atomic():
        program = _locked(Program, program)
        if program.status not in (Program.Status.ACTIVE, Program.Status.PAUSED):
            raise ValidationError(_("Only an active or paused program can be changed."))
        position = program.objectives.count()
        objective = Objective.objects.create(
            program=program, text=text, measure=measure, position=position
        )
        _snapshot(program, actor=actor, reason=reason or _("Objective added"))
    return objective


def objective_retire(*, objective, actor, reason):
    program = objective.program
    _require_coach_of(program, actor)
    if not reason.strip():
        raise ValidationError(_("Say why the objective no longer applies."))
    with transaction.atomic():
        objective.is_retired = True
        objective.save(update_fields=["is_retired"])
        _snapshot(program, actor=actor, reason=reason)
    return objective


# Scheduling ---------------------------------------------------------------------------------


def _sessions():
    from sessions.models import Session

    return Session.objects


def _local_date(practice, moment):
    return timezone.localtime(moment, zoneinfo.ZoneInfo(practice.timezone)).date()


def _schedulable(program_or_contract):
    """The program a schedule applies to, or a refusal when no coach has been chosen."""
    if isinstance(program_or_contract, Contract):
        program = Program.objects.filter(contract=program_or_contract).first()
        if program is None:
            raise ValidationError(
                _("No sessions before a coach is chosen: arrange the chemistry meeting first.")
            )
        return program
    return program_or_contract


def _check_slot(program, version, starts_at, minutes, *, others, confirm_close, ignore=None):
    practice = program.practice
    day = _local_date(practice, starts_at)
    if version is not None and not version.starts_on <= day <= version.ends_on:
        raise ValidationError(
            _("%(day)s is outside the contract period (%(start)s to %(end)s).")
            % {"day": day, "start": version.starts_on, "end": version.ends_on}
        )
    Session = _sessions().model
    for who, field in [(program.coach, "coach"), (program.client, "client")]:
        qs = _sessions().filter(**{field: who}, status__in=Session.BLOCKING)
        if ignore is not None:
            qs = qs.exclude(pk=ignore.pk)
        clash = _overlaps(qs, starts_at, minutes)
        clash += [
            s
            for s in others
            if s[0] < starts_at + timedelta(minutes=minutes)
            and s[0] + timedelta(minutes=minutes) > starts_at
        ]
        if clash:
            when = clash[0].starts_at if hasattr(clash[0], "starts_at") else clash[0][0]
            raise ValidationError(
                _("Double booking: %(name)s already has a session at %(when)s.")
                % {
                    "name": who.display_name,
                    "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                }
            )
    if not confirm_close:
        spacing = timedelta(days=practice.min_session_spacing_days)
        near = _sessions().filter(
            program=program,
            status__in=Session.BLOCKING,
            starts_at__gt=starts_at - spacing,
            starts_at__lt=starts_at + spacing,
        )
        if ignore is not None:
            near = near.exclude(pk=ignore.pk)
        if near.exists() or any(abs(s[0] - starts_at) < spacing for s in others):
            raise ValidationError(
                _(
                    "Sessions less than %(days)s days apart leave little room for work between "
                    "them. Tick the confirmation to schedule them anyway."
                )
                % {"days": practice.min_session_spacing_days}
            )


def _terms(program):
    """The contract's current terms, or None for a program made without a contract."""
    return program.contract.current_version if program.contract_id else None


def proposals_expire_due(*, today=None):
    """Marks sent proposals past their expiry date as expired (a periodic task may call this)."""
    today = today or timezone.localdate()
    expired = 0
    for proposal in Proposal.objects.filter(status=Proposal.Status.SENT, expires_on__lt=today):
        with transaction.atomic():
            updated = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.SENT).update(
                status=Proposal.Status.EXPIRED
            )
            if updated:
                expired += 1
                _event(
                    practice=proposal.practice,
                    subject="proposal",
                    from_state="sent",
                    to_state="expired",
                    actor=None,
                    proposal=proposal,
                )
    return expired


def _counted(program):
    """Sessions that hold or used a place of the contract: scheduled, held, late, no-show."""
    Session = _sessions().model
    return (
        _sessions()
        .filter(program=program, status__in=[Session.Status.SCHEDULED, *Session.USED])
        .count()
    )


def sessions_schedule(
    *, program, actor, starts, format="video", place="", video_link="", confirm_close_spacing=False
):
    """Schedules sessions at the given aware datetimes, all or none."""
    _require_role(
        program.practice if isinstance(program, Program) else program.practice, actor, Role.ADMIN
    )
    program = _schedulable(program)
    Session = _sessions().model
    with transaction.atomic():
        program = _locked(Program, program)
        if program.status != Program.Status.ACTIVE:
            raise ValidationError(_("Sessions are scheduled only for an active program."))
        version = program.contract.current_version if program.contract_id else None
        if version is None:
            raise ValidationError(_("This program has no contract to schedule against."))
        if _counted(program) + len(starts) > version.sessions_count:
            raise ValidationError(
                _("The contract allows %(count)s sessions; %(booked)s are already booked.")
                % {"count": version.sessions_count, "booked": _counted(program)}
            )
        others = []
        for starts_at in sorted(starts):
            _check_slot(
                program,
                version,
                starts_at,
                version.session_minutes,
                others=others,
                confirm_close=confirm_close_spacing,
            )
            others.append((starts_at,))
        number = program.sessions.aggregate(n=models.Max("number"))["n"] or 0
        created = []
        for starts_at in sorted(starts):
            number += 1
            created.append(
                Session.objects.create(
                    program=program,
                    number=number,
                    starts_at=starts_at,
                    duration_minutes=version.session_minutes,
                    format=format,
                    place=place,
                    video_link=video_link,
                    coach=program.coach,
                    client=program.client,
                )
            )
            session_reminders.session_event_schedule(created[-1], "scheduled")
        _event(
            practice=program.practice,
            subject="program",
            from_state=program.status,
            to_state="scheduled",
            actor=actor,
            program=program,
            reason=f"{len(created)}",
        )
    return created


def series_starts(*, first, count, spacing_days):
    return [first + timedelta(days=spacing_days * i) for i in range(count)]


def session_reschedule(*, session, actor, starts_at, confirm_close_spacing=False, reason=""):
    _require_role(session.program.practice, actor, Role.ADMIN)
    Session = _sessions().model
    with transaction.atomic():
        session = _sessions().select_for_update().get(pk=session.pk)
        program = session.program
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be moved."))
        version = _terms(program)
        _check_slot(
            program,
            version,
            starts_at,
            session.duration_minutes,
            others=[],
            confirm_close=confirm_close_spacing,
            ignore=session,
        )
        number = program.sessions.aggregate(n=models.Max("number"))["n"] + 1
        new = Session.objects.create(
            program=program,
            number=number,
            starts_at=starts_at,
            duration_minutes=session.duration_minutes,
            format=session.format,
            place=session.place,
            video_link=session.video_link,
            coach=session.coach,
            client=session.client,
        )
        session.status = Session.Status.RESCHEDULED
        session.rescheduled_to = new
        session.status_changed_at = timezone.now()
        session.status_changed_by = actor
        session.status_reason = reason[:300]
        session.save()
        session_reminders.session_event_schedule(new, "rescheduled")
        _event(
            practice=program.practice,
            subject="session",
            from_state="scheduled",
            to_state="rescheduled",
            actor=actor,
            program=program,
            reason=reason,
        )
    return new


def session_cancel(*, session, actor, by, reason=""):
    """Cancels a session by the client or the coach, under the contract's policy.

    A client cancelling later than the notice hours, when the contract says so, uses up the
    session (CANCELLED_CLIENT_LATE counts as used)."""
    _require_role(session.program.practice, actor, Role.ADMIN)
    Session = _sessions().model
    with transaction.atomic():
        session = _sessions().select_for_update().get(pk=session.pk)
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."))
        version = _terms(session.program)
        notice_hours = version.cancellation_notice_hours if version else 24
        uses_session = version.late_cancellation_uses_session if version else True
        if by == "coach":
            status = Session.Status.CANCELLED_COACH
        elif by == "client":
            notice = session.starts_at - timezone.now()
            late = notice < timedelta(hours=notice_hours)
            status = (
                Session.Status.CANCELLED_CLIENT_LATE
                if late and uses_session
                else Session.Status.CANCELLED_CLIENT_IN_TIME
            )
        else:
            raise ValidationError(_("Say who cancels: the client or the coach."))
        session.status = status
        session.status_changed_at = timezone.now()
        session.status_changed_by = actor
        session.status_reason = reason[:300]
        session.save()
        session_reminders.session_event_schedule(session, "cancelled")
        _event(
            practice=session.program.practice,
            subject="session",
            from_state="scheduled",
            to_state=status,
            actor=actor,
            program=session.program,
            reason=reason,
        )
    return session


# Graduation and other program transitions ---------------------------------------------------


def final_checkout_done(program):
    """Is the final check-out done: the last session that counts was held, and its check-out
    was completed? Only the completion time is looked at, never the check-out's content."""
    Session = _sessions().model
    last = (
        program.sessions.exclude(
            status__in=[
                Session.Status.RESCHEDULED,
                Session.Status.CANCELLED_COACH,
                Session.Status.CANCELLED_CLIENT_IN_TIME,
            ]
        )
        .order_by("-starts_at")
        .first()
    )
    if last is None or last.status != Session.Status.HELD:
        return False
    return program.sessions.filter(id=last.id, check_out__completed_at__isnull=False).exists()


def sessions_used(program):
    return program.sessions.filter(status__in=_sessions().model.USED).count()


def objective_review(*, objective, actor, result, note=""):
    program = objective.program
    _require_coach_of(program, actor)
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(_("Objectives are reviewed while the program is active."))
    review, _created = ObjectiveReview.objects.update_or_create(
        objective=objective,
        defaults={
            "result": result,
            "note": note,
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        },
    )
    return review


def program_graduate(*, program, actor, summary="", early_reason=""):
    _require_coach_of(program, actor)
    with transaction.atomic():
        program = _locked(Program, program)
        if program.status != Program.Status.ACTIVE:
            raise ValidationError(_("Only an active program can graduate."))
        contracted = program.contract.current_version.sessions_count if program.contract_id else 0
        used = sessions_used(program)
        if used < contracted and not early_reason.strip():
            raise ValidationError(
                _(
                    "%(used)s of %(count)s contracted sessions are used. Record the reason for "
                    "an early completion to graduate now."
                )
                % {"used": used, "count": contracted}
            )
        if not final_checkout_done(program):
            raise ValidationError(
                _("The final check-out is not done: the last session must be held.")
            )
        missing = program.objectives.filter(is_retired=False, review__isnull=True).count()
        if missing or not program.objectives.filter(is_retired=False).exists():
            raise ValidationError(
                _("Review every objective against the FSoB first (%(missing)s not reviewed).")
                % {"missing": missing}
            )
        program.status = Program.Status.GRADUATED
        program.early_completion_reason = early_reason[:300]
        program.completion_summary = summary
        program.ends_on = timezone.localdate()
        program.save()
        if program.contract_id:
            Contract.objects.filter(pk=program.contract_id).update(status=Contract.Status.ENDED)
        _event(
            practice=program.practice,
            subject="program",
            from_state="active",
            to_state="graduated",
            actor=actor,
            program=program,
            reason=early_reason,
        )
    return program


TRANSITIONS = {
    # name: (from states, to state, roles allowed, reason required)
    "pause": ({"active"}, "paused", {Role.ADMIN, Role.COACH}, True),
    "resume": ({"paused"}, "active", {Role.ADMIN, Role.COACH}, False),
    "terminate": ({"active", "paused"}, "terminated", {Role.ADMIN}, True),
    "cancel": ({"active", "paused"}, "cancelled", {Role.ADMIN}, True),
}


def program_transition(*, program, actor, name, reason=""):
    if name not in TRANSITIONS:
        raise ValidationError(_("Unknown change of state."))
    sources, target, roles, needs_reason = TRANSITIONS[name]
    roles_here = roles_of(program.practice, actor)
    is_its_coach = Role.COACH in roles_here and program.coach_id == actor.pk
    if not (Role.ADMIN in roles_here and Role.ADMIN in roles) and not (
        Role.COACH in roles and is_its_coach
    ):
        raise ValidationError(_("You are not allowed to do this to this program."))
    if needs_reason and not reason.strip():
        raise ValidationError(_("Give the reason."))
    with transaction.atomic():
        program = _locked(Program, program)
        if program.status not in sources:
            raise ValidationError(
                _("A %(status)s program cannot be changed that way.")
                % {"status": program.get_status_display().lower()}
            )
        old = program.status
        program.status = target
        program.status_reason = reason[:300]
        program.save(update_fields=["status", "status_reason"])
        if target in ("terminated", "cancelled"):
            Session = _sessions().model
            future = program.sessions.filter(
                status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
            )
            cancelled = list(future.select_related("coach", "client", "program__practice"))
            future.update(
                status=Session.Status.CANCELLED_COACH,
                status_changed_at=timezone.now(),
                status_changed_by=actor,
                status_reason=reason[:300],
            )
            for session in cancelled:  # both parties' calendars drop the event
                session.status = Session.Status.CANCELLED_COACH
                session_reminders.session_event_schedule(session, "cancelled")
        _event(
            practice=program.practice,
            subject="program",
            from_state=old,
            to_state=target,
            actor=actor,
            program=program,
            reason=reason,
        )
    return program
