"""The sponsor's program page reads tasks and ratings only when a held session shares some
with the sponsor (#11, g-coach2): nine queries whatever the number of sessions when nothing
is shared (eleven before), twelve when a task and a rating are (their reads and the access
log's one INSERT), and what is shared shows."""

import pytest
from django.urls import reverse

from sessions.models import ActionItem, ObjectiveRating, Scope
from tests.ethics import helpers
from tests.sessions.factories import ObjectiveFactory, held_session, program_for


def _program(world, size):
    program = program_for(world)
    objective = ObjectiveFactory(program=program, position=0, text="Objective")
    for number in range(1, size + 1):
        held_session(program, number, days_ago=7 * (size - number + 1), objectives=[objective])
    helpers.consent_for(world)
    return program


def _get(world, client_for, program, django_assert_num_queries, expected):
    browser = client_for(world.sponsor)
    url = reverse("sponsor_program", args=[world.practice.slug, program.code])
    browser.get(url)  # warm up the signed-in session
    # 2 for the signed-in request (#11), memberships (gate; also the nav's practices); the
    # program; the client's consent to this sponsor; its sessions with the parts shared with
    # the sponsor and whether each shares tasks or ratings; [the shared tasks; the shared
    # ratings, only when some are shared]; approved progress reports; nav inbox count; the
    # 360 report's and the alignment meetings' links (one query); [the access log's INSERT, when
    # shared content was read].
    with django_assert_num_queries(expected):
        response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_sponsor_page_reads_no_tasks_or_ratings_when_none_are_shared(
    size, world, client_for, django_assert_num_queries
):
    program = _program(world, size)  # tasks and ratings in the client's scope only
    body = _get(world, client_for, program, django_assert_num_queries, 9)
    assert "Client task of session 1" not in body
    assert body.count("<tr>") >= size


@pytest.mark.parametrize("size", [1, 6])
def test_the_sponsor_page_shows_the_shared_task_and_rating(
    size, world, client_for, django_assert_num_queries
):
    program = _program(world, size)
    ActionItem.objects.filter(
        session__program=program, session__number=1, assignee=ActionItem.Assignee.CLIENT
    ).update(scope=Scope.SPONSOR)
    ObjectiveRating.objects.filter(session__program=program, session__number=size).update(
        scope=Scope.SPONSOR
    )
    body = _get(world, client_for, program, django_assert_num_queries, 12)
    assert "Client task of session 1" in body
    assert "Client task of session 2" not in body
    assert "Objective 1" in body
