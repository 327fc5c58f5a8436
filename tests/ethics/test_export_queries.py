"""The client's data export costs the same whatever the client holds (#11). A worker prepares
it, reading each table once (no query per program or per session part); the download and the
printable page read the prepared row: at most 15 queries a page, at two data sizes."""

import pytest
from django.urls import reverse

from ethics.access import client_access
from ethics.models import PreparedExport
from ethics.prepared_exports import data_export_build, data_export_request
from tests.ethics.exports import prepare_export
from tests.factories import MembershipFactory
from tests.sessions.factories import ObjectiveFactory, held_session, program_for


def _client_with(world, programs, past):
    for _ in range(programs):
        coach = MembershipFactory(practice=world.practice, role="coach").user
        program = program_for(world, coach=coach)
        objectives = [ObjectiveFactory(program=program)]
        for number in range(1, past + 1):
            held_session(program, number, days_ago=7 * (past - number + 1), objectives=objectives)


@pytest.mark.parametrize(("programs", "past"), [(1, 1), (3, 4)])
def test_preparing_the_export_costs_the_same_whatever_the_client_has(
    programs, past, world, django_assert_num_queries
):
    _client_with(world, programs, past)
    export = data_export_request(access=client_access(world.client, world.practice))
    data_export_build(export.pk)  # the first build fills the caches (content types)
    data_export_request(access=client_access(world.client, world.practice))
    # The claim (UPDATE) and the row with its client and practice; the sections: memberships,
    # programs, objectives with their reviews (of every program in one query, #11: it was one
    # per program), sessions, consents, progress reports, the access log; sessions with their
    # preparation, check-in, notes and check-out (one query, #11: it was 5), extra parts,
    # tasks, ratings; move requests; messages' files, messages; invoices; questionnaire
    # answers; the 360 rounds of every program (one query, #11: it was the programs and one
    # per program); alignment meetings; WhatsApp opt-ins (21 so far); then in one transaction
    # (SAVEPOINT, RELEASE) the body stored (UPDATE), the "ready" reminder (SELECT, then the
    # INSERT in its own SAVEPOINT and RELEASE) and the access log's one INSERT.
    with django_assert_num_queries(PREPARE_QUERIES):
        assert data_export_build(export.pk) == "prepared"
    body = PreparedExport.objects.get(pk=export.pk).body
    assert body.count("Take-away of session") == programs * past


@pytest.mark.parametrize(("programs", "past"), [(1, 1), (3, 4)])
def test_the_download_reads_one_row_whatever_the_client_has(
    programs, past, world, client_for, django_assert_num_queries
):
    _client_with(world, programs, past)
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    url = reverse("data_export_json", args=[world.practice.slug])
    browser.get(url)
    # 2 for the signed-in request (session, user), memberships (gate and roles); the prepared
    # export; the download's access-log INSERT.
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        response = browser.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Take-away of session") == programs * past
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="my-data-{world.practice.slug}.json"'
    )


@pytest.mark.parametrize(("programs", "past"), [(1, 1), (3, 4)])
def test_the_printable_page_reads_the_prepared_row_too(
    programs, past, world, client_for, django_assert_num_queries
):
    _client_with(world, programs, past)
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    url = reverse("data_export_page", args=[world.practice.slug])
    browser.get(url)
    # As the download (5), the open erasure request and base.html's unread messages.
    with django_assert_num_queries(PAGE_QUERIES):
        response = browser.get(url)
    assert response.content.decode().count("Take-away of session") == programs * past


PREPARE_QUERIES = 29
DOWNLOAD_QUERIES = 5
PAGE_QUERIES = 7
