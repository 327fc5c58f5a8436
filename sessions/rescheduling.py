"""Reschedule requests: a client or a coach asks to move a session; the practice answers.

The move itself is sessions.scheduling.session_reschedule (the clash, period and spacing
checks, the gapless numbering, both parties' calendar invitations). This module keeps the
request's own bookkeeping: who asked, the proposed times, the answer, and the cancellation
policy (a client asking later than the contract's notice, under a contract where a late
cancellation uses the session, cannot have the session moved for free).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from coaching.access import LOGISTICS
from coaching.accounts.selectors import CountedPaginator
from programs.access import reschedule_requests_for
from programs.models import Program
from programs.selectors import link_maker
from programs.transitions import require_role

from . import reschedule_reminders, scheduling
from .models import RescheduleRequest, Session

R = RescheduleRequest
MAX_TIMES = 3
REQUESTS_PER_PAGE = 25


def _side_of(session, user):
    if user.pk == session.client_id:
        return R.Side.CLIENT
    if user.pk == session.coach_id:
        return R.Side.COACH
    raise ValidationError(_("Only the session's client or coach can ask to move it."))


def _is_late(session, side, at):
    """A client's request inside the contract's notice, when a late cancellation uses up the
    session: moving it would hand back a session the contract says is used."""
    if side != R.Side.CLIENT:
        return False
    version = scheduling._terms(session.program)
    notice = version.cancellation_notice_hours if version else 24
    uses = version.late_cancellation_uses_session if version else True
    return uses and session.starts_at - at < timedelta(hours=notice)


def reschedule_request_create(*, session, actor, reason, times):
    """The session's client or coach asks to move it to one of `times` (1 to 3 aware
    datetimes, all in the future). One open request per session."""
    side = _side_of(session, actor)
    at = timezone.now()
    times = [t for t in times if t is not None]
    if reason not in R.Reason.values:
        raise ValidationError(_("Choose a reason."))
    if not 1 <= len(times) <= MAX_TIMES:
        raise ValidationError(_("Propose one to three new times."))
    if any(t <= at for t in times):
        raise ValidationError(_("A proposed time is in the past: propose times to come."))
    if len(set(times)) != len(times):
        raise ValidationError(_("Propose different times."))
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("program").get(pk=session.pk)
        if session.status != Session.Status.SCHEDULED or session.starts_at <= at:
            raise ValidationError(_("Only a session still to come can be moved."))
        if session.program.status != Program.Status.ACTIVE:
            raise ValidationError(_("Resume the program before moving its sessions."))
        if session.reschedule_requests.filter(status=R.Status.PENDING).exists():
            raise ValidationError(_("A request to move this session is already waiting."))
        times = sorted(times)
        request = R.objects.create(
            practice_id=session.program.practice_id,
            session=session,
            requested_by=actor,
            side=side,
            reason=reason,
            proposed_1=times[0],
            proposed_2=times[1] if len(times) > 1 else None,
            proposed_3=times[2] if len(times) > 2 else None,
            late=_is_late(session, side, at),
        )
        reschedule_reminders.requested_schedule(request, due_at=at)
    return request


def _decided(request, actor, status, **changes):
    R.objects.filter(pk=request.pk).update(
        status=status, decided_by=actor, decided_at=timezone.now(), **changes
    )
    request.refresh_from_db()
    reschedule_reminders.answered_schedule(request, due_at=timezone.now())
    return request


def _lock_pending(request):
    request = R.objects.select_for_update().select_related("session__program").get(pk=request.pk)
    if request.status != R.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    return request


def reschedule_request_accept(*, request, actor, choice, confirm_close_spacing=False):
    """An admin or a scheduler moves the session to the proposed time number `choice` (0-2).
    Refused, changing nothing, for a late request by the client (the cancellation policy) or
    a time that has passed or does not fit (the move's own checks)."""
    require_role(request.session.program.practice, actor, *LOGISTICS)
    with transaction.atomic():
        request = _lock_pending(request)
        if request.late:
            raise ValidationError(
                _(
                    "The client asked later than the contract's notice, and under the contract "
                    "a late cancellation uses the session: it cannot be moved for free. Refuse "
                    "the request, or cancel the session as a late cancellation."
                )
            )
        times = request.proposed_times
        if not 0 <= choice < len(times):
            raise ValidationError(_("Choose one of the proposed times."))
        starts_at = times[choice]
        if starts_at <= timezone.now():
            raise ValidationError(
                _("That time has passed: refuse the request or move the session.")
            )
        new = scheduling.session_reschedule(
            session=request.session,
            actor=actor,
            starts_at=starts_at,
            confirm_close_spacing=confirm_close_spacing,
        )
        return _decided(request, actor, R.Status.ACCEPTED, moved_to=new)


def reschedule_request_refuse(*, request, actor):
    """An admin or a scheduler refuses: the session stays where it is."""
    require_role(request.session.program.practice, actor, *LOGISTICS)
    with transaction.atomic():
        request = _lock_pending(request)
        return _decided(request, actor, R.Status.REFUSED)


class _KeysFirst:
    """A queryset a Paginator slices as "the rows whose keys are in this slice of the keys"
    (one query): PostgreSQL then reads the slice from the index before joining the sessions
    and people of its rows only. Sliced as is, a late page of the history (OFFSET 1,475 at
    the bench's scale 1) hash-joined every session of the deployment (88 ms)."""

    def __init__(self, rows):
        self.rows = rows

    def __getitem__(self, index):
        keys = self.rows.values("pk")[index]
        return list(self.rows.filter(pk__in=keys))


PEOPLE = ("session__client", "session__coach", "decided_by")  # the names a list shows


def _row_labels(rows):
    """Each row's lines, as the template's {% blocktranslate %} and |date gave them (the same
    text, escaped as the template escaped it), translated once per list and not per row (#11:
    three {% blocktranslate %} and four dates a row were most of the page's time, 25 rows)."""
    with_coach = _("%(client)s with %(coach)s")
    session_n = _("Session %(number)s")
    asked_by = _("Asked by %(side)s: %(reason)s")
    sides, reasons = dict(R.Side.choices), dict(R.Reason.choices)
    statuses = dict(R.Status.choices)

    def when(value, format_name):
        return formats.date_format(timezone.template_localtime(value), format_name)

    for row in rows:
        session = row.session
        escaped = {
            "client": conditional_escape(session.client.display_name),
            "coach": conditional_escape(session.coach.display_name),
            "number": conditional_escape(session.number),
            "side": conditional_escape(sides.get(row.side, row.side)),
            "reason": conditional_escape(reasons.get(row.reason, row.reason)),
        }
        row.people_label = mark_safe(with_coach % escaped)  # noqa: S308 # escaped as the tag
        row.number_label = mark_safe(session_n % escaped)  # noqa: S308 # escaped as the tag
        row.asked_label = mark_safe(asked_by % escaped)  # noqa: S308 # escaped as the tag
        row.starts_label = when(session.starts_at, "DATETIME_FORMAT")
        row.time_labels = [when(t, "DATETIME_FORMAT") for t in row.proposed_times]
        row.status_label = statuses.get(row.status, row.status)
        row.decided_label = when(row.decided_at, "SHORT_DATETIME_FORMAT") if row.decided_at else ""


def reschedule_request_list(*, access, status="", page_number=1):
    """The practice's requests of one status (waiting for an answer unless another is asked
    for), newest first, a page of REQUESTS_PER_PAGE, and the count of each status: three
    queries whatever the size of the practice, served by the index
    reschedule_requests_by_status. The pager's total comes from the counts."""
    requests = reschedule_requests_for(access)
    counts = dict(requests.order_by().values_list("status").annotate(n=Count("id")))
    if status not in R.Status.values:
        status = R.Status.PENDING
    rows = (
        requests.filter(status=status)
        .select_related("session__client", "session__coach", "decided_by")
        # What the page shows: the session's number and time, the people's names.
        .only(
            *("code", "status", "side", "reason", "late", "created_at", "decided_at"),
            *("proposed_1", "proposed_2", "proposed_3", "session", "decided_by"),
            *("session__number", "session__starts_at", "session__client", "session__coach"),
            *(f"{person}__{name}" for person in PEOPLE for name in ("full_name", "email")),
        )
        .order_by("-created_at", "-pk")
    )
    page = CountedPaginator(_KeysFirst(rows), REQUESTS_PER_PAGE, count=counts.get(status, 0))
    page = page.get_page(page_number)
    _row_labels(page.object_list)
    if status == R.Status.PENDING:
        # The answer forms' targets, reversed once for the page.
        accept = link_maker("reschedule_request_accept", access.practice.slug)
        refuse = link_maker("reschedule_request_refuse", access.practice.slug)
        for request in page.object_list:
            request.accept_url, request.refuse_url = accept(request.code), refuse(request.code)
    return {
        "status": status,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in R.Status.choices],
        "page": page,
    }
