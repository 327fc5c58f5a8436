"""Query counts of the intake pages do not grow with the number of answers or raters."""

import pytest
from django.urls import reverse

from ethics.models import AccessEvent
from intake import services
from intake.models import Questionnaire, RaterInvitation
from tests.intake.builders import access_of, invite, keyed, questionnaire
from tests.sessions.factories import program_for

# 2 for the signed-in request (session, user; allauth's session activity is refreshed at most
# every 5 minutes, #11: it was 7), memberships (the gate, and the navigation's practices); at
# the end the navigation's unread messages and inbox count (one query); and one access-log
# INSERT (executemany: one query whatever the number of rows).
# The response list also counts its rows (#11: 25 a page, the answers not loaded) and logs
# nothing (it reads no answer).
# #11 (g-qa): every page -1 (the nav's practices come from the gate's memberships query),
# a coach's or a client's page -1 more (unread messages and inbox count in one query).
# #11 (g-sess): the 360 page -2 (the answers' counts and the threshold read once a request).
# #11 (g-export2): a coach's response list and assessments page -1 (whether the practice keeps
# session feedback from coaches is asked inside the responses' query, not before it).
COUNTS = {"response_list": 7, "feedback360": 13, "assessments": 9, "questionnaires": 6}


def _answered(world, program, stage, occasion):
    response = services.response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.ASSESSMENT,
        client=world.client,
        occasion=occasion,
        program=program,
        stage=stage,
    )
    services.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(response.version, "text", 3, "0"),
        language="en",
    )


@pytest.mark.parametrize("n", [2, 20])
def test_response_list_queries(n, world, client_for, django_assert_num_queries):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT)
    for i in range(n):
        _answered(world, program_for(world), "start", f"q{i}")
    browser = client_for(world.coach)
    url = reverse("response_list", args=[world.practice.slug])
    browser.get(url)
    # + programs, the count of the responses and their page with their questionnaires and
    # clients (each asking whether the practice keeps feedback from coaches). No access-log INSERT:
    # the list shows no answer, so it reads none (#11; it was +1, a row per response).
    logged = AccessEvent.objects.count()
    with django_assert_num_queries(COUNTS["response_list"]):
        response = browser.get(url)
    assert AccessEvent.objects.count() == logged
    assert response.status_code == 200
    rows = response.context["responses"].object_list
    assert len(rows) == n
    # The list shows no answer: they are not even loaded (deferred, so never decrypted).
    assert all("answers" in r.get_deferred_fields() for r in rows)


@pytest.mark.parametrize("n", [3, 30])
def test_360_report_queries(n, world, client_for, django_assert_num_queries):
    questionnaire(world, Questionnaire.Kind.RATER)
    program = program_for(world)
    for i in range(n):
        token = invite(world, program, "manager", f"m{i}@example.test")
        invitation = RaterInvitation.objects.get(token_hash=services.token_hash(token))
        services.rater_answer_submit(
            invitation=invitation, data=keyed(invitation.round.version, 4, f"text {i}")
        )
    browser = client_for(world.coach)
    url = reverse("feedback360", args=[world.practice.slug, program.code])
    browser.get(url)
    # + the program, its round, the answers' counts per group and the threshold (once each:
    # the page and the gate share them, #11), the answers of the groups shown, the questions,
    # the invitations' groups, the sponsor's consent.
    with django_assert_num_queries(COUNTS["feedback360"]):
        assert browser.get(url).status_code == 200


@pytest.mark.parametrize("stages", [["start"], ["start", "midpoint", "graduation"]])
def test_assessment_page_queries(stages, world, client_for, django_assert_num_queries):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT)
    program = program_for(world)
    for stage in stages:
        _answered(world, program, stage, stage)
    browser = client_for(world.coach)
    url = reverse("assessments", args=[world.practice.slug, program.code])
    browser.get(url)
    # + the program, the responses (with the practice's settings in the same query), their
    # versions' questions (prefetched), the stages sent (dates only).
    with django_assert_num_queries(COUNTS["assessments"]):
        assert browser.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 55])
def test_questionnaire_list_queries(n, world, client_for, django_assert_num_queries):
    """The admin's questionnaires, 50 a page, in a fixed number of queries (#11)."""
    Questionnaire.objects.bulk_create(
        Questionnaire(
            practice=world.practice,
            kind=Questionnaire.Kind.INTAKE,
            title_en=f"Form {i:02d}",
            title_id=f"Formulir {i:02d}",
        )
        for i in range(n)
    )
    browser = client_for(world.admin)
    url = reverse("questionnaire_list", args=[world.practice.slug])
    browser.get(url)
    # The request's 2, memberships, the navigation's 3, + the count and the page = 7 (and no
    # access-log INSERT: a questionnaire's questions are the practice's, not content).
    with django_assert_num_queries(COUNTS["questionnaires"]):
        response = browser.get(url)
    page = response.content.decode()
    assert page.count("Form ") == min(n, 50)
    assert ("Page 1 of 2" in page) == (n > 50)
    assert "Form 00" in page
