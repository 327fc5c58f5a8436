"""#12: re-authentication (allauth's) before exports, erasure, widening a scope and role
changes. A sign-in older than ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes) is sent to
allauth's re-authentication page, changes nothing, and after the password the request it
made is replayed."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.accounts.models import Membership
from ethics.models import AccessEvent, ErasureRequest
from sessions.models import CheckIn
from tests.ethics.exports import ready_export
from tests.ethics.helpers import erasure_request_for
from tests.factories import PASSWORD
from tests.reauth import forget_authentication
from tests.sessions.factories import SessionFactory, program_for

REAUTH = reverse("account_reauthenticate")


def stale(client_for, user):
    client = client_for(user)
    forget_authentication(client)
    return client


def test_an_export_after_an_old_sign_in_asks_for_the_password_first(world, client_for):
    ready_export(world)  # prepared earlier (#11): the download is what leaves
    url = reverse("data_export_json", kwargs={"slug": world.practice.slug})
    client = stale(client_for, world.client)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()
    # The password, then back to the export.
    response = client.post(f"{REAUTH}?next={url}", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_the_coachs_icf_export_asks_too(world, client_for):
    url = reverse("icf_hours_export", kwargs={"slug": world.practice.slug})
    client = stale(client_for, world.coach)
    assert client.get(url)["Location"].startswith(REAUTH)
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()


def test_a_sign_in_older_than_five_minutes_no_longer_counts(world, client_for):
    url = reverse("data_export_page", kwargs={"slug": world.practice.slug})
    client = client_for(world.client)
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get(url)["Location"].startswith(REAUTH)


def test_a_real_sign_in_counts_as_recent(world):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": world.client.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    url = reverse("data_export_page", kwargs={"slug": world.practice.slug})
    assert client.get(url).status_code == 200


def test_erasure_waits_for_the_password_and_then_completes(world, client_for):
    erasure = erasure_request_for(world)
    url = reverse(
        "erasure_request_complete", kwargs={"slug": world.practice.slug, "code": erasure.code}
    )
    client = stale(client_for, world.admin)
    response = client.post(url)
    assert response["Location"].startswith(REAUTH)
    assert ErasureRequest.objects.get(pk=erasure.pk).completed_at is None
    # allauth replays the suspended POST once the password is confirmed.
    client.post(f"{REAUTH}?next={url}", {"password": PASSWORD})
    assert ErasureRequest.objects.get(pk=erasure.pk).completed_at is not None


def test_a_wrong_password_completes_nothing(world, client_for):
    erasure = erasure_request_for(world)
    url = reverse(
        "erasure_request_complete", kwargs={"slug": world.practice.slug, "code": erasure.code}
    )
    client = stale(client_for, world.admin)
    client.post(url)
    response = client.post(f"{REAUTH}?next={url}", {"password": "not-the-password"})
    assert response.status_code == 200
    assert ErasureRequest.objects.get(pk=erasure.pk).completed_at is None


def test_a_role_change_needs_a_recent_sign_in(world, client_for):
    url = reverse(
        "member_detail", kwargs={"slug": world.practice.slug, "user_code": world.coach.code}
    )
    client = stale(client_for, world.admin)
    assert client.get(url).status_code == 200  # reading the page is not a change
    response = client.post(url, {"roles": ["coach", "admin"], "organisation": ""})
    assert response["Location"].startswith(REAUTH)
    roles = set(
        Membership.objects.filter(
            practice=world.practice, user=world.coach, deactivated_at=None
        ).values_list("role", flat=True)
    )
    assert roles == {"coach"}


def _check_in_url(world):
    session = SessionFactory(program=program_for(world), starts_at=timezone.now())
    kwargs = {"slug": world.practice.slug, "code": session.code, "part": "check_in"}
    return session, reverse("session_part_save", kwargs=kwargs)


def test_widening_a_scope_needs_a_recent_sign_in_narrowing_does_not(world, client_for):
    session, url = _check_in_url(world)
    client = stale(client_for, world.coach)
    client.post(url, {"goal": "first goal", "scope": "client"})
    check_in = CheckIn.objects.get(session=session)
    assert (check_in.goal, check_in.scope) == ("first goal", "client")

    response = client.post(url, {"goal": "first goal", "scope": "sponsor"})
    assert response["Location"].startswith(REAUTH)
    assert CheckIn.objects.get(session=session).scope == "client"

    client.post(f"{REAUTH}?next={url}", {"password": PASSWORD})
    assert CheckIn.objects.get(session=session).scope == "sponsor"

    forget_authentication(client)
    client.post(url, {"goal": "first goal", "scope": "private"})
    assert CheckIn.objects.get(session=session).scope == "private"


def test_an_htmx_widening_is_sent_to_the_password_page_as_a_whole_page(world, client_for):
    session, url = _check_in_url(world)
    client = stale(client_for, world.coach)
    client.post(url, {"goal": "g", "scope": "private"})
    response = client.post(url, {"goal": "g", "scope": "client"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(REAUTH)
    assert CheckIn.objects.get(session=session).scope == "private"
