"""Pages with coaching content are never stored by a browser or a proxy.

Two checks. The static one walks every URL pattern and requires each view of the project's
five views modules to be wrapped by practice_view (which applies never_cache) or by
never_cache itself. The live one requests every GET URL of the authorization matrix as its
first persona answered with 200 and reads the Cache-Control header.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coaching import viewkit
from tests.authz import test_matrix as matrix
from tests.reauth import mark_recently_authenticated

VIEW_MODULES = {
    "programs.views",
    "sessions.views",
    "ethics.views",
    "coaching.accounts.views",
    "coaching.notifications.views",
}

# URL name: why the view may be cached. Keep this short; neither shows anyone's data.
NOT_PRIVATE = {
    "healthz": "a liveness probe answering 'ok' to anyone",
    "set_language": "a POST that sets a cookie and redirects; it renders no page",
}


def _callbacks(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


def _chain(view):
    """The view and every function it wraps (functools.wraps sets __wrapped__)."""
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def _is_never_cache(function):
    # functools.wraps copies the name, not the code: never_cache's wrapper is known by it.
    code = getattr(function, "__code__", None)
    return code is not None and code.co_qualname.startswith("never_cache.")


def _not_cached(view):
    return getattr(view, viewkit.MARKER, False) or any(_is_never_cache(f) for f in _chain(view))


def _our_views():
    for name, callback in _callbacks(get_resolver().url_patterns):
        if callback.__module__ in VIEW_MODULES:
            yield name, callback


def test_the_walk_finds_the_views_of_every_module():
    assert {callback.__module__ for _, callback in _our_views()} == VIEW_MODULES


def test_every_view_is_practice_view_or_never_cache():
    missing = [
        f"{callback.__module__}.{callback.__name__} ({name})"
        for name, callback in _our_views()
        if name not in NOT_PRIVATE and not _not_cached(callback)
    ]
    assert missing == [], "Wrap these in @practice_view(...) or @never_cache:\n" + "\n".join(
        missing
    )


def test_the_exemptions_are_still_views():
    assert set(NOT_PRIVATE) <= {name for name, _ in _our_views()}


def test_the_check_tells_a_cached_view_from_a_private_one():
    from django.http import HttpResponse
    from django.views.decorators.cache import never_cache
    from django.views.decorators.http import require_POST

    def plain(request):
        return HttpResponse()

    assert not _not_cached(plain)
    assert _not_cached(never_cache(plain))
    assert _not_cached(require_POST(never_cache(plain)))
    assert _not_cached(require_POST(viewkit.practice_view(roles=["admin"])(plain)))


def _first_ok(entry):
    return next((persona for persona, status in entry.expect.items() if status == 200), None)


GET_PAGES = [
    name
    for name, entry in sorted(matrix.ENTRIES.items())
    if entry.method == "get" and _first_ok(entry) is not None and name not in NOT_PRIVATE
]


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_says_no_store(name, world, client):
    entry = matrix.ENTRIES[name]
    persona = _first_ok(entry)
    if persona != "anonymous":
        client.force_login(
            world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        mark_recently_authenticated(client, world.persona(persona))
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    data = entry.data(world) if callable(entry.data) else (entry.data or {})
    response = client.get(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 200, f"{name} as {persona}: {response.status_code}"
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, (
        f"{name} as {persona}: Cache-Control {cache_control!r}"
    )
