from django.http import Http404, HttpRequest
from django.utils.functional import SimpleLazyObject

from coaching.access import (
    NAV_PRACTICE_KEY,
    MFARequired,
    practice_access_for,
    request_practices,
)


def _remembered_access(request: HttpRequest, practices):
    """On a page outside any practice: the practice last visited, or the only one."""
    slug = request.session.get(NAV_PRACTICE_KEY) if hasattr(request, "session") else None
    if slug is None and len(practices) == 1:
        slug = practices[0].slug
    if slug is None:
        return None
    try:
        return practice_access_for(request, slug)
    except (Http404, MFARequired):  # left the practice since, or must set up MFA first
        return None


def navigation(request):
    """The navigation's practice switcher and the current practice's roles (set by the gate;
    outside a practice, those of the practice last visited)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # From the memberships the gate reads (one query for both, #11).
    practices = SimpleLazyObject(lambda: request_practices(request))
    access = getattr(request, "practice_access", None)
    return {
        "nav_practices": practices,
        "nav_access": access or SimpleLazyObject(lambda: _remembered_access(request, practices)),
    }
