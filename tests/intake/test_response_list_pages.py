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
