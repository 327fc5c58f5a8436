"""The coach's dashboard rows' words ("session 3", "due 30 Nov", "5 of 6 sessions used",
"1 held of 2 booked") are translated once per list, not by a tag per row (#11 g-dash6): still
in the reader's language, on every row that shows them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sessions.models import ActionItem, Session
from tests.programs import builders
from tests.sessions.factories import ActionItemFactory, SessionFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
AT = datetime(2027, 4, 1, 8, 0, tzinfo=JAKARTA)

WORDS = {
    "en": {
        "today": "10:00 · Client · session 7",
        "unfinished": "Client · session 6 · 31 Mar",
        "overdue": 'Client · Ask for feedback · <span class="text-danger">due 30 Mar</span>',
        "own": "Send the article · Client · due 3 Apr",
        "near": "5 of 6 sessions used",
        "programs": "· Active · 4 held of 7 booked ·",
    },
    "id": {
        "today": "10:00 · Client · sesi 7",
        "unfinished": "Client · sesi 6 · 31 Mar",
        "overdue": 'Client · Ask for feedback · <span class="text-danger">tenggat 30 Mar</span>',
        "own": "Send the article · Client · tenggat 3 Apr",
        "near": "5 dari 6 sesi terpakai",
        "programs": "· Aktif · 4 terlaksana dari 7 terjadwal ·",
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_coachs_rows_say_which_session_when_due_and_how_many_used_in_their_language(
    world, client_for, language
):
    world.coach.language = language
    world.coach.save(update_fields=["language"])
    program = builders.program(world, sessions=5)  # contracted for 6
    with time_machine.travel(AT, tick=False):
        sessions = list(program.sessions.order_by("number"))
        Session.objects.filter(pk__in=[s.pk for s in sessions[:4]]).update(
            status=Session.Status.HELD
        )
        Session.objects.filter(pk=sessions[4].pk).update(status=Session.Status.NO_SHOW)
        # past and not marked held: unfinished (used stays 5: a scheduled one is not used)
        SessionFactory(program=program, number=6, starts_at=AT - timedelta(hours=20))
        SessionFactory(program=program, number=7, starts_at=AT + timedelta(hours=2))
        held = sessions[0]
        ActionItemFactory(session=held, text="Ask for feedback", due_on=date(2027, 3, 30))
        ActionItemFactory(
            session=held,
            text="Send the article",
            assignee=ActionItem.Assignee.COACH,
            due_on=date(2027, 4, 3),
        )
        body = client_for(world.coach).get(reverse("dashboard_coach", args=[world.practice.slug]))
    assert body.status_code == 200
    page = " ".join(body.content.decode().split())
    for words in WORDS[language].values():
        assert words in page
