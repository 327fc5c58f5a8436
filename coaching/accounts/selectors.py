from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from coaching.access import Role, members_of

from .models import Invitation, User

MEMBERS_PER_PAGE = 50


class CountedPaginator(Paginator):
    """A Paginator whose total is already known (from an aggregate): no COUNT of its own."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def member_list(*, access, query="", role="", page_number=1, per_page=MEMBERS_PER_PAGE):
    """A page of the practice's people with their active roles, by name (two queries: the
    page of people, then their memberships). `query` matches name or email; `role` keeps the
    holders of one role."""
    memberships = members_of(access)
    if role in Role.values:
        memberships = memberships.filter(role=role)
    # One query with the memberships as a subquery: PostgreSQL's plan (EXPLAIN at scale 0.1 in
    # docs/benchmarks.md) hashes the practice's memberships (their index) and reads the users
    # once; fetching the ids first and looking users up by primary key was planned the same
    # way (a fifth of all users), with the ids carried through Python besides (#11).
    people = User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "full_name", "email", "pk"
    )
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        paginator = Paginator(people, per_page)
    else:
        # The number of people from the memberships alone (their index): counting the users
        # joined to them read every user of every practice (#11). The page itself is read in
        # name order from the users' index (user_member_list_order).
        count = memberships.order_by().values("user_id").distinct().count()
        paginator = CountedPaginator(people, per_page, count=count)
    page = paginator.get_page(page_number)
    rows = members_of(access).filter(user__in=list(page.object_list)).order_by("role")
    roles_of = {}
    for membership in rows:
        roles_of.setdefault(membership.user_id, []).append(membership)
    page.object_list = [
        {"user": user, "memberships": roles_of.get(user.pk, [])} for user in page.object_list
    ]
    return page


def invitation_list(*, access):
    return (
        Invitation.objects.pending().filter(practice=access.practice).select_related("invited_by")
    )


def user_with_email(email):
    return User.objects.filter(email__iexact=email).first()
