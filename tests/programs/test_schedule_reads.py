"""The admin's schedule shows logistics (times, people, status, a link to the program): it
loads no program content, so nothing of it is decrypted."""

import datetime
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ethics import crypto
from ethics.fields import encrypted_fields
from programs.models import Program
from tests.sessions.factories import SessionFactory, program_for

DAY = datetime.date(2030, 1, 8)  # a Tuesday


def _program_columns():
    quote = connection.ops.quote_name
    table = quote(Program._meta.db_table)
    return {f"{table}.{quote(field.column)}": field.name for field in encrypted_fields(Program)}


def test_the_schedule_selects_no_program_content(world, client_for):
    program = program_for(
        world,
        theme="Schedule theme CANARYm3x7q",
        aims="Schedule aims CANARYm3x7q",
        current_state="CSoB CANARYm3x7q",
        future_state="FSoB CANARYm3x7q",
        completion_summary="Summary CANARYm3x7q",
    )
    for number in (1, 2):
        SessionFactory(
            program=program,
            number=number,
            starts_at=datetime.datetime(2030, 1, 6 + number, 3, 0, tzinfo=datetime.UTC),
        )
    browser = client_for(world.admin)
    url = reverse("schedule_overview", args=[world.practice.slug])
    query = {"view": "week", "day": DAY.isoformat()}
    browser.get(url, query)  # warm up the signed-in session

    # A spy, not a stub: it counts decryptions and still decrypts.
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt,
    ):
        response = browser.get(url, query)

    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("program_detail", args=[world.practice.slug, program.code]) in body
    assert "#1" in body and "#2" in body
    assert "CANARYm3x7q" not in body
    columns = _program_columns()
    assert set(columns.values()) == {
        "theme",
        "aims",
        "current_state",
        "future_state",
        "completion_summary",
        "status_reason",  # the reasons are encrypted too (#12)
        "early_completion_reason",
    }
    selected = sorted(
        {name for q in queries.captured_queries for col, name in columns.items() if col in q["sql"]}
    )
    assert selected == []
    assert decrypt.call_count == 0
