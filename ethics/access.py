"""The content gate: who may read or write coaching content of sessions and programs.

Reach (practice and role) comes from coaching.access; this module adds program reach and
content scopes on top. Every read of a session part goes through a function here, and nothing
else queries the content models (Preparation, CheckIn, ConversationNote, ActionItem, CheckOut,
ObjectiveRating) directly.

Rules:
- admin: every session of the practice, logistics only; never content. No superuser bypass:
  nothing here looks at is_superuser or is_staff.
- coach: the sessions of the programs they coach; all content of those sessions that they
  wrote or that is not private. Another coach of the practice: nothing.
- client: the sessions of their own programs; content with scope client or sponsor (or their own).
- sponsor: the sessions of the programs they sponsor (logistics), and content with scope
  sponsor ONLY while the client's consent to share with this sponsor is in force
  (ethics.selectors.sponsor_consent_q, the same rule as has_sponsor_consent). The check is a
  subquery of every read, so a withdrawal is effective on the sponsor's next request.
- program content (theme, aims, CSoB, FSoB, objectives, revisions, reviews, completion summary):
  the program's coach and its client only (program_content_for, completion_summary_for);
  elsewhere programs are loaded with it deferred.

Access log: every content queryset handed out here records, when it is evaluated, one
AccessEvent per row read by someone other than its author and other than the client the record
is about (the client reading their own record writes nothing). In a request the events are
collected and written in one INSERT before the response leaves (ethics.middleware); outside a
request, one INSERT per evaluation. The page path is the request's, set when a request starts
(ethics.apps). Repeated reads of one item by one reader within a ten-minute window of the clock
are one row (_fold and ON CONFLICT DO NOTHING; why ten minutes: ethics/README.md).

Over 400 lines on purpose: the gate is one module so that a reviewer reads every content
rule, and nothing else reads content (tests/ethics/test_gate_only.py holds that).
"""

import contextvars
import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypedDict, TypeVar, Unpack
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import Exact, In
from django.db.models.query import ModelIterable
from django.http import Http404

from coaching.access import PracticeAccess, Role, any_of
from coaching.accounts.models import Practice, User
from coaching.queries import counts_in_one_query
from ethics.fields import EncryptedMixin
from ethics.models import (
    AccessEvent,
    Consent,
    PracticeScopeDefault,
    PreparedExport,
    ProgressReport,
)
from intake.models import (
    MIN_RATER_THRESHOLD,
    AlignmentMeeting,
    IntakeSettings,
    Questionnaire,
    RaterAnswer,
    RaterRound,
    Response,
)
from messaging.models import Message, MessageAttachment, ThreadRead
from programs.access import check_coach_writes, get_compiled, session_rows_for

# Reach (programs.access) through this module too, so callers ask one gate for everything
# (re-exported explicitly, `x as x`, as no_implicit_reexport wants).
from programs.access import get_program_for as get_program_for
from programs.access import get_session_for as get_session_for
from programs.access import programs_as as programs_as
from programs.access import programs_for as programs_for
from programs.access import programs_of_client as programs_of_client
from programs.access import sessions_for as sessions_for
from programs.models import (
    PROGRAM_CONTENT_FIELDS,
    PROGRAM_TEXT_FIELDS,
    ChemistryMeeting,
    Objective,
    ObjectiveReview,
    Program,
    ProgramRevision,
    Proposal,
)
from session_templates.models import ExtraPartNote
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Scope,
    Session,
)

# A session part: one of the content models.
ContentPart: TypeAlias = (
    Preparation
    | CheckIn
    | ConversationNote
    | ActionItem
    | CheckOut
    | ObjectiveRating
    | ExtraPartNote
)
# One content model at a time (value-restricted: each is checked as its own concrete model).
_Part = TypeVar(
    "_Part",
    Preparation,
    CheckIn,
    ConversationNote,
    ActionItem,
    CheckOut,
    ObjectiveRating,
    ExtraPartNote,
)
_QS = TypeVar("_QS", bound=QuerySet[Any])

CONTENT_MODELS: tuple[type[ContentPart], ...] = (
    Preparation,
    CheckIn,
    ConversationNote,
    ActionItem,
    CheckOut,
    ObjectiveRating,
    ExtraPartNote,  # an extra part of the coach's session template (session_templates/)
)

# Labels of the access log: which item, never what it says.
PART_LABELS: dict[type[Model], str] = {
    Preparation: "preparation",
    CheckIn: "check-in",
    ConversationNote: "notes",
    ActionItem: "task",
    CheckOut: "check-out",
    ObjectiveRating: "rating",
    ExtraPartNote: "extra part",
}

_read_path: contextvars.ContextVar[str] = contextvars.ContextVar("ethics_read_path", default="")


def _path_from_request(
    sender: object, environ: Mapping[str, Any] | None = None, **kwargs: object
) -> None:
    """request_started receiver (ethics.apps): the page path for the access log."""
    _read_path.set((environ or {}).get("PATH_INFO", ""))
    _scope_defaults.set({})


def _path_clear(sender: object, **kwargs: object) -> None:
    _read_path.set("")
    _scope_defaults.set(None)


def _watched(reader: Any) -> bool:
    """After an operator set this account's password (until its owner sets one), whoever signs
    in may not be its owner: every read is logged, their own writing included (#12)."""
    return getattr(reader, "password_set_by_operator_at", None) is not None


def _log_rows(access: PracticeAccess, rows: Iterable[Model], *, kind: str | None = None) -> None:
    """One bulk INSERT of access events for the rows the reader did not write."""
    reader = access.user
    watched = _watched(reader)
    events: list[AccessEvent] = []
    path = _read_path.get()[:300]
    # By id, and each model's content type once (#11: the same row values, fewer calls).
    content_types: dict[type[Model], int] = {}
    logged = _logged_reads.window(read_window(time.time())) if kind is None else frozenset()
    for row in rows:
        if not watched and getattr(row, "author_id", None) == reader.pk:
            continue  # the author reading what they wrote
        if not watched and getattr(row, "gate_subject_id", None) == reader.pk:
            continue  # the client reading their own record: nothing anyone else did
        model = type(row)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        if (reader.pk, content_types[model], str(row.pk)) in logged:
            continue  # already a committed row of this window: the INSERT would skip it
        number = getattr(row, "gate_session_number", None)
        label = getattr(row, "gate_label", None) or (
            f"Session {number} {PART_LABELS.get(type(row), '')}".strip()
            if number is not None
            else type(row).__name__
        )
        events.append(
            AccessEvent(
                practice_id=access.practice.pk,
                reader_id=reader.pk,
                subject_id=getattr(row, "gate_subject_id", None),
                content_type_id=content_types[model],
                object_id=str(row.pk),
                label=label[:120],
                path=path,
                kind=kind or AccessEvent.Kind.READ,
            )
        )
    if not events:
        return
    pending = _pending.get()
    if pending is None:  # outside a request (tasks, commands): written at once
        _insert_events(events)
    else:  # in a request: written once, by AccessLogMiddleware, before the response leaves
        pending.extend(events)


# The events of the current request, when AccessLogMiddleware collects them (one INSERT per
# request); None outside a request, where each read is written at once.
_pending: contextvars.ContextVar[list[AccessEvent] | None] = contextvars.ContextVar(
    "ethics_pending_events", default=None
)


def collect_events() -> contextvars.Token[list[AccessEvent] | None]:
    """Start collecting the access events of a request (AccessLogMiddleware)."""
    return _pending.set([])


def write_events(token: contextvars.Token[list[AccessEvent] | None]) -> int:
    """Write the request's collected events in one INSERT and stop collecting."""
    events = _pending.get() or []
    _pending.reset(token)
    if events:
        _insert_events(events)
    return len(events)


def _fold(events: list[AccessEvent]) -> list[AccessEvent]:
    """Each read gets its window (AccessEvent.FOLD_SECONDS of the clock); a read of the same
    item by the same reader already in this batch and window is dropped here, one already in
    the table by the INSERT's ON CONFLICT DO NOTHING (the access_read_once_per_window key)."""
    seen: set[tuple[Any, ...]] = set()
    kept: list[AccessEvent] = []
    for event in events:
        if event.kind == AccessEvent.Kind.READ:
            event.fold_window = read_window(event.at.timestamp())
            key = (event.reader_id, event.content_type_id, event.object_id, event.fold_window)
            if key in seen:
                continue
            seen.add(key)
        kept.append(event)
    return kept


def _insert_events(events: list[AccessEvent]) -> None:
    """One INSERT statement with many parameter sets (executemany): one query per page part
    whatever the number of rows, also on SQLite, whose 999-variable limit would split a
    bulk_create into batches. Values go through each field's own preparation. Repeated reads
    within the fold window are skipped by the database (ON CONFLICT DO NOTHING), never
    updated: the table is append-only."""

    fields = [f for f in AccessEvent._meta.concrete_fields if not f.primary_key]
    for event in events:
        for f in fields:  # defaults (code, at) as Model.save() would fill them
            if getattr(event, f.attname) is None and f.has_default():
                setattr(event, f.attname, f.get_default())
    events = _fold(events)
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from input. ON CONFLICT DO NOTHING:
    # PostgreSQL and SQLite (3.24+) alike.
    sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING".format(  # noqa: S608
        quote(AccessEvent._meta.db_table),
        # A concrete field always has a column (django-stubs types Field.column str | None).
        ", ".join(quote(f.column) for f in fields),  # type: ignore[arg-type]
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] for e in events]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    reads = [e for e in events if e.kind == AccessEvent.Kind.READ]
    if reads:
        # Remembered once the rows are committed, not before: a read whose INSERT is rolled
        # back (the request failed) is written again by the next read (_LoggedReadsMemo).
        transaction.on_commit(lambda: _logged_reads.add(reads))


def read_window(timestamp: float) -> int:
    """The fold window of a read at `timestamp` (seconds since the epoch)."""
    return int(timestamp) // AccessEvent.FOLD_SECONDS


class _LoggedReadsMemo:
    """The reads this process has written and seen committed in the current fold window: a
    page read again within the window writes nothing (#11: the INSERT ... ON CONFLICT DO
    NOTHING of every reload, about a millisecond of the coach's session page, skipped its row
    anyway). Only a shortcut: the unique key still folds the reads other processes wrote.
    Nothing deletes access events, so a remembered row stays in the table. Held for one
    window (the previous one is dropped when the next begins) and at most MAX_KEYS keys."""

    MAX_KEYS = 50_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current = -1
        self._keys: set[tuple[int, int, str]] = set()

    def window(self, window: int) -> frozenset[tuple[int, int, str]] | set[tuple[int, int, str]]:
        """The (reader, content type, object) keys written in `window` (empty for another)."""
        return self._keys if window == self._current else frozenset()

    def add(self, events: list[AccessEvent]) -> None:
        with self._lock:
            for event in events:
                if event.fold_window != self._current:
                    if event.fold_window is None or event.fold_window < self._current:
                        continue
                    self._current, self._keys = event.fold_window, set()
                if len(self._keys) >= self.MAX_KEYS:
                    self._keys = set()
                self._keys.add((event.reader_id, event.content_type_id, event.object_id))

    def clear(self) -> None:
        with self._lock:
            self._current, self._keys = -1, set()


_logged_reads = _LoggedReadsMemo()


def forget_logged_reads() -> None:
    """Empty this process's memo of written reads (tests: each starts from its own database)."""
    _logged_reads.clear()


if TYPE_CHECKING:
    # What _LoggedReads is always mixed into (see _logged); at run time its base is object.
    _LoggedReadsBase: TypeAlias = QuerySet[Any, Any]
else:
    _LoggedReadsBase = object


class _LoggedReads(_LoggedReadsBase):
    """Mixed into a content queryset: evaluating it records who read which rows.

    Model instances only: values()/values_list() on a gate queryset are not logged, so use
    them for ids and counts, never to read content."""

    _gate_access: PracticeAccess | None = None

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]  # QuerySet._clone: not in the stubs
        clone._gate_access = self._gate_access
        return clone

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        """Streaming reads are logged too, one INSERT per 1000 rows."""
        rows = super().iterator(chunk_size=chunk_size)
        if self._gate_access is None or self._iterable_class is not ModelIterable:
            yield from rows
            return
        batch: list[Model] = []
        for row in rows:
            batch.append(row)
            yield row
            if len(batch) >= 1000:
                _log_rows(self._gate_access, batch)
                batch = []
        _log_rows(self._gate_access, batch)

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._gate_access is not None and self._iterable_class is ModelIterable:
            # _fetch_all() has just filled _result_cache: a list, no longer None.
            _log_rows(self._gate_access, self._result_cache)  # type: ignore[arg-type]


_logged_classes: dict[type[QuerySet[Any]], type[_LoggedReads]] = {}


def _logged(qs: _QS, access: PracticeAccess) -> _QS:
    cls = type(qs)
    if cls not in _logged_classes:
        _logged_classes[cls] = type(f"Logged{cls.__name__}", (_LoggedReads, cls), {})
    # The class swap and its attribute are what the stubs cannot express: qs becomes the
    # same queryset with _LoggedReads mixed in, still typed as what the caller passed.
    qs.__class__ = _logged_classes[cls]  # type: ignore[assignment]
    qs._gate_access = access  # type: ignore[attr-defined]
    return qs


def coached_program_for(
    access: PracticeAccess, code: UUID | str, *, with_content: bool = True
) -> Program:
    """A program the user coaches, with its content loaded, for the coach's own pages (editing
    the theme, scheduling from it); 404 otherwise. The coach's reads are not logged: they
    wrote it. with_content=False: its content neither loaded nor decrypted, for a page that
    does not show it (the coach's program page, #11)."""

    def rows(reader: PracticeAccess, _values: Mapping[str, Any]) -> QuerySet[Program]:
        qs = Program.objects.filter(
            practice_id=reader.practice.pk, coach_id=reader.user.pk
        ).select_related("client")
        return qs if with_content else qs.defer(*PROGRAM_CONTENT_FIELDS)

    # Built and compiled once per process (#11).
    return get_compiled(Program, ("coached_program", with_content), access, code, rows)


# Consent: the one rule of "the client lets this sponsor read what is shared with them" ------


def sponsor_consent_q(*, sponsor: User, practice: Practice, client_ref: str) -> Q:
    """A Q for rows whose client (the field path client_ref) has a sponsor-sharing consent in
    force for this sponsor. Every sponsor read carries it as a subquery, so a withdrawal works
    on the sponsor's next request."""
    return Q(
        Exists(
            Consent.objects.filter(
                practice_id=practice.pk,
                client=OuterRef(client_ref),
                sponsor_id=sponsor.pk,
                kind=Consent.Kind.SPONSOR_SHARING,
                withdrawn_at=None,
            )
        )
    )


def has_sponsor_consent(
    client: User | None, sponsor: User | None, program_or_practice: Program | Practice
) -> bool:
    """Whether the client's consent to share with this sponsor is in force (the rule above,
    for one client: the sponsor page's banner, a share reminder's recipients)."""
    if client is None or sponsor is None:
        return False
    practice_id = getattr(program_or_practice, "practice_id", None) or program_or_practice.pk
    # ConsentQuerySet.in_force (ethics.models, outside the strict gate) is untyped: Any.
    return (  # type: ignore[no-any-return]
        Consent.objects.in_force()  # type: ignore[no-untyped-call]
        .filter(
            practice_id=practice_id,
            client=client,
            sponsor=sponsor,
            kind=Consent.Kind.SPONSOR_SHARING,
        )
        .exists()
    )


def has_processing_consent(program: Program) -> bool:
    """Whether the program's client has consented to the processing of their data in its
    practice (asked at their first sign-in; the coach's session page warns until then)."""
    # ConsentQuerySet.in_force (ethics.models, outside the strict gate) is untyped: Any.
    return (  # type: ignore[no-any-return]
        Consent.objects.in_force()  # type: ignore[no-untyped-call]
        .filter(
            practice_id=program.practice_id,
            client_id=program.client_id,
            kind=Consent.Kind.DATA_PROCESSING,
        )
        .exists()
    )


def readers_of(part: ContentPart) -> list[User]:
    """Who besides its author reads a session part now, at its scope: the client for "client";
    the client and (while the client's sharing consent is in force) the sponsor for "sponsor"."""
    session = part.session
    program = session.program
    readers: list[User] = []
    if part.scope in (Scope.CLIENT, Scope.SPONSOR):
        readers.append(session.client)
    if (
        part.scope == Scope.SPONSOR
        and program.sponsor_id
        and has_sponsor_consent(program.client, program.sponsor, program)
    ):
        readers.append(program.sponsor)  # type: ignore[arg-type]  # sponsor_id is set
    return [r for r in readers if r.pk != part.author_id]


def _without_text(qs: QuerySet[ContentPart]) -> QuerySet[ContentPart]:
    """The part rows with their session and program, none of their encrypted text loaded:
    enough to decide who reads them, nothing to show."""
    model = qs.model
    text = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
    return qs.select_related("session__program", "session__client").defer(
        *text, *(f"session__program__{name}" for name in PROGRAM_CONTENT_FIELDS)
    )


def readers_before_save(part: ContentPart) -> list[User]:
    """Who could read the part as it is stored, before an edit is saved (nobody for a new
    one)."""
    if part.pk is None or type(part) not in CONTENT_MODELS:
        return []
    saved = _without_text(type(part).objects.filter(pk=part.pk)).first()
    return readers_of(saved) if saved is not None else []


def shared_part(object_type: str, code: UUID | str) -> ContentPart | None:
    """The session part a "shared with you" reminder is about (object_type is its model's
    label_lower), without its text; None if it is gone."""
    for model in CONTENT_MODELS:
        if model._meta.label_lower == object_type:
            return _without_text(model.objects.filter(code=code)).first()
    return None


def _scope_rule(access: PracticeAccess, role: str, own: str = "") -> Q:
    """Which parts a reader in this program role may read, by the part's own fields (`own`
    prefixes them when the part is reached from its session, e.g. "check_in__"). The
    sponsor's consent is not in it: _content_reach and sessions_with_parts add it."""
    user = access.user
    if role == Role.COACH:
        return Q(**{f"{own}author_id": user.pk}) | ~Q(**{f"{own}scope": Scope.PRIVATE})
    if role == Role.CLIENT:
        return Q(**{f"{own}author_id": user.pk}) | Q(
            **{f"{own}scope__in": [Scope.CLIENT, Scope.SPONSOR]}
        )
    if role == Role.SPONSOR:
        return Q(**{f"{own}scope": Scope.SPONSOR})
    raise ValueError(f"no content rule for {role}")


def _content_reach(access: PracticeAccess, prefix: str = "session__program__") -> Q:
    """Content rows the user may read, by program role, scope and (sponsors) consent."""
    user = access.user
    found = []
    if access.is_coach:
        found.append(Q(**{f"{prefix}coach_id": user.pk}) & _scope_rule(access, Role.COACH))
    if access.is_client:
        found.append(Q(**{f"{prefix}client_id": user.pk}) & _scope_rule(access, Role.CLIENT))
    if access.is_sponsor:
        found.append(
            Q(**{f"{prefix}sponsor_id": user.pk})
            & _scope_rule(access, Role.SPONSOR)
            & sponsor_consent_q(
                sponsor=user, practice=access.practice, client_ref=f"{prefix}client"
            )
        )
    # By the foreign keys' columns: the same SQL, fewer Python calls (#11).
    return Q(**{f"{prefix}practice_id": access.practice.pk}) & any_of(*found)


class ContentFilters(TypedDict, total=False):
    """The optional filters of content_visible_to and its per-model shorthands."""

    sessions: Iterable[Session] | None
    programs: Iterable[Program] | None


def content_visible_to(
    access: PracticeAccess,
    model: type[_Part],
    *,
    sessions: Iterable[Session] | None = None,
    programs: Iterable[Program] | None = None,
) -> QuerySet[_Part]:
    if model not in CONTENT_MODELS:
        raise ValueError(f"{model.__name__} is not session content")
    # One filter() and one annotate(): each call clones the query (#11). The same WHERE as
    # the reach filtered first and each narrowing after it.
    narrow: dict[str, Iterable[Session] | Iterable[Program]] = {}
    if sessions is not None:
        narrow["session__in"] = sessions
    if programs is not None:
        narrow["session__program__in"] = programs
    qs = model.objects.filter(_content_reach(access) & Q(**narrow)).annotate(
        gate_subject_id=F("session__program__client_id"),
        gate_session_number=F("session__number"),
    )
    return _logged(qs, access)


def coached_program_content(
    access: PracticeAccess,
    model: type[_Part],
    program: Program,
    *,
    where: Q | None = None,
    defer: Iterable[str] = (),
) -> QuerySet[_Part]:
    """content_visible_to(access, model, programs=[program]) for the program's own coach, the
    program read through the gate (get_session_for_writing, coached_program_for): the same
    rows, under the coach's rule, by the program's id, without joining the program (its
    client, the access log's subject, is known here), and `where` and `defer` in the same
    calls (#11, g-sess7: the program joined and the query cloned three times more). Logged as
    content_visible_to's reads are. 403 for anyone but the program's coach."""
    if model not in CONTENT_MODELS:
        raise ValueError(f"{model.__name__} is not session content")
    if not (
        access.is_coach
        and program.coach_id == access.user.pk
        and program.practice_id == access.practice.pk
    ):
        raise PermissionDenied
    rule = Q(session__program_id=program.pk) & _scope_rule(access, Role.COACH)
    qs = model.objects.filter(rule & where if where is not None else rule).annotate(
        gate_subject_id=Value(program.client_id),
        gate_session_number=F("session__number"),
    )
    if defer:
        qs = qs.defer(*defer)
    return _logged(qs, access)


def objectives_of_coached_program(
    access: PracticeAccess, program: Program, *, defer: Iterable[str] = ()
) -> QuerySet[Objective]:
    """objectives_visible_to(access, programs=[program]) in force (not retired), for the
    program's own coach (the program read through the gate), by the program's id, without
    joining it (#11, g-sess7). Logged as objectives_visible_to's reads are. 403 for anyone but
    the program's coach."""
    if not (
        access.is_coach
        and program.coach_id == access.user.pk
        and program.practice_id == access.practice.pk
    ):
        raise PermissionDenied
    qs = Objective.objects.filter(program_id=program.pk, is_retired=False).annotate(
        author_id=Value(program.coach_id), gate_subject_id=Value(program.client_id)
    )
    if defer:
        qs = qs.defer(*defer)
    return _logged(qs, access)


# The parts a session has at most one of, by their relation name on Session.
ONE_PER_SESSION: dict[str, type[ContentPart]] = {
    "preparation": Preparation,
    "check_in": CheckIn,
    "note": ConversationNote,
    "check_out": CheckOut,
}


@cache
def session_part_facts() -> dict[str, Exists]:
    """Whether a session has its notes, and a completed check-out: EXISTS subqueries over the
    parts' own tables (their session_id), for the coach's list of unfinished sessions. Facts,
    not content: no column of a part is selected. Built once per process: resolving them into
    a query copies them (#11: built per request before; and through Session, each EXISTS joined
    the session table again, which PostgreSQL took 1.2 ms to plan at the bench's scale 1
    against 0.6 ms without those joins)."""
    return {
        "has_note": Exists(ConversationNote.objects.filter(session_id=OuterRef("pk"))),
        "checked_out": Exists(
            CheckOut.objects.filter(session_id=OuterRef("pk"), completed_at__isnull=False)
        ),
    }


def sessions_with_parts(
    access: PracticeAccess,
    sessions: QuerySet[Session],
    *,
    role: str,
    parts: Iterable[str],
    parts_of: Q | None = None,
    defer: Iterable[str] = (),
    limit: int | None = None,
    clients: Iterable[int] | None = None,
    coached: Program | None = None,
) -> list[Session]:
    """The sessions of the programs where the user has `role` (client, sponsor or coach), with
    the one-per-session parts that role may read, in one query instead of one per part (#11).

    Each part is LEFT JOINed under the role's rule (_scope_rule; for a sponsor also the
    client's consent in force, as a subquery, so a withdrawal works on the next request), a
    FilteredRelation: a part the reader may not read is not selected, so not decrypted. It is
    set on its session as `visible_<part>` (None when there is none or it is not readable)
    and logged as content_visible_to logs it. A sponsor's sessions carry `gate_consent`, whether
    the client's consent was in force when read. Narrower than content_visible_to for a reader
    with two roles in one program (one role's rule only): it fails closed. `parts_of`, a
    condition on the session (held ones; the latest held), limits whose parts are read; all
    the sessions are listed, or the first `limit` of them in the queryset's order. `defer`
    ("note__text"): a part's fields the page does not show, neither selected nor decrypted
    (#11). `sessions` may be any Session queryset: the rule of the role's reach (its programs
    in this practice) is applied here, so a caller need not narrow it by sessions_for first
    (#11: the same rows, with the reach built and compiled once instead of twice). `clients`:
    for a sponsor, the clients whose sessions these are, when the caller knows them (one
    program's page): only their consent is read, not that of every client of the sponsor.
    `coached`: for role "coach", the one program the sessions belong to, the user's own (read
    through the gate): its sessions by its id, without joining it (#11, g-sess7); 403 if it is
    not the user's."""
    names = list(parts)
    unknown = set(names) - set(ONE_PER_SESSION)
    if unknown:
        raise ValueError(f"not a one-per-session part: {sorted(unknown)}")
    parts_listed = list(names)  # set on every session, None where not joined or not readable
    field = {"coach": "coach", "client": "client", "sponsor": "sponsor"}[role]
    user = access.user
    mine = Q(**{f"program__{field}_id": user.pk}, program__practice_id=access.practice.pk)
    # The annotations in one annotate() call, in the order they were added one call each
    # (each call cloned the query, #11).
    annotations: dict[str, Any] = {"gate_subject_id": F("program__client_id")}
    if coached is not None:
        if not (
            role == Role.COACH
            and access.is_coach
            and coached.coach_id == user.pk
            and coached.practice_id == access.practice.pk
        ):
            raise PermissionDenied
        mine = Q(program_id=coached.pk)
        annotations["gate_subject_id"] = Value(coached.client_id)
    # Conditions on the session itself (F without the part's prefix: the outer row), by
    # annotations, since a FilteredRelation takes no subquery.
    outer = Q()
    consenting: set[int] = set()
    if role == Role.SPONSOR:
        # The clients whose sharing consent with this sponsor is in force, read first and on
        # every call (a withdrawal works on the next request): each part's join names them,
        # where it carried the consent's EXISTS subquery, compiled once per part (#11: a
        # quarter of the sponsor's program page went to compiling SQL). No client consents:
        # no part is joined at all.
        consents = Consent.objects.filter(
            practice_id=access.practice.pk,
            sponsor_id=user.pk,
            kind=Consent.Kind.SPONSOR_SHARING,
            withdrawn_at=None,
        )
        if clients is not None:
            consents = consents.filter(client_id__in=list(clients))
        consenting = set(consents.values_list("client_id", flat=True))
        if consenting:
            outer &= Q(In(F("gate_subject_id"), sorted(consenting)))
        else:
            names = []
    # Which sessions' parts are read: an alias, compiled only in the joins' conditions (#11:
    # selected too, its subquery was compiled twice and its value never read).
    aliases: dict[str, Any] = {}
    if parts_of is not None:
        aliases["gate_parts_of"] = ExpressionWrapper(parts_of, output_field=BooleanField())
        outer &= Q(Exact(F("gate_parts_of"), True))
    for name in names:
        rule = _scope_rule(access, role, own=f"{name}__") & outer
        annotations[f"visible_{name}"] = FilteredRelation(name, condition=rule)
    qs = sessions.filter(mine)
    if aliases:
        qs = qs.alias(**aliases)
    qs = qs.annotate(**annotations)
    # (select_related() with no names would follow every relation.)
    if names:
        qs = qs.select_related(*(f"visible_{name}" for name in names))
    if defer and names:
        qs = qs.defer(*(f"visible_{name}" for name in defer))
    rows: list[Session] = list(qs if limit is None else qs[:limit])
    read: list[Model] = []
    for session in rows:
        if role == Role.SPONSOR:
            session.gate_consent = session.gate_subject_id in consenting  # type: ignore[attr-defined]
        for name in parts_listed:
            # No row joined: Django leaves the attribute unset; the callers read None.
            part = getattr(session, f"visible_{name}", None)
            setattr(session, f"visible_{name}", part)
            if part is None:
                continue
            # The access log's attributes, as content_visible_to annotates them.
            part.gate_subject_id = session.gate_subject_id  # type: ignore[attr-defined]
            part.gate_session_number = session.number
            read.append(part)
    _log_rows(access, read)
    return rows


def preparations_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[Preparation]:
    return content_visible_to(access, Preparation, **kwargs)


def check_ins_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[CheckIn]:
    return content_visible_to(access, CheckIn, **kwargs)


def notes_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[ConversationNote]:
    return content_visible_to(access, ConversationNote, **kwargs)


def action_items_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[ActionItem]:
    return content_visible_to(access, ActionItem, **kwargs)


def check_outs_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[CheckOut]:
    return content_visible_to(access, CheckOut, **kwargs)


def ratings_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[ObjectiveRating]:
    return content_visible_to(access, ObjectiveRating, **kwargs)


def extra_notes_visible_to(
    access: PracticeAccess, **kwargs: Unpack[ContentFilters]
) -> QuerySet[ExtraPartNote]:
    return content_visible_to(access, ExtraPartNote, **kwargs)


def extra_note_for_writing(
    access: PracticeAccess, session: Session, *, position: int, title: str
) -> ExtraPartNote:
    """The coach's note in one extra part of the session (new, owned, if none yet)."""
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    instance = ExtraPartNote.objects.filter(session=session, position=position).first()
    if instance is not None and instance.author_id != access.user.pk:
        # Another coach's note (the program changed coach): private ones stay theirs.
        if instance.scope == Scope.PRIVATE:
            raise PermissionDenied
        instance.gate_subject_id = session.program.client_id  # type: ignore[attr-defined]
        instance.gate_label = f"Session {session.number} extra part"  # type: ignore[attr-defined]
        _log_rows(access, [instance])
    if instance is None:
        instance = ExtraPartNote(session=session, author=access.user, position=position)
        instance.scope = default_scope(access.practice, ExtraPartNote)
    instance.title = title[:100]
    return instance


def objectives_visible_to(
    access: PracticeAccess, *, programs: Iterable[Program]
) -> QuerySet[Objective]:
    """Objectives are program content: the program's coach and client read them."""
    user = access.user
    found = []
    if access.is_coach:
        found.append(Q(program__coach_id=user.pk))
    if access.is_client:
        found.append(Q(program__client_id=user.pk))
    qs = Objective.objects.filter(
        any_of(*found), program__practice_id=access.practice.pk, program__in=programs
    ).annotate(author_id=F("program__coach_id"), gate_subject_id=F("program__client_id"))
    return _logged(qs, access)


# The columns of an ObjectiveRating that objectives_rated_at reads with its objective: what the
# session page and the access log read of it (#11: code and timestamps, three more joined
# columns to build and compile per request, were never read).
_RATING_COLUMNS = ("id", "author_id", "scope", "score")
# What objectives_rated_at does not read of an objective: its measure, code, position (the
# order), whether retired (the filter) and creation time.
_UNRATED_OBJECTIVE_COLUMNS = ("measure", "code", "position", "is_retired", "created_at")


def objectives_rated_at(
    access: PracticeAccess, session: Session
) -> tuple[list[Objective], list[ObjectiveRating]]:
    """The session's coach's view of its program's objectives in force (objectives_visible_to,
    without the measure) and of their ratings at this session (ratings_visible_to under the
    coach's rule), in one query (#11: two): each rating is LEFT JOINed to its objective under
    the rule, so an unreadable one is not selected. The ratings are logged as read."""
    program = session.program
    if not (access.is_coach and program.coach_id == access.user.pk):
        raise PermissionDenied
    rule = _scope_rule(access, Role.COACH, own="ratings__") & Q(ratings__session=session)
    # objectives_visible_to's rows for the program's coach: the program is theirs (checked
    # above, on the program the gate read), so its objectives by its id, without joining the
    # program again; one filter() and one annotate() (#11, g-sess7: six clones of the query,
    # and the program joined for two columns known here).
    objectives: list[Objective] = list(
        Objective.objects.filter(program_id=program.pk, is_retired=False)
        # The form reads each objective's id and text, the save its program (#11, g-sess7).
        .defer(*_UNRATED_OBJECTIVE_COLUMNS)
        .annotate(
            session_rating=FilteredRelation("ratings", condition=rule),
            **{f"gate_rating_{name}": F(f"session_rating__{name}") for name in _RATING_COLUMNS},
        )
    )
    for objective in objectives:
        # What objectives_visible_to annotates, for the access log.
        objective.author_id = program.coach_id  # type: ignore[attr-defined]
        objective.gate_subject_id = program.client_id  # type: ignore[attr-defined]
    _log_rows(access, objectives)  # as objectives_visible_to's reads are logged
    ratings = []
    for objective in objectives:
        if objective.gate_rating_id is None:  # type: ignore[attr-defined]
            continue  # no rating at this session, or not one the coach may read
        rating = ObjectiveRating(
            **{name: getattr(objective, f"gate_rating_{name}") for name in _RATING_COLUMNS},
            session=session,
            objective=objective,
        )
        # The access log's attributes, as content_visible_to annotates them.
        rating.gate_subject_id = program.client_id  # type: ignore[attr-defined]
        rating.gate_session_number = session.number  # type: ignore[attr-defined]
        ratings.append(rating)
    _log_rows(access, ratings)
    return objectives, ratings


# The one-per-session parts the coach writes on the session page, by their accessor on Session.
_WRITING_PARTS: dict[type[Model], str] = {
    CheckIn: "check_in",
    ConversationNote: "note",
    CheckOut: "check_out",
}
# part_for_writing reads these from the session when they were read with it: the session
# page's parts, and the preparation (session_for_preparation selects it, #11).
_PARTS_ON_SESSION: dict[type[Model], str] = {**_WRITING_PARTS, Preparation: "preparation"}


def get_session_for_writing(
    access: PracticeAccess,
    code: UUID | str,
    *,
    annotations: dict[str, Any] | None = None,
    defer: tuple[str, ...] = (),
    previous_check_out: tuple[str, ...] | None = None,
) -> Session:
    """The session the coach writes (get_session_for, write=True) read with its check-in,
    conversation note and check-out and whether its client consented to the processing of
    their data, in one query: part_for_writing and processing_consent_of then read them from
    it (#11: four queries fewer on the session page). The same rules apply to the parts. Its
    preparation too, for preparation_shown_with (#11: one query fewer).
    The parts come as one JSON object each, a subquery by their session_id (_parts_as_json),
    not as LEFT JOINs: PostgreSQL took about 2 ms more to plan the session and program with
    the four parts joined than to run the whole query at the bench's scale 1 (2.9 ms against
    1.4 ms for the query as it is now, #11).
    The program's client only by name, `gate_client_name` (client_name_of), a subquery: joined,
    PostgreSQL took 1.8 ms to plan the query at the bench's scale 1, 1.2 ms without it (#11).
    defer: the session's, program's or parts' columns the caller does not read (#11).
    previous_check_out: the texts of the check-out to read of the program's previous held
    session, read in the same query with that session's number and date
    (previous_held_read_with; #11: a query of its own, 1.5 to 2 ms of the session page's
    Python), under the coach's rule as sessions_with_parts reads it."""
    # The parts' deferred columns, by part ("check_in__code": "code" of the check-in).
    unread: dict[str, list[str]] = {accessor: [] for accessor in _PARTS_ON_SESSION.values()}
    for name in defer:
        accessor, _, column = name.partition("__")
        if accessor in unread:
            unread[accessor].append(column)
    parts = {
        model: _parts_as_json(model, tuple(unread[accessor]))
        for model, accessor in _PARTS_ON_SESSION.items()
    }

    def rows(reader: PracticeAccess, _values: Mapping[str, Any]) -> QuerySet[Session]:
        consent = Consent.objects.in_force().filter(  # type: ignore[no-untyped-call]
            practice_id=OuterRef("program__practice_id"),
            client_id=OuterRef("program__client_id"),
            kind=Consent.Kind.DATA_PROCESSING,
        )
        client_name = User.objects.filter(pk=OuterRef("program__client_id")).values("full_name")
        return session_rows_for(
            reader,
            annotations={
                "gate_processing_consent": Exists(consent),
                "gate_client_name": Subquery(client_name[:1]),
                **{f"gate_part_{_PARTS_ON_SESSION[m]}": read for m, (_f, read) in parts.items()},
                **(
                    {"gate_previous": _previous_held_as_json(reader, previous_check_out)}
                    if previous_check_out is not None
                    else {}
                ),
                # The practice's default scopes, for the parts the page creates (default_scope;
                # #11: a query of their own on the session page).
                "gate_scope_defaults": _SCOPE_DEFAULTS,
                **(annotations or {}),
            },
            with_people=False,
            with_client=False,
            defer=tuple(name for name in defer if name.partition("__")[0] not in unread),
        )

    # Built and compiled once per process and shape (#11: about 4 ms of the session page's
    # Python): the caller's annotations by name, one expression per name.
    shape = ("session_for_writing", tuple(annotations or ()), defer, previous_check_out)
    session = get_compiled(Session, shape, access, code, rows)
    check_coach_writes(access, session)
    for model, (fields, _read) in parts.items():
        accessor = _PARTS_ON_SESSION[model]
        found = session.__dict__.pop(f"gate_part_{accessor}")
        part = None if found is None else _row_from_json(model, fields, found)
        # As select_related leaves them: the session knows its part (None: not written yet),
        # the part its session.
        getattr(Session, accessor).related.set_cached_value(session, part)
        if part is not None:
            model._meta.get_field("session").set_cached_value(part, session)  # type: ignore[union-attr]
    _scope_defaults_read(session.practice_id, session.__dict__.pop("gate_scope_defaults"))
    if previous_check_out is not None:
        session.gate_previous_held = _previous_held_from_json(  # type: ignore[attr-defined]
            access, session, previous_check_out, session.__dict__.pop("gate_previous")
        )
    return session


# What previous_held_read_with gives of the previous held session: what "last time" shows (its
# number and date) and what its tasks are read by (its id).
_PREVIOUS_SESSION_FIELDS = ("id", "code", "program", "number", "starts_at", "status")
# Of its check-out, besides the texts asked for: what the coach's rule and the log read.
_PREVIOUS_CHECK_OUT_FIELDS = ("id", "author", "scope", "session")


@cache
def _fields_of(model: type[Model], names: tuple[str, ...]) -> list[Any]:
    """The model's concrete fields of these names, in the model's order (one list per names,
    for the process: _row_from_json knows its readers by the list)."""
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted]


def _previous_held_as_json(access: PracticeAccess, texts: tuple[str, ...]) -> Subquery:
    """The program's previous held session (by number) as a JSON row, with its check-out as a
    nested one when the coach may read it (_scope_rule: theirs, or another author's not
    private), of the check-out only `texts` and what the rule and the log read."""
    check_out = Subquery(
        CheckOut.objects.filter(_scope_rule(access, Role.COACH), session_id=OuterRef("id")).values(
            gate_row=_JSONRow(_fields_of(CheckOut, (*_PREVIOUS_CHECK_OUT_FIELDS, *texts)))
        )[:1],
        output_field=TextField(),
    )
    previous = (
        Session.objects.filter(
            program_id=OuterRef("program_id"),
            number__lt=OuterRef("number"),
            status=Session.Status.HELD,
        )
        .order_by("-number")
        .values(
            gate_row=_JSONRow(
                _fields_of(Session, _PREVIOUS_SESSION_FIELDS), {"check_out": check_out}
            )
        )[:1]
    )
    return Subquery(previous, output_field=TextField())


def _previous_held_from_json(
    access: PracticeAccess, session: Session, texts: tuple[str, ...], found: Any
) -> tuple[Session | None, CheckOut | None]:
    if found is None:
        return None, None
    if isinstance(found, str):
        found = json.loads(found)
    previous = _row_from_json(Session, _fields_of(Session, _PREVIOUS_SESSION_FIELDS), found)
    assert isinstance(previous, Session)
    nested = found["check_out"]
    if nested is None:
        return previous, None
    check_out = _row_from_json(
        CheckOut, _fields_of(CheckOut, (*_PREVIOUS_CHECK_OUT_FIELDS, *texts)), nested
    )
    assert isinstance(check_out, CheckOut)
    # The access log's attributes, as sessions_with_parts sets them.
    check_out.gate_subject_id = session.program.client_id  # type: ignore[attr-defined]
    check_out.gate_session_number = previous.number  # type: ignore[attr-defined]
    _log_rows(access, [check_out])
    return previous, check_out


def previous_held_read_with(session: Session) -> tuple[Session | None, CheckOut | None] | None:
    """(the program's previous held session, its check-out the coach may read) as
    get_session_for_writing(previous_check_out=...) read them with the session (either may be
    None); None if they were not read with it."""
    return getattr(session, "gate_previous_held", None)


@cache
def _parts_as_json(model: type[Model], deferred: tuple[str, ...]) -> tuple[list[Any], Subquery]:
    """The columns read of a one-per-session part (all but `deferred`) and a subquery giving
    the session's part as one JSON object of them (None if it has none). Built once per
    process and columns: resolving it into a query copies it."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in deferred and f.attname not in deferred
    ]
    row = _JSONRow(fields)
    return fields, Subquery(
        model._default_manager.filter(session_id=OuterRef("pk")).values(gate_row=row)[:1],
        output_field=TextField(),
    )


class _JSONRow(Func):
    """One JSON object of a row's columns, keyed by their attnames: JSONB_BUILD_OBJECT on
    PostgreSQL (its jsonb reaches Python as text, as Django's JSONField reads it), JSON_OBJECT
    on SQLite. Not django.db.models.functions.JSONObject: on PostgreSQL it wraps every key in a
    Cast with a new TextField each time it is compiled (#11: 1.3 ms of the session page for the
    four parts' 40 keys). The columns are written as the query's table alias and their names,
    not as F() expressions resolved, copied and relabelled with every query (#11: 2,500 Python
    calls a session page). Keys and columns are the model's names, never input."""

    output_field = TextField()

    def __init__(self, fields: list[Any], more: dict[str, Any] | None = None) -> None:
        """fields: the row's model fields; more: other values by key (a nested JSON row)."""
        more = more or {}
        self.columns = [(f.attname, f.column) for f in fields]
        self.more_keys = list(more)
        names = [name for pair in self.columns for name in pair] + self.more_keys
        if not all(_ATTNAME.fullmatch(name) for name in names):
            raise ValueError(f"not a column name: {names}")
        super().__init__(*more.values())

    def as_sql(  # type: ignore[override]  # Func.as_sql's extra keywords are not used here
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        # The row's table: the query's base table (the one alias not joined), as relabelled
        # when the query became a subquery.
        alias = next(a for a, table in compiler.query.alias_map.items() if table.join_type is None)
        quote = compiler.quote_name_unless_alias
        cast = "::text" if connection.vendor == "postgresql" else ""
        pieces = [f"'{key}'{cast}, {quote(alias)}.{quote(column)}" for key, column in self.columns]
        params: list[Any] = []
        for key, expression in zip(self.more_keys, self.get_source_expressions(), strict=True):
            sql, more_params = compiler.compile(expression)
            pieces.append(f"'{key}'{cast}, {sql}")
            params.extend(more_params)
        function = "JSONB_BUILD_OBJECT" if connection.vendor == "postgresql" else "JSON_OBJECT"
        return f"{function}({', '.join(pieces)})", params


_ATTNAME = re.compile(r"[a-z_][a-z0-9_]*")


def _row_from_json(model: type[Model], fields: list[Any], found: Any) -> Model:
    """The row (a part, a session) as the ORM would have read it from its columns: each JSON
    value through the database backend's converters, then the field's own (decryption for
    content; dates, times and UUIDs from their text). tests/ethics/test_session_parts_json.py
    compares every column with the row read by its own query."""
    if isinstance(found, str):
        found = json.loads(found)
    key = (id(connection.ops), id(fields))
    readers = _READERS.get(key)
    if readers is None:
        readers = _READERS[key] = _json_readers(connection.ops, model, fields)
    values = []
    for attname, converters, column, finish in readers:
        value = found[attname]
        for convert in converters:
            value = convert(value, column, connection)
        values.append(value if value is None else finish(value))
    return model.from_db(connection.alias, [reader[0] for reader in readers], values)


# _json_readers by (connection's operations, fields) ids: both live as long as the process
# (the field lists come from cached functions: _parts_as_json, _fields_of).
_READERS: dict[tuple[int, int], list[tuple[str, list[Any], Any, Any]]] = {}


def _json_readers(
    operations: Any, model: type[Model], fields: Any
) -> list[tuple[str, list[Any], Any, Any]]:
    """For each field: its attname, the backend's converters of its column, the column, and
    the field's own conversion (from_db_value, else to_python). Looked up once per process,
    connection and fields (#11: per value, they were more Python calls than the join saved)."""
    readers = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        if hasattr(field, "from_db_value"):

            def finish(value: Any, field: Any = field, column: Any = column) -> Any:
                return field.from_db_value(value, column, operations.connection)

        else:
            finish = field.to_python
        readers.append((field.attname, operations.get_db_converters(column), column, finish))
    return readers


def client_name_of(session: Session) -> str:
    """The full name of the session's program's client: read with the session by
    get_session_for_writing (no query), else from the program's client."""
    name = getattr(session, "gate_client_name", None)
    if name is not None:
        return str(name)
    return session.program.client.full_name


def preparation_shown_with(access: PracticeAccess, session: Session) -> Preparation | None:
    """The session's preparation as preparations_visible_to gives it to the program's coach
    (theirs, or another author's not private; None otherwise), read from the session when
    get_session_for_writing read it with it (no query), else by preparations_visible_to. Logged
    as content_visible_to logs it (a read of another author's)."""
    if not Session.preparation.is_cached(session):
        return preparations_visible_to(access, sessions=[session]).first()
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    instance: Preparation | None = getattr(session, "preparation", None)
    if instance is None:
        return None
    if instance.author_id != access.user.pk and instance.scope == Scope.PRIVATE:
        return None  # _scope_rule(COACH): their own, or another author's not private
    # The access log's attributes, as content_visible_to annotates them.
    instance.gate_subject_id = session.program.client_id  # type: ignore[attr-defined]
    instance.gate_session_number = session.number  # type: ignore[attr-defined]
    _log_rows(access, [instance])
    return instance


def processing_consent_of(session: Session) -> bool:
    """has_processing_consent for the session's program; no query for a session read by
    get_session_for_writing."""
    known = getattr(session, "gate_processing_consent", None)
    if known is not None:
        return bool(known)
    return has_processing_consent(session.program)


def part_for_writing(access: PracticeAccess, session: Session, model: type[_Part]) -> _Part:
    """The session's one-per-session part for the coach to edit (new, owned, if none yet)."""
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    accessor = _PARTS_ON_SESSION.get(model)
    instance: _Part | None
    if accessor is not None and getattr(Session, accessor).is_cached(session):
        # Read with the session (get_session_for_writing); None: not written yet.
        instance = getattr(session, accessor, None)
    else:
        instance = model.objects.filter(session=session).first()
    if (
        instance is not None
        and instance.author_id != access.user.pk
        and (instance.scope == Scope.PRIVATE)
    ):
        # Another coach's private part (the program changed coach): neither shown nor edited.
        raise PermissionDenied
    if instance is None:
        instance = model(session=session, author=access.user)
        instance.scope = default_scope(access.practice, model)
    elif instance.author_id != access.user.pk or _watched(access.user):
        # The access log's attributes (as annotate() sets them on read rows), not model fields.
        instance.gate_subject_id = session.program.client_id  # type: ignore[attr-defined]
        instance.gate_label = f"Session {session.number} {PART_LABELS[model]}"  # type: ignore[attr-defined]
        _log_rows(access, [instance])
    return instance


# In a request: {practice id: {part: scope}} of the practice's default scopes, read once for
# every part (#11: the session page asked once per part without a row, up to five times).
# None outside a request; emptied when a request starts or ends and when defaults are saved.
_scope_defaults: contextvars.ContextVar[dict[int, dict[str, str]] | None] = contextvars.ContextVar(
    "ethics_scope_defaults", default=None
)


def default_scope(practice: Practice, model: type[ContentPart]) -> str:
    """The practice's default scope for a new part of this kind (ethics.PracticeScopeDefault)."""
    cache = _scope_defaults.get()
    if cache is None:
        # PracticeScopeDefault.scope_for (ethics.models, outside the strict gate) is untyped.
        return PracticeScopeDefault.scope_for(practice, model)  # type: ignore[no-untyped-call,no-any-return]
    rows = cache.get(practice.pk)
    if rows is None:
        rows = dict(
            PracticeScopeDefault.objects.filter(practice=practice).values_list("part", "scope")
        )
        cache[practice.pk] = rows
    part = model._meta.model_name
    scope = rows.get(part)  # type: ignore[arg-type]
    # As PracticeScopeDefault.scope_for: a row set wider than allowed does not widen.
    if scope is not None and scope in PracticeScopeDefault.allowed(part):  # type: ignore[no-untyped-call]
        return scope
    return model._meta.get_field("scope").default  # type: ignore[no-any-return]


class _JSONPairs(Func):
    """An object of key-value pairs aggregated over rows (JSONB_OBJECT_AGG on PostgreSQL,
    JSON_GROUP_OBJECT on SQLite), as text; NULL over no rows."""

    output_field = TextField()

    def as_sql(  # type: ignore[override]  # Func.as_sql's extra keywords are not used here
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        function = "JSONB_OBJECT_AGG" if connection.vendor == "postgresql" else "JSON_GROUP_OBJECT"
        sql, params = super().as_sql(compiler, connection, function=function, **extra_context)
        return sql, list(params)


# {part: scope} of the outer row's practice's default scopes, one JSON object (a subquery).
_SCOPE_DEFAULTS = Subquery(
    PracticeScopeDefault.objects.filter(practice_id=OuterRef("practice_id")).values(
        gate_pairs=_JSONPairs(F("part"), F("scope"))
    )[:1],
    output_field=TextField(),
)


def _scope_defaults_read(practice_id: int, found: Any) -> None:
    """Keep the practice's default scopes read with a row for the rest of the request, as
    default_scope keeps those it reads (nothing outside a request)."""
    cache = _scope_defaults.get()
    if cache is None or practice_id in cache:
        return
    if isinstance(found, str):
        found = json.loads(found)
    cache[practice_id] = dict(found or {})


def scope_defaults_changed() -> None:
    """The practice's default scopes were saved: the request reads them again."""
    if _scope_defaults.get() is not None:
        _scope_defaults.set({})


def new_action_item_for(access: PracticeAccess, session: Session) -> ActionItem:
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    return ActionItem(
        session=session, author=access.user, scope=default_scope(access.practice, ActionItem)
    )


def get_action_item_for(
    access: PracticeAccess, code: UUID | str, *, write: bool = False
) -> ActionItem:
    """A task the user can read; write=True: only its assignee (client or coach), else 403."""
    try:
        item = action_items_visible_to(access).select_related("session__program").get(code=code)
    except ActionItem.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        program = item.session.program
        assignee = (
            program.client_id if item.assignee == ActionItem.Assignee.CLIENT else (program.coach_id)
        )
        if assignee != access.user.pk:
            raise PermissionDenied
    return item


def client_access(user: User, practice: Practice) -> PracticeAccess:
    """The client's own reach, for work done on their behalf (their data export)."""
    return PracticeAccess(user=user, practice=practice, roles=frozenset({Role.CLIENT}))


def program_content_for_erasure(
    *, user: User, practice: Practice
) -> list[tuple[QuerySet[Model], dict[str, str] | None]]:
    """The client's program content in the practice, as (queryset, {field: blank value}) pairs:
    what erasure blanks (the rows stay: dates, states and counts are the contract's record).

    Only the erasure step may use this: it overwrites, it never shows."""

    programs = Program.objects.filter(practice=practice, client=user)
    return [
        (programs, dict.fromkeys(PROGRAM_CONTENT_FIELDS, "")),
        (Objective.objects.filter(program__in=programs), {"text": "", "measure": ""}),
        (ObjectiveReview.objects.filter(objective__program__in=programs), {"note": ""}),
        (ProgramRevision.objects.filter(program__in=programs), None),  # None: delete
        (
            ChemistryMeeting.objects.filter(contract__client=user, contract__practice=practice),
            {"client_note": "", "coach_note": ""},
        ),
        (Proposal.objects.filter(practice=practice, client=user), {"need": ""}),
    ]


def content_for_erasure(*, user: User, practice: Practice) -> list[QuerySet[ContentPart]]:
    """Every session part of the client's programs in the practice, whatever its scope.

    Only the erasure step may use this: it deletes, it never shows."""
    sessions = Session.objects.filter(program__practice=practice, program__client=user)
    return [model.objects.filter(session__in=sessions) for model in CONTENT_MODELS]


# Program-level content held by ethics: the progress report for the sponsor.


def progress_reports_visible_to(
    access: PracticeAccess, *, programs: Iterable[Program] | None = None
) -> QuerySet[ProgressReport]:
    """The program's coach: every report; the client: reports sent to them for approval and
    approved ones; the sponsor: approved reports, only while the client's consent is in force."""
    user = access.user
    Status = ProgressReport.Status
    found = []
    if access.is_coach:
        found.append(Q(program__coach=user))
    if access.is_client:
        found.append(Q(program__client=user, status__in=[Status.SUBMITTED, Status.APPROVED]))
    if access.is_sponsor:
        found.append(
            Q(program__sponsor=user, status=Status.APPROVED)
            & sponsor_consent_q(
                sponsor=user, practice=access.practice, client_ref="program__client"
            )
        )
    qs = ProgressReport.objects.filter(any_of(*found), program__practice=access.practice).annotate(
        gate_subject_id=F("program__client_id")
    )
    if programs is not None:
        qs = qs.filter(program__in=programs)
    return _logged(qs, access)


def get_progress_report_for(access: PracticeAccess, code: UUID | str) -> ProgressReport:
    try:
        return progress_reports_visible_to(access).select_related("program").get(code=code)
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc


def sponsored_program_for(access: PracticeAccess, code: UUID | str) -> Program:
    """A program the signed-in sponsor sponsors (content deferred); 404 otherwise."""
    return get_program_for(access, code, role=Role.SPONSOR)


def sponsor_shared_flags(access: PracticeAccess, program: Program) -> dict[str, Any]:
    """For the sponsor's page of `program`: annotations of a session saying whether it has
    tasks (`shares_tasks`) or ratings (`shares_ratings`) in the sponsor's scope. Existence
    only (nothing selected, decrypted or logged): the page then reads those rows, through
    content_visible_to (consent checked), only for the sessions that have some (#11: two
    queries on every sponsor's page, for nothing on most). Empty when the reader is also the
    program's coach or client: other rules than the sponsor's would apply, so all is read."""
    if program.coach_id == access.user.pk or program.client_id == access.user.pk:
        return {}
    return {
        "shares_tasks": Exists(
            ActionItem.objects.filter(session=OuterRef("pk"), scope=Scope.SPONSOR)
        ),
        "shares_ratings": Exists(
            ObjectiveRating.objects.filter(session=OuterRef("pk"), scope=Scope.SPONSOR)
        ),
    }


def _reads_program_content(access: PracticeAccess, program: Program) -> bool:
    """The program's coach or its client, in their role, in this practice; nobody else."""
    user = access.user
    return program.practice_id == access.practice.pk and (
        (access.is_coach and program.coach_id == user.pk)
        or (access.is_client and program.client_id == user.pk)
    )


def _program_text(program: Program, fields: Iterable[str]) -> dict[str, Any]:
    """The program's content fields, loaded here (the programs app defers them); read from
    the instance when its loader did not defer them (one query fewer, #11)."""
    fields = list(fields)
    if not set(fields) & program.get_deferred_fields():
        return {name: getattr(program, name) for name in fields}
    # values() of field names known only at run time: the stubs type the row as Any.
    return Program.objects.filter(pk=program.pk).values(*fields).get()  # type: ignore[no-any-return]


def programs_content_for(
    access: PracticeAccess,
    programs: Iterable[Program],
    *,
    reviews: bool = False,
    status_reason: bool = False,
) -> dict[int, dict[str, Any]]:
    """program_content_for (without revisions) of several programs, by program id, with the
    objectives of them all in one query (#11: the client's export read them per program).
    Programs the user may not read are left out."""
    readable = [p for p in programs if _reads_program_content(access, p)]
    if not readable:
        return {}
    logged = [p for p in readable if access.user.pk != p.coach_id]
    for program in logged:
        # The access log's attributes (as annotate() sets them on read rows), not model fields.
        program.gate_subject_id = program.client_id  # type: ignore[attr-defined]
        program.gate_label = "Program theme and objectives"  # type: ignore[attr-defined]
    _log_rows(access, logged)
    objectives = objectives_visible_to(access, programs=readable).filter(is_retired=False)
    if reviews:
        objectives = objectives.select_related("review")
    by_program: dict[int, list[Objective]] = {p.pk: [] for p in readable}
    for objective in objectives:
        by_program[objective.program_id].append(objective)
    result = {}
    for program in readable:
        if status_reason:
            # Why the program changed state, which the program page shows its coach and its
            # client, comes in the same query and is set on the instance (#11: a deferred
            # load of its own).
            content = _program_text(program, [*PROGRAM_TEXT_FIELDS, "status_reason"])
            program.status_reason = content.pop("status_reason")
        else:
            content = _program_text(program, PROGRAM_TEXT_FIELDS)
        content["objectives"] = by_program[program.pk]
        result[program.pk] = content
    return result


def program_content_for(
    access: PracticeAccess, program: Program, *, revisions: bool = False, reviews: bool = False
) -> dict[str, Any] | None:
    """The program's own content for its coach and its client; None for anybody else (admins,
    sponsors, other coaches): theme, aims, CSoB, FSoB and the objectives in force; with
    revisions=True also the earlier versions (theme, aims, objectives, why they changed);
    with reviews=True each objective carries its graduation review (objective.review).

    The client's reads are logged (the program, each objective and revision); the coach's
    are not (the coach writes them)."""
    content = programs_content_for(access, [program], reviews=reviews, status_reason=True).get(
        program.pk
    )
    if content is None:
        return None
    if revisions:
        qs = (
            ProgramRevision.objects.filter(program=program)
            .select_related("actor")
            .annotate(
                author_id=F("actor_id"),
                gate_subject_id=F("program__client_id"),
                gate_label=Value("Earlier theme and objectives"),
            )
        )
        content["revisions"] = list(_logged(qs, access)[:20])
    return content


def completion_summary_for(access: PracticeAccess, program: Program) -> str | None:
    """The graduated program's completion summary for its coach and its client; None for
    anybody else (the certificate itself is logistics and open to the practice's admins)."""
    if not _reads_program_content(access, program):
        return None
    summary: str = _program_text(program, ["completion_summary"])["completion_summary"]
    if access.user.pk != program.coach_id:
        # The access log's attributes (as annotate() sets them on read rows), not model fields.
        program.gate_subject_id = program.client_id  # type: ignore[attr-defined]
        program.gate_label = "Program completion summary"  # type: ignore[attr-defined]
        _log_rows(access, [program])
    return summary


# Messages between a program's client and its coach (messaging/) ------------------------------
# The program's coach and its client only, each in their role: never an admin, a scheduler, a
# sponsor or another coach of the practice (they get 404 on the thread). Every read by someone
# other than the author is logged, with the client as the subject.


def _thread_reach(access: PracticeAccess, prefix: str = "") -> Q:
    user = access.user
    found = []
    if access.is_coach:
        found.append(Q(**{f"{prefix}coach_id": user.pk}))
    if access.is_client:
        found.append(Q(**{f"{prefix}client_id": user.pk}))
    return Q(**{f"{prefix}practice_id": access.practice.pk}) & any_of(*found)


def thread_programs_for(access: PracticeAccess) -> QuerySet[Program]:
    """The programs whose thread the user reads (as its coach or its client), content deferred."""
    return (
        Program.objects.filter(_thread_reach(access))
        .select_related("client", "coach")
        .defer(*PROGRAM_CONTENT_FIELDS)
    )


def get_thread_program_for(access: PracticeAccess, code: UUID | str) -> Program:
    """The program of a thread the user takes part in; 404 for everybody else."""
    try:
        return thread_programs_for(access).get(code=code)
    except (Program.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def messages_visible_to(
    access: PracticeAccess, program: Program | None = None
) -> QuerySet[Message]:
    """The messages of the user's threads (of one program if given); reads logged."""
    qs = (
        Message.objects.filter(_thread_reach(access, "program__"))
        .select_related("author")
        .annotate(gate_subject_id=F("program__client_id"), gate_label=Value("Message"))
    )
    if program is not None:
        qs = qs.filter(program=program)
    return _logged(qs, access)


def get_message_for(access: PracticeAccess, code: UUID | str) -> Message:
    try:
        return messages_visible_to(access).select_related("program").get(code=code)
    except (Message.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def message_attachments_visible_to(access: PracticeAccess) -> QuerySet[MessageAttachment]:
    """The files of the messages the user reads (not deleted); each read is logged as
    "Message attachment" unless the reader attached it or is the client."""
    qs = MessageAttachment.objects.filter(
        _thread_reach(access, "message__program__"), message__deleted_at=None
    ).annotate(
        author_id=F("message__author_id"),
        gate_subject_id=F("message__program__client_id"),
        gate_label=Value("Message attachment"),
    )
    return _logged(qs, access)


def message_attachment_for(access: PracticeAccess, code: UUID | str) -> MessageAttachment:
    """The file of the message `code`, for its thread's coach and client; 404 for anybody."""
    try:
        return (
            message_attachments_visible_to(access).select_related("message").get(message__code=code)
        )
    except (MessageAttachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def unread_message_counts(
    access: PracticeAccess, programs: Iterable[Program] | None = None
) -> dict[int, int]:
    """Per program id, how many messages others wrote (not deleted) after the reader's mark
    in that thread (messaging.ThreadRead). One query; counts only, nothing read or logged."""
    qs = unread_messages(access)
    if programs is not None:
        qs = qs.filter(program__in=programs)
    rows = qs.values_list("program_id").annotate(n=Count("pk"))
    return dict(rows)


def unread_messages(access: PracticeAccess) -> QuerySet[Message]:
    """The messages others wrote (not deleted) after the reader's mark in their thread, for
    counting only (unread_message_counts, the navigation's badge): never read or shown."""
    seen = ThreadRead.objects.filter(
        program=OuterRef("program"), reader_id=access.user.pk, read_at__gte=OuterRef("created_at")
    )
    # One filter() with the conditions in the order three chained calls gave them (each call
    # cloned the query, #11); ~Q() is what exclude() adds.
    return Message.objects.filter(
        _thread_reach(access, "program__")
        & Q(deleted_at=None)
        & ~Q(author_id=access.user.pk)
        & ~Exists(seen)
    )


def messages_for_erasure(*, user: User, practice: Practice) -> QuerySet[Message]:
    """Every message of the client's programs in the practice. Only the erasure step may use
    this: it deletes, it never shows."""
    return Message.objects.filter(program__practice=practice, program__client=user)


# Questionnaires and 360 feedback (intake/) -------------------------------------------------
# A client's answers (intake, assessment, session feedback): the client, and the coach of the
# program they belong to (an intake answered before the coach was chosen: the coach of the
# contract's program), once submitted. Session feedback is kept from the coach when the
# practice says so. Never an admin, another coach or a sponsor (nothing is shared with the
# sponsor yet). 360 raters' answers: only groups with at least the practice's threshold of
# answers (never below 3), to the program's client and coach; the sponsor reads the numbers
# only once the client shared the report, and only while the client's consent is in force.


def _response_reach(access: PracticeAccess) -> Q:
    user = access.user
    found = []
    if access.is_client:
        found.append(Q(client=user))
    if access.is_coach:
        # The answers of the coach's programs, and of their contracts before the program: a
        # UNION of two index lookups. As an OR over two joins PostgreSQL filtered every
        # response of the practice (50 ms at the bench's scale 1; 11 ms this way, #11).
        of_programs = Response.objects.filter(program__coach=user).order_by().values("pk")
        of_contracts = (
            Response.objects.filter(program=None, contract__program__coach=user)
            .order_by()
            .values("pk")
        )
        coached = Q(pk__in=of_programs.union(of_contracts, all=True))
        # Session feedback when the practice keeps it from coaches: asked in the same query
        # (#11: it was a query of its own before each list). No settings row: not kept.
        kept_from_coach = IntakeSettings.objects.filter(
            practice=access.practice, feedback_hidden_from_coach=True
        )
        coached &= ~Q(Exists(kept_from_coach), kind=Questionnaire.Kind.FEEDBACK)
        found.append(coached & ~Q(submitted_at=None))
    return Q(practice=access.practice) & any_of(*found)


_RESPONSE_LABELS = {
    Questionnaire.Kind.INTAKE: "Intake answers",
    Questionnaire.Kind.ASSESSMENT: "Assessment answers",
    Questionnaire.Kind.FEEDBACK: "Session feedback",
}


def responses_visible_to(
    access: PracticeAccess, *, programs: Iterable[Program] | None = None
) -> QuerySet[Response]:
    """The questionnaire answers the user reads (of these programs, or of their contracts, if
    given); reads by anyone but the client are logged, with the client as the subject."""
    qs = (
        Response.objects.filter(_response_reach(access))
        .select_related("version__questionnaire", "client")
        .annotate(
            gate_subject_id=F("client_id"),
            gate_label=Case(
                *(When(kind=k, then=Value(label)) for k, label in _RESPONSE_LABELS.items()),
                default=Value("Questionnaire answers"),
            ),
        )
    )
    if programs is not None:
        programs = list(programs)
        qs = qs.filter(
            Q(program__in=programs)
            | Q(program=None, contract__in=[p.contract_id for p in programs if p.contract_id])
        )
    return _logged(qs, access)


def responses_listed_to(access: PracticeAccess) -> QuerySet[Response]:
    """The same responses as responses_visible_to, for a list that shows which questionnaire
    was sent and when, never the answers: the answers are not loaded, so nothing is decrypted
    and nothing is logged (a coach's list of 50 rows wrote 50 access-log rows for answers no
    one read, #11). Opening a response reads it through responses_visible_to, logged."""
    return (
        Response.objects.filter(_response_reach(access))
        .select_related("version__questionnaire", "client")
        .defer("answers")
    )


def get_response_for(access: PracticeAccess, code: UUID | str, *, write: bool = False) -> Response:
    """A response the user reads; write=True: its client only (403 for its coach)."""
    try:
        response = responses_visible_to(access).get(code=code)
    except (Response.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if write and response.client_id != access.user.pk:
        raise PermissionDenied
    return response


def responses_for_erasure(*, user: User, practice: Practice) -> QuerySet[Response]:
    """Every questionnaire response of the client in the practice. Only the erasure step may
    use this: it deletes, it never shows."""
    return Response.objects.filter(practice=practice, client=user)


def rater_threshold(practice: Practice) -> int:
    return max(IntakeSettings.for_practice(practice).rater_threshold, MIN_RATER_THRESHOLD)


def rater_threshold_for(access: PracticeAccess) -> int:
    """rater_threshold of the access's practice, read once per request (#11: the 360 page
    asked for it twice, and for the answer counts twice)."""
    if "rater_threshold" not in access.reads:
        access.reads["rater_threshold"] = rater_threshold(access.practice)
    return access.reads["rater_threshold"]  # type: ignore[return-value]


def _reads_360(access: PracticeAccess, round: RaterRound) -> bool:
    program = round.program
    user = access.user
    if program.practice_id != access.practice.pk:
        return False
    if (access.is_coach and program.coach_id == user.pk) or (
        access.is_client and program.client_id == user.pk
    ):
        return True
    return bool(
        access.is_sponsor
        and program.sponsor_id == user.pk
        and round.shared_with_sponsor_at is not None
        and has_sponsor_consent(program.client, program.sponsor, program)
    )


def rater_answer_counts(access: PracticeAccess, round: RaterRound) -> dict[str, int]:
    """How many raters of each group answered (counts only: nothing read, nothing logged)."""
    if not _reads_360(access, round):
        return {}
    key = f"rater_answer_counts:{round.pk}"  # read once per request (rater_threshold_for)
    if key not in access.reads:
        access.reads[key] = dict(
            RaterAnswer.objects.filter(round=round)
            .values_list("group")
            .annotate(n=Count("pk"))
            .order_by()
        )
    counts: dict[str, int] = access.reads[key]  # type: ignore[assignment]
    return dict(counts)


def rater_answers_visible_to(access: PracticeAccess, round: RaterRound) -> QuerySet[RaterAnswer]:
    """The raters' answers of the groups with enough answers to be shown (the practice's
    threshold, never below 3), for the program's client and coach, and for the sponsor once
    shared under consent (the caller shows the sponsor the numbers only). Reads by anyone but
    the client are logged, with the client as the subject."""
    if not _reads_360(access, round):
        return RaterAnswer.objects.none()
    threshold = rater_threshold_for(access)
    shown = [g for g, n in rater_answer_counts(access, round).items() if n >= threshold]
    qs = RaterAnswer.objects.filter(round=round, group__in=shown).annotate(
        gate_subject_id=Value(round.program.client_id), gate_label=Value("360 feedback")
    )
    return _logged(qs, access)


def rater_round_for(access: PracticeAccess, program: Program) -> RaterRound | None:
    """The program's 360 round if the user may read its report; None otherwise."""
    round = RaterRound.objects.filter(program=program).select_related("version").first()
    if round is None:
        return None
    round.program = program
    return round if _reads_360(access, round) else None


def rater_rounds_of(access: PracticeAccess, programs: QuerySet[Program]) -> list[RaterRound]:
    """Per program, its 360 round (the first, as rater_round_for) if the user may read its
    report: one query for all the programs, not one per program (#11). The program comes
    along without its content."""
    rounds = (
        RaterRound.objects.filter(program__in=programs)
        .select_related("version", "program")
        .defer(*(f"program__{name}" for name in PROGRAM_CONTENT_FIELDS))
        .order_by("program_id", "id")
    )
    first: dict[int, RaterRound] = {}
    for round in rounds:
        first.setdefault(round.program_id, round)
    return [round for round in first.values() if _reads_360(access, round)]


def rater_rounds_for_erasure(*, user: User, practice: Practice) -> QuerySet[RaterRound]:
    """The client's 360 rounds (with their invitations and answers, by cascade). Only the
    erasure step may use this: it deletes, it never shows."""
    return RaterRound.objects.filter(program__practice=practice, program__client=user)


def assessment_stages(access: PracticeAccess, program: Program) -> dict[str, bool]:
    """For the program's coach and client: which assessment stages were sent, and whether each
    was answered (stage -> answered). Dates only: nothing read, nothing logged."""
    if not _reads_program_content(access, program):
        return {}
    rows = Response.objects.filter(program=program, kind=Questionnaire.Kind.ASSESSMENT).values_list(
        "stage", "submitted_at"
    )
    return {stage: submitted is not None for stage, submitted in rows}


# Three-way alignment meetings (intake.AlignmentMeeting): the goals agreed by the client, the
# coach and the sponsor or a manager. The program's coach and client read them; its sponsor
# only those of a meeting they took part in, and only while the client's consent to share
# with them is in force. Never an admin or another coach.


def alignment_meetings_visible_to(
    access: PracticeAccess, *, programs: Iterable[Program] | None = None
) -> QuerySet[AlignmentMeeting]:
    user = access.user
    found = []
    if access.is_coach:
        found.append(Q(program__coach=user))
    if access.is_client:
        found.append(Q(program__client=user))
    if access.is_sponsor:
        found.append(
            Q(program__sponsor=user, with_sponsor=True)
            & sponsor_consent_q(
                sponsor=user, practice=access.practice, client_ref="program__client"
            )
        )
    qs = (
        AlignmentMeeting.objects.filter(any_of(*found), program__practice=access.practice)
        .select_related("stakeholder")
        .annotate(gate_subject_id=F("program__client_id"), gate_label=Value("Alignment meeting"))
    )
    if programs is not None:
        qs = qs.filter(program__in=programs)
    return _logged(qs, access)


def alignment_meetings_for_erasure(*, user: User, practice: Practice) -> QuerySet[AlignmentMeeting]:
    """The client's alignment meetings. Only the erasure step may use this: it deletes."""
    return AlignmentMeeting.objects.filter(program__practice=practice, program__client=user)


def sponsor_page_links(access: PracticeAccess, program: Program) -> dict[str, bool]:
    """For the sponsor's program page: whether the user may read the program's 360 report
    (rater_round_for is not None) and any of its alignment meetings
    (alignment_meetings_visible_to), by their rules, in one query (#11: one query each).
    Counts only: nothing read, nothing logged."""
    user = access.user
    rounds = RaterRound.objects.filter(program=program)
    own = (access.is_coach and program.coach_id == user.pk) or (
        access.is_client and program.client_id == user.pk
    )
    if program.practice_id != access.practice.pk:
        rounds = rounds.none()
    elif not own:
        # _reads_360's rule for a sponsor: shared with them, the client's consent in force.
        rounds = (
            rounds.filter(
                shared_with_sponsor_at__isnull=False,
                program__sponsor_id=user.pk,
            ).filter(
                sponsor_consent_q(
                    sponsor=user, practice=access.practice, client_ref="program__client"
                )
            )
            if access.is_sponsor
            else rounds.none()
        )
    counts = counts_in_one_query(
        Program.objects.filter(pk=program.pk),
        {"report": rounds, "alignment": alignment_meetings_visible_to(access, programs=[program])},
    )
    return {name: n > 0 for name, n in counts.items()}


# Chemistry impressions ---------------------------------------------------------------------


def chemistry_impressions_for(
    access: PracticeAccess, meetings: Iterable[ChemistryMeeting]
) -> dict[int, dict[str, str]]:
    """{meeting id: {"client_note"?, "coach_note"?}}: what this reader may read of each side's
    impression after chemistry. Each side reads its own; the coach the client chose also reads
    the client's impression of that meeting, if the client agreed to share it (that read is
    logged). Nobody else reads either: not the admin, not the other candidates, not the sponsor.
    One query whatever the number of meetings."""
    ids = [m.pk for m in meetings]
    rows = ChemistryMeeting.objects.filter(
        pk__in=ids, contract__practice=access.practice
    ).select_related("contract")
    return _impressions(access, rows)


def chosen_coach_impressions_for(access: PracticeAccess, program: Program) -> dict[str, str]:
    """For the program's coach: the impressions of the chemistry meeting where the client
    chose them (their own, and the client's if shared). One query."""
    if program.contract_id is None or program.coach_id != access.user.pk:
        return {}
    # Of the meeting and its contract, only what _impressions reads (#11: the whole contract
    # and the meeting's logistics were loaded for the client's id).
    rows = (
        ChemistryMeeting.objects.filter(
            contract_id=program.contract_id,
            contract__practice=access.practice,
            coach_id=program.coach_id,
            status=ChemistryMeeting.Status.CHOSEN,
        )
        .select_related("contract")
        .only(*_IMPRESSION_FIELDS, "contract__client_id")
    )
    return next(iter(_impressions(access, rows).values()), {})


# The meeting's fields _impressions reads.
_IMPRESSION_FIELDS = (
    "contract",
    "coach",
    "status",
    "client_note",
    "coach_note",
    "client_shares_with_coach",
)


def _impressions(
    access: PracticeAccess, rows: QuerySet[ChemistryMeeting]
) -> dict[int, dict[str, str]]:
    user = access.user
    result: dict[int, dict[str, str]] = {}
    shared: list[ChemistryMeeting] = []
    for row in rows:
        seen: dict[str, str] = {}
        if access.is_client and row.contract.client_id == user.pk and row.client_note:
            seen["client_note"] = row.client_note
        if access.is_coach and row.coach_id == user.pk:
            if row.coach_note:
                seen["coach_note"] = row.coach_note
            if (
                row.status == ChemistryMeeting.Status.CHOSEN
                and row.client_shares_with_coach
                and row.client_note
            ):
                seen["client_note"] = row.client_note
                # The access log's attributes (as _log_rows reads them), not model fields.
                row.gate_subject_id = row.contract.client_id  # type: ignore[attr-defined]
                row.gate_label = "Chemistry impression"  # type: ignore[attr-defined]
                shared.append(row)
        if seen:
            result[row.pk] = seen
    if shared:
        _log_rows(access, shared)
    return result


# The client's prepared data export (#11) --------------------------------------------------


def prepared_export_for(
    access: PracticeAccess, *, printable_in: str | None = None
) -> PreparedExport | None:
    """The client's own prepared export in this practice (asked for, or ready, or expired and
    not yet swept: PreparedExport.is_ready tells); None for every other role. With its body
    (the download), or with printable_in (a language) its printable sections in that language
    and the body deferred (the page; loaded if the page falls back to it). Not logged here:
    the client reading their own export; the views record each download and each printable
    view as an export (ethics.views)."""
    if not access.has(Role.CLIENT):
        return None
    printables = PreparedExport.PRINTABLE_FIELDS.values()
    if printable_in is None:
        deferred = list(printables)
    else:
        keep = PreparedExport.PRINTABLE_FIELDS.get(printable_in)
        deferred = ["body", *(field for field in printables if field != keep)]
    return (
        PreparedExport.objects.filter(practice=access.practice, client=access.user)
        .defer(*deferred)
        .first()
    )


def record_export(access: PracticeAccess, *, label: str, path: str = "") -> None:
    """An export of the reader's own records (kind export, never folded): written with the
    other access events being collected (one INSERT), else at once."""
    event = AccessEvent(
        practice=access.practice,
        reader=access.user,
        subject=access.user,
        content_type=ContentType.objects.get_for_model(type(access.user)),
        object_id=str(access.user.pk),
        label=label[:120],
        path=path[:300],
        kind=AccessEvent.Kind.EXPORT,
    )
    pending = _pending.get()
    if pending is None:
        _insert_events([event])
    else:
        pending.append(event)
