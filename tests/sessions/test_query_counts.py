"""Query counts of the busiest pages do not grow with the number of past sessions."""

import pytest
from django.urls import reverse

from tests.sessions.factories import ObjectiveFactory, SessionFactory, held_session, program_for


def _program_with(world, past):
    program = program_for(world)
    objectives = [ObjectiveFactory(program=program) for _ in range(3)]
    for number in range(1, past + 1):
        held_session(program, number, days_ago=7 * (past - number + 1), objectives=objectives)
    upcoming = SessionFactory(program=program, number=past + 1)
    return program, upcoming


@pytest.mark.parametrize("past", [2, 50])
def test_client_dashboard_queries(past, world, client_for, django_assert_num_queries):
    _program_with(world, past)
    browser = client_for(world.client)
    url = reverse("dashboard_client", args=[world.practice.slug])
    browser.get(url)
    # 7 for the signed-in request (session, user, usersessions savepoint/select/user/update/
    # release), memberships (gate), nav practices, nav inbox count; the programs panel:
    # proposals, contracts, programs, chemistry meetings waiting for the client; the sessions
    # panel (selectors.client_panel): programs, sessions, open client tasks, objectives in
    # force, their ratings. No access-log INSERT: the client reading their own record is not
    # logged (#11; it was +3 here). No check-ins or check-outs: the panel does not show them.
    # +1 whether the client answered the data-processing consent (ethics panel, #12).
    # +1 the latest held session's check-out, the dashboard's summary (#14).
    with django_assert_num_queries(COUNTS["dashboard_client"]):
        response = browser.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("past", [2, 50])
def test_coach_program_page_queries(past, world, client_for, django_assert_num_queries):
    program, _ = _program_with(world, past)
    browser = client_for(world.coach)
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    browser.get(url)
    # 7 for the signed-in request, memberships (gate),
    # nav practices, nav inbox count, program, sessions,
    # notes, check-ins, open tasks, objectives, ratings
    with django_assert_num_queries(COUNTS["coach_program"]):
        response = browser.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("past", [2, 50])
def test_preparation_page_queries(past, world, client_for, django_assert_num_queries):
    _, upcoming = _program_with(world, past)
    browser = client_for(world.coach)
    url = reverse("session_prepare", args=[world.practice.slug, upcoming.code])
    browser.get(url)
    # 7 for the signed-in request, memberships (gate),
    # nav practices, nav inbox count, the session, the
    # previous session, its check-out, its tasks, earlier open tasks, objectives, preparation;
    # +1 the practice's default scope for the new preparation (ethics.PracticeScopeDefault).
    # No access-log INSERT: the coach reads only what they wrote.
    with django_assert_num_queries(COUNTS["session_prepare"]):
        response = browser.get(url)
    assert response.status_code == 200


# +1 each since the navigation shows the unread messages count (messaging/_nav.html, one query);
# the client's dashboard +1 for the data-processing consent check (#12) and -3 access-log
# INSERTs (#11: the client's own reads are not logged).
COUNTS = {"dashboard_client": 22, "coach_program": 18, "session_prepare": 20}
