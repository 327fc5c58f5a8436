"""Coach profiles (#13 item 4): the client sees each candidate's profile beside the meeting,
in the client's language, and a coach writes their own."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from programs import services
from programs.models import CoachProfile
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")


def _two_candidates(world):
    contract = builders.contract(world, status="active")
    for coach, hour in [(world.coach, 10), (world.other_coach, 14)]:
        services.chemistry_propose(
            contract=contract,
            coach=coach,
            actor=world.admin,
            starts_at=datetime(2026, 12, 10, hour, 0, tzinfo=JAKARTA),
        )
    services.coach_profile_save(
        practice=world.practice,
        actor=world.coach,
        bio_en="I coach new managers through their first year.",
        bio_id="Saya mendampingi manajer baru di tahun pertama mereka.",
        specialties_en="Leadership transitions",
        specialties_id="Transisi kepemimpinan",
        languages="Bahasa Indonesia, English",
        icf_level="PCC",
        icf_number="PCC-12345",
        years_coaching=9,
    )
    return contract


def test_the_client_reads_each_candidates_profile_in_their_language(world, client_for):
    contract = _two_candidates(world)
    url = reverse("contract_detail", args=[world.practice.slug, contract.code])
    browser = client_for(world.client)
    english = browser.get(url).content.decode()
    assert "I coach new managers through their first year." in english
    assert "PCC-12345" in english and "9 years of coaching" in english
    assert "This coach has not written a profile yet." in english  # the other candidate
    world.client.language = "id"
    world.client.save(update_fields=["language"])
    indonesian = browser.get(url).content.decode()
    assert "Saya mendampingi manajer baru di tahun pertama mereka." in indonesian
    assert "Transisi kepemimpinan" in indonesian
    assert "I coach new managers" not in indonesian


def test_a_coach_writes_their_profile_and_bad_input_keeps_what_was_typed(world, client_for):
    browser = client_for(world.coach)
    url = reverse("coach_profile_edit", args=[world.practice.slug])
    response = browser.post(
        url, {"bio_en": "Kept text", "years_coaching": "500", "icf_level": "PCC"}
    )
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    assert not CoachProfile.objects.exists()
    browser.post(url, {"bio_en": "Kept text", "years_coaching": "5", "icf_level": "PCC"})
    profile = CoachProfile.objects.get()
    assert (profile.coach, profile.bio_en, profile.years_coaching) == (world.coach, "Kept text", 5)
