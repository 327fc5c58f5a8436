from datetime import timedelta

from django.utils import timezone

from coaching.accounts.models import Invitation, Membership, User
from tests.authz.spec import Entry, everyone, only, practice


def member(world):
    return {"slug": world.practice.slug, "user_code": world.client.code}


def pending_invitation(world):
    invitation = Invitation.objects.create(
        practice=world.practice,
        email="new.coach@example.test",
        role="coach",
        language="id",
        expires_at=timezone.now() + timedelta(days=3),
    )
    return {"slug": world.practice.slug, "code": invitation.code}


def invitation_link(world):
    from coaching.accounts.services import invitation_token

    invitation = Invitation.objects.create(
        practice=world.practice,
        email="someone.new@example.test",
        role="client",
        language="id",
        expires_at=timezone.now() + timedelta(days=3),
    )
    return {"token": invitation_token(invitation)}


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def languages(world, kwargs):
    """Every persona's profile language (the factory's users read English)."""
    return tuple(User.objects.order_by("pk").values_list("email", "language"))


def client_memberships(world, kwargs):
    return tuple(
        Membership.objects.filter(practice=world.practice, user__code=kwargs["user_code"])
        .order_by("role")
        .values_list("role", "deactivated_at")
    )


def invitation_revoked_at(world, kwargs):
    return Invitation.objects.get(code=kwargs["code"]).revoked_at


ENTRIES = [
    Entry(
        "home",
        everyone(
            200,
            admin=302,
            coach=302,
            other_coach=302,
            client=302,
            sponsor=302,
            scheduler=302,
            outsider=302,
        ),
        practice_scoped=False,
        note="one practice: straight to it",
    ),
    Entry("healthz", everyone(200, anonymous=200), public=True, practice_scoped=False),
    # The icon every browser asks for: a permanent redirect to the static file.
    Entry("favicon", everyone(301, anonymous=301), public=True, practice_scoped=False),
    Entry("profile", everyone(200), practice_scoped=False),
    Entry(
        "set_language",
        everyone(302, anonymous=302),
        method="post",
        data={"language": "id"},
        public=True,
        practice_scoped=False,
        effect=languages,
        unchanged_for={
            "anonymous": "a visitor has no profile: the choice is a cookie (tests/i18n)",
        },
    ),
    Entry("practice_create", everyone(200), practice_scoped=False),
    Entry(
        "invitation_accept",
        everyone(403, anonymous=200),
        kwargs=invitation_link,
        public=True,
        practice_scoped=False,
        note="signed-in people hold another account than the invitee",
    ),
    Entry(
        "practice_home",
        only(["admin", "coach", "other_coach", "client", "sponsor", "scheduler"], 302),
        kwargs=practice,
    ),
    Entry("dashboard_admin", only(["admin"]), kwargs=practice),
    Entry("dashboard_coach", only(["coach", "other_coach"]), kwargs=practice),
    Entry("dashboard_client", only(["client"]), kwargs=practice),
    Entry("dashboard_sponsor", only(["sponsor"]), kwargs=practice),
    Entry("practice_settings", only(["admin"]), kwargs=practice),
    Entry("member_list", only(["admin"]), kwargs=practice),
    Entry("member_invite", only(["admin"]), kwargs=practice),
    Entry("member_detail", only(["admin"]), kwargs=member),
    Entry(
        "member_deactivate",
        only(["admin"], 302),
        kwargs=member,
        method="post",
        effect=client_memberships,
    ),
    Entry(
        "invitation_revoke",
        only(["admin"], 302),
        kwargs=pending_invitation,
        method="post",
        effect=invitation_revoked_at,
    ),
]

# allauth's account pages. Not practice-scoped: they concern only the signed-in person.
_SIGNED_IN = everyone(200)
ALLAUTH = [
    Entry("account_login", everyone(302, anonymous=200), public=True, practice_scoped=False),
    Entry("account_logout", everyone(200, anonymous=302), public=True, practice_scoped=False),
    Entry("account_inactive", everyone(200, anonymous=200), public=True, practice_scoped=False),
    Entry("account_signup", everyone(302, anonymous=200), public=True, practice_scoped=False),
    Entry("account_reauthenticate", _SIGNED_IN, practice_scoped=False),
    Entry(
        "account_email",
        _SIGNED_IN,
        practice_scoped=False,
        note="a change asks to re-authenticate first",
    ),
    Entry(
        "account_email_verification_sent",
        everyone(200, anonymous=200),
        public=True,
        practice_scoped=False,
    ),
    Entry(
        "account_change_password",
        _SIGNED_IN,
        practice_scoped=False,
        note="a change asks to re-authenticate first",
    ),
    Entry(
        "account_set_password",
        everyone(302),
        practice_scoped=False,
        note="people with a password are sent to change it",
    ),
    Entry(
        "account_reset_password", everyone(200, anonymous=200), public=True, practice_scoped=False
    ),
    Entry(
        "account_confirm_login_code",
        everyone(302, anonymous=302),
        public=True,
        practice_scoped=False,
        note="login by code is off",
    ),
    Entry(
        "account_confirm_email",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"key": "bad"},
        public=True,
        practice_scoped=False,
        note="an invalid key says so",
    ),
    Entry(
        "account_reset_password_from_key_done",
        everyone(200, anonymous=200),
        public=True,
        practice_scoped=False,
    ),
    Entry(
        "account_reset_password_from_key",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"uidb36": "1", "key": "bad"},
        public=True,
        practice_scoped=False,
    ),
    Entry(
        "account_reset_password_done",
        everyone(200, anonymous=200),
        public=True,
        practice_scoped=False,
    ),
    Entry("mfa_index", _SIGNED_IN, practice_scoped=False),
    Entry(
        "mfa_authenticate",
        everyone(302, anonymous=302),
        public=True,
        practice_scoped=False,
        note="only inside a login with MFA pending",
    ),
    Entry(
        "mfa_reauthenticate",
        everyone(302),
        practice_scoped=False,
        note="no authenticator yet: nothing to re-authenticate with",
    ),
    Entry(
        "mfa_activate_totp", everyone(302), practice_scoped=False, note="asks to re-authenticate"
    ),
    Entry("mfa_deactivate_totp", everyone(404), practice_scoped=False, note="no TOTP yet"),
    Entry("mfa_view_recovery_codes", everyone(404), practice_scoped=False, note="none yet"),
    Entry(
        "mfa_generate_recovery_codes",
        everyone(302),
        practice_scoped=False,
        note="asks to re-authenticate",
    ),
    Entry("mfa_download_recovery_codes", everyone(404), practice_scoped=False, note="none yet"),
    Entry("usersessions_list", _SIGNED_IN, practice_scoped=False),
]
ENTRIES += ALLAUTH
