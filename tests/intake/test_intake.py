"""The intake: sent to the client when the contract becomes active, answered by the client in
their language, read by the coach on the preparation page of session 1 (logged), and by
nobody else."""

import pytest
from django.core import mail
from django.urls import reverse

from coaching.notifications import tasks as notification_tasks
from coaching.notifications.models import Reminder
from ethics.models import AccessEvent
from intake.models import Questionnaire, Response
from tests.intake.builders import keyed, questionnaire
from tests.programs import builders

pytestmark = pytest.mark.django_db

SECRET = "Saya takut gagal di depan tim 4471"


def _answer_url(world, response):
    return reverse("response_answer", args=[world.practice.slug, response.code])


def test_activating_a_contract_sends_the_intake_with_a_link_and_no_content(world):
    questionnaire(world)
    contract = builders.contract(world, status="active")
    response = Response.objects.get(client=world.client)
    assert response.contract == contract and response.kind == Questionnaire.Kind.INTAKE
    assert response.submitted_at is None
    reminder = Reminder.objects.get(recipient=world.client, kind="questionnaire_waiting")
    assert reminder.path == _answer_url(world, response)

    mail.outbox.clear()
    notification_tasks.dispatch_due()
    (email,) = [m for m in mail.outbox if m.to == [world.client.email]]
    assert _answer_url(world, response) in email.body
    # No question, no title of the form: a line and a link.
    assert "What brings you" not in email.body and "form" not in email.subject


def test_no_intake_is_sent_while_the_practice_has_no_published_one(world):
    questionnaire(world, publish=False)
    builders.contract(world, status="active")
    assert not Response.objects.filter(client=world.client).exists()


def test_the_client_answers_in_indonesian_and_the_coach_reads_it_on_session_1(
    world, client_for, settings
):
    world.client.language = "id"
    world.client.save(update_fields=["language"])
    questionnaire(world)
    program = builders.program(world, sessions=2)
    response = Response.objects.get(client=world.client)
    browser = client_for(world.client)
    page = browser.get(_answer_url(world, response))
    body = page.content.decode()
    assert "Apa yang membawa Anda ke coaching?" in body and "sama sekali tidak" in body
    assert "What brings you" not in body
    answered = browser.post(
        _answer_url(world, response),
        keyed(response.version, SECRET, "2", "1", ["0", "2"], "2024-03-01"),
    )
    assert answered.status_code == 302
    response.refresh_from_db()
    first_key, *_, multiple_key, _, _ = keyed(response.version, *range(6))
    assert response.answers[first_key] == SECRET and response.language == "id"
    assert response.answers[multiple_key] == ["0", "2"]

    first, second = program.sessions.order_by("number")
    coach = client_for(world.coach)
    before = AccessEvent.objects.filter(reader=world.coach, subject=world.client).count()
    page = coach.get(reverse("session_prepare", args=[world.practice.slug, first.code]))
    body = page.content.decode()
    # The questions as asked, the answers in words, in the coach's language (English).
    assert SECRET in body
    assert "What brings you to coaching?" in body and "Family, Health" in body
    events = AccessEvent.objects.filter(reader=world.coach, subject=world.client)
    assert events.count() == before + 1
    assert events.latest("at").label == "Intake answers"
    # Not on a later session's preparation page.
    page = coach.get(reverse("session_prepare", args=[world.practice.slug, second.code]))
    assert SECRET not in page.content.decode()


def test_bad_input_is_refused_keeps_what_was_typed_and_stores_nothing(world, client_for):
    questionnaire(world)
    builders.contract(world, status="active")
    response = Response.objects.get(client=world.client)
    browser = client_for(world.client)
    page = browser.post(
        _answer_url(world, response), keyed(response.version, "kept text 8812", "9")
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "kept text 8812" in body
    assert "Select a valid choice" in body or "Pilih" in body
    response.refresh_from_db()
    assert response.submitted_at is None and response.answers is None


def test_answers_are_sent_once(world, client_for):
    questionnaire(world)
    builders.contract(world, status="active")
    response = Response.objects.get(client=world.client)
    browser = client_for(world.client)
    browser.post(_answer_url(world, response), keyed(response.version, "first", "3", "0"))
    again = browser.post(
        _answer_url(world, response), keyed(response.version, "second", "3", "0"), follow=True
    )
    assert "You have already sent these answers." in again.content.decode()
    response.refresh_from_db()
    assert list(response.answers.values())[0] == "first"


def test_nobody_but_the_client_and_their_coach_reads_the_answers(world, client_for):
    questionnaire(world)
    builders.program(world, sessions=1)
    response = Response.objects.get(client=world.client)
    client_for(world.client).post(
        _answer_url(world, response), keyed(response.version, SECRET, "3", "0")
    )
    url = reverse("response_detail", args=[world.practice.slug, response.code])
    assert SECRET in client_for(world.coach).get(url).content.decode()
    for persona, status in [("admin", 403), ("other_coach", 404), ("sponsor", 403)]:
        page = client_for(world.persona(persona)).get(url)
        assert page.status_code == status, persona
        assert SECRET not in page.content.decode()
    # The other coach's list shows nothing of it either.
    page = client_for(world.other_coach).get(reverse("response_list", args=[world.practice.slug]))
    assert "intake form" not in page.content.decode()


def test_answers_are_encrypted_at_rest(world):
    from django.db import connection

    questionnaire(world)
    builders.contract(world, status="active")
    response = Response.objects.get(client=world.client)
    Response.objects.filter(pk=response.pk).update(answers=keyed(response.version, SECRET))
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM intake_response WHERE id = %s", [response.pk])
        (stored,) = cursor.fetchone()
    assert SECRET not in stored and "4471" not in stored
