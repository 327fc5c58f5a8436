"""The client's data export reads each table once, whatever the number of the client's
programs and sessions (#11): no query per program or per session part."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.sessions.factories import ObjectiveFactory, held_session, program_for


@pytest.mark.parametrize(("programs", "past"), [(1, 1), (3, 4)])
def test_the_export_costs_the_same_whatever_the_client_has(
    programs, past, world, client_for, django_assert_num_queries
):
    for _ in range(programs):
        coach = MembershipFactory(practice=world.practice, role="coach").user
        program = program_for(world, coach=coach)
        objectives = [ObjectiveFactory(program=program)]
        for number in range(1, past + 1):
            held_session(program, number, days_ago=7 * (past - number + 1), objectives=objectives)
    browser = client_for(world.client)
    url = reverse("data_export_json", args=[world.practice.slug])
    browser.get(url)
    # 2 for the signed-in request, memberships (gate), the client's roles; the ethics
    # sections: programs, objectives with their reviews (of every program in one query, #11:
    # it was one per program), sessions, consents, progress
    # reports, the access log; sessions with their preparation, check-in, notes and check-out
    # (one query, #11: it was 5), extra parts, tasks, ratings; move requests; messages'
    # files, messages; invoices; questionnaire answers; the 360 rounds of every program (one
    # query, #11: it was the programs and one per program); alignment meetings; WhatsApp
    # opt-ins; the export's access-log INSERT.
    with django_assert_num_queries(EXPORT_QUERIES):
        response = browser.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Take-away of session") == programs * past


EXPORT_QUERIES = 23
