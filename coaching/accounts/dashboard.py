from django.db.models import Count, Q

from coaching.access import Role, members_of

from .models import Invitation


def panels(access, role):
    if role != Role.ADMIN:
        return []
    counts = members_of(access).aggregate(
        **{value: Count("id", filter=Q(role=value)) for value in Role.values}
    )
    pending = Invitation.objects.pending().filter(practice=access.practice).count()
    return [
        {
            "template": "accounts/_panel_members.html",
            "counts": [(Role(value).label, counts[value]) for value in Role.values],
            "pending_invitations": pending,
            "needs_people": counts[Role.COACH] == 0 or counts[Role.CLIENT] == 0,
        }
    ]
