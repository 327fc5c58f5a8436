"""Query counts of the intake pages do not grow with the number of answers or raters."""

import pytest
from django.urls import reverse

from intake import services
from intake.models import Questionnaire, RaterInvitation
from tests.intake.builders import access_of, invite, keyed, questionnaire
from tests.sessions.factories import program_for

# 2 for the signed-in request (session, user; allauth's session activity is refreshed at most
# every 5 minutes, #11: it was 7), memberships (the gate, and the navigation's practices); at
# the end the navigation's unread messages and inbox count (one query); and one access-log
# INSERT (executemany: one query whatever the number of rows).
# #11: 10, 17, 12 before the navigation's practices came from the gate's memberships and its
# two badges from one query.
COUNTS = {"response_list": 8, "feedback360": 15, "assessments": 10}


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
    # + programs, the practice's settings (is feedback kept from coaches), the responses
    # with their questionnaires and clients.
    with django_assert_num_queries(COUNTS["response_list"]):
        assert browser.get(url).status_code == 200


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
    # + the program, its round, the answers' counts per group and the threshold (twice:
    # once for the page, once in the gate), the answers of the groups shown, the questions,
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
    # + the program, the practice's settings, the responses, their versions' questions
    # (prefetched), the stages sent (dates only).
    with django_assert_num_queries(COUNTS["assessments"]):
        assert browser.get(url).status_code == 200
