"""Query counts of the contract page with its chemistry meetings (#11): the same whatever the
number of candidate coaches met, and the contract's versions read once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import ChemistryMeeting, CoachProfile
from tests.factories import MembershipFactory, UserFactory

from . import builders

pytestmark = pytest.mark.django_db

# The signed-in request's 2 (session, user), memberships (gate), the contract; its versions
# with their acceptances and who accepted (3: read once, #11: the in-force and pending
# versions were read again through the model's properties, six queries more), the admin's
# roles (the parties they accept for), the responses, the meetings with their coaches, the
# coaches' profiles, the program; in the base template the nav inbox count (the nav's
# practices come from the gate's memberships, #11); the payment schedule's instalments, the
# events with their actors = 15.
COUNT = 15


@pytest.mark.parametrize("candidates", [1, 6])
def test_contract_page_queries(candidates, world, client_for, django_assert_num_queries):
    contract = builders.contract(world, status="active")
    coaches = [world.coach] + [UserFactory() for _ in range(candidates - 1)]
    for n, coach in enumerate(coaches):
        if coach != world.coach:
            MembershipFactory(practice=world.practice, user=coach, role="coach")
        CoachProfile.objects.create(practice=world.practice, coach=coach, bio_en=f"Bio {n}")
        ChemistryMeeting.objects.create(
            contract=contract,
            coach=coach,
            starts_at=timezone.now() + timedelta(days=n + 1),
            client_note="never on the admin's page",
        )
    browser = client_for(world.admin)
    url = reverse("contract_detail", args=[world.practice.slug, contract.code])
    browser.get(url)
    with django_assert_num_queries(COUNT):
        response = browser.get(url)
    page = response.content.decode()
    assert page.count('data-testid="coach-profile"') == candidates
    assert f"Bio {candidates - 1}" in page
    assert "never on the admin" not in page
    # The terms in force are the accepted version's.
    assert response.context["in_force"] == contract.current_version
    assert response.context["pending"] is None
