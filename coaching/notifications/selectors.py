"""Reads of the notifications app; each takes its reader."""

from django.db.models import Count
from django.utils.translation import gettext

from coaching.access import LOGISTICS

from . import registry
from .models import InAppNotification, Reminder


def notification_list(*, reader, limit=50):
    """The reader's latest notifications, each with its line of text in the active language
    (rendered from the reminder row alone: no content, no further queries)."""
    items = list(
        InAppNotification.objects.filter(recipient=reader).select_related("reminder")[:limit]
    )
    for item in items:
        try:
            item.text = registry.get(item.reminder.kind).text(item.reminder)
        except LookupError:
            item.text = gettext("A reminder")
    return items


# Where the navigation's count is kept when it was read together with the unread messages
# (messaging.selectors.nav_unread: one query for both badges, #11).
NAV_UNREAD_KEY = "_nav_unread_notifications"


def unread_notifications(*, reader):
    return InAppNotification.objects.filter(recipient=reader, read_at=None)


def notification_unread_count(*, reader, request=None):
    """The reader's unread in-app notifications; on a request whose navigation already counted
    them (NAV_UNREAD_KEY), that count, without a query."""
    if not reader.is_authenticated:
        return 0
    if request is not None and NAV_UNREAD_KEY in request.__dict__:
        return request.__dict__[NAV_UNREAD_KEY]
    return unread_notifications(reader=reader).count()


def reminder_overview(*, access, status=None, limit=100):
    """The practice admin's view of its outbox: counts per status and the latest rows.
    Logistics only: kind, recipient, times, attempts, the error's class name."""
    access.require(*LOGISTICS)
    qs = Reminder.objects.filter(practice=access.practice)
    counts = dict.fromkeys(Reminder.Status.values, 0)
    counts.update(dict(qs.values_list("status").annotate(n=Count("id")).order_by()))
    if status in Reminder.Status.values:
        qs = qs.filter(status=status)
    # "whatsapp": the row's WhatsApp delivery status, if it went by WhatsApp (a LEFT JOIN).
    rows = list(qs.select_related("recipient", "whatsapp").order_by("-due_at")[:limit])
    for row in rows:
        # The kind's label in the reader's language ("Upcoming session"), not its code.
        row.kind_label = _kind_label(row.kind)
    return counts, rows


def _kind_label(name):
    try:
        return registry.get(name).label
    except LookupError:  # a kind no app declares any more: its code is all there is
        return name
