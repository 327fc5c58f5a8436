"""A coach drafts a proposal that an admin approves before it is sent (#13 item 5)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.accounts.models import Invitation
from programs import services
from programs.models import Proposal

TERMS = {
    "origin": "supply_driven",
    "need": "Lead the new regional team",
    "duration": "6",
    "sessions_count": "6",
    "session_minutes": "60",
    "cadence": "monthly",
    "price_minor": "15.000.000",
    "currency": "IDR",
    "expires_on": "2027-01-31",
}


def test_a_coach_drafts_and_an_admin_approves_by_sending(world, client_for):
    coach = client_for(world.coach)
    form = coach.get(reverse("proposal_create", args=[world.practice.slug])).content.decode()
    assert world.sponsor.email not in form  # no list of the practice's people for a coach
    response = coach.post(
        reverse("proposal_create", args=[world.practice.slug]),
        {**TERMS, "client_email": "new.prospect@example.test"},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.needs_approval, proposal.created_by) == (
        "draft",
        True,
        world.coach,
    )
    assert not Invitation.objects.filter(email="new.prospect@example.test").exists()
    page = coach.get(response["Location"]).content.decode()
    assert "Waiting for an admin of the practice to approve and send it." in page

    # The coach cannot send it; the admin sees it waiting and approves by sending.
    with pytest.raises(ValidationError):
        services.proposal_send(proposal=proposal, actor=world.coach)
    admin = client_for(world.admin)
    pipeline = admin.get(reverse("proposal_list", args=[world.practice.slug])).content.decode()
    assert "an admin: approve the coach" in pipeline
    detail = admin.get(
        reverse("proposal_detail", args=[world.practice.slug, proposal.code])
    ).content.decode()
    assert "Approve and send" in detail
    admin.post(reverse("proposal_send", args=[world.practice.slug, proposal.code]))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by) == ("sent", world.admin)
    assert proposal.approved_at is not None
    assert Invitation.objects.filter(email="new.prospect@example.test").exists()


def test_another_coach_does_not_see_a_coachs_draft(world, client_for):
    proposal = services.proposal_create(
        practice=world.practice,
        actor=world.coach,
        client_email=world.client.email,
        origin="supply_driven",
        need="x",
        duration=6,
        sessions_count=6,
        session_minutes=60,
        cadence="monthly",
        price_minor=1,
        currency="IDR",
        expires_on="2027-01-31",
    )
    assert proposal.client == world.client  # an existing client is found by email
    url = reverse("proposal_detail", args=[world.practice.slug, proposal.code])
    assert client_for(world.other_coach).get(url).status_code == 404
