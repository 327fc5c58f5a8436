"""Program reach, built on coaching.access: which proposals, contracts and programs a user sees.

Admins see every one of the practice (for logistics), coaches the programs they coach,
clients their own, sponsors those they sponsor. Outside that reach an object is a 404.

Reach is not content: programs come with their coaching content deferred (never loaded, never
decrypted here); pages get it from the gate (ethics.access.program_content_for) for the
program's coach and client only. Chemistry notes and objective texts are deferred likewise.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.timezone import now

from coaching.access import PracticeAccess, Role, any_of, roles_of
from coaching.accounts.models import Practice, User
from coaching.queries import compiled_once
from sessions.models import RescheduleRequest, Session, SessionQuerySet

from .models import (
    PROGRAM_CONTENT_FIELDS,
    ChemistryMeeting,
    Contract,
    ContractAcceptance,
    Objective,
    Program,
    Proposal,
)

Party = ContractAcceptance.Party

# The models this gate hands out one at a time (a value-restricted TypeVar: each has its own
# DoesNotExist, which django-stubs does not declare on Model itself).
_M = TypeVar(
    "_M", Proposal, Contract, Program, ChemistryMeeting, Objective, Session, RescheduleRequest
)


def _reach(
    access: PracticeAccess,
    *,
    client_field: str = "client",
    sponsor_field: str = "sponsor",
    coach_field: str | None = None,
) -> Q:
    """The one rule of program reach: admins and schedulers every row of the practice
    (logistics), others the rows where they are the client, the sponsor or (for programs) the
    coach. Reach is not content: the views a scheduler may open are logistics pages only."""
    if access.runs_logistics:
        return Q()
    found = []
    if access.is_client:
        found.append(Q(**{f"{client_field}_id": access.user.pk}))
    if access.is_sponsor:
        found.append(Q(**{f"{sponsor_field}_id": access.user.pk}))
    if coach_field and access.is_coach:
        found.append(Q(**{f"{coach_field}_id": access.user.pk}))
    return any_of(*found)


def _program_reach(access: PracticeAccess, prefix: str = "") -> Q:
    """_reach over programs, or over rows that reach a program through `prefix`. By the
    foreign keys' columns (practice_id, not practice): the same SQL, fewer Python calls to
    build and compile it than with model instances as values (#11)."""
    return Q(**{f"{prefix}practice_id": access.practice.pk}) & _reach(
        access,
        client_field=f"{prefix}client",
        sponsor_field=f"{prefix}sponsor",
        coach_field=f"{prefix}coach",
    )


def proposals_for(access: PracticeAccess) -> QuerySet[Proposal]:
    reach = _reach(access)
    if access.is_client and not access.runs_logistics:
        # An invited client sees the proposal made to their email before it is linked.
        reach |= Q(client=None, client_email=access.user.email.lower())
    if access.is_coach and not access.runs_logistics:
        # A coach sees the proposals they drafted (waiting for an admin's approval, and after).
        reach |= Q(created_by=access.user)
    return Proposal.objects.filter(Q(practice_id=access.practice.pk) & reach)


def contracts_for(access: PracticeAccess) -> QuerySet[Contract]:
    return Contract.objects.filter(Q(practice_id=access.practice.pk) & _reach(access))


def contracts_in_chemistry(access: PracticeAccess) -> QuerySet[Contract]:
    """Active contracts without a program yet (the client is meeting coaches). "No program"
    is the contract's own program_started, kept by the service that starts a program: the rows
    come from a partial index of the contracts in that state (#11: as NOT EXISTS over the
    practice's programs, an anti-join of every contract and program of the practice)."""
    return contracts_for(access).filter(status=Contract.Status.ACTIVE, program_started=False)


def programs_for(access: PracticeAccess) -> QuerySet[Program]:
    return Program.objects.filter(_program_reach(access)).defer(*PROGRAM_CONTENT_FIELDS)


def programs_of_client(access: PracticeAccess) -> list[Program]:
    """The programs the user is the client of, newest first, with their coach: read once per
    request, since the client dashboard's programs and sessions panels both list them (#11).
    Only the columns the panels show (#11: the client's own user row, the coach's whole row and
    the programs' content and dates came along, unread). Their sessions are counted from the
    sessions panel's read of them all (sessions.selectors.client_panel), not here (#11: a join
    and a GROUP BY over every column of the program and its coach)."""
    if "programs_of_client" not in access.reads:
        reach = programs_for(access)
        if access.roles != {Role.CLIENT}:  # a client only: their reach is their programs
            reach = reach.filter(client_id=access.user.pk)
        programs = list(
            reach.select_related("coach").only(*CLIENT_PROGRAM_COLUMNS).order_by("-created_at")
        )
        for program in programs:
            program.client = access.user  # theirs: known without a join
        access.reads["programs_of_client"] = programs
    return access.reads["programs_of_client"]  # type: ignore[return-value]


# What the client dashboard shows of a program (its link and state, the coach's name), and
# what its panels filter by.
CLIENT_PROGRAM_COLUMNS = (
    "id",
    "code",
    "practice",
    "client",
    "status",
    "coach",
    "coach__full_name",
    "coach__email",
)


def _session_subquery(qs: QuerySet[Session], aggregate: Any) -> Subquery:
    """One figure of a program row's sessions, as a subquery: PostgreSQL computes it for the
    rows it returns (a LIMIT, a page), not for every program of the coach (#11)."""
    return Subquery(
        qs.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(v=aggregate)
        .values("v"),
    )


def _figure(qs: QuerySet[Session], aggregate: Any) -> Coalesce:
    return Coalesce(_session_subquery(qs, aggregate), 0)


def coach_program_rows(access: PracticeAccess) -> QuerySet[Program]:
    """The programs the user coaches as rows of a list (the coach dashboard's programs panel,
    the coach's list of programs): only the columns a row shows (the client's name, the
    status), with the sessions held and booked and the next scheduled one (`next_at`), each a
    subquery. The caller orders and bounds them."""
    sessions = Session.objects.all()
    count = Count("pk")
    return (
        programs_as(access, Role.COACH)
        .select_related("client")
        .only("code", "status", "created_at", "client__full_name", "client__email")
        .annotate(
            held=_figure(sessions.filter(status=Session.Status.HELD), count),
            booked=_figure(sessions, count),
            next_at=_session_subquery(
                sessions.filter(status=Session.Status.SCHEDULED, starts_at__gte=now()),
                Min("starts_at"),
            ),
        )
    )


def coach_program_counts(access: PracticeAccess) -> dict[str, int]:
    """{status: the coach's programs in it} for every status, in one GROUP BY."""
    found = dict(
        programs_as(access, Role.COACH)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {value: found.get(value, 0) for value in Program.Status.values}


def _get(qs: QuerySet[_M], code: UUID | str) -> _M:
    try:
        return qs.get(code=code)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_compiled(
    model: type[_M],
    shape: Hashable,
    access: PracticeAccess,
    code: UUID | str,
    rows: Callable[[PracticeAccess, Mapping[str, Any]], QuerySet[_M]],
    **ids: int,
) -> _M:
    """The row of rows(reader, values) whose code is `code`, else 404, as _get reads it: the
    queryset built and compiled once per process, `shape` and the user's roles
    (coaching.queries.compiled_once; #11: a millisecond or more of a page's Python for the
    row it is about). `rows` gets a reader with the user's roles and their and the practice's
    ids only, and `values`: those ids and the other `ids` given (e.g. a program's)."""
    try:
        code = code if isinstance(code, UUID) else UUID(str(code))
    except ValueError as exc:
        raise Http404 from exc
    roles = access.roles

    def build(values: Mapping[str, Any]) -> QuerySet[_M]:
        reader = PracticeAccess(
            user=User(pk=values["user"]), practice=Practice(pk=values["practice"]), roles=roles
        )
        return rows(reader, values).filter(code=values["code"]).order_by()[:2]

    values = {"user": access.user.pk, "practice": access.practice.pk, "code": code, **ids}
    found = compiled_once(model, (shape, roles), build, values)
    if not found:
        raise Http404
    (row,) = found
    return row


def get_proposal_for(access: PracticeAccess, code: UUID | str) -> Proposal:
    return _get(proposals_for(access).select_related("client", "sponsor"), code)


def get_contract_for(access: PracticeAccess, code: UUID | str) -> Contract:
    def rows(reader: PracticeAccess, _values: Mapping[str, Any]) -> QuerySet[Contract]:
        # The proposal comes along for its terms; the need in the client's words is content.
        return (
            contracts_for(reader)
            .select_related("client", "sponsor", "proposal")
            .defer("proposal__need")
        )

    return get_compiled(Contract, "contract", access, code, rows)


_OWN_RELATION: dict[str, str] = {
    Role.COACH: "coach",
    Role.CLIENT: "client",
    Role.SPONSOR: "sponsor",
}


def programs_as(access: PracticeAccess, role: str) -> QuerySet[Program]:
    """Programs where the user holds `role` themselves (the coach's own programs, the client's,
    the sponsor's), content deferred; none if they do not hold that role in the practice."""
    if role not in access.roles:
        return Program.objects.none()
    # One filter() (each call clones the query), by column (#11).
    own = Q(**{f"{_OWN_RELATION[role]}_id": access.user.pk})
    return Program.objects.filter(_program_reach(access) & own).defer(*PROGRAM_CONTENT_FIELDS)


def get_program_for(
    access: PracticeAccess, code: UUID | str, *, role: str | None = None
) -> Program:
    """One program in reach, else 404; with role, one where the user holds that role."""

    def rows(reader: PracticeAccess, _values: Mapping[str, Any]) -> QuerySet[Program]:
        qs = programs_for(reader) if role is None else programs_as(reader, role)
        return qs.select_related("client", "coach", "sponsor")

    return get_compiled(Program, ("program", role), access, code, rows)


def get_meeting_for(access: PracticeAccess, code: UUID | str) -> ChemistryMeeting:
    qs = ChemistryMeeting.objects.filter(contract__practice=access.practice)
    if not access.runs_logistics:
        found = []
        if access.is_client:
            found.append(Q(contract__client=access.user))
        if access.is_coach:
            found.append(Q(coach=access.user))
        qs = qs.filter(any_of(*found))
    return _get(qs.select_related("contract", "coach").defer("client_note", "coach_note"), code)


def get_objective_for(access: PracticeAccess, code: UUID | str) -> Objective:
    # For the coach's review (a write): the objective's own text is not needed, nor loaded.
    qs = Objective.objects.filter(program__in=programs_for(access)).select_related("program")
    deferred = ["text", "measure", *(f"program__{f}" for f in PROGRAM_CONTENT_FIELDS)]
    return _get(qs.defer(*deferred), code)


def sessions_for(access: PracticeAccess) -> SessionQuerySet[Session]:
    """Session rows (logistics) of the programs in reach. The practice by the session's own
    column (a session's practice is its program's, sessions.Session.save): an admin's or a
    scheduler's sessions are read without joining their programs (#11)."""
    return Session.objects.filter(
        Q(practice_id=access.practice.pk)
        & _reach(
            access,
            client_field="program__client",
            sponsor_field="program__sponsor",
            coach_field="program__coach",
        )
    )


def get_session_for(
    access: PracticeAccess,
    code: UUID | str,
    *,
    program: Program | None = None,
    write: bool = False,
    select_related: tuple[str, ...] = (),
    annotations: dict[str, Any] | None = None,
    with_people: bool = True,
    with_client: bool = True,
    defer: tuple[str, ...] = (),
) -> Session:
    """One session in reach (of `program`, if given), else 404; program content deferred.
    write=True: only the program's coach, else 403. The other arguments: session_rows_for's."""

    def rows(reader: PracticeAccess, values: Mapping[str, Any]) -> QuerySet[Session]:
        return session_rows_for(
            reader,
            program=None if program is None else Program(pk=values["program"]),
            select_related=select_related,
            annotations=annotations,
            with_people=with_people,
            with_client=with_client,
            defer=defer,
        )

    # The caller's annotations by name: one expression per name and caller.
    shape = (
        "session",
        program is None,
        select_related,
        tuple(annotations or ()),
        with_people,
        with_client,
        defer,
    )
    ids = {} if program is None else {"program": program.pk}
    session = get_compiled(Session, shape, access, code, rows, **ids)
    if write:
        check_coach_writes(access, session)
    return session


def check_coach_writes(access: PracticeAccess, session: Session) -> None:
    """403 unless the user is the session's program's coach (who writes its parts)."""
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied


def session_rows_for(
    access: PracticeAccess,
    *,
    program: Program | None = None,
    select_related: tuple[str, ...] = (),
    annotations: dict[str, Any] | None = None,
    with_people: bool = True,
    with_client: bool = True,
    defer: tuple[str, ...] = (),
) -> QuerySet[Session]:
    """get_session_for's sessions, before one is picked by its code: sessions in reach (of
    `program`, if given) with their program, program content deferred.
    select_related and annotations: more read in the same query, for the content gate
    (ethics.access.get_session_for_writing, #11).
    with_people=False: the session's own client and coach are not joined (read if used), for
    the coach's session pages, which name the program's client: PostgreSQL took 2 to 7 ms to
    plan the eight-table query of the session page at the bench's scale 1, 1 ms for six.
    with_client=False: the program's client is not joined either (the caller reads their name
    in an annotation: a subquery plans faster than a join, #11). defer: more columns the
    caller does not read (#11)."""
    qs = sessions_for(access) if program is None else sessions_for(access).filter(program=program)
    people = ("client", "coach") if with_people else ()
    client = ("program__client",) if with_client else ()
    # The program's client too: the session pages head with their name (#11: one query).
    return (
        qs.select_related("program", *client, *people, *select_related)
        .annotate(**(annotations or {}))
        .defer(*(f"program__{name}" for name in PROGRAM_CONTENT_FIELDS), *defer)
    )


def reschedule_requests_for(access: PracticeAccess) -> QuerySet[RescheduleRequest]:
    """Requests to move sessions in reach: the practice's for its admins and schedulers, the
    requests about their own sessions for a client or a coach."""
    if access.runs_logistics:
        # By the request's own practice (its index), not through every session (#11).
        return RescheduleRequest.objects.filter(practice=access.practice)
    return RescheduleRequest.objects.filter(session__in=sessions_for(access))


def get_reschedule_request_for(access: PracticeAccess, code: UUID | str) -> RescheduleRequest:
    qs = reschedule_requests_for(access).select_related(
        "session__program__practice", "session__client", "session__coach", "requested_by"
    )
    return _get(qs.defer(*(f"session__program__{name}" for name in PROGRAM_CONTENT_FIELDS)), code)


# Which side of an agreement a person answers for ------------------------------------------


def proposal_party_of(proposal: Proposal, user: User) -> Literal["client", "sponsor"] | None:
    """Which side of the proposal the user answers for: "client", "sponsor" or None."""
    if proposal.client_id == user.pk or (
        proposal.client_id is None and proposal.client_email == user.email.lower()
    ):
        return "client"
    if proposal.sponsor_id == user.pk:
        return "sponsor"
    return None


def contract_parties_for(contract: Contract, user: User) -> list[str]:
    """The parties this user may accept for."""
    parties: list[str] = []
    if contract.client_id == user.pk:
        parties.append(Party.CLIENT)
    if contract.sponsor_id == user.pk:
        parties.append(Party.SPONSOR)
    if Role.ADMIN in roles_of(contract.practice, user):
        parties.append(Party.PRACTICE)
    return parties
