"""What needs doing today, per role: the first panel of each dashboard (sessions.today).

Reads that take the reader. Logistics (sessions, programs, proposals, contracts, reminders)
come through the reach of programs.access; coaching content (tasks, the latest check-out)
only through the gate (ethics.access), so admins and sponsors get none. A fixed number of
queries whatever the size of the practice: lists are cut at LIMIT rows and counted apart.
"""

import html
import zoneinfo
from datetime import datetime, time, timedelta
from functools import cache, lru_cache

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import get_language, gettext

from coaching.access import Role
from coaching.notifications import registry
from coaching.notifications.models import Reminder
from coaching.templatetags.rowurls import row_url_maker
from ethics import access as gate
from programs import access as reach
from programs.models import (
    Contract,
    ContractAcceptance,
    Program,
    ProgramEvent,
    Proposal,
)
from programs.selectors import coach_programs, contracted_sessions, sponsor_programs

from .models import ActionItem, Session

LIMIT = 8  # rows per list on a dashboard; the rest are counted and linked
WEEK_DAYS = 7
ENDING_SOON_DAYS = 30
DECISION_DAYS = 30  # how far back a late cancellation or an unmarked session still asks
UNFINISHED_DAYS = 60  # how far back a held session's missing notes still ask


def local_day(access, at=None):
    """Start and end of the reader's day (their time zone, else the practice's)."""
    tz = reader_timezone(access)
    today = (at or now()).astimezone(tz).date()
    start = datetime.combine(today, time.min, tzinfo=tz)
    return today, start, start + timedelta(days=1)


def _cut(rows):
    """(the first LIMIT rows, whether there are more) from a list fetched with LIMIT + 1. Only
    that there are more is known: the panels said "and 1 more" when many more waited."""
    return rows[:LIMIT], len(rows) > LIMIT


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
        "today": _cut(todays),
        "week": _cut(later),
        # More sessions this week than the page read (today's may have filled the read).
        "week_more": len(week) > LIMIT * 2,
        "waiting": waiting[:LIMIT],
        "waiting_more": len(waiting) > LIMIT,  # each source read LIMIT + 1: more, not how many
        "decisions": _cut(decisions),
        "failed": _cut(failed),
        "ending": _cut(ending),
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
    formatted = _Dates()
    for row in [*decisions, *later]:
        row["when_label"] = formatted.format(row["starts_at"].astimezone(tz), "D j M, H:i")
    with_ = gettext("with")
    for row in later:  # "Tue 1 Dec, 08:00 · Client with Coach"
        who = _line(row["client_name"], with_, row["coach_name"], sep=" ")
        row["week_line"] = _line(row["when_label"], who)
    schedule = row_url_maker("program_schedule", access.practice.slug)
    for row in decisions:
        row["decide_url"] = schedule(row["program__code"])
    detail = row_url_maker("program_detail", access.practice.slug)
    for row in ending:
        row["detail_url"] = detail(row["code"])
        # "Coach · ends 1 Dec 2026 · 2 of 6 sessions used" (the last when contracted)
        used = [row["used_label"]] if row["contracted"] else []
        row["ending_line"] = _line(row["coach_name"], row["ends_label"], *used)


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
    formatted = _Dates()
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
        who = _line(waiting_for, _line(*row["who"], sep=", "), sep=" ")
        row["waiting_line"] = _line(who, row["since_label"])
    for reminder in failed:  # "Session in 24 hours · Client · 30 Nov, 16:00"
        due = formatted.format(reminder["due_at"].astimezone(tz), "j M, H:i")
        name = reminder["recipient__full_name"] or reminder["recipient__email"]
        reminder["failed_line"] = _line(reminder["kind_label"], name, due)


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
    formatted = _Dates()
    used = gettext("%(used)s of %(count)s sessions used")
    for row in ending:
        row["client_name"] = row["client__full_name"] or row["client__email"]
        row["coach_name"] = row["coach__full_name"] or row["coach__email"]
        date = conditional_escape(formatted.day(row["ends_on"], "j M Y"))
        row["ends_label"] = mark_safe(ends % {"date": date})  # noqa: S308 # as the tag
        numbers = {"used": row["used"], "count": row["contracted"]}
        numbers = {name: conditional_escape(n) for name, n in numbers.items()}
        row["used_label"] = mark_safe(used % numbers)  # noqa: S308 # as the tag


# What the coach's task lists show (the text, the due date), and what the gate's log and the
# "Mark done" form need (the author, the code). The client's name comes from the coach's
# programs, read on the same page (#11: the session and the client's user joined and built
# as model instances per task).
TASK_COLUMNS = ("code", "author", "scope", "assignee", "text", "due_on", "session")

COACH_LISTS = ("today", "unfinished", "overdue", "own", "near")


# What a row of the coach's session lists shows: when, whose, which, its status, read as
# values (#11: a model instance per session and per client, and Django's select_related
# machinery to build them, for rows that are shown, not changed).
SESSION_ROW_VALUES = ("code", "number", "starts_at", "status", "client__full_name", "client__email")
UPCOMING = 10  # the coach's upcoming sessions listed on the dashboard


def reader_timezone(access):
    """The reader's time zone (their own, else the practice's, else UTC), as local_day and the
    panels' {% timezone %} take it."""
    name = access.user.timezone or access.practice.timezone or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _line(*parts, sep=" · "):
    """Parts of a row's text joined as the template joined its variables: each escaped (a
    label already safe stays as it is), one template variable instead of several per row
    (#11: resolving a variable and escaping its value, per variable, was most of the rows'
    rendering)."""
    # conditional_escape's rule, without its lazy-string wrapper per part: what has __html__
    # is safe as it is; the rest is html.escape()d, as django.utils.html.escape does.
    escaped = (p.__html__() if hasattr(p, "__html__") else html.escape(str(p)) for p in parts)
    return mark_safe(html.escape(sep).join(escaped))  # noqa: S308 # each part escaped


@lru_cache(maxsize=4096)
def _day_words(language, day, format):
    """date_format(day, format) in `language` (the active one, passed so that it is part of
    the key): a pure function of its arguments, kept for the days the dashboards show again
    and again (today, this week); date_format's translated day and month names were looked
    up per row and per request (#11)."""
    return date_format(day, format)


class _Dates:
    """Dates and times as the date filter gives them ("D j M, H:i", "j M", "H:i"), a day's
    words formatted once per list (#11: a date_format per row, its translated day and month
    names looked up each time, was a tenth of a dashboard's Python work). The same text:
    "H:i" is the hour and minutes, zero-padded; the day's part is date_format's own."""

    def __init__(self):
        self.days = {}
        self.language = get_language()

    def day(self, value, format):
        key = (value.date() if isinstance(value, datetime) else value, format)
        if key not in self.days:
            self.days[key] = _day_words(self.language, *key)
        return self.days[key]

    def format(self, local, format):
        """`local`, an aware datetime in the reader's zone, in `format`."""
        if format == "H:i":
            return f"{local:%H:%M}"
        if format.endswith(", H:i"):
            return f"{self.day(local, format[: -len(', H:i')])}, {local:%H:%M}"
        return self.day(local, format)


def _session_rows(access, rows, **dates):
    """What the session rows show besides their values, computed once per row instead of by
    the template's tags per row (#11): the client's name (User.display_name), "session 3"
    translated once, the links (coaching.templatetags.rowurls), and each of `dates`
    ({name: date format}) the start in the reader's time zone as the panels' date filter
    under {% timezone %} gave it. The same text as the tags gave."""
    tz = reader_timezone(access)
    prepare = row_url_maker("session_prepare", access.practice.slug)
    run = row_url_maker("session_run", access.practice.slug)
    session_n = gettext("session %(number)s")
    formatted = _Dates()
    for row in rows:
        row["client_name"] = row["client__full_name"] or row["client__email"]
        number = conditional_escape(row["number"])
        row["number_label"] = mark_safe(session_n % {"number": number})  # noqa: S308 # as the tag
        row["prepare_url"], row["run_url"] = prepare(row["code"]), run(row["code"])
        if dates:
            local = row["starts_at"].astimezone(tz)
            for name, format in dates.items():
                row[name] = formatted.format(local, format)
    return rows


def _own_sessions(access):
    """The filter that narrows reach.sessions_for to the sessions the reader coaches: none for
    a coach and nothing else, whose reach is those already (#11: the same condition built,
    compiled and planned twice); by the column, not the user instance."""
    return {} if access.roles == {Role.COACH} else {"program__coach_id": access.user.pk}


def coach_upcoming(access):
    """The coach's next scheduled sessions, from the start of their day, soonest first: read
    once per request, since today's sessions (the first panel) are the first of them and the
    sessions panel lists them all (#11: two queries)."""
    if "coach_upcoming" not in access.reads:
        _today, start, _end = local_day(access)
        rows = _session_rows(
            access,
            when_label="D j M, H:i",  # the sessions panel's
            rows=list(
                reach.sessions_for(access)
                .filter(
                    **_own_sessions(access),
                    status=Session.Status.SCHEDULED,
                    starts_at__gte=start,
                )
                .values(*SESSION_ROW_VALUES)
                .order_by("starts_at", "id")[:UPCOMING]
            ),
        )
        for row in rows:  # the sessions panel's "Wed 2 Dec, 15:00 · Client · session 9"
            row["upcoming_line"] = _line(
                row["when_label"], row["client__full_name"], row["number_label"]
            )
        access.reads["coach_upcoming"] = rows
    return access.reads["coach_upcoming"]


def coach_today(*, access):
    """Today's sessions (one click to prepare), held sessions whose notes or check-out are
    unfinished, the clients' overdue tasks, the coach's own open tasks, programs near
    graduation. Tasks come through the gate (the coach reads their own programs' tasks)."""
    today, start, end = local_day(access)
    todays = [s for s in coach_upcoming(access) if s["starts_at"] < end]
    tz = reader_timezone(access)
    for row in todays[:LIMIT]:  # "10:00", as the date filter gave it in the reader's zone
        row["time_label"] = f"{row['starts_at'].astimezone(tz):%H:%M}"  # as "H:i" gave it
    unfinished = _coach_unfinished(access)
    programs = coach_programs(access=access)
    # Tasks of programs still running: a graduated or ended program's leftovers wait on nobody.
    running = [
        p["id"] for p in programs if p["status"] in (Program.Status.ACTIVE, Program.Status.PAUSED)
    ]
    # The clients' overdue tasks and the coach's own open ones (the programs are the coach's),
    # the first LIMIT + 1 of each in one query: numbered per assignee (#11: two queries); only
    # the columns the lists show (#11: every column of the session and of the client's user).
    tasks = _coach_tasks(access, running, today)
    # The program's client (the gate's subject of the task) is its session's client.
    names = {p["client_id"]: p["client_name"] for p in programs}
    for task in tasks:
        task.client_name = names[task.gate_subject_id]
    overdue = [t for t in tasks if t.assignee == ActionItem.Assignee.CLIENT]
    own = [t for t in tasks if t.assignee == ActionItem.Assignee.COACH]
    # At most one session left to use (or none: time to graduate), from the programs listed
    # on the same page (their counts come with them), soonest ending first.
    near = sorted(
        (
            p
            for p in programs
            if p["status"] == Program.Status.ACTIVE
            and p["contracted"] is not None
            and p["used"] >= 1
            and p["used"] >= p["contracted"] - 1
        ),
        key=lambda p: (p["ends_on"] is None, p["ends_on"] or today, p["id"]),
    )
    panel = {
        "today": _cut(todays),
        "unfinished": _cut(unfinished),
        "overdue": _cut(overdue),
        "own": _cut(own),
        "near": _cut(near),
        "day": today,
    }
    _coach_row_labels(access, panel)
    return panel


@cache
def _session_facts():
    """Whether a session has its notes, and a completed check-out: EXISTS subqueries of the
    session's one-to-one parts, built once per process (#11: built per request; resolving them
    into a query copies them, so one instance serves every query)."""
    return {
        "has_note": Exists(Session.objects.filter(pk=OuterRef("pk"), note__isnull=False)),
        "checked_out": Exists(
            Session.objects.filter(pk=OuterRef("pk"), check_out__completed_at__isnull=False)
        ),
    }


def _coach_unfinished(access):
    """The coach's held sessions with notes or check-out unfinished, and past ones not marked
    held yet, of the last UNFINISHED_DAYS, newest first (LIMIT + 1 rows)."""
    # Existence only: the notes and check-out are not read (no content leaves the gate).
    # Held without notes or a completed check-out, or past and not marked held yet (the coach
    # marks a session held, on its page). The two facts are EXISTS subqueries, filtered on as
    # annotations (#11: LEFT JOINs of the notes and check-outs cost more to plan than to run:
    # 1.9 ms against 0.8 ms at the bench's scale 1). One filter(): each call clones the query.
    rows = list(
        reach.sessions_for(access)
        .values(*SESSION_ROW_VALUES, **_session_facts())
        .filter(
            Q(status=Session.Status.SCHEDULED, starts_at__lt=now() - timedelta(hours=1))
            | Q(status=Session.Status.HELD) & (Q(has_note=False) | Q(checked_out=False)),
            **_own_sessions(access),
            starts_at__gte=now() - timedelta(days=UNFINISHED_DAYS),
        )
        .order_by("-starts_at")[: LIMIT + 1]
    )
    return _session_rows(access, rows, day_label="j M")


def _coach_tasks(access, running, today):
    """The clients' overdue tasks and the coach's own open ones of the running programs. Open
    (ActionItemQuerySet.open) and in the lists, in one filter() with the window's cut (each
    call clones the query; PostgreSQL filters the rows before numbering them either way)."""
    return list(
        gate.action_items_visible_to(access, programs=running)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("assignee")], order_by=[F("due_on"), F("id")])
        )
        .filter(
            Q(assignee=ActionItem.Assignee.CLIENT, due_on__lt=today)
            | Q(assignee=ActionItem.Assignee.COACH),
            done_at=None,
            place__lte=LIMIT + 1,
        )
        .only(*TASK_COLUMNS)
        .order_by("due_on", "id")
    )


def _coach_row_labels(access, panel):
    """ "due 1 Dec" and "2 of 6 sessions used" for the rows shown, translated once per list
    instead of by a {% blocktranslate %} per row (#11: up to 40 of them on the coach's panel),
    as _admin_row_labels: the same text as the template's tag gave; and the rows' links, as
    {% row_url %} gave them (#11: three template variables resolved per link)."""
    done = row_url_maker("action_item_done", access.practice.slug)
    due = gettext("due %(date)s")
    formatted = _Dates()
    for task in [*panel["overdue"][0], *panel["own"][0]]:
        task.done_url = done(task.code)
        if task.due_on:
            date = conditional_escape(formatted.day(task.due_on, "j M"))
            task.due_label = mark_safe(due % {"date": date})  # noqa: S308 # as the tag
    used = gettext("%(used)s of %(count)s sessions used")
    sessions = row_url_maker("coach_program", access.practice.slug)
    for row in panel["near"][0]:
        row["sessions_url"] = sessions(row["code"])
        numbers = {"used": row["used"], "count": row["contracted"]}
        numbers = {name: conditional_escape(n) for name, n in numbers.items()}
        row["used_label"] = mark_safe(used % numbers)  # noqa: S308 # as the tag


def sponsor_today(*, access):
    """Attendance across the sponsored programs (held, late-cancelled, no-show, booked; the
    next session's date) and the approved progress reports waiting to be read. Report texts
    are not loaded: the list shows whose report it is and when it was approved."""
    programs = sponsor_programs(access=access)  # the programs panel lists them too
    reports = list(
        gate.progress_reports_visible_to(access, programs=programs)
        .values("code", "approved_at", "program__code", "program__client__full_name")
        .order_by("-approved_at")[: LIMIT + 1]
    )
    totals = {
        "held": sum(p.held for p in programs),
        "late": sum(p.late for p in programs),
        "no_show": sum(p.no_show for p in programs),
    }
    return {"programs": programs, "reports": _cut(reports), "totals": totals}
