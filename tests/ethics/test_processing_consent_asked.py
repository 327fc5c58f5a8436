"""Finding 12 of #12: the data-processing consent is asked at the client's first sign-in in a
practice, recorded like the other consents; the coach's session page warns until it is given."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ethics.models import Consent
from tests.sessions.factories import SessionFactory, program_for


def _dashboard(world, client_for):
    return client_for(world.client).get(reverse("dashboard_client", args=[world.practice.slug]))


def test_the_clients_first_dashboard_asks_for_the_processing_consent(world, client_for):
    body = _dashboard(world, client_for).content.decode()
    assert 'data-testid="processing-consent"' in body
    assert "stores and processes my personal data" in body
    response = client_for(world.client).post(
        reverse("consent_give", args=[world.practice.slug]), {"kind": "data_processing"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(client=world.client, kind="data_processing")
    assert "stores and processes my personal data" in consent.text
    assert consent.withdrawn_at is None
    assert 'data-testid="processing-consent"' not in _dashboard(world, client_for).content.decode()


def test_the_consents_page_shows_the_text_before_it_is_given(world, client_for):
    page = client_for(world.client).get(reverse("consent_list", args=[world.practice.slug]))
    assert "Not given" in page.content.decode()
    assert "stores and processes my personal data" in page.content.decode()


def test_the_coach_is_warned_until_the_client_consented(world, client_for):
    session = SessionFactory(
        program=program_for(world), number=1, starts_at=timezone.now() - timedelta(hours=1)
    )
    url = reverse("session_run", args=[world.practice.slug, session.code])
    assert (
        'data-testid="no-processing-consent"' in client_for(world.coach).get(url).content.decode()
    )
    client_for(world.client).post(
        reverse("consent_give", args=[world.practice.slug]), {"kind": "data_processing"}
    )
    assert (
        'data-testid="no-processing-consent"'
        not in client_for(world.coach).get(url).content.decode()
    )
