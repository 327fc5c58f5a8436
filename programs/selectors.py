"""Reads for the lifecycle pages. Each takes the reader (an access) and reads through reach."""

from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coaching.access import Role
from coaching.accounts.selectors import CountedPaginator
from ethics import access as gate
from sessions.models import Session

from . import services
from .access import (
    coach_program_counts,
    coach_program_rows,
    contracts_for,
    programs_as,
    programs_for,
    proposals_for,
)
from .models import (
    CONTRACT_TERMS,
    PROGRAM_CONTENT_FIELDS,
    ChemistryMeeting,
    Contract,
    ContractAcceptance,
    ContractResponse,
    ContractVersion,
    Program,
    Proposal,
)

PIPELINE_PAGE_SIZE = 25  # a page of a list (#11)
PIPELINE_STAGES = ("proposals", "contracts", "programs")


def _counts_by_stage(access):
    """{stage: [(value, label, n) for every status of its model]}: the rows of each stage by
    status, three GROUP BYs in one query (UNION ALL). COUNT(*), not COUNT(id): an index on
    (practice, status) then answers a stage alone."""
    parts = [
        qs.order_by()
        .annotate(stage=Value(name))
        .values_list("stage", "status")
        .annotate(n=Count("*"))
        for name, qs in (
            ("proposals", proposals_for(access)),
            ("contracts", contracts_for(access)),
            ("programs", programs_for(access)),
        )
    ]
    found = {(stage, value): n for stage, value, n in parts[0].union(*parts[1:], all=True)}
    models = {"proposals": Proposal, "contracts": Contract, "programs": Program}
    return {
        stage: [(v, label, found.get((stage, v), 0)) for v, label in model.Status.choices]
        for stage, model in models.items()
    }


PIPELINE_OVERVIEW_ROWS = 10
PIPELINE_LABELS = {
    "proposals": _("Proposals"),
    "contracts": _("Contracts"),
    "programs": _("Programs"),
}


def _joined(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def _pipeline_rows(access, stage):
    """The rows of one stage, newest first, with their per-row figures (meetings, program,
    sessions booked) as correlated subqueries, computed for the rows shown only."""
    if stage == "proposals":
        # "Waiting for" reads the real state: an accepted proposal whose contract exists (in
        # any state, ended included) waits for nothing more of its own.
        rows = (
            proposals_for(access)
            .select_related("client", "sponsor")
            .defer("need")
            # A LEFT JOIN on the contract's unique proposal key, one index probe per row shown.
            # As an EXISTS, PostgreSQL hashed every contract of every practice first (12 ms
            # for the overview at the bench's scale 1; 1 ms as a join).
            .annotate(has_contract=_joined(Q(contract__isnull=False)))
        )
    elif stage == "contracts":
        meetings = (
            ChemistryMeeting.objects.filter(contract=OuterRef("pk"))
            .order_by()
            .values("contract")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = (
            contracts_for(access)
            .select_related("client", "sponsor")
            .annotate(
                meeting_count=Coalesce(Subquery(meetings), 0),
                has_program=_joined(Q(program__isnull=False)),  # as has_contract
            )
        )
    else:
        booked = (
            Session.objects.filter(program=OuterRef("pk"))
            .order_by()
            .values("program")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = (
            programs_for(access)
            .select_related("client", "coach")
            .annotate(booked=Coalesce(Subquery(booked), 0))
        )
    return rows.order_by("-created_at", "-pk")


def pipeline(*, access, stage="", status="", page_number=1):
    """The admin's view of everything in flight, bounded whatever the size of the practice.

    Without a stage: the overview, the newest PIPELINE_OVERVIEW_ROWS proposals, contracts and
    programs with the counts of each by status (four queries). With a stage (proposals,
    contracts or programs): that stage alone, a page of PIPELINE_PAGE_SIZE rows, optionally
    one status (two queries). Counts come from a GROUP BY per stage (one query for the
    three), never from rendering; the pager's total from those counts (no COUNT of its own)."""
    counts = _counts_by_stage(access)
    stages = [
        {
            "name": name,
            "label": label,
            "total": sum(n for _v, _l, n in counts[name]),
            "by_status": counts[name],
        }
        for name, label in PIPELINE_LABELS.items()
    ]
    if stage not in PIPELINE_STAGES:
        for row in stages:
            row["rows"] = list(_pipeline_rows(access, row["name"])[:PIPELINE_OVERVIEW_ROWS])
        return {"stage": "", "status": "", "page": None, "stages": stages}
    model = {"proposals": Proposal, "contracts": Contract, "programs": Program}[stage]
    if status not in model.Status.values:
        status = ""
    rows = _pipeline_rows(access, stage)
    if status:
        rows = rows.filter(status=status)
    total = sum(n for value, _label, n in counts[stage] if not status or value == status)
    page = CountedPaginator(rows, PIPELINE_PAGE_SIZE, count=total).get_page(page_number)
    return {
        "stage": stage,
        "status": status,
        "page": page,
        "stages": [row for row in stages if row["name"] == stage],
    }


COACH_PROGRAMS_PAGE_SIZE = 25


@cache
def contracted_sessions():
    """The current contract version's number of sessions, for a program row: a subquery to
    annotate a program queryset with (None for a program without a contract). The admin's
    "ending soon" list, the coach's and the sponsor's programs all show it. Built once per
    process (#11: per request): resolving it into a query copies it, so one serves all."""
    return Subquery(
        ContractVersion.objects.filter(contract=OuterRef("contract"))
        .order_by("-number")
        .values("sessions_count")[:1],
        output_field=IntegerField(),
    )


def sponsor_programs(*, access):
    """The programs the user sponsors (content deferred), by client name, with their client
    and coach and their sessions counted: held, cancelled late (`late`), no-show, still
    booked ahead (`upcoming`), booked in all (`booked`), and the current contract version's
    number of sessions (`contracted`). Read once per request: the sponsor dashboard's
    attendance table and its programs panel both list them (#11: two reads of the same
    programs, each with its session counts)."""
    if "sponsor_programs" not in access.reads:
        access.reads["sponsor_programs"] = list(
            programs_as(access, Role.SPONSOR)
            .select_related("client", "coach")
            # What the attendance table and the programs panel show (#11: every column of
            # the program and of both users, passwords included, was loaded).
            .only(
                "code",
                "status",
                "created_at",
                "client__full_name",
                "client__email",
                "coach__full_name",
                "coach__email",
            )
            .annotate(
                held=Count("sessions", filter=Q(sessions__status=Session.Status.HELD)),
                late=Count(
                    "sessions", filter=Q(sessions__status=Session.Status.CANCELLED_CLIENT_LATE)
                ),
                no_show=Count("sessions", filter=Q(sessions__status=Session.Status.NO_SHOW)),
                upcoming=Count(
                    "sessions",
                    filter=Q(
                        sessions__status=Session.Status.SCHEDULED,
                        sessions__starts_at__gte=timezone.now(),
                    ),
                ),
                booked=Count("sessions"),
                contracted=contracted_sessions(),
            )
            .order_by("client__full_name", "id")
        )
    return access.reads["sponsor_programs"]


def coach_programs(*, access):
    """The programs the user coaches, as values (no model instances, no content), newest
    first: code, status, ends_on, created_at, the client (`client_id`, `client_name`), the
    sessions held, used and booked, the next scheduled one (`next_at`) and the current contract
    version's number of sessions (`contracted`). Read once per request: the coach dashboard's
    programs panel, its counts by status, its "near graduation" list and its sessions panel
    all come from it. The session figures are conditional aggregates of one LEFT JOIN grouped
    by program, not a subquery each (#11: the reach's programs_of_coach, which this replaces,
    built five subqueries, a third of the calls of reading the dashboard's lists)."""
    if "coach_programs" not in access.reads:
        scheduled = Q(sessions__status=Session.Status.SCHEDULED)
        rows = list(
            programs_as(access, Role.COACH)
            .order_by("-created_at", "-id")
            .values(
                "id",
                "code",
                "status",
                "ends_on",
                "created_at",
                "client_id",
                "client__full_name",
                "client__email",
                contracted=contracted_sessions(),
            )
            .annotate(
                held=Count("sessions", filter=Q(sessions__status=Session.Status.HELD)),
                used=Count("sessions", filter=Q(sessions__status__in=Session.USED)),
                booked=Count("sessions"),
                next_at=Min(
                    "sessions__starts_at",
                    filter=scheduled & Q(sessions__starts_at__gte=timezone.now()),
                ),
            )
        )
        for row in rows:  # as User.display_name (#11: a Coalesce(NullIf()) to build in SQL)
            name, email = row.pop("client__full_name"), row.pop("client__email")
            row["client_name"] = name or email
        access.reads["coach_programs"] = rows
    return access.reads["coach_programs"]


def coach_program_list(*, access, status="", page_number=1):
    """A page of the programs the user coaches, newest first, optionally of one status, with
    the counts by status (one GROUP BY; the pager's total comes from it): two queries whatever
    the number of programs (#11: the coach dashboard lists the first few and links here)."""
    counts = coach_program_counts(access)
    if status not in Program.Status.values:
        status = ""
    rows = coach_program_rows(access).order_by("-created_at", "-id")
    if status:
        rows = rows.filter(status=status)
    total = counts[status] if status else sum(counts.values())
    page = CountedPaginator(rows, COACH_PROGRAMS_PAGE_SIZE, count=total).get_page(page_number)
    return {
        "status": status,
        "total": sum(counts.values()),
        "by_status": [(v, label, counts[v]) for v, label in Program.Status.choices],
        "page": page,
    }


def _changes(old, new):
    """(label, old, new) for each term that differs between two versions."""
    rows = []
    for name in CONTRACT_TERMS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            field = ContractVersion._meta.get_field(name)
            if field.choices:
                before = dict(field.choices).get(before, before)
                after = dict(field.choices).get(after, after)
            rows.append((name, field.verbose_name, before, after))
    return rows


def _with_profiles(contract, meetings):
    """Each meeting with its candidate's profile in the reader's language (meeting.profile,
    .bio, .specialties), so the client compares the coaches side by side."""
    profiles = services.coach_profiles_for(contract.practice, [m.coach for m in meetings])
    language = get_language()
    for meeting in meetings:
        meeting.profile = profiles.get(meeting.coach_id)
        meeting.bio, meeting.specialties = (
            meeting.profile.in_language(language) if meeting.profile else ("", "")
        )
    return meetings


def contract_page(*, contract, reader, access=None):
    versions = list(contract.versions.prefetch_related("acceptances__user"))
    current = versions[-1]
    accepted = {a.party: a for a in current.acceptances.all()}
    if access is not None and access.practice.pk == contract.practice_id:
        contract.practice = access.practice  # the request's, not read again for the roles
    parties = services.contract_parties_for(contract, reader)
    # Contract.in_force_version and .pending_amendment, from the versions in hand (each
    # property reads the versions again: six queries more, #11).
    every_party = set(contract.parties())
    agreed = next(
        (v for v in reversed(versions) if every_party <= {a.party for a in v.acceptances.all()}),
        current,
    )
    active = contract.status == Contract.Status.ACTIVE
    pending = current if active and current.number > agreed.number else None
    in_force = agreed if active else None
    waiting = contract.status == Contract.Status.SENT or pending is not None
    page = {
        "in_force": in_force,
        "pending": pending,
        "changes": _changes(in_force, pending) if pending is not None else [],
        "responses": list(
            ContractResponse.objects.filter(version__contract=contract).select_related(
                "user", "version"
            )
        ),
        "can_respond": [
            ContractAcceptance.Party(p)
            for p in parties
            if waiting and p not in accepted and p != ContractAcceptance.Party.PRACTICE
        ],
        "contract": contract,
        "version": current,
        "versions": versions,
        "accepted": accepted,
        "acceptance_rows": [
            (ContractAcceptance.Party(p), accepted.get(p)) for p in contract.parties()
        ],
        "can_accept": [
            ContractAcceptance.Party(p) for p in parties if p not in accepted and waiting
        ],
        "events": contract.events.select_related("actor"),
        "meetings": _with_profiles(
            contract,
            list(
                contract.chemistry_meetings.select_related("coach").defer(
                    "client_note", "coach_note"
                )
            ),
        ),
        "program": Program.objects.filter(contract=contract).defer(*PROGRAM_CONTENT_FIELDS).first(),
        "is_client": reader.pk == contract.client_id,
    }
    if access is not None and page["is_client"] and page["meetings"]:
        impressions = gate.chemistry_impressions_for(access, page["meetings"])
        for meeting in page["meetings"]:
            meeting.impressions = impressions.get(meeting.pk, {})
    return page


TRANSITION_LABELS = {
    "pause": _("Pause"),
    "resume": _("Resume"),
    "terminate": _("Terminate"),
    "cancel": _("Cancel the program"),
}


def _in_force_version(contract_id):
    """Contract.in_force_version in one query (the contract, its versions, their acceptances
    and the current version were four, #11): each version with, per party, whether it accepted
    it; the newest one every party of the contract accepted, else the newest."""
    versions = list(
        ContractVersion.objects.filter(contract_id=contract_id)
        .select_related("contract")
        .annotate(
            **{
                f"accepted_by_{party}": Count("acceptances", filter=Q(acceptances__party=party))
                for party in ContractAcceptance.Party.values
            }
        )
        .order_by("-number")
    )
    if not versions:
        return None
    parties = versions[0].contract.parties()
    return next(
        (v for v in versions if all(getattr(v, f"accepted_by_{p}") for p in parties)),
        versions[0],
    )


def program_page(*, program, access):
    """What a reader sees of a program: its content (theme, aims, CSoB, FSoB, objectives,
    revisions) only for its coach and its client, read through the gate, which logs the
    client's reads; admins and sponsors see its state, dates and sessions."""

    user = access.user
    content = gate.program_content_for(access, program, revisions=True, reviews=True)
    sees_content = content is not None
    sessions = list(program.sessions.order_by("starts_at", "number"))
    version = _in_force_version(program.contract_id) if program.contract_id else None
    used = sum(1 for s in sessions if s.status in Session.USED)
    # Why a program changed state is the coach's and the client's business (a referral, an
    # illness): the admin and the sponsor read "paused" and nothing more (finding 1 of #12).
    party = user.pk in (program.coach_id, program.client_id)
    sees_events = access.is_admin or user.pk == program.coach_id
    events = list(program.events.select_related("actor")) if sees_events else []
    for event in events:
        if not party and event.actor_id in (program.coach_id, program.client_id):
            event.reason = ""  # in memory only: the log itself is append-only
    return {
        "program": program,
        "version": version,
        "sessions": sessions,
        "used": used,
        "held": sum(1 for s in sessions if s.status == Session.Status.HELD),
        "suspended": sum(1 for s in sessions if s.status == Session.Status.SUSPENDED),
        "sees_content": sees_content,
        "is_coach": user.pk == program.coach_id,
        "status_reason": program.status_reason if party else "",
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
        "events": events,
    }


SCHEDULE_PAGE_SIZE = 100
# The days the schedule pages through: far enough that no one needs more, near enough that
# the page's week, month and its previous and next links stay inside Python's calendar.
SCHEDULE_DAYS = (date(1900, 1, 1), date(2999, 12, 31))


def link_maker(name, *args):
    """A function code -> reverse(name, args=[*args, code]) that reverses once: a page of
    rows linking to the same view differs only by the code (a {% url %} per row was a tenth
    of the schedule's time, #11). Only for a view whose last argument is a UUID code."""
    placeholder = "00000000-0000-0000-0000-000000000000"
    pattern = reverse(name, args=[*args, placeholder])
    return lambda code: pattern.replace(placeholder, str(code))


def _schedule_entries(rows, *, slug):
    """The page's sessions as {"line", "url", "number"}, grouped by day in the viewer's time
    zone: the labels built once here (times, names, status) instead of per row in the
    template, with the same text the template printed."""
    tz = timezone.get_current_timezone()
    status = {value: str(label) for value, label in Session.Status.choices}
    link = link_maker("program_detail", slug)
    days = {}
    for starts_at, minutes, number, state, coach, coach_email, client, client_email, code in rows:
        local = starts_at.astimezone(tz)
        ends = (starts_at + timedelta(minutes=minutes)).astimezone(tz)
        line = " · ".join(
            (
                f"{local:%H:%M} – {ends:%H:%M}",
                coach or coach_email,  # User.display_name
                client or client_email,
                status.get(state, state),
            )
        )
        entry = {"line": line, "url": link(code), "number": number}
        days.setdefault(local.date(), []).append(entry)
    return sorted(days.items())


def schedule(*, access, view="week", day=None, page_number=1):
    """The sessions of the practice in one week or month, by day in the viewer's time zone,
    a page of SCHEDULE_PAGE_SIZE at a time (a large practice books thousands a month).
    Logistics only (the admin's page): the columns it shows, nothing of the programs but
    their code. Served by the index schedule_practice_period (sessions.Session.Meta)."""

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
    in_period = Session.objects.filter(
        practice=access.practice,
        starts_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=tz),
        starts_at__lt=datetime.combine(end, datetime.min.time(), tzinfo=tz),
    )
    sessions = in_period.order_by("starts_at", "pk").values_list(
        "starts_at",
        "duration_minutes",
        "number",
        "status",
        "coach__full_name",
        "coach__email",
        "client__full_name",
        "client__email",
        "program__code",
    )
    # Counted without the people's joins the page's values bring (a count of the values
    # joined every user of the deployment: 45 ms for the month at the bench's scale 1), from
    # the index alone.
    page = CountedPaginator(sessions, SCHEDULE_PAGE_SIZE, count=in_period.count())
    page = page.get_page(page_number)
    return {
        "page": page,
        "view": view,
        "start": start,
        "end": end - timedelta(days=1),
        "days": _schedule_entries(page.object_list, slug=access.practice.slug),
        "prev_day": prev_day.isoformat(),
        "next_day": next_day.isoformat(),
    }
