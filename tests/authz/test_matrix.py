"""The authorization matrix: every URL pattern has an entry, and every entry holds.

A new URL without an entry in tests/authz/matrix_<app>.py fails test_every_url_has_an_entry.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.authz
from tests.authz.spec import LOGIN

ADMIN_SITE_PREFIX = "django-admin/"


def _entries():
    entries = []
    for module in pkgutil.iter_modules(tests.authz.__path__):
        if module.name.startswith("matrix_"):
            entries += importlib.import_module(f"tests.authz.{module.name}").ENTRIES
    return entries


ENTRIES = {entry.name: entry for entry in _entries()}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def test_every_url_has_an_entry():
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith(ADMIN_SITE_PREFIX):
            continue  # the Django admin site: test_admin_site_needs_staff covers it as a whole
        if name not in ENTRIES:
            missing.append(f"{name or '(unnamed)'}  {route}")
    assert not missing, "URL patterns without an authorization-matrix entry:\n" + "\n".join(missing)


def test_every_entry_names_a_url():
    names = {name for name, _ in _walk(get_resolver().url_patterns)}
    assert set(ENTRIES) - names == set()


CASES = [
    (entry.name, persona)
    for entry in ENTRIES.values()
    for persona in ["anonymous", *sorted(entry.expect)]
]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_matrix(name, persona, world, client):
    entry = ENTRIES[name]
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    if persona != "anonymous":
        client.force_login(
            world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
        )
    data = entry.data(world) if callable(entry.data) else (entry.data or {})
    response = getattr(client, entry.method)(url, data)
    expected = (
        entry.expect.get(persona, LOGIN)
        if persona != "anonymous"
        else entry.expect.get("anonymous", LOGIN)
    )
    if expected == LOGIN:
        assert response.status_code == 302, f"{name} as anonymous: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{name} as {persona}: expected {expected}, got {response.status_code}"
        )


def test_practice_scoped_entries_answer_404_to_another_practice():
    """Every practice-scoped entry is declared to answer the outsider with 404."""
    wrong = [
        entry.name
        for entry in ENTRIES.values()
        if entry.practice_scoped and entry.expect.get("outsider") != 404
    ]
    assert wrong == []


@pytest.mark.parametrize("persona", ["admin", "coach", "client", "sponsor", "outsider"])
def test_admin_site_needs_staff(persona, world, client):
    client.force_login(
        world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    for url in [
        "/django-admin/",
        "/django-admin/accounts/user/",
        "/django-admin/accounts/practice/",
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_admin_site_login_goes_through_allauth(client, world):
    """The admin's own login form would skip MFA; it must send people to allauth's."""
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
