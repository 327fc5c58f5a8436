"""Assessments at the start, the midpoint and graduation, drawn per dimension (server-rendered
SVG with the numbers in a table); session feedback after each held session, kept from the
coach when the practice says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.notifications.models import Reminder
from intake import services
from intake.models import IntakeSettings, Questionnaire, Response
from sessions import services as session_services
from tests.intake.builders import access_of, keyed, questionnaire
from tests.sessions.factories import SessionFactory, program_for

pytestmark = pytest.mark.django_db

ASSESSMENT = [
    {
        "type": "scale",
        "text_en": "Confidence in hard conversations",
        "text_id": "Keyakinan dalam percakapan sulit",
        "scale_min": 1,
        "scale_max": 5,
    },
    {
        "type": "scale",
        "text_en": "Delegation",
        "text_id": "Delegasi",
        "scale_min": 1,
        "scale_max": 10,
    },
    {"type": "text", "text_en": "Anything else?", "text_id": "Ada lagi?", "required": False},
]


def _take(world, program, stage, a, b, note=None):
    response = services.assessment_send(
        access=access_of(world, "coach"), program=program, stage=stage
    )
    return services.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(response.version, a, b, note),
        language="en",
    )


def test_the_chart_draws_each_dimension_from_start_to_graduation(world, client_for):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT, ASSESSMENT)
    program = program_for(world)
    url = reverse("assessments", args=[world.practice.slug, program.code])
    assert "No assessment answered yet." in client_for(world.coach).get(url).content.decode()
    _take(world, program, "start", 2, 3, "private note 7120")
    _take(world, program, "midpoint", 3, 5)
    _take(world, program, "graduation", 5, 8)
    for user in (world.coach, world.client):
        body = client_for(user).get(url).content.decode()
        svg = body[body.index("<svg viewBox") : body.index("</svg>")]
        assert svg.count("<circle") == 6  # two dimensions, three stages
        assert "Confidence in hard conversations" in svg and "Delegation" in svg
        assert "<script" not in svg  # drawn by the server, readable without JavaScript
        # The table says it in numbers: start, midpoint, graduation and the change.
        assert "+3" in body and "+5" in body
        assert "2 <small" in body and "8 <small" in body
        assert "private note 7120" not in body  # text answers are not drawn


def test_the_chart_shows_the_change_so_far_before_graduation(world, client_for):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT, ASSESSMENT)
    program = program_for(world)
    _take(world, program, "start", 4, 6)
    _take(world, program, "midpoint", 3, 6)
    body = (
        client_for(world.client)
        .get(reverse("assessments", args=[world.practice.slug, program.code]))
        .content.decode()
    )
    assert "-1" in body and "+0" not in body


def test_each_stage_is_sent_once_and_needs_a_published_assessment(world):
    from django.core.exceptions import ValidationError

    program = program_for(world)
    coach = access_of(world, "coach")
    with pytest.raises(ValidationError, match="no published assessment"):
        services.assessment_send(access=coach, program=program, stage="start")
    assert not Response.objects.exists()
    questionnaire(world, Questionnaire.Kind.ASSESSMENT, ASSESSMENT)
    services.assessment_send(access=coach, program=program, stage="start")
    with pytest.raises(ValidationError, match="already been sent"):
        services.assessment_send(access=coach, program=program, stage="start")
    with pytest.raises(ValidationError):
        services.assessment_send(access=coach, program=program, stage="sometime")
    assert Response.objects.count() == 1
    assert (
        Reminder.objects.filter(recipient=world.client, kind="questionnaire_waiting").count() == 1
    )


def _held_session(world):
    program = program_for(world)
    session = SessionFactory(
        program=program, number=1, starts_at=timezone.now() - timedelta(hours=2)
    )
    session_services.session_mark_held(session=session, actor=world.coach)
    return program, session


def test_a_held_session_sends_the_client_its_feedback(world, client_for):
    questionnaire(
        world,
        Questionnaire.Kind.FEEDBACK,
        [
            {"type": "scale", "text_en": "How useful was it?", "text_id": "Seberapa berguna?"},
            {"type": "text", "text_en": "Comment", "text_id": "Komentar", "required": False},
        ],
    )
    program, session = _held_session(world)
    response = Response.objects.get(session=session, kind="feedback")
    assert response.client == world.client
    services.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(response.version, 4, "Feedback text 6610"),
        language="en",
    )
    detail = reverse("response_detail", args=[world.practice.slug, response.code])
    listing = reverse("response_list", args=[world.practice.slug])
    assert "Feedback text 6610" in client_for(world.coach).get(detail).content.decode()

    IntakeSettings.objects.create(practice=world.practice, feedback_hidden_from_coach=True)
    coach = client_for(world.coach)
    assert coach.get(detail).status_code == 404
    assert "feedback form" not in coach.get(listing).content.decode()
    client = client_for(world.client)
    assert "Feedback text 6610" in client.get(detail).content.decode()
    assert "feedback form" in client.get(listing).content.decode()


def test_no_feedback_is_sent_without_a_published_feedback_form(world):
    _held_session(world)
    assert not Response.objects.exists()
