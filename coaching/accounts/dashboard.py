from coaching.access import Role, members_of
from coaching.queries import counts_by, counts_in_one_query

from .models import Invitation, Practice


def counts_wanted(access, role):
    """The numbers of the members panel, read with the other panels' (coaching.dashboards)."""
    if role != Role.ADMIN:
        return {}
    # Built once and read once, a count per role (#11: filtered, compiled and read per role).
    return {
        **counts_by(members_of(access), "role", Role.values),
        "pending": Invitation.objects.pending().filter(practice=access.practice),
    }


def panels(access, role, counts=None):
    if role != Role.ADMIN:
        return []
    if counts is None:
        counts = counts_in_one_query(
            Practice.objects.filter(pk=access.practice.pk), counts_wanted(access, role)
        )
    return [
        {
            "template": "accounts/_panel_members.html",
            "counts": [(Role(value).label, counts[value]) for value in Role.values],
            "pending_invitations": counts["pending"],
            "needs_people": counts[Role.COACH] == 0 or counts[Role.CLIENT] == 0,
        }
    ]
