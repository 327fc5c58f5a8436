"""The coach's own supervision log: never anybody else's, whatever their role."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404

from .models import SupervisionEntry


def supervision_list(*, access):
    return SupervisionEntry.objects.filter(practice=access.practice, coach=access.user)


# The log grows by an entry or two a month for as long as the coach practises: a page at a
# time, newest first (#11); the totals come from aggregates (supervision_totals).
ENTRIES_PER_PAGE = 25


def supervision_page(*, access, page_number=1, per_page=ENTRIES_PER_PAGE):
    """A page of the coach's entries, newest first (two queries: the count and the page)."""
    entries = supervision_list(access=access).order_by("-date", "-id")
    page = Paginator(entries, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def supervision_entry_for(access, code):
    try:
        return supervision_list(access=access).get(code=code)
    except (SupervisionEntry.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def supervision_totals(*, access, since=None):
    """Hours per kind (all time, or since a date), without decrypting any notes."""
    qs = supervision_list(access=access)
    if since is not None:
        qs = qs.filter(date__gte=since)
    sums = dict(qs.values_list("kind").annotate(total=Sum("hours")).order_by())
    return [
        (label, sums.get(value) or Decimal("0")) for value, label in SupervisionEntry.Kind.choices
    ]
