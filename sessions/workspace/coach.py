"""The coach's panel of what needs doing today (sessions.workspace)."""

from datetime import timedelta

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import gettext

from coaching.access import Role
from coaching.templatetags.rowurls import row_url_maker
from ethics import access as gate
from programs import access as reach
from programs.models import (
    Program,
)
from programs.selectors import coach_programs

from ..models import ActionItem, Session
from .common import (
    LIMIT,
    UNFINISHED_DAYS,
    Dates,
    cut,
    line,
    local_day,
    reader_timezone,
    session_rows,
)

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
        rows = session_rows(
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
            row["upcoming_line"] = line(
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
        "today": cut(todays),
        "unfinished": cut(unfinished),
        "overdue": cut(overdue),
        "own": cut(own),
        "near": cut(near),
        "day": today,
    }
    _coach_row_labels(access, panel)
    return panel


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
        .values(*SESSION_ROW_VALUES, **gate.session_part_facts())
        .filter(
            Q(status=Session.Status.SCHEDULED, starts_at__lt=now() - timedelta(hours=1))
            | Q(status=Session.Status.HELD) & (Q(has_note=False) | Q(checked_out=False)),
            **_own_sessions(access),
            starts_at__gte=now() - timedelta(days=UNFINISHED_DAYS),
        )
        .order_by("-starts_at")[: LIMIT + 1]
    )
    return session_rows(access, rows, day_label="j M")


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
    formatted = Dates()
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
