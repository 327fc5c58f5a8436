"""The questionnaire answers list comes in pages of 25, newest first (#11)."""

import re

from django.urls import reverse

from intake import services
from intake.models import Questionnaire, Response
from tests.intake.builders import access_of, keyed, questionnaire
from tests.sessions.factories import program_for


def _answered(world, occasion):
    response = services.response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.ASSESSMENT,
        client=world.client,
        occasion=occasion,
        program=program_for(world),
        stage="start",
    )
    services.response_submit(
        access=access_of(world, "client"),
        response=response,
        data=keyed(response.version, "text", 3, "0"),
        language="en",
    )
    return response


def _rows(body):
    return re.findall(r'href="/p/cahaya/answers/([0-9a-f-]{36})/"', body)


def test_the_coach_reads_the_answers_25_at_a_time_with_a_link_to_the_older_ones(world, client_for):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT)
    for i in range(26):
        _answered(world, f"q{i}")
    newest_first = [str(r.code) for r in Response.objects.order_by("-created_at", "-pk")]
    browser = client_for(world.coach)
    url = reverse("response_list", args=[world.practice.slug])
    first = browser.get(url).content.decode()
    assert _rows(first) == newest_first[:25]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first and "Older" in first
    second = browser.get(url, {"page": 2}).content.decode()
    assert _rows(second) == newest_first[25:]
    assert "Page 2 of 2" in second and "Newer" in second


def _links(world, program, words):
    """The program's line on the list: the other party's name, then its four pages."""
    urls = [
        reverse(name, args=[world.practice.slug, program.code])
        for name in ("assessments", "alignment", "feedback360", "stakeholders")
    ]
    return " · ".join(f'<a href="{url}">{word}</a>' for url, word in zip(urls, words, strict=True))


def test_each_program_links_to_its_assessments_alignment_360_and_stakeholders(world, client_for):
    ended = program_for(world, status="cancelled")
    program = program_for(world, status="active")
    english = ["Assessments", "Three-way alignment", "360 feedback", "Stakeholders"]
    page = client_for(world.coach).get(reverse("response_list", args=[world.practice.slug]))
    body = page.content.decode()
    assert f"<li>{world.client.display_name}: {_links(world, program, english)}</li>" in body
    assert str(ended.code) not in body
    # The client reads the same line with their coach's name, in their language.
    world.client.language = "id"
    world.client.save()
    indonesian = ["Asesmen", "Penyelarasan tiga pihak", "Umpan balik 360", "Pemangku kepentingan"]
    page = client_for(world.client).get(reverse("response_list", args=[world.practice.slug]))
    assert f"<li>{world.coach.display_name}: {_links(world, program, indonesian)}</li>" in (
        page.content.decode()
    )


def test_the_client_answers_a_waiting_questionnaire_from_the_list(world, client_for):
    questionnaire(world, Questionnaire.Kind.ASSESSMENT)
    waiting = services.response_send(
        practice=world.practice,
        kind=Questionnaire.Kind.ASSESSMENT,
        client=world.client,
        occasion="q-waiting",
        program=program_for(world),
        stage="start",
    )
    answer = reverse("response_answer", args=[world.practice.slug, waiting.code])
    body = client_for(world.client).get(reverse("response_list", args=[world.practice.slug]))
    body = body.content.decode()
    assert f'<a href="{answer}">' in body
    assert f'<a class="btn btn-primary btn-sm" href="{answer}">Answer now</a>' in body
    # Its coach sees nothing of it until it is answered.
    coach = client_for(world.coach).get(reverse("response_list", args=[world.practice.slug]))
    assert str(waiting.code) not in coach.content.decode()
