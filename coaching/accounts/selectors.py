from itertools import groupby

from coaching.access import members_of

from .models import Invitation, User


def member_list(*, access):
    """People of the practice with their active roles, one entry per person, by name."""
    memberships = (
        members_of(access).select_related("user").order_by("user__full_name", "user__email", "role")
    )
    people = []
    for _user_id, rows in groupby(memberships, key=lambda m: m.user_id):
        rows = list(rows)
        people.append({"user": rows[0].user, "memberships": rows})
    return people


def invitation_list(*, access):
    return (
        Invitation.objects.pending().filter(practice=access.practice).select_related("invited_by")
    )


def user_with_email(email):
    return User.objects.filter(email__iexact=email).first()
