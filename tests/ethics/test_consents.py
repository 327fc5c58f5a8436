from django.urls import reverse

from ethics.access import has_sponsor_consent
from ethics.models import Consent
from tests.ethics.helpers import consent_for, program_for
from tests.factories import MembershipFactory, UserFactory


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.practice.slug, **kwargs})


def test_the_page_offers_sharing_with_each_sponsor_of_my_programs(world, client_for):
    program_for(world)
    response = client_for(world.client).get(_url("consent_list", world))
    assert response.status_code == 200
    assert "Sharing with your sponsor Sponsor" in response.content.decode()
    assert "Processing of your data" in response.content.decode()


def test_giving_sharing_consent_records_the_text_and_version(world, client_for):
    program_for(world)
    response = client_for(world.client).post(
        _url("consent_give", world), {"kind": "sponsor_sharing", "sponsor": world.sponsor.code}
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.sponsor == world.sponsor
    assert consent.text_version == "2026-1"
    assert "Sponsor" in consent.text
    assert has_sponsor_consent(world.client, world.sponsor, world.practice)


def test_giving_it_twice_keeps_one_consent_in_force(world, client_for):
    program_for(world)
    web = client_for(world.client)
    for _ in range(2):
        web.post(
            _url("consent_give", world),
            {"kind": "sponsor_sharing", "sponsor": world.sponsor.code},
        )
    assert Consent.objects.count() == 1


def test_withdrawal_takes_effect_at_once_and_keeps_the_record(world, client_for):
    program = program_for(world)
    consent = consent_for(world)
    assert has_sponsor_consent(world.client, world.sponsor, program)
    response = client_for(world.client).post(_url("consent_withdraw", world, code=consent.code))
    assert response.status_code == 302
    assert not has_sponsor_consent(world.client, world.sponsor, program)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_consent_can_be_given_again_after_withdrawal(world, client_for):
    program_for(world)
    web = client_for(world.client)
    consent = consent_for(world)
    web.post(_url("consent_withdraw", world, code=consent.code))
    web.post(
        _url("consent_give", world), {"kind": "sponsor_sharing", "sponsor": world.sponsor.code}
    )
    assert Consent.objects.count() == 2
    assert has_sponsor_consent(world.client, world.sponsor, world.practice)


def test_a_client_cannot_consent_for_a_sponsor_of_someone_else(world, client_for):
    stranger_sponsor = UserFactory()
    MembershipFactory(practice=world.practice, user=stranger_sponsor, role="sponsor")
    response = client_for(world.client).post(
        _url("consent_give", world),
        {"kind": "sponsor_sharing", "sponsor": stranger_sponsor.code},
    )
    assert response.status_code == 404
    assert Consent.objects.count() == 0


def test_a_client_cannot_withdraw_another_clients_consent(world, client_for):
    other_client = UserFactory()
    MembershipFactory(practice=world.practice, user=other_client, role="client")
    consent = consent_for(world)
    response = client_for(other_client).post(_url("consent_withdraw", world, code=consent.code))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_sharing_without_a_sponsor_says_so(world, client_for):
    response = client_for(world.client).post(
        _url("consent_give", world), {"kind": "sponsor_sharing"}, follow=True
    )
    assert "Say which sponsor" in response.content.decode()
    assert Consent.objects.count() == 0


def test_consent_in_one_practice_does_not_count_in_another(world):
    consent_for(world)
    assert not has_sponsor_consent(world.client, world.sponsor, world.practice_b)
    assert not has_sponsor_consent(world.client, None, world.practice)


def test_the_consent_page_costs_the_same_queries_with_more_sponsors(
    world, client_for, django_assert_num_queries
):
    web = client_for(world.client)
    program_for(world)
    consent_for(world)
    web.get(_url("consent_list", world))  # warm the session
    # The page's own: consents in force, this client's sponsors, consent history with its
    # sponsors (one join). The rest is per request: session, user, the gate's memberships
    # (also the navigation's practices), the navigation's unread messages and notifications
    # (one query). 7 (14 before allauth's session activity was refreshed at most every 5
    # minutes, #11; 9 before the navigation's practices and badges were folded, #11).
    with django_assert_num_queries(7):
        web.get(_url("consent_list", world))
    for _ in range(3):
        sponsor = UserFactory()
        MembershipFactory(practice=world.practice, user=sponsor, role="sponsor")
        program_for(world, sponsor=sponsor)
        consent_for(world, sponsor=sponsor)
    with django_assert_num_queries(7):
        web.get(_url("consent_list", world))
