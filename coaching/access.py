"""The reach gate: which practices, and which roles in them, a user has.

Every view of a practice asks here first. Outside the user's practices the answer is 404,
so that a practice's existence is not leaked; inside, the wrong role is 403. Content scopes
(who may read a note) live in ethics/, which builds on this.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Self
from uuid import UUID

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from coaching.accounts.models import Invitation, Membership, Practice, User

Role = Membership.Role
# The roles that run the practice's logistics: the pipeline, the schedule, sessions' times and
# the reminders. The scheduler has these and nothing else of the admin's.
LOGISTICS = (Role.ADMIN, Role.SCHEDULER)


class MFARequired(Exception):
    """Raised when the practice requires MFA of this user's role and they have none yet.

    PracticeAccessMiddleware turns it into a redirect to the TOTP set-up page.
    """


@dataclass(frozen=True)
class PracticeAccess:
    """What one user may do in one practice, resolved once per request."""

    user: User
    practice: Practice
    roles: frozenset[str] = field(default_factory=frozenset)
    # Rows read once per request and shared by the parts of one page (two dashboard panels
    # list the same programs, #11). Not part of the access's identity.
    reads: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_coach(self) -> bool:
        return Role.COACH in self.roles

    @property
    def is_client(self) -> bool:
        return Role.CLIENT in self.roles

    @property
    def is_sponsor(self) -> bool:
        return Role.SPONSOR in self.roles

    @property
    def is_scheduler(self) -> bool:
        return Role.SCHEDULER in self.roles

    @property
    def runs_logistics(self) -> bool:
        """An admin or a scheduler: sees and does the practice's logistics (never content)."""
        return self.has(*LOGISTICS)

    @property
    def ordered_roles(self) -> list[str]:
        return [role for role in Role.values if role in self.roles]

    def require(self, *roles: str) -> Self:
        if not self.has(*roles):
            raise PermissionDenied
        return self


def any_of(*conditions: Q) -> Q:
    """The rows that match any of the conditions; no row when there is none (fails closed).

    The gate's reach is an OR over the user's roles. Seeding it with Q(pk__in=[]) and OR-ing
    the roles onto it gave the same SQL (Django drops the empty IN when compiling) at a cost
    of about 1,000 Python calls per query to build and compile it (#11): only a user with no
    matching role gets the empty IN now."""
    if not conditions:
        return Q(pk__in=[])
    found = conditions[0]
    for condition in conditions[1:]:
        found |= condition
    return found


def active_memberships(user: User | AnonymousUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, deactivated_at=None)


def roles_of(practice: Practice, user: User | AnonymousUser) -> set[str]:
    """The user's active roles in the practice, for services acting on a user's behalf
    outside a request (a request has them in its PracticeAccess)."""
    return set(active_memberships(user).filter(practice=practice).values_list("role", flat=True))


def practices_for(user: User | AnonymousUser) -> QuerySet[Practice]:
    """The practices where the user holds at least one active role."""
    if not user.is_authenticated:
        return Practice.objects.none()
    return Practice.objects.filter(
        memberships__user=user, memberships__deactivated_at=None
    ).distinct()


NAV_PRACTICE_KEY = "nav_practice"
REQUEST_MEMBERSHIPS = "_active_memberships"


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's active memberships with their practices, oldest first.

    One query per request (#11), shared by everything a page asks of it: the gate
    (practice_access_for, which used to ask for the practice's memberships on its own), the
    navigation's practice switcher (request_practices, its own query before) and the language
    and time zone of a user who has chosen none (UserPreferencesMiddleware: their first
    practice's, its own query before). A person holds a few memberships, so reading all of them
    costs what reading one practice's did.
    """
    user = request.user
    cached = request.__dict__.get(REQUEST_MEMBERSHIPS)
    if cached is None or cached[0] != user.pk:  # read again if the request changed its user
        memberships = active_memberships(user).select_related("practice")
        cached = (user.pk, list(memberships.order_by("created_at", "pk")))
        request.__dict__[REQUEST_MEMBERSHIPS] = cached
    return cached[1]


def request_practices(request: HttpRequest) -> list[Practice]:
    """practices_for(request.user), in its order (by name), from request_memberships."""
    practices = {m.practice_id: m.practice for m in request_memberships(request)}
    return sorted(practices.values(), key=lambda p: (p.name, p.pk))


def practice_access_for(
    request: HttpRequest, slug: str, *, roles: Collection[str] | None = None
) -> PracticeAccess:
    """The user's access to the practice named by slug; 404 outside it, 403 for a wrong role.

    The result is cached on the request so that a page asking twice costs one query.
    """
    cache: dict[str, PracticeAccess] = request.__dict__.setdefault("_practice_access", {})
    access = cache.get(slug)
    if access is None:
        user = request.user
        if not user.is_authenticated:
            raise Http404  # no memberships, as below (and the user is typed User from here)
        memberships = [m for m in request_memberships(request) if m.practice.slug == slug]
        if not memberships:
            # Not among the memberships read at the start of the request: ask again, in case
            # this request has just created one (a new practice, an accepted invitation).
            memberships = list(
                active_memberships(user).filter(practice__slug=slug).select_related("practice")
            )
        if not memberships:
            raise Http404
        access = PracticeAccess(
            user=user,
            practice=memberships[0].practice,
            roles=frozenset(m.role for m in memberships),
        )
        cache[slug] = access
    if (
        access.practice.require_mfa_for_staff
        and access.has(Role.ADMIN, Role.COACH, Role.SCHEDULER)  # the staff
        and not is_mfa_enabled(request.user)
    ):
        raise MFARequired
    # An attribute of this project (read with getattr by the nav context processor), not of
    # HttpRequest as django-stubs declares it.
    request.practice_access = access  # type: ignore[attr-defined]
    # Remembered so that pages outside a practice (the inbox, the profile) still show its
    # navigation; a session write only when the practice changes.
    session = getattr(request, "session", None)
    if session is not None and session.get(NAV_PRACTICE_KEY) != slug:
        session[NAV_PRACTICE_KEY] = slug
    if roles:
        access.require(*roles)
    return access


def members_of(access: PracticeAccess, *, include_inactive: bool = False) -> QuerySet[Membership]:
    """Memberships of the practice an admin may manage."""
    qs = Membership.objects.filter(practice=access.practice)
    if not include_inactive:
        qs = qs.filter(deactivated_at=None)
    return qs


def member_user_for(access: PracticeAccess, user_code: UUID | str) -> User:
    """A person with any membership (active or not) in the practice; 404 otherwise."""
    try:
        return (
            User.objects.filter(memberships__practice=access.practice)
            .distinct()
            .get(code=user_code)
        )
    except User.DoesNotExist as exc:
        raise Http404 from exc


def invitation_for(access: PracticeAccess, code: UUID | str) -> Invitation:
    try:
        return Invitation.objects.get(practice=access.practice, code=code)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc
