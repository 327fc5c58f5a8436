import datetime

import time_machine
from django.test import override_settings
from django.urls import reverse

from ethics.models import EthicsAttestation
from tests.ethics.helpers import erasure_request_for, referral_for

PANELS = [
    "coaching.accounts.dashboard",
    "programs.dashboard",
    "sessions.dashboard",
    "ethics.dashboard",
]
NOW = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)


@override_settings(DASHBOARD_PANEL_MODULES=PANELS)
@time_machine.travel(NOW, tick=False)
def test_the_coach_is_reminded_of_follow_ups_and_the_attestation(world, client_for):
    referral = referral_for(world)
    referral.follow_up_on = datetime.date(2026, 11, 10)
    referral.save()
    body = (
        client_for(world.coach)
        .get(reverse("dashboard_coach", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "1 referral to follow up" in body
    assert "Attest to the ICF Code of Ethics for 2026" in body


@override_settings(DASHBOARD_PANEL_MODULES=PANELS)
@time_machine.travel(NOW, tick=False)
def test_nothing_shows_when_the_coach_is_up_to_date(world, client_for):
    EthicsAttestation.objects.create(
        practice=world.practice, coach=world.coach, year=2026, code_version="x"
    )
    body = (
        client_for(world.coach)
        .get(reverse("dashboard_coach", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "Ethical practice" not in body


@override_settings(DASHBOARD_PANEL_MODULES=PANELS)
def test_the_admin_sees_waiting_erasure_requests(world, client_for):
    erasure_request_for(world)
    body = (
        client_for(world.admin)
        .get(reverse("dashboard_admin", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "1 erasure request waiting" in body
