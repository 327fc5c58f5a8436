"""The contract's shape drives scheduling: cadence is a choice the schedule form reads,
sessions may be 30 to 120 minutes, and a duration proposes its session count (issue 13)."""

import pytest
from django.urls import reverse

from programs.models import Proposal
from tests.programs import builders


def _data(world, **changes):
    data = {
        "origin": "demand_led",
        "client": world.client.pk,
        "need": "Less firefighting.",
        "duration": 6,
        "sessions_count": "",
        "session_minutes": 45,
        "cadence": "fortnightly",
        "price_minor": "15.000.000",
        "currency": "IDR",
        "expires_on": "2030-01-01",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("duration", "cadence", "typed", "count"),
    [
        (6, "fortnightly", "", 13),
        (3, "weekly", "", 13),
        (12, "monthly", "", 12),
        (6, "monthly", "", 6),
        (6, "weekly", "20", 20),  # the count proposed stays editable
    ],
)
def test_a_duration_proposes_its_session_count(world, client_for, duration, cadence, typed, count):
    response = client_for(world.admin).post(
        reverse("proposal_create", args=[world.practice.slug]),
        _data(world, duration=duration, cadence=cadence, sessions_count=typed),
    )
    assert response.status_code == 302
    assert Proposal.objects.get().sessions_count == count


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "13 × 45 minutes, fortnightly"), ("id", "13 × 45 menit, dua mingguan")],
)
def test_the_proposal_reads_its_shape_in_the_readers_language(world, client_for, language, text):
    admin = client_for(world.admin)
    admin.post(reverse("proposal_create", args=[world.practice.slug]), _data(world))
    world.admin.language = language
    world.admin.save(update_fields=["language"])
    proposal = Proposal.objects.get()
    body = admin.get(reverse("proposal_detail", args=[world.practice.slug, proposal.code]))
    assert text in body.content.decode()


def test_thirty_minute_sessions_and_an_unknown_cadence(world, client_for):
    url = reverse("proposal_create", args=[world.practice.slug])
    admin = client_for(world.admin)
    response = admin.post(url, _data(world, cadence="whenever"))
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert "whenever is not one of the available choices" in response.content.decode()
    assert admin.post(url, _data(world, session_minutes=30)).status_code == 302
    assert Proposal.objects.get().session_minutes == 30


def test_the_schedule_form_spaces_by_the_contracts_cadence(world, client_for):
    program = builders.program(world, sessions=2)
    version = program.contract.current_version
    url = reverse("program_schedule", args=[world.practice.slug, program.code])
    admin = client_for(world.admin)
    body = admin.get(url).content.decode()
    assert 'name="spacing_days" value="30"' in body  # monthly
    assert 'name="count" value="4"' in body  # 6 contracted, 2 booked
    type(version).objects.filter(pk=version.pk).update(cadence="fortnightly")
    body = admin.get(url).content.decode()
    assert 'name="spacing_days" value="14"' in body
