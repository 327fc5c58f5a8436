from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from coaching.notifications.models import Reminder
from coaching.notifications.services import reminder_schedule, reminders_cancel
from sessions.reminders import SESSION_UPCOMING, session_upcoming_scan


def test_scheduling_twice_makes_one_row(world, make_session):
    session = make_session()
    due = session.starts_at - timedelta(hours=24)
    first = reminder_schedule(
        kind=SESSION_UPCOMING, recipient=world.client, obj=session, occasion="x", due_at=due
    )
    second = reminder_schedule(
        kind=SESSION_UPCOMING, recipient=world.client, obj=session, occasion="x", due_at=due
    )
    assert first.pk == second.pk
    assert Reminder.objects.count() == 1


def test_another_occasion_or_recipient_is_another_reminder(world, make_session):
    session = make_session()
    due = timezone.now()
    for recipient, occasion in [(world.client, "a"), (world.client, "b"), (world.coach, "a")]:
        reminder_schedule(
            kind=SESSION_UPCOMING, recipient=recipient, obj=session, occasion=occasion, due_at=due
        )
    assert Reminder.objects.count() == 3


def test_scheduling_inside_the_cause_transaction_rolls_back_with_it(world, make_session):
    session = make_session()
    try:
        with transaction.atomic():
            reminder_schedule(
                kind=SESSION_UPCOMING,
                recipient=world.client,
                obj=session,
                occasion="x",
                due_at=timezone.now(),
            )
            raise RuntimeError("the cause failed")
    except RuntimeError:
        pass
    assert not Reminder.objects.exists()


def test_a_lost_race_returns_the_winners_row(world, make_session, monkeypatch):
    """The existence check passes for both callers; the unique constraint decides."""
    session = make_session()
    winner = reminder_schedule(
        kind=SESSION_UPCOMING,
        recipient=world.client,
        obj=session,
        occasion="x",
        due_at=timezone.now(),
    )
    real_filter = Reminder.objects.filter
    calls = {"n": 0}

    class NoneFirst:
        def first(self):
            return None

    def filter_missing_once(*args, **kwargs):
        calls["n"] += 1
        return NoneFirst() if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Reminder.objects, "filter", filter_missing_once)
    with transaction.atomic():
        loser = reminder_schedule(
            kind=SESSION_UPCOMING,
            recipient=world.client,
            obj=session,
            occasion="x",
            due_at=timezone.now(),
        )
    assert loser.pk == winner.pk


def test_the_reminder_holds_no_content(world, make_session):
    session = make_session()
    reminder = session_upcoming_scan() and Reminder.objects.get(recipient=world.client)
    assert "CANARY" not in str(reminder.__dict__)
    assert reminder.object_label == str(session.number)
    assert str(reminder) == f"Reminder session_upcoming {reminder.code}"


def test_the_scan_creates_both_parties_reminders_once(world, make_session):
    session = make_session(starts_in=timedelta(hours=24, minutes=30))
    assert session_upcoming_scan() == 1
    assert session_upcoming_scan() == 1
    reminders = Reminder.objects.filter(object_code=session.code)
    assert {r.recipient for r in reminders} == {world.coach, world.client}
    assert all(r.due_at == session.starts_at - timedelta(hours=24) for r in reminders)


def test_the_scan_catches_up_on_sessions_it_missed_and_ignores_far_ones(world, make_session):
    soon = make_session(starts_in=timedelta(hours=3))  # the scan was down for a day
    far = make_session(starts_in=timedelta(hours=30))
    session_upcoming_scan()
    assert Reminder.objects.filter(object_code=soon.code).count() == 2
    assert not Reminder.objects.filter(object_code=far.code).exists()


def test_the_coachs_reminder_links_to_the_practice_and_the_clients_too(world, make_session):
    session = make_session()
    session_upcoming_scan()
    coach_path = Reminder.objects.get(recipient=world.coach).path
    client_path = Reminder.objects.get(recipient=world.client).path
    assert coach_path.startswith(f"/p/{world.practice.slug}/")
    assert client_path.startswith(f"/p/{world.practice.slug}/")
    assert "/coach/" in coach_path or str(session.code) in coach_path


def test_cancelling_leaves_sent_reminders_alone(world, make_session):
    session = make_session()
    session_upcoming_scan()
    Reminder.objects.filter(recipient=world.coach).update(status=Reminder.Status.SENT)
    assert reminders_cancel(obj=session) == 1
    assert Reminder.objects.get(recipient=world.client).status == Reminder.Status.CANCELLED


def test_the_demo_step_is_idempotent(world, make_session):
    from sessions.demo_reminders import demo

    make_session()
    demo(practice=world.practice, people={})
    demo(practice=world.practice, people={})
    assert Reminder.objects.count() == 2
