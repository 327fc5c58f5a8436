"""The pipeline and the dashboards cost the same number of queries at any size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import services
from tests.factories import MembershipFactory
from tests.programs import builders


def _more(world, n):
    for _ in range(n):
        other = MembershipFactory(practice=world.practice, role="client").user
        services.proposal_create(
            practice=world.practice,
            actor=world.admin,
            client=other,
            origin="demand_led",
            need="x",
            duration=3,
            sessions_count=3,
            session_minutes=60,
            cadence="monthly",
            price_minor=1,
            currency="IDR",
            expires_on="2030-01-01",
        )


def _count(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_pipeline_costs_the_same_at_two_sizes(world, client_for):
    builders.program(world, sessions=2)
    browser = client_for(world.admin)
    url = reverse("proposal_list", kwargs={"slug": world.practice.slug})
    _count(browser, url)  # warm up: the first request of a session costs a few more
    small = _count(browser, url)
    _more(world, 5)
    assert _count(browser, url) == small


def test_the_sponsor_dashboard_costs_the_same_at_two_sizes(world, client_for):
    builders.program(world, sessions=2)
    builders.contract(world, status="sent")
    browser = client_for(world.sponsor)
    url = reverse("dashboard_sponsor", kwargs={"slug": world.practice.slug})
    _count(browser, url)  # warm up: the first request of a session costs a few more
    small = _count(browser, url)
    for _ in range(3):
        builders.proposal(world, status="sent")
        builders.contract(world, status="sent")
    assert _count(browser, url) == small


def test_the_sponsor_sees_the_contract_waiting_and_the_sponsored_program(world, client_for):
    builders.program(world, sessions=2)
    builders.contract(world, status="sent")
    body = (
        client_for(world.sponsor)
        .get(reverse("dashboard_sponsor", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "A contract to read and accept" in body
    assert "Programs you sponsor" in body and "0 held of 2 booked" in body


def test_the_pipeline_overview_and_a_stage_read_a_fixed_number_of_queries(world, client_for):
    builders.program(world, sessions=2)
    browser = client_for(world.admin)
    url = reverse("proposal_list", kwargs={"slug": world.practice.slug})
    _count(browser, url)
    # 2 for the signed-in request (session, user), memberships (gate; also the nav's
    # practices), the nav's unread notifications; the counts of the three stages by status
    # (one UNION ALL, #11: it was three), the newest proposals, contracts and programs.
    assert _count(browser, url) == 8
    # A stage: its counts (the same one query) and its page of rows.
    assert _count(browser, url + "?stage=programs") == 6
    _more(world, 5)
    assert _count(browser, url) == 8
    assert _count(browser, url + "?stage=proposals") == 6
