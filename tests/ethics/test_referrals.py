import datetime

import time_machine
from django.db import connection
from django.urls import reverse

from ethics.models import Referral
from tests.ethics.helpers import program_for, referral_for

TODAY = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)


def _create_url(world, program):
    return reverse(
        "referral_create", kwargs={"slug": world.practice.slug, "program_code": program.code}
    )


@time_machine.travel(TODAY, tick=False)
def test_the_coach_records_a_referral_with_an_encrypted_note(world, client_for):
    program = program_for(world)
    response = client_for(world.coach).post(
        _create_url(world, program),
        {
            "professional": "therapist",
            "reason": "mental_health",
            "note": "canary-referral signs of depression",
            "follow_up_on": "2026-11-24",
            "pause_requested": "on",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.program == program
    assert referral.coach == world.coach
    assert referral.note == "canary-referral signs of depression"
    assert referral.pause_requested is True
    assert referral.follow_up_on == datetime.date(2026, 11, 24)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM ethics_referral")
        assert "canary" not in cursor.fetchone()[0]


@time_machine.travel(TODAY, tick=False)
def test_a_follow_up_date_in_the_past_is_refused(world, client_for):
    program = program_for(world)
    response = client_for(world.coach).post(
        _create_url(world, program),
        {"professional": "doctor", "reason": "physical_health", "follow_up_on": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert Referral.objects.count() == 0


def test_another_coach_cannot_refer_from_the_program(world, client_for):
    program = program_for(world)
    response = client_for(world.other_coach).post(
        _create_url(world, program), {"professional": "doctor", "reason": "physical_health"}
    )
    assert response.status_code == 404
    assert Referral.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_the_list_shows_my_referrals_and_flags_due_follow_ups(world, client_for):
    referral = referral_for(world)
    referral.follow_up_on = datetime.date(2026, 11, 9)
    referral.save()
    response = client_for(world.coach).get(
        reverse("referral_list", kwargs={"slug": world.practice.slug})
    )
    body = response.content.decode()
    assert "Therapist or counsellor" in body
    assert "Due" in body


def test_another_coach_does_not_see_my_referrals(world, client_for):
    referral_for(world)
    response = client_for(world.other_coach).get(
        reverse("referral_list", kwargs={"slug": world.practice.slug})
    )
    assert "Therapist or counsellor" not in response.content.decode()


def test_closing_a_referral(world, client_for):
    referral = referral_for(world)
    web = client_for(world.coach)
    url = reverse("referral_close", kwargs={"slug": world.practice.slug, "code": referral.code})
    assert web.post(url).status_code == 302
    referral.refresh_from_db()
    assert referral.closed_at is not None
    response = web.post(url, follow=True)
    assert "already closed" in response.content.decode()
