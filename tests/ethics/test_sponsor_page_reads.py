"""The sponsor's program page shows a shared rating as "Objective <position>": the objective's
text and measure are program content (coach and client only), so they are not loaded, and
the program's own content is not loaded either."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ethics.fields import encrypted_fields
from programs.models import Objective, Program
from sessions.models import ObjectiveRating, Scope
from tests.ethics import helpers
from tests.sessions.factories import ObjectiveFactory, held_session, program_for


def test_the_sponsor_page_selects_no_objective_or_program_content(world, client_for):
    program = program_for(world, theme="Sponsor theme CANARYp8y4w")
    objectives = [
        ObjectiveFactory(
            program=program, position=0, text="Objective text CANARYp8y4w", measure="m CANARYp8y4w"
        ),
        ObjectiveFactory(program=program, position=1, text="Other objective CANARYp8y4w"),
    ]
    held_session(program, 1, days_ago=7, objectives=objectives)
    ObjectiveRating.objects.update(scope=Scope.SPONSOR)
    helpers.consent_for(world)
    browser = client_for(world.sponsor)
    url = reverse("sponsor_program", args=[world.practice.slug, program.code])
    browser.get(url)  # warm up the signed-in session

    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)

    body = response.content.decode()
    # The shared ratings show, numbered from 1 as people count (positions count from 0).
    assert "Objective 1" in body and "Objective 2" in body
    assert "Objective 0" not in body and "Objective 3" not in body
    assert "CANARYp8y4w" not in body
    quote = connection.ops.quote_name
    columns = {
        f"{quote(model._meta.db_table)}.{quote(field.column)}": f"{model.__name__}.{field.name}"
        for model in (Program, Objective)
        for field in encrypted_fields(model)
    }
    selected = sorted(
        {name for q in queries.captured_queries for col, name in columns.items() if col in q["sql"]}
    )
    assert selected == []
