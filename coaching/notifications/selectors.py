"""Reads of the notifications app; each takes its reader."""

from django.utils.translation import gettext

from coaching.access import LOGISTICS
from coaching.accounts.models import Practice
from coaching.queries import OpenEndedPage, counts_in_one_query

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


REMINDERS_PER_PAGE = 50
# Each status's count stops here: an outbox holds every reminder the practice ever sent (at
# the bench's scale 1, 120,000 rows in its largest practice), and counting them all on every
# request read them all (#11); "1,000+" is what the tabs need to say.
REMINDER_COUNT_CAP = 1000


def reminder_overview(*, access, status=None, page_number=1):
    """The practice admin's view of its outbox: counts per status (each up to
    REMINDER_COUNT_CAP, then "more than"), and a page of the rows of one status or of all,
    latest due first. Logistics only: kind, recipient, times, attempts, the error's class
    name. Three queries whatever the size of the outbox: the counts (each reads at most
    REMINDER_COUNT_CAP + 1 entries of the index reminder_practice), the page (read from the
    index reminder_practice, or reminder_practice_due for all statuses, in due order), and
    the page's WhatsApp deliveries are joined to it."""
    access.require(*LOGISTICS)
    qs = Reminder.objects.filter(practice=access.practice)
    counted = counts_in_one_query(
        Practice.objects.filter(pk=access.practice.pk),
        {value: qs.filter(status=value) for value in Reminder.Status.values},
        cap=REMINDER_COUNT_CAP,
    )
    counts = {
        value: {"n": min(n, REMINDER_COUNT_CAP), "more": n > REMINDER_COUNT_CAP}
        for value, n in counted.items()
    }
    if status in Reminder.Status.values:
        qs = qs.filter(status=status)
    # "whatsapp": the row's WhatsApp delivery status, if it went by WhatsApp (a LEFT JOIN).
    rows = qs.select_related("recipient", "whatsapp").order_by("-due_at", "-id")
    page = OpenEndedPage(rows, page_number, REMINDERS_PER_PAGE)
    for row in page.object_list:
        # The kind's label in the reader's language ("Upcoming session"), not its code.
        row.kind_label = _kind_label(row.kind)
    return counts, page


def _kind_label(name):
    try:
        return registry.get(name).label
    except LookupError:  # a kind no app declares any more: its code is all there is
        return name
