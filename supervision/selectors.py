"""The coach's own supervision log: never anybody else's, whatever their role."""

from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from .models import SupervisionEntry


def supervision_list(*, access):
    return SupervisionEntry.objects.filter(practice=access.practice, coach=access.user)


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
