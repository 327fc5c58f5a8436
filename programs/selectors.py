"""Reads for the lifecycle pages. Each takes the reader (an access) and reads through reach."""

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ethics import access as gate
from sessions.models import Session

from . import services
from .access import contracts_for, programs_for, proposals_for
from .models import PROGRAM_CONTENT_FIELDS, Contract, ContractAcceptance, Program, Proposal


def pipeline(*, access):
    """The admin's view of everything in flight: proposals, contracts and programs."""
    proposals = proposals_for(access).select_related("client", "sponsor").defer("need")
    contracts = (
        contracts_for(access)
        .select_related("client", "sponsor")
        .annotate(
            meeting_count=Count("chemistry_meetings", distinct=True),
            has_program=Count("program", distinct=True),
        )
    )
    programs = (
        programs_for(access)
        .select_related("client", "coach")
        .annotate(booked=Count("sessions"))
        .order_by("-created_at")
    )
    program_counts = dict(
        programs_for(access).order_by().values_list("status").annotate(n=Count("id"))
    )
    counts = dict(proposals.values_list("status").annotate(n=Count("id")).order_by())
    contract_counts = dict(contracts.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "proposals": proposals,
        "contracts": contracts,
        "programs": programs,
        "proposal_counts": [
            (label, counts.get(value, 0)) for value, label in Proposal.Status.choices
        ],
        "program_counts": [
            (label, program_counts.get(value, 0)) for value, label in Program.Status.choices
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
        "meetings": list(
            contract.chemistry_meetings.select_related("coach").defer("client_note", "coach_note")
        ),
        "program": Program.objects.filter(contract=contract).defer(*PROGRAM_CONTENT_FIELDS).first(),
        "is_client": reader.pk == contract.client_id,
    }


TRANSITION_LABELS = {
    "pause": _("Pause"),
    "resume": _("Resume"),
    "terminate": _("Terminate"),
    "cancel": _("Cancel the program"),
}


def program_page(*, program, access):
    """What a reader sees of a program: its content (theme, aims, CSoB, FSoB, objectives,
    revisions) only for its coach and its client, read through the gate, which logs the
    client's reads; admins and sponsors see its state, dates and sessions."""

    user = access.user
    content = gate.program_content_for(access, program, revisions=True)
    sees_content = content is not None
    sessions = list(program.sessions.order_by("starts_at", "number"))
    version = program.contract.current_version if program.contract_id else None
    used = sum(1 for s in sessions if s.status in Session.USED)
    return {
        "program": program,
        "version": version,
        "sessions": sessions,
        "used": used,
        "held": sum(1 for s in sessions if s.status == Session.Status.HELD),
        "sees_content": sees_content,
        "is_coach": user.pk == program.coach_id,
        "can_certificate": program.status == Program.Status.GRADUATED
        and (sees_content or access.is_admin),
        "content": content,
        "transitions": [
            (name, TRANSITION_LABELS[name])
            for name, (sources, _target, roles, _reason) in services.TRANSITIONS.items()
            if program.status in sources
            and (
                access.is_admin
                and "admin" in roles
                or user.pk == program.coach_id
                and "coach" in roles
            )
        ],
        "events": list(program.events.select_related("actor"))
        if (access.is_admin or user.pk == program.coach_id)
        else [],
    }


# The days the schedule pages through: far enough that no one needs more, near enough that
# the page's week, month and its previous and next links stay inside Python's calendar.
SCHEDULE_DAYS = (date(1900, 1, 1), date(2999, 12, 31))


def schedule(*, access, view="week", day=None):
    """Every session of the practice in one week or month, by day in the viewer's time zone.
    Logistics only (the admin's page): the programs come without their content."""

    try:
        day = date.fromisoformat(day) if day else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if not SCHEDULE_DAYS[0] <= day <= SCHEDULE_DAYS[1]:
        day = timezone.localdate()  # the first and last weeks of the calendar cannot be paged
    if view == "month":
        start = day.replace(day=1)
        end = services.add_months(start, 1)
        prev_day, next_day = services.add_months(start, -1), end
    else:
        view = "week"
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=7)
        prev_day, next_day = start - timedelta(days=7), end
    tz = timezone.get_current_timezone()
    sessions = (
        Session.objects.filter(
            program__practice=access.practice,
            starts_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            starts_at__lt=datetime.combine(end, datetime.min.time(), tzinfo=tz),
        )
        .select_related("coach", "client", "program")
        # The page links to the program (its code): its content is never loaded here.
        .defer(*(f"program__{name}" for name in PROGRAM_CONTENT_FIELDS))
        .order_by("starts_at")
    )
    days = {}
    for s in sessions:
        days.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    return {
        "view": view,
        "start": start,
        "end": end - timedelta(days=1),
        "days": sorted(days.items()),
        "prev_day": prev_day.isoformat(),
        "next_day": next_day.isoformat(),
    }
