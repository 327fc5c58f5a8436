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
# (reader id, practice id, count) (nav_counted).
NAV_MESSAGES_KEY = "_nav_unread_messages"


def nav_counts_wanted(access):
    """{name: queryset} of the navigation's two badges, unread messages and unread in-app
    notifications, for a page that counts them with its own numbers in one query (the coach's
    and the client's dashboards, the client's sessions page) and hands them over with
    nav_counted (#11: one query less on those pages)."""
    return {
        "messages": gate.unread_messages(access),
        "notifications": unread_notifications(reader=access.user),
    }


def nav_counted(access, request, counted):
    """Keep the badges' counts (of nav_counts_wanted) on the request, when the request is the
    reader's own: the navigation then reads them, for the same reader and practice, without
    a query of its own."""
    if request is not None and request.user.pk == access.user.pk:
        request.__dict__[NAV_UNREAD_KEY] = counted["notifications"]
        known = (access.user.pk, access.practice.pk, counted["messages"])
        request.__dict__[NAV_MESSAGES_KEY] = known


def nav_unread(access, request=None):
    """The navigation's two badges, unread messages and unread in-app notifications, in one
    query (#11: they were two on every page of a coach or a client), or none when the page
    counted both already (nav_counted). The notifications' count is kept on the request for
    the inbox link (coaching.notifications NAV_UNREAD_KEY)."""
    user = access.user
    mine = request is not None and request.user.pk == user.pk
    known = request.__dict__.get(NAV_MESSAGES_KEY) if mine else None
    kept = known is not None and NAV_UNREAD_KEY in request.__dict__
    if kept and known[:2] == (user.pk, access.practice.pk):
        return known[2]
    counted = counts_in_one_query(User.objects.filter(pk=user.pk), nav_counts_wanted(access))
    if mine:
        request.__dict__[NAV_UNREAD_KEY] = counted["notifications"]
    return counted["messages"]


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
