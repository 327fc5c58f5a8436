"""In a real browser: the sponsor reads what the client shares with them; the client
withdraws the consent; the sponsor's next page load no longer shows it."""

from datetime import timedelta

from django.utils import timezone

from ethics.models import Consent
from sessions.models import Scope
from tests.factories import PASSWORD
from tests.sessions.factories import CheckOutFactory, SessionFactory, program_for

SHARED = "Shared take-away 5521"


def test_withdrawn_consent_hides_sponsor_content_on_the_next_request(world, new_page, sign_in):
    program = program_for(world)
    session = SessionFactory(
        program=program, number=1, status="held", starts_at=timezone.now() - timedelta(days=2)
    )
    CheckOutFactory(session=session, take_aways=SHARED, scope=Scope.SPONSOR)
    Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree.",
        text_version="test",
    )
    sponsor_url = f"/p/{world.practice.slug}/sponsor/programs/{program.code}/"

    sponsor = new_page()
    sign_in(sponsor, world.sponsor.email, PASSWORD)
    sponsor.goto(sponsor_url)
    assert SHARED in sponsor.content()

    client = new_page()
    sign_in(client, world.client.email, PASSWORD)
    client.goto(f"/p/{world.practice.slug}/me/consents/")
    with client.expect_navigation():
        client.get_by_role("button", name="Withdraw consent").click()
    assert Consent.objects.get().withdrawn_at is not None

    sponsor.reload()
    assert sponsor.url.endswith(sponsor_url)
    assert SHARED not in sponsor.content()
    assert "has not consented" in sponsor.content()
