"""Reads of the messaging app for one reader (through the gate)."""

from django.core.paginator import Paginator

from coaching.accounts.models import User
from coaching.notifications.selectors import NAV_UNREAD_KEY, unread_notifications
from coaching.queries import counts_in_one_query
from ethics import access as gate

# A thread page shows the latest messages; older ones are behind "Earlier messages".
PAGE = 200
# The inbox lists a coach's threads a page at a time (one a program: it grows with the
# caseload, #11).
THREADS_PER_PAGE = 50


def threads_for(access, page_number=1, per_page=THREADS_PER_PAGE):
    """A page of the reader's threads, newest program first, each a dict of the program, the
    other party and the unread count; three queries whatever the caseload (the count, the
    page of programs with both parties joined, the unread counts of that page)."""
    programs = gate.thread_programs_for(access).order_by("-created_at", "-pk")
    page = Paginator(programs, per_page).get_page(page_number)
    shown = list(page.object_list)
    counts = gate.unread_message_counts(access, programs=[p.pk for p in shown]) if shown else {}
    page.object_list = [
        {
            "program": program,
            "other": program.client if access.user.pk == program.coach_id else program.coach,
            "unread": counts.get(program.pk, 0),
        }
        for program in shown
    ]
    return page


# The request's unread messages when a page counted them with its own numbers, as
# (reader id, practice id, count) (remember_unread_messages).
NAV_MESSAGES_KEY = "_nav_unread_messages"


def remember_unread_messages(request, access, count):
    """Keep gate.unread_messages(access)'s count, read by the page with its other numbers (the
    client's dashboard, coaching.dashboards), for the navigation's badge: nav_unread then
    asks no query, when the inbox link's count is kept as well (#11)."""
    request.__dict__[NAV_MESSAGES_KEY] = (access.user.pk, access.practice.pk, count)


def nav_unread_wanted(access):
    """The navigation's two counts, for a page that reads them in a query of its own
    (coaching.queries.counts_and_rows), then hands them to remember_nav_unread (#11)."""
    return {
        "messages": gate.unread_messages(access),
        "notifications": unread_notifications(reader=access.user),
    }


def remember_nav_unread(request, access, counted):
    """Keep the counts of nav_unread_wanted for the navigation (no query of its own)."""
    if request.user.pk == access.user.pk:
        request.__dict__[NAV_UNREAD_KEY] = counted["notifications"]
        remember_unread_messages(request, access, counted["messages"])


def nav_unread(access, request=None):
    """The navigation's two badges, unread messages and unread in-app notifications, in one
    query (#11: they were two on every page of a coach or a client), or none when the page
    counted both already (remember_unread_messages). The notifications' count is kept on the
    request for the inbox link (coaching.notifications NAV_UNREAD_KEY)."""
    user = access.user
    known = request.__dict__.get(NAV_MESSAGES_KEY) if request is not None else None
    kept = known is not None and NAV_UNREAD_KEY in request.__dict__
    if kept and known[:2] == (user.pk, access.practice.pk) and request.user.pk == user.pk:
        return known[2]
    counted = counts_in_one_query(User.objects.filter(pk=user.pk), nav_unread_wanted(access))
    unread, notified = counted["messages"], counted["notifications"]
    if request is not None and request.user.pk == user.pk:
        request.__dict__[NAV_UNREAD_KEY] = notified
    return unread


def thread_messages(access, program, *, after=None, before=None):
    """The thread's latest PAGE messages, oldest first (reads logged); after=pk: only newer
    ones (the poll); before=pk: the PAGE messages before that one (earlier messages)."""
    qs = gate.messages_visible_to(access, program)
    if after is not None:
        return list(qs.filter(pk__gt=after).order_by("pk"))
    if before is not None:
        qs = qs.filter(pk__lt=before)
    latest = list(qs.order_by("-pk")[:PAGE])
    latest.reverse()
    return latest
