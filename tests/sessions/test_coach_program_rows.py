"""The coach's program page writes its session rows in Python (sessions.views.timeline_rows,
#11 g-sess6): the same text as the template's loop wrote, for every kind of row (held with a
long goal and special characters, drifted or not, with and without a clock, scheduled,
cancelled), in English and in Indonesian."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from coaching.access import PracticeAccess
from session_templates.models import SessionClock
from sessions import selectors
from sessions.models import ConversationNote, Session
from sessions.views import timeline_rows
from tests.sessions.factories import (
    ActionItemFactory,
    CheckInFactory,
    NoteFactory,
    SessionFactory,
    program_for,
)

# The loop coaching_sessions/coach_program.html had before #11 (g-sess6), verbatim.
LOOP = (
    "{% load i18n rowurls %}"
    '{% translate "Prepare" as t_prepare %}{% translate "Open" as t_open %}'
    '{% translate "Ask to move" as t_move %}{% for row in timeline %}<tr>\n'
    '      <td>{{ row.session.number }}</td><td>{{ row.session.starts_at|date:"j M Y H:i" }}</td>'
    "<td>{{ row.status }}</td>\n"
    '      <td>{{ row.check_in.goal|default:""|truncatechars:60 }}</td>\n'
    "      <td>{% if row.note %}{% if row.note.drifted %}"
    '<span class="badge text-bg-warning">{{ row.on_theme }}</span>{% else %}{{ row.on_theme }}'
    "{% endif %}{% endif %}</td>\n"
    '      <td class="text-nowrap small" data-testid="clock-lengths">{% if row.clock %}'
    '{{ row.clock.check_in_length|default:"–" }} / {{ row.clock.check_out_length|default:"–" }}'
    "{% endif %}</td>\n"
    '      <td>{% if row.session.status == "scheduled" or row.session.status == "held" %}'
    "<a href=\"{% row_url 'session_prepare' access.practice.slug row.session.code %}\">"
    "{{ t_prepare }}</a> · <a href=\"{% row_url 'session_run' access.practice.slug "
    'row.session.code %}">{{ t_open }}</a>{% endif %}{% if row.session.status == "scheduled" %}'
    " · <a href=\"{% row_url 'session_move_request' access.practice.slug row.session.code %}\">"
    "{{ t_move }}</a>{% endif %}</td>\n    </tr>{% endfor %}"
)


def _program_with_every_kind_of_row(world):
    program = program_for(world)
    now = timezone.now()
    held = SessionFactory(
        program=program, number=1, starts_at=now - timedelta(days=21), status="held"
    )
    CheckInFactory(session=held, goal='Say "no" <firmly> & kindly, it\'s ' + "long " * 20)
    NoteFactory(session=held, on_theme=ConversationNote.OnTheme.YES)
    drifted = SessionFactory(
        program=program, number=2, starts_at=now - timedelta(days=14), status="held"
    )
    NoteFactory(session=drifted, on_theme="no", drift_reason="other", drift_text="x")
    SessionClock.objects.create(
        session=drifted,
        check_in_started_at=now - timedelta(days=14, minutes=9),
        check_in_ended_at=now - timedelta(days=14, minutes=2),
    )
    SessionClock.objects.create(session=held)  # a clock without lengths
    cancelled = Session.Status.CANCELLED_COACH
    SessionFactory(program=program, number=3, starts_at=now - timedelta(days=7), status=cancelled)
    SessionFactory(program=program, number=4, starts_at=now + timedelta(days=7))
    return program


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_rows_read_as_the_templates_loop_wrote_them(world, language):
    program = _program_with_every_kind_of_row(world)
    access = PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({"coach"}))
    with translation.override(language), timezone.override("Asia/Jakarta"):
        timeline = selectors.coach_program_page(access=access, program=program)["timeline"]
        expected = Template(LOOP).render(Context({"timeline": timeline, "access": access}))
        assert str(timeline_rows(access, timeline)) == expected
    # Every kind of row was compared: four rows, the escaped goal, the drift badge, a clock.
    assert expected.count("<tr>") == 4
    assert "&lt;firmly&gt;" in expected and "text-bg-warning" in expected and "7:00" in expected


def test_the_page_shows_the_rows(world, client_for):
    program = _program_with_every_kind_of_row(world)
    first = Session.objects.get(program=program, number=1)
    ActionItemFactory(session=first, text="Client <task> of session 1")  # the client's, open
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    page = client_for(world.coach).get(url).content.decode()
    assert "Say &quot;no&quot; &lt;firmly&gt;" in page
    assert '<span class="badge text-bg-warning">No</span>' in page
    assert "7:00 / –" in page
    upcoming = Session.objects.get(program=program, number=4)
    assert reverse("session_move_request", args=[world.practice.slug, upcoming.code]) in page
    assert "No sessions yet." not in page
    # The client's open tasks, written by sessions.views.task_list.
    shown = '<span class="badge text-bg-light">Client</span> Client &lt;task&gt; of session 1'
    assert shown in page


def test_a_program_without_sessions_says_so(world, client_for):
    program = program_for(world)
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    assert "No sessions yet." in client_for(world.coach).get(url).content.decode()


@pytest.mark.parametrize("language", ["en", "id"])
def test_short_goals_and_dates_of_every_month_read_as_the_templates_loop_wrote_them(
    world, language
):
    """#11, g-sess7: the rows' date and goal are written without date_format and Truncator
    per row; the same text for a short goal, one in decomposed Unicode (which Truncator
    normalizes), one of exactly 60 characters, and a date in each month."""
    program = program_for(world)
    goals = ["Short & <sweet>", "Cafe\u0301 talk", "x" * 60, "y" * 61]
    start = timezone.now().replace(month=1, day=5, hour=8, minute=7)
    for number in range(1, 13):
        session = SessionFactory(
            program=program,
            number=number,
            starts_at=start.replace(month=number),
            status="held" if number % 2 else "scheduled",
        )
        CheckInFactory(session=session, goal=goals[number % len(goals)])
    access = PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({"coach"}))
    with translation.override(language), timezone.override("Asia/Jakarta"):
        timeline = selectors.coach_program_page(access=access, program=program)["timeline"]
        expected = Template(LOOP).render(Context({"timeline": timeline, "access": access}))
        assert str(timeline_rows(access, timeline)) == expected
    assert "Cafe\u0301" not in expected and "Caf\u00e9" in expected
