"""Personas shared by every test: one practice with each role, and an outsider from another.

admin        runs the practice (logistics, never content)
coach        coaches the client
other_coach  a coach of the same practice who does not coach the client
client       the coachee
sponsor      pays for the client's coaching
scheduler    support staff: logistics only (pipeline, schedule, sessions, reminders)
outsider     admin of another practice (practice_b)
"""

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import MembershipFactory, PracticeFactory, UserFactory

# Deterministic property tests: the same examples on every run (tests that pass or fail by
# chance teach nothing), and no example database written into the tree.
hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis_settings.load_profile("deterministic")

PERSONAS = ["admin", "coach", "other_coach", "client", "sponsor", "scheduler", "outsider"]


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty in-process cache. Rate-limit counters (allauth's keys
    name the user's id, which the next test's rolled-back database hands out again) and the
    per-user feed cache otherwise carry over from earlier tests in the same worker process,
    so a test passed or failed by what ran before it (a run of the fast layer answered 429 to
    the re-authentication tests). Only the local-memory backend is cleared: a Redis cache is
    shared by the parallel test processes and by nothing else a test relies on."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    # Likewise the gate's memo of access-log rows written in this window: the next test's
    # database has none of them.
    from ethics.access import forget_logged_reads

    forget_logged_reads()
    yield


@dataclass
class World:
    practice: object
    practice_b: object
    admin: object
    coach: object
    other_coach: object
    client: object
    sponsor: object
    outsider: object
    scheduler: object

    def persona(self, name):
        return getattr(self, name)


def build_world():
    from coaching.accounts.models import Membership

    Role = Membership.Role
    practice = PracticeFactory(name="Cahaya", slug="cahaya")
    practice_b = PracticeFactory(name="Other practice", slug="other")
    people = {}
    for name, role, email in [
        ("admin", Role.ADMIN, "admin@cahaya.test"),
        ("coach", Role.COACH, "coach@cahaya.test"),
        ("other_coach", Role.COACH, "other.coach@cahaya.test"),
        ("client", Role.CLIENT, "client@cahaya.test"),
        ("sponsor", Role.SPONSOR, "sponsor@cahaya.test"),
        ("scheduler", Role.SCHEDULER, "scheduler@cahaya.test"),
    ]:
        user = UserFactory(email=email, full_name=name.replace("_", " ").title())
        MembershipFactory(practice=practice, user=user, role=role)
        people[name] = user
    outsider = UserFactory(email="outsider@other.test", full_name="Outsider")
    MembershipFactory(practice=practice_b, user=outsider, role=Role.ADMIN)
    return World(practice=practice, practice_b=practice_b, outsider=outsider, **people)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user, with the authentication record a real
    sign-in leaves in the session (tests/reauth.py)."""
    from tests.reauth import mark_recently_authenticated

    def _client_for(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        mark_recently_authenticated(client, user)
        return client

    return _client_for


_REQUIRE_ALL = os.environ.get("REQUIRE_ALL_LAYERS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_ALL_LAYERS=1 a skipped test is a failure: CI must not pass by skipping."""
    outcome = yield
    report = outcome.get_result()
    if _REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under REQUIRE_ALL_LAYERS=1: {report.longrepr}"
