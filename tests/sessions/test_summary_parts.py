"""The client's pages' template tags write what the template lines they replace wrote before
#11 moved them into Python ({% summary_parts %}, {% summary_tasks %}, {% open_tasks_client %}):
the same text, escaped the same way, in English and Indonesian."""

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from sessions.models import ActionItem

# The page's lines before #11, word for word.
OLD = (Path(__file__).parent / "summary_lines_before_11.html").read_text()
NEW = "{% load session_summaries %}      {% summary_parts summary %}\n"

TRICKY = 'Line one <b>&</b> "quoted" it\'s\nline two\r\nthree\rfour'


def _part(**fields):
    return SimpleNamespace(**fields)


SUMMARIES = {
    "everything": {
        "preparation": _part(reflection=TRICKY),
        "check_in": _part(since_last_time=TRICKY, goal=TRICKY, agenda="a\n\nb"),
        "note": _part(text=TRICKY, drift_text="<drifted> & why"),
        "extras": [
            _part(title="Values <i>", text=TRICKY),
            _part(title="Empty", text=""),
            _part(title="Next", text="x"),
        ],
        "check_out": _part(
            confirmations=TRICKY,
            aha_moments="aha",
            insights="",
            take_aways="take\naway",
            new_behaviours="<script>",
        ),
    },
    "nothing shared": {
        "preparation": None,
        "check_in": None,
        "note": None,
        "extras": [],
        "check_out": None,
    },
    "some parts blank": {
        "preparation": _part(reflection=""),
        "check_in": _part(since_last_time="", goal="goal only", agenda=""),
        "note": _part(text="", drift_text="drift without text"),
        "extras": [],
        "check_out": _part(
            confirmations="", aha_moments="", insights="i", take_aways="", new_behaviours=""
        ),
    },
    "a note without drift": {
        "preparation": None,
        "check_in": None,
        "note": _part(text="notes", drift_text=""),
        "extras": [],
        "check_out": None,
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("name", list(SUMMARIES))
def test_it_writes_what_the_template_lines_wrote(name, language):
    context = {"summary": SUMMARIES[name]}
    with translation.override(language):
        old = Template(OLD).render(Context(context))
        new = Template(NEW).render(Context(context))
    assert new == old
    if name == "everything":
        assert "&lt;script&gt;" in new and "<script>" not in new
        expected = "Line one &lt;b&gt;&amp;&lt;/b&gt; &quot;quoted&quot; it&#x27;s<br>line two"
        assert f"{expected}<br>three<br>four</p>" in new
        label = {"en": "Since last time", "id": "Sejak pertemuan terakhir"}[language]
        assert f"<strong>{label}:</strong>" in new


def _task(assignee, text, *, due_on=None, done=False, comment=""):
    return ActionItem(
        assignee=assignee,
        text=text,
        due_on=due_on,
        done_at=timezone.now() - timedelta(days=1) if done else None,
        done_comment=comment,
    )


TASKS = {
    "none": [],
    "one open": [_task("client", "Read <the> book", due_on=date(2031, 3, 9))],
    "mixed": [
        _task("coach", TRICKY, due_on=date(2031, 12, 31), done=True, comment='"<ok>" & done'),
        _task("client", "no due date", done=True),
        _task("client", "open, no date"),
        _task("coach", "x", due_on=date(2030, 1, 1)),
    ],
}


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("name", list(TASKS))
def test_it_lists_the_tasks_as_the_task_list_did(name, language):
    context = {"tasks": TASKS[name]}
    with translation.override(language):
        old = Template('{% include "coaching_sessions/_task_list.html" with tasks=tasks %}').render(
            Context(context)
        )
        new = Template("{% load session_summaries %}{% summary_tasks tasks %}\n").render(
            Context(context)
        )
    assert new == old
    if name == "one open":
        due = {"en": "due 9 Mar 2031", "id": "tenggat 9 Mar 2031"}[language]
        assert due in new and "Read &lt;the&gt; book" in new


OPEN_TASKS_BEFORE = (Path(__file__).parent / "open_tasks_client_before_11.html").read_text()
ACCESS = SimpleNamespace(practice=SimpleNamespace(slug="cahaya"))
OPEN = {
    "none": [],
    "two": [
        ActionItem(code=uuid4(), text=TRICKY, due_on=date(2031, 3, 9)),
        ActionItem(code=uuid4(), text="no <due> date"),
    ],
}


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("back", ["", "/p/cahaya/client/?a=1&b=<2>"])
@pytest.mark.parametrize("token", ["tok<en>", "NOTPROVIDED", ""])
@pytest.mark.parametrize("name", list(OPEN))
def test_it_lists_the_open_tasks_as_their_template_did(name, token, back, language):
    context = {"open_tasks": OPEN[name], "access": ACCESS, "csrf_token": token, "next": back}
    with translation.override(language):
        old = Template(OPEN_TASKS_BEFORE).render(Context(context))
        new = Template("{% load client_tasks %}{% open_tasks_client open_tasks next %}\n").render(
            Context(context)
        )
    assert new == old
    if name == "two":
        done = reverse("action_item_done", args=["cahaya", OPEN[name][0].code])
        assert f'action="{done}"' in new
        assert {"en": "Mark done", "id": "Tandai selesai"}[language] in new
