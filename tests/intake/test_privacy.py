"""The client's rights over questionnaires: the export holds their answers in words with the
questions as asked, and the 360 groups they may read; erasure removes them all."""

import json

import pytest
from django.urls import reverse

from intake import services
from intake.models import (
    Question,
    Questionnaire,
    RaterAnswer,
    RaterInvitation,
    RaterRound,
    Response,
    Stakeholder,
)
from tests.ethics.exports import export_page
from tests.intake.builders import access_of, admin_access, invite, keyed, questionnaire
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db


def _answered(world, program, text):
    response = services.response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.INTAKE,
        client=world.client,
        occasion="t",
        program=program,
    )
    return services.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(response.version, text, 4, "1", ["0", "1"]),
        language="en",
    )


def test_the_export_shows_answers_in_words_with_the_questions_as_asked(world, client_for):
    q = questionnaire(world)
    program = program_for(world)
    _answered(world, program, "My own words 3301")
    # A new version changes a question; the answer keeps the one it answered.
    services.version_new(access=admin_access(world), questionnaire=q)
    draft = services.draft_of(q)
    draft.questions.filter(position=1).update(text_en="A different question")
    page = export_page(client_for(world.client), world.practice)
    body = page.content.decode()
    assert "My own words 3301" in body
    assert "What brings you to coaching?" in body and "A different question" not in body
    assert "Family, Career" in body and "Intake" in body  # choices and kind in words
    data = json.loads(
        client_for(world.client)
        .get(reverse("data_export_json", args=[world.practice.slug]))
        .content
    )
    section = data["sections"]["questionnaires"]
    assert section["rows"][0]["answers"][0] == {
        "question": "What brings you to coaching?",
        "answer": "My own words 3301",
    }


def test_a_published_version_is_frozen(world):
    from django.core.exceptions import ValidationError

    q = questionnaire(world)
    version = q.versions.get()
    with pytest.raises(ValidationError):
        services.question_add(
            access=admin_access(world),
            version=version,
            question=Question(type="text", text_en="late", text_id="terlambat"),
        )
    with pytest.raises(ValidationError):
        services.question_delete(access=admin_access(world), question=version.questions.first())
    assert version.questions.count() == 6


def test_erasure_removes_answers_360_and_stakeholders(world, client_for):
    from ethics import services as ethics_services

    questionnaire(world)
    questionnaire(world, Questionnaire.Kind.RATER)
    program = program_for(world)
    _answered(world, program, "to be erased")
    invite(world, program, "peer", "p@example.test")
    Stakeholder.objects.create(program=program, role="mentor", name="Bu Sari")
    # The steps erasure_complete runs (ethics.services._erasure_steps), in order.
    for step in ethics_services._erasure_steps():
        step(user=world.client, practice=world.practice)
    assert not Response.objects.filter(client=world.client).exists()
    assert not RaterRound.objects.exists() and not RaterInvitation.objects.exists()
    assert not RaterAnswer.objects.exists() and not Stakeholder.objects.exists()
