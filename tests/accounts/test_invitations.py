"""Inviting people and accepting invitations: the form, the link, and what each refuses."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from coaching.accounts import services
from coaching.accounts.models import Invitation, Membership, User

pytestmark = pytest.mark.django_db


def row_counts():
    return (User.objects.count(), Membership.objects.count(), Invitation.objects.count())


def invite_url(world):
    return f"/p/{world.practice.slug}/members/invite/"


def make_invitation(world, *, email="new.person@example.test", role="coach"):
    return services.invitation_create(
        practice=world.practice, email=email, role=role, invited_by=world.admin
    )


def accept_url(invitation):
    return f"/invitations/{services.invitation_token(invitation)}/"


ACCEPT_FORM = {
    "full_name": "Nadia Putri",
    "password1": "a-long-and-unusual-password",
    "password2": "a-long-and-unusual-password",
}


def test_admin_invites_a_coach_and_the_email_goes_out(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(
            invite_url(world), {"email": " New.Coach@Example.test ", "role": "coach"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.coach@example.test")
    assert invitation.role == "coach" and invitation.sent_at is not None
    [message] = mailoutbox
    assert message.to == ["new.coach@example.test"]
    assert "/invitations/" in message.body


def test_invitation_form_refuses_a_malformed_email(world, client_for, mailoutbox):
    before = row_counts()
    response = client_for(world.admin).post(
        invite_url(world), {"email": "not-an-email", "role": "coach"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert row_counts() == before
    assert mailoutbox == []


def test_invitation_form_refuses_someone_already_in_that_role(world, client_for, mailoutbox):
    before = row_counts()
    response = client_for(world.admin).post(
        invite_url(world), {"email": "COACH@cahaya.test", "role": "coach"}
    )
    assert response.status_code == 200
    assert "coach@cahaya.test is already a coach in this practice." in response.content.decode()
    assert row_counts() == before
    assert mailoutbox == []


def test_someone_in_another_role_may_be_invited_to_a_new_one(world, client_for):
    response = client_for(world.admin).post(
        invite_url(world), {"email": "coach@cahaya.test", "role": "client"}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="coach@cahaya.test", role="client").exists()


def test_invitation_form_refuses_an_unknown_role(world, client_for):
    before = row_counts()
    response = client_for(world.admin).post(
        invite_url(world), {"email": "x@example.test", "role": "superuser"}
    )
    assert response.status_code == 200
    assert row_counts() == before


def test_reinviting_withdraws_the_earlier_link(world):
    first = make_invitation(world)
    second = make_invitation(world)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(Invitation.objects.pending()) == [second]


def test_accepting_creates_a_verified_user_and_membership_and_signs_in(world, client):
    invitation = make_invitation(world)
    response = client.post(accept_url(invitation), ACCEPT_FORM)
    assert response.status_code == 302
    assert response["Location"] == f"/p/{world.practice.slug}/"
    user = User.objects.get(email="new.person@example.test")
    assert user.full_name == "Nadia Putri"
    assert user.check_password(ACCEPT_FORM["password1"])
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.filter(practice=world.practice, user=user, role="coach").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.get(f"/p/{world.practice.slug}/coach/").status_code == 200


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("expired", "This invitation has expired."),
        ("used", "This invitation has already been used."),
        ("revoked", "This invitation was withdrawn."),
        ("forged", "This invitation link is not valid."),
    ],
)
def test_an_unusable_link_says_why_and_creates_nothing(world, client, spoil, message):
    invitation = make_invitation(world)
    url = accept_url(invitation)
    if spoil == "used":
        services.invitation_accept(invitation=invitation, password="x-long-password-1")
    elif spoil == "revoked":
        services.invitation_revoke(invitation=invitation, actor=world.admin)
    elif spoil == "forged":
        url = url[:-3] + "xx/"
    before = row_counts()
    with time_machine.travel(timezone.now() + timedelta(days=15 if spoil == "expired" else 0)):
        get = client.get(url)
        post = client.post(url, ACCEPT_FORM)
    for response in (get, post):
        assert response.status_code == 404
        assert message in response.content.decode()
    assert row_counts() == before


def test_a_mismatched_password_creates_nothing(world, client):
    invitation = make_invitation(world)
    before = row_counts()
    response = client.post(accept_url(invitation), {**ACCEPT_FORM, "password2": "different"})
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert row_counts() == before


def test_an_existing_user_signed_in_joins_with_one_click(world, client_for):
    invitation = services.invitation_create(
        practice=world.practice, email=world.outsider.email, role="client", invited_by=world.admin
    )
    client = client_for(world.outsider)
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "Accept and join" in page.content.decode()
    users_before = User.objects.count()
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == f"/p/{world.practice.slug}/"
    assert User.objects.count() == users_before
    assert Membership.objects.filter(
        practice=world.practice, user=world.outsider, role="client", deactivated_at=None
    ).exists()


def test_an_existing_user_signed_out_is_asked_to_sign_in(world, client):
    invitation = services.invitation_create(
        practice=world.practice, email=world.outsider.email, role="client", invited_by=world.admin
    )
    before = row_counts()
    response = client.post(accept_url(invitation), ACCEPT_FORM)
    assert response.status_code == 200
    assert "/accounts/login/" in response.content.decode()
    assert row_counts() == before


def test_someone_else_signed_in_cannot_take_the_invitation(world, client_for):
    invitation = make_invitation(world)
    before = row_counts()
    response = client_for(world.client).post(accept_url(invitation), ACCEPT_FORM)
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize("chosen", ["en", "id"])
def test_the_language_chosen_on_the_invitation_page_is_the_new_accounts(
    world, client, settings, chosen
):
    world.practice.default_language = "id" if chosen == "en" else "en"
    world.practice.save(update_fields=["default_language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = chosen
    response = client.post(accept_url(make_invitation(world)), ACCEPT_FORM)
    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.test").language == chosen
    # Signed in, the first page reads in that language, not the practice's.
    page = client.get(f"/p/{world.practice.slug}/coach/")
    assert page["Content-Language"] == chosen
