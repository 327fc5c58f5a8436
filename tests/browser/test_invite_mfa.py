"""An admin invites a coach; the coach joins through the emailed link, turns on TOTP and signs
back in with a code, all in a real browser against the live server."""

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator

from coaching.accounts.models import Invitation, Membership
from tests.browser.conftest import sign_in, submit
from tests.factories import PASSWORD, MembershipFactory, PracticeFactory, UserFactory

LINK = re.compile(r"https?://[^\s\"<>]+/invitations/[^\s\"<>/]+/")


def totp(secret, *, at=None, period=30, digits=6):
    """RFC 6238: HOTP (RFC 4226, HMAC-SHA1) of the number of periods since the epoch."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def test_totp_matches_rfc_6238_test_vector():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"


def test_an_invited_coach_joins_enables_totp_and_signs_back_in_with_a_code(new_page, mailoutbox):
    practice = PracticeFactory(name="Cahaya Coaching", slug="cahaya", default_language="en")
    admin = UserFactory(email="admin@cahaya.test", full_name="Ayu Admin")
    MembershipFactory(practice=practice, user=admin, role=Membership.Role.ADMIN)

    # The admin invites a coach through the members page.
    admin_page = new_page()
    sign_in(admin_page, admin.email, PASSWORD)
    assert urlsplit(admin_page.url).path == "/p/cahaya/admin/"
    admin_page.goto("/p/cahaya/members/invite/")
    admin_page.fill("input[name=email]", "Rina.Coach@Example.test")
    admin_page.select_option("select[name=role]", "coach")
    admin_page.fill("input[name=full_name]", "Rina Wijaya")
    submit(admin_page, "form:has(input[name=email])")
    assert urlsplit(admin_page.url).path == "/p/cahaya/members/"
    assert "rina.coach@example.test" in admin_page.content()
    assert Invitation.objects.pending().filter(practice=practice, role="coach").count() == 1

    # The email went out (tasks run eagerly in the test settings) with a one-time link.
    [message] = [m for m in mailoutbox if m.to == ["rina.coach@example.test"]]
    link = LINK.search(message.body).group(0)

    # The coach, in a browser of their own, follows the link and chooses a password.
    coach_page = new_page()
    coach_page.goto(urlsplit(link).path)
    coach_page.fill("input[name=full_name]", "Rina Wijaya")
    coach_page.fill("input[name=password1]", "a-long-coach-password-2026")
    coach_page.fill("input[name=password2]", "a-long-coach-password-2026")
    submit(coach_page, "form:has(input[name=password1])")
    assert urlsplit(coach_page.url).path == "/p/cahaya/coach/"
    assert "Your coaching" in coach_page.content()

    # TOTP: read the secret allauth shows, answer with the next period's code.
    coach_page.goto("/accounts/2fa/totp/activate/")
    if urlsplit(coach_page.url).path == "/accounts/reauthenticate/":
        # allauth asks for the password again before a security change.
        coach_page.fill("input[name=password]", "a-long-coach-password-2026")
        submit(coach_page, "form:has(input[name=password])")
    assert urlsplit(coach_page.url).path == "/accounts/2fa/totp/activate/", coach_page.url
    secret = coach_page.input_value("#authenticator_secret")
    assert secret
    coach_page.fill("input[name=code]", totp(secret, at=time.time() + 30))
    submit(coach_page, "form:has(input[name=code])")
    coach = Membership.objects.get(practice=practice, role="coach").user
    assert Authenticator.objects.filter(user=coach, type=Authenticator.Type.TOTP).exists()
    if "recovery-codes" in coach_page.url:
        # allauth shows the recovery codes once; a person would write them down now.
        assert Authenticator.objects.filter(
            user=coach, type=Authenticator.Type.RECOVERY_CODES
        ).exists()

    # Sign out, then back in: the password alone is not enough any more.
    coach_page.goto("/accounts/logout/")
    submit(coach_page, "main form[action='/accounts/logout/']")
    sign_in(coach_page, "rina.coach@example.test", "a-long-coach-password-2026")
    assert urlsplit(coach_page.url).path == "/accounts/2fa/authenticate/"
    coach_page.fill("input[name=code]", totp(secret))
    submit(coach_page, "form:has(input[name=code])")
    assert urlsplit(coach_page.url).path == "/p/cahaya/coach/"
    assert "Your coaching" in coach_page.content()
    assert "Cahaya Coaching" in coach_page.content()
