"""A client who has never been coached (#13 item 4): the proposal explains what coaching is,
and the chemistry meeting is proposed longer."""

import re

from django.urls import reverse

from programs.models import Proposal
from tests.programs import builders


def test_a_first_timer_reads_an_explainer_on_the_proposal(world, client_for):
    proposal = builders.proposal(world, status="sent")
    url = reverse("proposal_detail", args=[world.practice.slug, proposal.code])
    assert "New to coaching?" not in client_for(world.client).get(url).content.decode()
    Proposal.objects.filter(pk=proposal.pk).update(first_time_coaching=True)
    body = client_for(world.client).get(url).content.decode()
    assert "New to coaching?" in body
    assert "It is not advice, consulting or therapy." in body


def test_the_chemistry_form_suggests_a_longer_meeting_for_a_first_timer(world, client_for):
    contract = builders.contract(world, status="active")
    url = reverse("chemistry_propose", args=[world.practice.slug, contract.code])
    selected = r'<option value="(\d+)" selected>'
    body = client_for(world.admin).get(url).content.decode()
    assert re.search(selected, body)[1] == "30"
    Proposal.objects.filter(pk=contract.proposal_id).update(first_time_coaching=True)
    body = client_for(world.admin).get(url).content.decode()
    assert re.search(selected, body)[1] == "60"
    assert "never been coached" in body


def test_the_admin_records_first_time_on_the_proposal(world, client_for):
    response = client_for(world.admin).post(
        reverse("proposal_create", args=[world.practice.slug]),
        {
            "origin": "demand_led",
            "client": world.client.pk,
            "need": "Leading a new team",
            "duration": "6",
            "sessions_count": "6",
            "session_minutes": "60",
            "cadence": "monthly",
            "price_minor": "15000000",
            "currency": "IDR",
            "expires_on": "2027-01-31",
            "first_time_coaching": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Proposal.objects.get().first_time_coaching is True
