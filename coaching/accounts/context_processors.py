from django.utils.functional import SimpleLazyObject

from coaching.access import practices_for


def navigation(request):
    """The navigation's practice switcher and the current practice's roles (set by the gate)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_practices": SimpleLazyObject(lambda: list(practices_for(user).only("name", "slug"))),
        "nav_access": getattr(request, "practice_access", None),
    }
