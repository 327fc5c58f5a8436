"""The admin's (and the scheduler's) panel of what needs doing today (sessions.workspace)."""

from datetime import datetime, timedelta
from functools import cache

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import gettext

from coaching.notifications import registry
from coaching.notifications.models import Reminder
from coaching.templatetags.rowurls import row_url_maker
from programs import access as reach
from programs.models import (
    Contract,
    ContractAcceptance,
    Program,
    ProgramEvent,
    Proposal,
)
from programs.selectors import contracted_sessions

from ..models import Session
from .common import (
    DECISION_DAYS,
    ENDING_SOON_DAYS,
    LIMIT,
    WEEK_DAYS,
    Dates,
    cut,
    line,
    local_day,
    reader_timezone,
)

# The columns of a session row on the admin's panel (no program content, no session parts),
# read as values: the rows are shown, not changed (#11: a model instance per session, client
# and coach, and Django's select_related machinery to build them, for three lists).
_ROW_FIELDS = ("id", "starts_at", "number", "client__full_name", "client__email")


@cache
def _used():
    """The sessions a program row has used, as a subquery: PostgreSQL computes it for the
    rows shown only (as a joined Count it counted the sessions of every program in the
    period before sorting, #11). Built once per process, as contracted_sessions."""
    used = (
        Session.objects.filter(program=OuterRef("pk"), status__in=Session.USED)
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(used, output_field=IntegerField()), 0)


def admin_today(*, access, counted=None):
    """This week's sessions, what waits on whom and since when, the sessions that need a
    decision, failed reminders and programs ending soon. Logistics only, no content.

    counted: {"proposals_sent", "contracts_sent", "chemistry", "failed"}: the numbers the
    caller counted (the dashboard does, with its other counts; a name left out or None: not
    counted); a list counted at 0 is not read. Listing the contracts in chemistry walks the
    practice's active contracts oldest first until it has found them (10 ms at the bench's
    scale 1 to find none)."""
    counted = counted or {}

    def wanted(name):
        return counted.get(name) != 0

    today, start, end = local_day(access)
    reached = reach.sessions_for(access)  # built once for the three session reads
    sessions = reached.filter(status=Session.Status.SCHEDULED)
    # The first LIMIT of today and the first LIMIT after it, from one read of the next week's
    # first rows; the rest are on the schedule page (#11: 24 rows rendered, and "no other
    # sessions this week" when today's had filled them).
    week = list(
        sessions.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=WEEK_DAYS))
        .values(*_ROW_FIELDS, "coach__full_name", "coach__email", "format", "place")
        .order_by("starts_at", "id")[: LIMIT * 2 + 1]
    )
    todays = [s for s in week if s["starts_at"] < end]
    later = [s for s in week if s["starts_at"] >= end]

    # The latest time it was sent (a LIMIT 1 of its events, newest first: the same value as
    # their Max, without a GROUP BY to build).
    sent_at = (
        ProgramEvent.objects.filter(proposal=OuterRef("pk"), to_state=Proposal.Status.SENT)
        .order_by("-at")
        .values("at")[:1]
    )
    proposals = (
        list(
            reach.proposals_for(access)
            .filter(status=Proposal.Status.SENT)
            .annotate(since=Subquery(sent_at))
            .values(  # shown, not changed: values, as the session rows (#11)
                "code",
                "client_id",
                "client_email",
                "client_response",
                "sponsor_id",
                "sponsor_response",
                "created_at",
                "client__full_name",
                "client__email",
                "sponsor__full_name",
                "sponsor__email",
                "since",
            )
            .order_by("created_at")[: LIMIT + 1]
        )
        if wanted("proposals_sent")
        else []
    )
    waiting = []
    for proposal in proposals:  # the names as User.display_name gives them
        who = []
        if not proposal["client_response"]:
            if proposal["client_id"]:
                who.append(proposal["client__full_name"] or proposal["client__email"])
            else:
                who.append(proposal["client_email"])
        if proposal["sponsor_id"] and not proposal["sponsor_response"]:
            who.append(proposal["sponsor__full_name"] or proposal["sponsor__email"])
        waiting.append(
            {
                "kind": "proposal",
                "object": proposal,
                "who": who,
                "since": proposal["since"] or proposal["created_at"],
            }
        )
    contracts = (
        list(
            reach.contracts_for(access)
            .filter(status=Contract.Status.SENT)
            .select_related("client", "sponsor")
            .prefetch_related("versions__acceptances")
            .order_by("created_at")[: LIMIT + 1]
        )
        if wanted("contracts_sent")
        else []
    )
    Party = ContractAcceptance.Party
    for contract in contracts:
        version = max(contract.versions.all(), key=lambda v: v.number, default=None)
        if version is None:
            continue
        accepted = {a.party for a in version.acceptances.all()}
        names = {
            Party.CLIENT: contract.client.display_name,
            Party.SPONSOR: contract.sponsor.display_name if contract.sponsor_id else "",
            Party.PRACTICE: access.practice.name,
        }
        who = [names[p] for p in contract.parties() if p not in accepted]
        waiting.append(
            {
                "kind": "contract",
                "object": contract,
                "who": who,
                "since": version.sent_at or version.created_at,
            }
        )
    chemistry = (
        list(
            reach.contracts_in_chemistry(access)
            .select_related("client")
            .order_by("created_at")[: LIMIT + 1]
        )
        if wanted("chemistry")
        else []
    )
    for contract in chemistry:
        waiting.append(
            {
                "kind": "chemistry",
                "object": contract,
                "who": [contract.client.display_name],
                "since": contract.created_at,
            }
        )
    waiting.sort(key=lambda row: row["since"])

    # One UNION of two parts, each served by its own partial index (Session.Meta): as one
    # OR, PostgreSQL walked the start-time index from 30 days back through every future
    # session (104 ms at the bench's scale 1). Each part is cut at LIMIT + 1 in its own
    # order, so PostgreSQL walks its index in that order and looks up the few programs
    # (#11: uncut, it estimated thousands of rows and hashed all 5,000 programs of the
    # practice, 5 to 8 ms at scale 1). Only the columns the panel shows.
    since = now() - timedelta(days=DECISION_DAYS)
    recent = (
        reached.filter(starts_at__gte=since)
        .values(*_ROW_FIELDS, "status", "program__code")
        .order_by("starts_at", "id")
    )
    late, unmarked = (
        recent.filter(states)
        for states in (
            Q(status=Session.Status.CANCELLED_CLIENT_LATE),
            Q(status=Session.Status.SCHEDULED, starts_at__lt=now() - timedelta(hours=1)),
        )
    )
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL, not SQLite
        late, unmarked = late[: LIMIT + 1], unmarked[: LIMIT + 1]
    else:
        late, unmarked = late.order_by(), unmarked.order_by()
    decisions = list(late.union(unmarked, all=True).order_by("starts_at", "id")[: LIMIT + 1])
    failed = (
        list(
            # Shown, not changed: values, as the session rows (#11: a reminder and a user
            # instance per row).
            Reminder.objects.filter(practice=access.practice, status=Reminder.Status.FAILED)
            .values("kind", "due_at", "recipient__full_name", "recipient__email")
            .order_by("-due_at")[: LIMIT + 1]
        )
        if wanted("failed")
        else []
    )
    for reminder in failed:
        try:
            reminder["kind_label"] = registry.get(reminder["kind"]).label
        except LookupError:
            reminder["kind_label"] = reminder["kind"]
    ending = list(
        reach.programs_for(access)
        .filter(
            status=Program.Status.ACTIVE,
            ends_on__isnull=False,
            ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS),
        )
        .annotate(used=_used(), contracted=contracted_sessions())
        .values(
            "code",
            "ends_on",
            "client__full_name",
            "client__email",
            "coach__full_name",
            "coach__email",
            "used",
            "contracted",
        )
        .order_by("ends_on")[: LIMIT + 1]
    )
    _admin_row_labels(todays[:LIMIT], later[:LIMIT], decisions[:LIMIT], ending[:LIMIT])
    _admin_row_links(access, todays[:LIMIT], later[:LIMIT], decisions[:LIMIT], ending[:LIMIT])
    _admin_waiting_labels(access, waiting[:LIMIT], failed[:LIMIT])
    return {
        "today": cut(todays),
        "week": cut(later),
        # More sessions this week than the page read (today's may have filled the read).
        "week_more": len(week) > LIMIT * 2,
        "waiting": waiting[:LIMIT],
        "waiting_more": len(waiting) > LIMIT,  # each source read LIMIT + 1: more, not how many
        "decisions": cut(decisions),
        "failed": cut(failed),
        "ending": cut(ending),
        "now": now(),
        "day": today,
    }


def _admin_row_links(access, todays, later, decisions, ending):
    """The rows' times in the reader's time zone, as the date filter under the panel's
    {% timezone %} gave them, and their links, as {% row_url %} gave them: once per row in
    Python (#11: a filter or a tag with three arguments to resolve per row)."""
    tz = reader_timezone(access)
    for row in todays:
        row["time_label"] = f"{row['starts_at'].astimezone(tz):%H:%M}"  # as "H:i" gave it
    formatted = Dates()
    for row in [*decisions, *later]:
        row["when_label"] = formatted.format(row["starts_at"].astimezone(tz), "D j M, H:i")
    with_ = gettext("with")
    for row in later:  # "Tue 1 Dec, 08:00 · Client with Coach"
        who = line(row["client_name"], with_, row["coach_name"], sep=" ")
        row["week_line"] = line(row["when_label"], who)
    schedule = row_url_maker("program_schedule", access.practice.slug)
    for row in decisions:
        row["decide_url"] = schedule(row["program__code"])
    detail = row_url_maker("program_detail", access.practice.slug)
    for row in ending:
        row["detail_url"] = detail(row["code"])
        # "Coach · ends 1 Dec 2026 · 2 of 6 sessions used" (the last when contracted)
        used = [row["used_label"]] if row["contracted"] else []
        row["ending_line"] = line(row["coach_name"], row["ends_label"], *used)


def _admin_waiting_labels(access, waiting, failed):
    """What waits and the failed reminders, as the template's tags gave them (#11): the link,
    "since 3 Nov" translated once (the date in the reader's time zone), the reminders' times."""
    tz = reader_timezone(access)
    links = {
        "proposal": row_url_maker("proposal_detail", access.practice.slug),
        "contract": row_url_maker("contract_detail", access.practice.slug),
        "chemistry": row_url_maker("contract_detail", access.practice.slug),
    }
    since = gettext("since %(since)s")
    words = {
        "proposal": gettext("Proposal"),
        "contract": gettext("Contract"),
        "chemistry": gettext("Chemistry: the client's choice of coach"),
    }
    waiting_for = gettext("waiting for")
    formatted = Dates()
    for row in waiting:
        code = row["object"]["code"] if row["kind"] == "proposal" else row["object"].code
        row["url"] = links[row["kind"]](code)
        row["word"] = words[row["kind"]]
        at = row["since"]
        if isinstance(at, datetime):
            at = at.astimezone(tz)
        date = conditional_escape(formatted.day(at, "j M"))
        row["since_label"] = mark_safe(since % {"since": date})  # noqa: S308 # as the tag
        # "waiting for Client, Sponsor · since 3 Nov"
        who = line(waiting_for, line(*row["who"], sep=", "), sep=" ")
        row["waiting_line"] = line(who, row["since_label"])
    for reminder in failed:  # "Session in 24 hours · Client · 30 Nov, 16:00"
        due = formatted.format(reminder["due_at"].astimezone(tz), "j M, H:i")
        name = reminder["recipient__full_name"] or reminder["recipient__email"]
        reminder["failed_line"] = line(reminder["kind_label"], name, due)


def _admin_row_labels(todays, later, decisions, ending):
    """What the rows show besides their values: the people's names (User.display_name), the
    format's label, and "session 3", "ends 1 Dec 2026" and "2 of 6 sessions used" translated
    once per list instead of by a {% blocktranslate %} per row (#11: 32 of them, a third of
    the panel's rendering). The same text as the template's tag gave: the translation as it
    is, the values escaped."""
    formats = dict(Session._meta.get_field("format").flatchoices)
    session_n = gettext("session %(number)s")
    for row in decisions:
        row["client_name"] = row["client__full_name"] or row["client__email"]
    for row in [*todays, *decisions]:
        number = conditional_escape(row["number"])
        row["number_label"] = mark_safe(session_n % {"number": number})  # noqa: S308 # as the tag
    for row in [*todays, *later]:
        row["client_name"] = row["client__full_name"] or row["client__email"]
        row["coach_name"] = row["coach__full_name"] or row["coach__email"]
        row["format_label"] = formats.get(row["format"], row["format"])
    ends = gettext("ends %(date)s")
    formatted = Dates()
    used = gettext("%(used)s of %(count)s sessions used")
    for row in ending:
        row["client_name"] = row["client__full_name"] or row["client__email"]
        row["coach_name"] = row["coach__full_name"] or row["coach__email"]
        date = conditional_escape(formatted.day(row["ends_on"], "j M Y"))
        row["ends_label"] = mark_safe(ends % {"date": date})  # noqa: S308 # as the tag
        numbers = {"used": row["used"], "count": row["contracted"]}
        numbers = {name: conditional_escape(n) for name, n in numbers.items()}
        row["used_label"] = mark_safe(used % numbers)  # noqa: S308 # as the tag
