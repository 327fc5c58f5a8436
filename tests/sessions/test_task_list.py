"""The session page writes its task lists in Python (sessions.views.task_list, #11 g-sess6):
the same text as coaching_sessions/_task_list.html, for open and done tasks, with and without
a due date or a done comment, special characters escaped, in English and in Indonesian, and
for no task."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sessions.models import ActionItem
from sessions.views import task_list
from tests.sessions.factories import ActionItemFactory, SessionFactory, held_session, program_for


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_list_reads_as_the_template_writes_it(world, language):
    session = SessionFactory(program=program_for(world), number=1)
    ActionItemFactory(session=session, text='Ask "why" <twice> & listen', due_on=date(2026, 5, 4))
    ActionItemFactory(
        session=session,
        text="Journal",
        assignee=ActionItem.Assignee.COACH,
        done_at=timezone.now(),
        done_comment='Done <well> & "fully"',
    )
    ActionItemFactory(session=session, text="Walk", done_at=timezone.now(), done_comment="")
    tasks = list(ActionItem.objects.filter(session=session).order_by("pk"))
    with translation.override(language):
        for shown in (tasks, tasks[:1], []):
            expected = render_to_string("coaching_sessions/_task_list.html", {"tasks": shown})
            assert str(task_list(shown)) == expected
    shown = str(task_list(tasks))
    assert "&lt;twice&gt;" in shown and "“Done &lt;well&gt;" in shown


def test_the_session_page_lists_last_times_and_its_own_tasks(world, client_for):
    program = program_for(world)
    held_session(program, 1, days_ago=7)
    upcoming = SessionFactory(program=program, number=2)
    ActionItemFactory(session=upcoming, text="Own task of session 2")
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    page = client_for(world.coach).get(url).content.decode()
    assert "Client task of session 1" in page and "Coach task of session 1" in page
    assert "Own task of session 2" in page
