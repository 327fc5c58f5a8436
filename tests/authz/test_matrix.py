"""The authorization matrix: every URL pattern has an entry, and every entry holds.

A new URL without an entry in tests/authz/matrix_<app>.py fails test_every_url_has_an_entry.
A POST entry without an effect fails test_every_post_entry_has_an_effect: for a POST the
matrix checks the effect (the targeted state changed for an allowed persona, and did not for
a refused one), not only the status, since a refused POST answers 302 too.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.authz
from tests.authz.spec import LOGIN, REFUSED, SCHEDULER
from tests.reauth import mark_recently_authenticated

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
    for persona in ["anonymous", *sorted({*entry.expect, SCHEDULER})]
]

# What a scheduler gets from an entry that does not name it: refused, whichever of 403 (the
# role) or 404 (the object out of reach), and the POST's effect unchanged.
SCHEDULER_DEFAULT = "refused"


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_matrix(name, persona, world, client):
    entry = ENTRIES[name]
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    if persona != "anonymous":
        client.force_login(
            world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        mark_recently_authenticated(client, world.persona(persona))
    data = entry.data(world) if callable(entry.data) else (entry.data or {})
    data = {**data, **entry.data_for.get(persona, {})}
    before = entry.effect(world, kwargs) if entry.effect else None
    response = getattr(client, entry.method)(url, data)
    expected = (
        entry.expect.get(persona, SCHEDULER_DEFAULT if persona == SCHEDULER else LOGIN)
        if persona != "anonymous"
        else entry.expect.get("anonymous", LOGIN)
    )
    # The effect is judged before the status so that a failing status reports it too.
    effect = ""
    if entry.effect:
        after = entry.effect(world, kwargs)
        if expected in REFUSED or expected == SCHEDULER_DEFAULT or persona in entry.unchanged_for:
            if after != before:
                effect = (
                    f"{name} as {persona} ({expected}) changed the state: {before!r} -> {after!r}"
                )
        elif after == before:
            effect = (
                f"{name} as {persona} answered {response.status_code} but changed nothing "
                f"(still {before!r}): was the action refused behind a success status?"
            )
    also = f"; and {effect}" if effect else ""
    if expected == SCHEDULER_DEFAULT:
        assert response.status_code in (403, 404), (
            f"{name} as the scheduler (not named by the entry, so refused): "
            f"got {response.status_code}{also}"
        )
    elif expected == LOGIN:
        assert response.status_code == 302, f"{name} as anonymous: {response.status_code}{also}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{name} as {persona}: expected {expected}, got {response.status_code}{also}"
        )
    assert not effect, effect


# POST entries that legitimately change nothing observable in the database, with the reason.
# Empty: every POST URL of the project changes some state (sign-out is allauth's GET page
# here, its POST is not in the matrix). Add a name only with a comment saying why.
POSTS_WITHOUT_EFFECT: dict[str, str] = {
    # Payment links are off in the matrix's run (no gateway configured): every persona is
    # refused, so no row could change anything; tests/paylinks asserts their effects with a
    # local Midtrans and the links on.
    "invoice_pay_online": "off without MIDTRANS_SERVER_KEY; effect in tests/paylinks",
    "midtrans_notification": "off without MIDTRANS_SERVER_KEY; effect in tests/paylinks",
}


def test_every_post_entry_has_an_effect():
    """A POST row checked by its status alone stays green when the action is always refused."""
    missing = [
        entry.name
        for entry in ENTRIES.values()
        if entry.method == "post" and entry.effect is None
        if entry.name not in POSTS_WITHOUT_EFFECT
    ]
    assert missing == [], "POST entries without an effect (see tests/authz/spec.py)"
    assert set(POSTS_WITHOUT_EFFECT) <= {e.name for e in ENTRIES.values() if e.method == "post"}


def test_effects_are_checked_somewhere():
    """An effect must be expected for at least one persona, and unchanged_for and data_for
    name only personas of the entry (unchanged_for: allowed ones), so neither hides a row."""
    wrong = []
    for entry in ENTRIES.values():
        if entry.effect is None:
            if entry.unchanged_for or entry.data_for:
                wrong.append(f"{entry.name}: unchanged_for/data_for without an effect")
            continue
        personas = {"anonymous", *entry.expect}
        allowed = {p for p in personas if entry.expect.get(p, LOGIN) not in REFUSED}
        if not allowed - set(entry.unchanged_for):
            wrong.append(f"{entry.name}: no persona is expected to change anything")
        if set(entry.unchanged_for) - allowed:
            wrong.append(f"{entry.name}: unchanged_for names a refused or unknown persona")
        if set(entry.data_for) - personas:
            wrong.append(f"{entry.name}: data_for names an unknown persona")
    assert wrong == []


def test_practice_scoped_entries_answer_404_to_another_practice():
    """Every practice-scoped entry is declared to answer the outsider with 404."""
    wrong = [
        entry.name
        for entry in ENTRIES.values()
        if entry.practice_scoped and entry.expect.get("outsider") != 404
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "persona", ["admin", "coach", "client", "sponsor", "scheduler", "outsider"]
)
def test_admin_site_needs_staff(persona, world, client):
    client.force_login(
        world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    mark_recently_authenticated(client, world.persona(persona))
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
