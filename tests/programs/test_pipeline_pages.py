"""The pipeline shows one stage at a time, a page of rows, with counts from aggregates (#11):
it no longer renders every proposal, contract and program of the practice on one page."""

import re

import pytest
from django.urls import reverse

from programs import selectors
from tests.programs import builders


def _get(browser, world, **params):
    url = reverse("proposal_list", kwargs={"slug": world.practice.slug})
    response = browser.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _proposal_rows(body):
    return len(re.findall(r'href="/p/[^/]+/proposals/[0-9a-f-]{36}/"', body))


def test_the_pipeline_pages_proposals_and_counts_them_all(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "PIPELINE_PAGE_SIZE", 2)
    for _ in range(3):
        builders.proposal(world, status="sent")
    builders.proposal(world, status="draft")
    browser = client_for(world.admin)

    first = _get(browser, world, stage="proposals")
    assert _proposal_rows(first) == 2
    assert "Page 1 of 2" in first
    assert "<strong>3</strong> Sent" in first and "<strong>1</strong> Draft" in first
    second = _get(browser, world, stage="proposals", page=2)
    assert _proposal_rows(second) == 2
    assert "Page 2 of 2" in second

    only_drafts = _get(browser, world, stage="proposals", status="draft")
    assert _proposal_rows(only_drafts) == 1
    assert "Page 1 of" not in only_drafts  # one row: no pager


def test_a_stage_shows_25_rows_a_page_and_the_rest_on_the_next(world, client_for):
    """A page of a list is 25 rows (#11: it was 50)."""
    for _ in range(26):
        builders.proposal(world, status="draft")
    browser = client_for(world.admin)
    first = _get(browser, world, stage="proposals")
    assert _proposal_rows(first) == 25
    assert "Page 1 of 2" in first and "<strong>26</strong> Draft" in first
    assert _proposal_rows(_get(browser, world, stage="proposals", page=2)) == 1


def test_each_stage_shows_its_own_rows(world, client_for):
    program = builders.program(world, sessions=2)
    browser = client_for(world.admin)
    programs = _get(browser, world, stage="programs")
    assert reverse("program_detail", args=[world.practice.slug, program.code]) in programs
    contracts = _get(browser, world, stage="contracts")
    assert (
        reverse("contract_detail", args=[world.practice.slug, program.contract.code]) in contracts
    )
    assert reverse("program_detail", args=[world.practice.slug, program.code]) not in contracts


def test_the_overview_shows_the_newest_rows_of_each_stage(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "PIPELINE_OVERVIEW_ROWS", 1)
    program = builders.program(world, sessions=2)
    builders.proposal(world, status="sent")
    body = _get(client_for(world.admin), world)
    assert reverse("program_detail", args=[world.practice.slug, program.code]) in body
    assert reverse("contract_detail", args=[world.practice.slug, program.contract.code]) in body
    assert _proposal_rows(body) == 1  # two proposals, the overview shows the newest
    assert "All 2" in body


def test_a_bad_stage_or_status_shows_the_overview(world, client_for):
    builders.proposal(world, status="sent")
    body = _get(client_for(world.admin), world, stage="nope", status="nope", page="x")
    assert _proposal_rows(body) == 1


def test_the_month_schedule_is_paged(world, client_for, monkeypatch):
    """A large practice books thousands of sessions a month: the schedule shows a page of
    them, in time order, and says how many there are (#11)."""
    monkeypatch.setattr(selectors, "SCHEDULE_PAGE_SIZE", 1)
    builders.program(world, sessions=2)  # sessions 1 and 2, in January 2027
    browser = client_for(world.admin)
    url = reverse("schedule_overview", args=[world.practice.slug])
    first = browser.get(url, {"view": "month", "day": "2027-01-01"}).content.decode()
    assert "#1" in first and "#2" not in first
    assert "2 sessions in this period." in first and "Page 1 of 2" in first
    second = browser.get(url, {"view": "month", "day": "2027-01-01", "page": 2}).content.decode()
    assert "#2" in second and "#1" not in second


def test_each_schedule_entry_reads_its_time_in_the_viewers_zone_people_and_status(
    world, client_for
):
    """The entries' labels are built in the selector (#11): the same times (in the viewer's
    time zone), names, status and one link to the program as the page always showed."""
    program = builders.program(world, sessions=2)  # 5 and 19 Jan 2027, 09:00 in Jakarta
    second = program.sessions.get(number=2)
    second.status = "cancelled_coach"
    second.save(update_fields=["status"])
    link = reverse("program_detail", args=[world.practice.slug, program.code])
    url = reverse("schedule_overview", args=[world.practice.slug])
    query = {"view": "month", "day": "2027-01-01"}
    body = client_for(world.admin).get(url, query).content.decode()
    assert f'<li>09:00 – 10:00 · Coach · Client · Scheduled · <a href="{link}">#1</a></li>' in body
    cancelled = "<li>09:00 – 10:00 · Coach · Client · Cancelled by the coach · "
    assert cancelled in body
    world.scheduler.timezone = "Europe/London"
    world.scheduler.save(update_fields=["timezone"])
    body = client_for(world.scheduler).get(url, query).content.decode()
    assert f'<li>02:00 – 03:00 · Coach · Client · Scheduled · <a href="{link}">#1</a></li>' in body


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_schedule_costs_the_same_at_two_sizes(
    sessions, world, client_for, django_assert_num_queries
):
    builders.program(world, sessions=sessions)
    browser = client_for(world.admin)
    url = reverse("schedule_overview", args=[world.practice.slug])
    query = {"view": "month", "day": "2027-01-01"}
    browser.get(url, query)
    # 2 for the signed-in request (session, user), memberships (gate; also the nav's
    # practices), the nav's unread notifications; the period's count, the page's sessions
    # with their people's names and program codes (one query).
    with django_assert_num_queries(6):
        response = browser.get(url, query)
    assert response.content.decode().count("<li>0") == min(sessions, 2)  # January's
