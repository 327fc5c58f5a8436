"""Finding 10 of #12: sign-up takes as long for a registered address as for a new one (it
answered ten times faster, telling who is registered)."""

import time

from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-enough-password-for-timing"


def _signup_seconds(email):
    browser = Client()
    started = time.perf_counter()
    response = browser.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    return elapsed


def test_a_registered_address_answers_as_slowly_as_a_new_one(db, settings):
    # The production hasher (the test settings use a fast one, which would hide the gap).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(email="registered@cahaya.test")
    registered = min(_signup_seconds("registered@cahaya.test") for _ in range(3))
    new = min(_signup_seconds(f"new{i}@cahaya.test") for i in range(3))
    # Before: a registered address answered in about a tenth of the time.
    assert registered > 0.6 * new, (registered, new)
