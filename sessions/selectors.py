"""Page data. Every read goes through ethics.access (the gate); query counts do not grow
with the number of sessions (tests pin them)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery

from coaching.access import Role
from coaching.accounts.models import User
from coaching.queries import counts_and_rows
from ethics import access as gate
from messaging.selectors import nav_counted, nav_counts_wanted
from session_templates.models import (
    LENGTH_FIELDS,
    SessionClock,
    chosen_template_id,
    clock_of,
    plan_for_program,
    with_clocks,
)

from .charts import progress_chart
from .models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Session,
)

# The check-out's texts (the preparation page shows them all, the session page two).
_CHECK_OUT_TEXT = ("confirmations", "aha_moments", "insights", "take_aways", "new_behaviours")
# What the session page's "Last time" shows of the previous check-out.
_LAST_TIME_CHECK_OUT = ("take_aways", "new_behaviours")


def _by_session(rows):
    return {row.session_id: row for row in rows}


def _previous_with_check_out(access, session, check_out_fields=None):
    """The program's previous held session and its check-out (None if the coach may not read
    it, or none was written), in one query (#11: two), for the coach's pages of the session:
    the gate's sessions_with_parts under the coach's rule, its first row in number order
    (#11: no subquery). check_out_fields: the check-out's fields the page shows (the others
    are neither read nor decrypted, #11); all by default."""
    # Of the check-out, neither its code nor its timestamps (#11, g-sess7).
    defer = [f"check_out__{name}" for name in ("code", "created_at", "updated_at", "completed_at")]
    if check_out_fields is not None:
        defer += [f"check_out__{name}" for name in _CHECK_OUT_TEXT if name not in check_out_fields]
    rows = gate.sessions_with_parts(
        access,
        # Not gate.sessions_for(access): the gate applies the coach's reach itself (#11). Of the
        # session, its number and date, what the pages show (#11, g-sess7).
        Session.objects.filter(
            program=session.program, number__lt=session.number, status=Session.Status.HELD
        )
        .defer(*_SESSION_LOGISTICS_DEFERRED)
        .order_by("-number"),
        role=Role.COACH,
        parts=["check_out"],
        defer=defer,
        limit=1,
        coached=session.program,  # read through the gate with the session (#11, g-sess7)
    )
    if not rows:
        return None, None
    return rows[0], rows[0].visible_check_out


def preparation_page(*, access, session):
    """The coach's preparation page: last time (the previous held session, its check-out and
    tasks), the tasks still open from earlier sessions, the objectives and the reflection.
    The two kinds of tasks come in one query, and the plan without one when the session was
    read with its program's template (session_for_preparation): #11, two queries fewer."""
    program = session.program
    previous, check_out = _previous_with_check_out(access, session)
    earlier_open = Q(done_at=None, session__number__lt=session.number)
    # The lists show no session: no session row with each task (the ids are enough).
    tasks = list(
        gate.action_items_visible_to(access, programs=[program]).filter(
            earlier_open | Q(session=previous) if previous is not None else earlier_open
        )
    )
    previous_tasks = None
    if previous is not None:
        previous_tasks = [t for t in tasks if t.session_id == previous.pk]
    return {
        "session": session,
        "program": program,
        "client_name": program.client.full_name,  # _session_head.html's
        "previous": previous,
        "previous_check_out": check_out,
        "previous_tasks": previous_tasks,
        "open_tasks": [t for t in tasks if previous is None or t.session_id != previous.pk],
        "objectives": list(
            gate.objectives_visible_to(access, programs=[program]).filter(is_retired=False)
        ),
        "preparation": gate.part_for_writing(access, session, Preparation),
        "plan": (
            plan_for_program(program, template_id=session.gate_template_id)
            if hasattr(session, "gate_template_id")
            else plan_for_program(program)
        ),
    }


def session_for_preparation(access, code):
    """The preparation page's session (the coach's; 403 for anyone else), read with its
    program's chosen template (one query fewer for the plan, #11) and its preparation (the
    gate's part_for_writing reads it from the session: one query fewer, #11)."""
    return gate.get_session_for(
        access,
        code,
        write=True,
        with_people=False,
        select_related=("preparation",),
        annotations={"gate_template_id": chosen_template_id("program")},
    )


def last_time(*, access, session, with_own_tasks=False):
    """What was said last time, for the session page: the previous held session, its
    check-out (the take-aways and new behaviours it shows), its tasks and the tasks still
    open from earlier sessions (two queries). with_own_tasks: also "tasks", the session's
    own, read in the same query as the others. For the session's coach: the previous session
    comes with its check-out (one query)."""
    read_with_session = gate.previous_held_read_with(session)
    previous, check_out = read_with_session or _previous_with_check_out(
        access, session, check_out_fields=_LAST_TIME_CHECK_OUT
    )
    own = {"tasks": []} if with_own_tasks else {}
    if previous is None:
        if with_own_tasks:
            own["tasks"] = list(gate.action_items_visible_to(access, sessions=[session]))
        return {
            "previous": None,
            "previous_check_out": None,
            "previous_tasks": [],
            "open_tasks": [],
            **own,
        }
    wanted = Q(session=previous) | Q(done_at=None, session__number__lt=session.number)
    if with_own_tasks:
        wanted |= Q(session=session)
    # The lists show no session: no session row with each task (the ids are enough); nor a
    # task's code or timestamps (#11, g-sess7).
    tasks = list(
        gate.coached_program_content(
            access, ActionItem, session.program, where=wanted, defer=_TASK_UNSHOWN
        )
    )
    if with_own_tasks:
        own["tasks"] = [t for t in tasks if t.session_id == session.pk]
        tasks = [t for t in tasks if t.session_id != session.pk]
    return {
        "previous": previous,
        "previous_check_out": check_out,
        "previous_tasks": [t for t in tasks if t.session_id == previous.pk],
        "open_tasks": [t for t in tasks if t.session_id != previous.pk],
        **own,
    }


# What the session page's task lists do not show of a task (summary_tasks).
_TASK_UNSHOWN = ("code", "created_at", "updated_at")


def plan_for(session):
    return plan_for_program(session.program)


def clock_page(*, session):
    """The session clock and the coach's pattern: the check-in's and check-out's lengths in
    the program's earlier sessions (one query for every clock of the program)."""
    # Of each clock's session only its number (the pattern's first column, session_number):
    # no session row (#11, g-sess7: nor an only() of every clock column, resolved per request).
    clocks = list(
        SessionClock.objects.filter(session__program_id=session.program_id)
        .annotate(session_number=F("session__number"))
        .order_by("session__starts_at")
    )
    return {
        "clock": next((c for c in clocks if c.session_id == session.pk), None),
        "clock_pattern": [
            c
            for c in clocks
            if c.session_id != session.pk
            and (c.check_in_seconds is not None or c.check_out_seconds is not None)
        ],
    }


def session_for_run(access, code):
    """The session page's session (the coach's; 403 for anyone else): read with its
    check-in, note and check-out, the client's processing consent and name and the program's
    chosen template, in one query (#11: five queries fewer on the page, run_page reads them)."""
    return gate.get_session_for_writing(
        access,
        code,
        annotations={"gate_template_id": chosen_template_id("program")},
        defer=_RUN_DEFERRED,
        # "Last time": the previous held session and its check-out's texts the page shows,
        # in the same query (#11: a query of its own).
        previous_check_out=_LAST_TIME_CHECK_OUT,
    )


# What no session page shows of a session: its video link, its own people (the program names
# them), what replaced it, who changed its state and when, when it was made.
_SESSION_UNSHOWN = (
    "video_link",
    "coach",
    "client",
    "rescheduled_to",
    "status_changed_at",
    "status_changed_by",
    "created_at",
)


def _parts_bookkeeping(*parts):
    """The parts' codes and timestamps (for select_related parts of a session): no page shows
    them, and the access log reads the parts' ids, authors and scopes."""
    return tuple(
        f"{part}__{name}" for part in parts for name in ("code", "created_at", "updated_at")
    )


# What the session page does not read of its session, program and parts: not loaded (#11,
# g-sess7: a third of the session read's columns, each compiled and converted per request).
_RUN_DEFERRED = (
    *_SESSION_UNSHOWN,
    *(f"program__{name}" for name in ("status", "starts_on", "ends_on", "contract", "created_at")),
    *_parts_bookkeeping("preparation", "check_in", "note", "check_out"),
    "check_out__completed_at",
)


def run_page(*, access, session):
    program = session.program
    # The objectives with their ratings at this session (one query, #11); the ratings form
    # labels each objective with its text, its measure is not read.
    objectives, rating_rows = gate.objectives_rated_at(access, session)
    plan = (
        plan_for_program(program, template_id=session.gate_template_id)
        if hasattr(session, "gate_template_id")
        else plan_for_program(program)
    )
    ratings = {r.objective_id: r.score for r in rating_rows}
    ratings_scope = (
        rating_rows[0].scope
        if rating_rows
        else gate.default_scope(access.practice, ObjectiveRating)
    )
    return {
        "session": session,
        "program": program,
        # Read with the session (session_for_run, #11: its client not joined).
        "client_name": gate.client_name_of(session),
        "objectives": objectives,
        "ratings": ratings,
        "ratings_scope": ratings_scope,
        # Read with the session (session_for_run, #11: one query fewer).
        "preparation": gate.preparation_shown_with(access, session),
        "check_in": gate.part_for_writing(access, session, CheckIn),
        "note": gate.part_for_writing(access, session, ConversationNote),
        "check_out": gate.part_for_writing(access, session, CheckOut),
        "processing_consent": gate.processing_consent_of(session),
        "plan": plan,
        "plan_parts": {p.key: p for p in plan.parts},
        # The coach's notes in the template's extra parts (one query each, at most two).
        "extra_notes": {
            p.key: gate.extra_note_for_writing(access, session, position=p.position, title=p.title)
            for p in plan.extras
        },
        **clock_page(session=session),
        # The session's own tasks too, in the same query as last time's (#11).
        **last_time(access=access, session=session, with_own_tasks=True),
    }


def client_overview(*, access, request=None):
    """The client's own programs: next session, open tasks, shared summaries, progress.

    Given the request, the navigation's unread messages and inbox count are read in the same
    query as the programs and kept for the base template (#11: a query of their own)."""
    # The client's programs, with their coach's name (the page shows it) and nothing else (#11:
    # the coach's whole row); a client only reaches their own programs (#11: filtered twice).
    reach = gate.programs_for(access)
    if access.roles != {Role.CLIENT}:
        reach = reach.filter(client_id=access.user.pk)
    nav = request is not None and request.user.pk == access.user.pk
    counted, rows = counts_and_rows(
        User.objects.filter(pk=access.user.pk),
        nav_counts_wanted(access) if nav else {},
        reach.values("id", "created_at", "coach__full_name"),
    )
    if nav:
        nav_counted(access, request, counted)
    # Newest first, as the dashboard lists them.
    rows.sort(key=lambda row: (row["created_at"], row["id"]), reverse=True)
    programs = [ClientProgram(pk=row["id"], coach_name=row["coach__full_name"]) for row in rows]
    ids = [program.pk for program in programs]  # what the reads below filter by
    # Everything shared about the client, at least what the sponsor may read (finding 12 of
    # #12): the coach's shared preparation and notes too, not only the check-in and check-out;
    # the four parts come with their sessions in one query (#11), and only held sessions' are
    # shown.
    sessions = gate.sessions_with_parts(
        access,
        # Not gate.sessions_for(access): the gate applies the client's reach itself (#11).
        Session.objects.filter(program_id__in=ids)
        .defer(*CLIENT_SESSION_DEFERRED)
        .order_by("starts_at"),
        role=Role.CLIENT,
        parts_of=Q(status=Session.Status.HELD),
        parts=["check_in", "check_out", "preparation", "note"],
        # What the summaries do not show of the parts, neither selected nor decrypted (#11).
        defer=SUMMARY_DEFERRED,
    )
    # Tasks and ratings find their program through their session's id (#11: without a session
    # row each, read with them only for its program).
    program_of = {s.pk: s.program_id for s in sessions}
    held = [s for s in sessions if s.status == Session.Status.HELD]
    extras = defaultdict(list)  # what the coach shared of their template's extra parts
    for extra in gate.extra_notes_visible_to(access, sessions=held).order_by("position"):
        extras[extra.session_id].append(extra)
    tasks = list(gate.action_items_visible_to(access, programs=ids))
    tasks_by_session = defaultdict(list)
    for task in tasks:
        tasks_by_session[task.session_id].append(task)
    # The chart names each objective by its text; the measure is not shown, so not read.
    objectives = list(
        gate.objectives_visible_to(access, programs=ids).filter(is_retired=False).defer("measure")
    )
    ratings = list(gate.ratings_visible_to(access, programs=ids))
    result = []
    for program in programs:
        mine = [s for s in sessions if s.program_id == program.pk]
        own_objectives = [o for o in objectives if o.program_id == program.pk]
        result.append(
            {
                "program": program,  # its coach_name
                "next_session": next((s for s in mine if s.is_upcoming), None),
                "open_tasks": [
                    t
                    for t in tasks
                    if program_of.get(t.session_id) == program.pk
                    and t.done_at is None
                    and t.assignee == ActionItem.Assignee.CLIENT
                ],
                "summaries": [
                    {
                        "session": s,
                        "check_in": s.visible_check_in,
                        "check_out": s.visible_check_out,
                        "preparation": s.visible_preparation,
                        "note": s.visible_note,
                        "extras": extras.get(s.pk, []),
                        "tasks": tasks_by_session.get(s.pk, []),
                    }
                    for s in reversed(mine)
                    if s.status == Session.Status.HELD
                ],
                "chart": progress_chart(
                    objectives=own_objectives,
                    sessions=mine,
                    ratings=[r for r in ratings if program_of.get(r.session_id) == program.pk],
                ),
                "objectives": own_objectives,
            }
        )
    return result


@dataclass(frozen=True)
class ClientProgram:
    """What the client's sessions page knows of a program: its id (the reads filter by it) and
    its coach's name."""

    pk: int
    coach_name: str


def client_panel(*, access):
    """The client dashboard's panel, and only it: per program the next session (logistics),
    the client's open tasks and the progress chart (objectives in force, their ratings), and
    how many sessions are held and booked (the programs panel shows them). Read once per
    request (access.reads): the programs panel counts the sessions from it (#11).

    A selector of its own so that the access log records what the panel shows and nothing
    else: no check-ins, check-outs, done tasks or coach's tasks (client_overview reads those
    for the full page), no rating of a retired objective; the fields it does not show
    (a task's done comment, an objective's measure) are not loaded, so not decrypted."""
    if "client_panel" in access.reads:
        return access.reads["client_panel"]
    programs = gate.programs_of_client(access)  # read once, with the programs panel (#11)
    # The latest held session's check-out is the dashboard's summary (sessions.dashboard): it
    # comes with the sessions, in one query (#11).
    latest_held = Subquery(
        Session.objects.filter(program=OuterRef("program"), status=Session.Status.HELD)
        .order_by("-starts_at", "-number")
        .values("pk")[:1]
    )
    sessions = gate.sessions_with_parts(
        access,
        # Not gate.sessions_for(access): the gate applies the client's reach itself (#11).
        # Only the columns the panel shows (#11).
        Session.objects.filter(program_id__in=[p.pk for p in programs])
        .defer(*CLIENT_SESSION_DEFERRED)
        .order_by("starts_at", "number"),
        role=Role.CLIENT,
        parts=["check_out"],
        parts_of=Q(pk=latest_held),
        defer=[f for f in SUMMARY_DEFERRED if f.startswith("check_out__")],
    )
    program_of = {s.pk: s.program_id for s in sessions}
    tasks = list(
        gate.action_items_visible_to(access, programs=programs)
        .filter(done_at=None, assignee=ActionItem.Assignee.CLIENT)
        .defer("done_comment")
    )
    objectives = list(
        gate.objectives_visible_to(access, programs=programs)
        .filter(is_retired=False)
        .defer("measure")
    )
    ratings = list(
        gate.ratings_visible_to(access, programs=programs).filter(objective__is_retired=False)
    )
    result = []
    for program in programs:
        mine = [s for s in sessions if s.program_id == program.pk]
        result.append(
            {
                "program": program,
                "next_session": next((s for s in mine if s.is_upcoming), None),
                # Its check-out is the dashboard's "latest summary" (sessions.workspace).
                "latest_held": next(
                    (s for s in reversed(mine) if s.status == Session.Status.HELD), None
                ),
                "held": sum(1 for s in mine if s.status == Session.Status.HELD),
                "booked": len(mine),
                "open_tasks": [t for t in tasks if program_of.get(t.session_id) == program.pk],
                "chart": progress_chart(
                    objectives=[o for o in objectives if o.program_id == program.pk],
                    sessions=mine,
                    ratings=[r for r in ratings if program_of.get(r.session_id) == program.pk],
                ),
            }
        )
    access.reads["client_panel"] = result
    return result


# What the client's pages do not show of a session (who changed its state and when, and the
# like): not loaded (#11).
CLIENT_SESSION_DEFERRED = (
    "practice",
    "coach",
    "client",
    "rescheduled_to",
    "status_changed_at",
    "status_changed_by",
    "created_at",
)
# What the session summaries of the client's page do not show of the parts: not loaded, the
# encrypted ones not decrypted (#11). Their author and scope stay: the access log reads them.
SUMMARY_DEFERRED = [
    *_parts_bookkeeping("check_in", "check_out", "preparation", "note"),
    "check_in__client_readiness",
    "check_in__coach_readiness",
    "note__on_theme",
    "note__drift_reason",
    "check_out__completed_at",
]


# What the coach's program page and "Last time" do not show of their sessions (and of the
# timeline's parts; the access log reads the parts' ids, authors and scopes): not loaded (#11).
_SESSION_LOGISTICS_DEFERRED = ("practice", "duration_minutes", "format", "place", *_SESSION_UNSHOWN)
_TIMELINE_PARTS_DEFERRED = [
    "note__text",
    "check_in__since_last_time",
    "check_in__agenda",
    "check_in__client_readiness",
    "check_in__coach_readiness",
    *_parts_bookkeeping("note", "check_in"),
]


def coach_program_page(*, access, program):
    """The coach's page of one program (coached_program_for's): every session with its clock,
    check-in goal and note's theme, open tasks, objectives and the progress chart."""
    # Each session's clock lengths and its note and check-in, as the coach may read them, in
    # the same query (#11: three queries). Not gate.sessions_for(access): the gate applies the
    # coach's reach itself (#11: the same rows, the reach built and compiled once, not twice).
    sessions = gate.sessions_with_parts(
        access,
        # Of the clock, only what the table shows: its lengths (#11). Of the session, what the
        # table and the chart show (#11, g-sess7: a fifth of its columns, read and converted
        # per row, were not).
        with_clocks(
            Session.objects.filter(program=program).defer(*_SESSION_LOGISTICS_DEFERRED),
            fields=LENGTH_FIELDS,
        ).order_by("number"),
        role=Role.COACH,
        coached=program,  # coached_program_for's (#11, g-sess7)
        parts=["note", "check_in"],
        # The table shows the check-in's goal and whether the note stayed on the theme (and
        # why not): the notes' text and the rest of the check-in are not decrypted (#11), nor
        # their codes and timestamps read (g-sess7).
        defer=_TIMELINE_PARTS_DEFERRED,
    )
    # The task lists show no session, the chart only the ratings' session ids (all of this
    # program): no session rows with them. Open tasks: no done comment to show (#11: not
    # decrypted); the chart names each objective by its text: the measure is not read.
    # The program is the coach's (coached_program_for): its content by its id, without
    # joining it again (#11, g-sess7).
    tasks = list(
        gate.coached_program_content(
            access, ActionItem, program, where=Q(done_at=None), defer=("done_comment",)
        )
    )
    objectives = list(gate.objectives_of_coached_program(access, program, defer=("measure",)))
    ratings = list(gate.coached_program_content(access, ObjectiveRating, program))
    # Each row's labels looked up once per value, not per row (#11: get_FOO_display() per row
    # was a tenth of the template); the same text.
    status_labels = {value: str(label) for value, label in Session.Status.choices}
    theme_labels = {
        value: str(label) for value, label in ConversationNote._meta.get_field("on_theme").choices
    }
    timeline = []
    for s in sessions:
        note = s.visible_note
        timeline.append(
            {
                "session": s,
                "status": status_labels.get(s.status, s.status),
                "note": note,
                "on_theme": theme_labels.get(note.on_theme, note.on_theme) if note else "",
                "check_in": s.visible_check_in,
                "clock": clock_of(s),
            }
        )
    return {
        "program": program,
        "timeline": timeline,
        "drifts": [row for row in timeline if row["note"] and row["note"].drifted],
        "client_tasks": [t for t in tasks if t.assignee == ActionItem.Assignee.CLIENT],
        "coach_tasks": [t for t in tasks if t.assignee == ActionItem.Assignee.COACH],
        "objectives": objectives,
        "chart": progress_chart(objectives=objectives, sessions=sessions, ratings=ratings),
        "chemistry": gate.chosen_coach_impressions_for(access, program),
    }
