"""Reminder kinds of reschedule requests (registered in CoachingSessionsConfig.ready()).

The practice's admins and schedulers hear that a request waits; the person who asked hears
the answer. Texts carry the session's number and nothing the requester wrote (a reason is a
fixed choice, and not shown either); links go into the app."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.access import LOGISTICS
from coaching.accounts.models import Membership
from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule
from sessions.models import RescheduleRequest

from .reminders import session_link

RESCHEDULE_REQUESTED = "reschedule_requested"
RESCHEDULE_ANSWERED = "reschedule_answered"


def _describe(request, recipient):
    session = request.session
    practice = session.program.practice
    if recipient.pk in (session.client_id, session.coach_id):
        path = session_link(session, recipient)
    else:
        path = registry.reverse_first([("reschedule_request_list", {"slug": practice.slug})])
    return registry.Description(practice=practice, label=str(session.number), path=path)


def _requested_text(reminder):
    return gettext("A request to move coaching session %(number)s is waiting for an answer.") % {
        "number": reminder.object_label
    }


def _answered_text(reminder):
    if reminder.occasion == "answer:accepted":
        text = gettext("Your request to move coaching session %(number)s was accepted.")
    else:
        text = gettext("Your request to move coaching session %(number)s was refused.")
    return text % {"number": reminder.object_label}


def _still_pending(reminder):
    return RescheduleRequest.objects.filter(
        code=reminder.object_code, status=RescheduleRequest.Status.PENDING
    ).exists()


def requested_schedule(request, *, due_at):
    """Call in the request's transaction: each active admin and scheduler of the practice."""
    people = (
        Membership.objects.filter(
            practice=request.session.program.practice, role__in=LOGISTICS, deactivated_at=None
        )
        .select_related("user")
        .order_by("user_id")
    )
    seen = set()
    for membership in people:
        if membership.user_id in seen or membership.user_id == request.requested_by_id:
            continue
        seen.add(membership.user_id)
        reminder_schedule(
            kind=RESCHEDULE_REQUESTED,
            recipient=membership.user,
            obj=request,
            occasion="requested",
            due_at=due_at,
        )


def answered_schedule(request, *, due_at):
    """Call in the decision's transaction: the person who asked hears the answer."""
    return reminder_schedule(
        kind=RESCHEDULE_ANSWERED,
        recipient=request.requested_by,
        obj=request,
        occasion=f"answer:{request.status}",
        due_at=due_at,
    )


for _kind in [
    registry.Kind(
        name=RESCHEDULE_REQUESTED,
        label=_("A request to move a session is waiting"),
        describe=_describe,
        text=_requested_text,
        is_current=_still_pending,
    ),
    registry.Kind(
        name=RESCHEDULE_ANSWERED,
        label=_("Your request to move a session was answered"),
        describe=_describe,
        text=_answered_text,
    ),
]:
    registry.register(_kind)
