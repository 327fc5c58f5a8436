"""The demo's held sessions have every part, in Indonesian; ratings rise; the tasks of earlier
sessions are done and the latest open; a second run changes nothing (#14)."""

from io import StringIO

import time_machine
from django.core.management import call_command

from programs.models import Program
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Session,
)


def _counts():
    from ethics.access import CONTENT_MODELS

    # Counting rows only; no content is read.
    return [Session.objects.count(), Program.objects.count()] + [
        m.objects.count() for m in CONTENT_MODELS
    ]


@time_machine.travel("2026-11-23 05:00:00+00:00", tick=False)
def test_the_demo_fills_every_held_session_and_is_idempotent(db):
    call_command("demo", stdout=StringIO())
    first = _counts()
    held = Session.objects.filter(status=Session.Status.HELD)
    # andi, siti, rudi, rizky, nina, agus: 3 each; dian: 2 (her third is this afternoon).
    assert held.count() == 20
    assert Session.objects.filter(status=Session.Status.SCHEDULED).count() == 14
    for model in (Preparation, CheckIn, ConversationNote):
        assert model.objects.filter(session__in=held).count() == 20, model
    # Every check-out is complete but the latest of rizky's, left for the coach to finish.
    assert CheckOut.objects.filter(session__in=held).exclude(completed_at=None).count() == 19
    unfinished = held.exclude(check_out__completed_at__isnull=False).get()
    assert unfinished.client.email == "rizky.ramadhan@example.id"
    check_out = CheckOut.objects.filter(session__in=held).first()
    assert check_out.take_aways and check_out.aha_moments and check_out.new_behaviours
    assert "Delegasi" in check_out.take_aways  # in Indonesian
    # Ratings draw a rising curve for each objective.
    andi = Program.objects.get(client__email="andi.saputra@nusantara-energi.example")
    for objective in andi.objectives.all():
        scores = list(
            ObjectiveRating.objects.filter(objective=objective)
            .order_by("session__starts_at")
            .values_list("score", flat=True)
        )
        assert len(scores) == 3 and scores == sorted(scores) and scores[0] < scores[-1]
    # Earlier sessions' tasks are done with a comment; the latest session's client task is open.
    tasks = ActionItem.objects.filter(session__program=andi, assignee="client")
    assert tasks.exclude(done_at=None).count() == 2
    assert all(t.done_comment for t in tasks.exclude(done_at=None))
    [open_task] = tasks.filter(done_at=None)
    assert open_task.session.number == 3
    # No program without an accepted contract and a chosen coach.
    assert not Program.objects.filter(contract=None).exists()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
