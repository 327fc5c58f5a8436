"""Each reminder kind is created by its cause, exactly once, and goes away when not wanted."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from coaching.access import PracticeAccess
from coaching.accounts.models import Membership
from coaching.notifications import dispatch
from coaching.notifications.models import PracticeNotificationDefault, Reminder
from ethics import reminders as ethics_reminders
from ethics import services as ethics_services
from ethics.models import Consent, Referral
from programs import reminders as kinds_programs
from programs import services as program_services
from programs import tasks
from sessions import reminders as kinds_sessions
from sessions import services as session_services
from sessions.models import ActionItem, CheckIn, CheckOut, ConversationNote, Scope, Session
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")


def _rows(kind, **filters):
    return list(Reminder.objects.filter(kind=kind, **filters))


def _send_all():
    Reminder.objects.filter(status=Reminder.Status.PENDING).update(next_attempt_at=timezone.now())
    return dispatch.dispatch_due()


def _held(make_session, *, ago):
    return make_session(starts_in=-ago, status=Session.Status.HELD)


# Post-session tasks --------------------------------------------------------------------------


def test_task_due_soon_reaches_its_assignee_once(world, make_session):
    session = _held(make_session, ago=timedelta(days=2))
    tomorrow = timezone.localdate() + timedelta(days=1)
    ActionItem.objects.create(session=session, author=world.coach, text="x", due_on=tomorrow)
    ActionItem.objects.create(
        session=session, author=world.coach, text="y", due_on=tomorrow, assignee="coach"
    )
    for _ in range(2):
        kinds_sessions.task_reminders_scan()
    due = _rows(kinds_sessions.TASK_DUE)
    assert sorted(r.recipient_id for r in due) == sorted([world.client.pk, world.coach.pk])
    assert all(r.occasion == f"due:{tomorrow.isoformat()}" for r in due)
    assert not _rows(kinds_sessions.TASK_OVERDUE)


def test_task_overdue_fires_once_after_the_due_date(world, make_session):
    session = _held(make_session, ago=timedelta(days=2))
    due_on = timezone.localdate() + timedelta(days=1)
    ActionItem.objects.create(session=session, author=world.coach, text="x", due_on=due_on)
    kinds_sessions.task_reminders_scan()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        for _ in range(3):
            kinds_sessions.task_reminders_scan()
        overdue = _rows(kinds_sessions.TASK_OVERDUE)
        assert [r.recipient_id for r in overdue] == [world.client.pk]
        assert len(_rows(kinds_sessions.TASK_DUE)) == 1


def test_a_done_task_is_not_reminded(world, make_session):
    session = _held(make_session, ago=timedelta(days=2))
    item = ActionItem.objects.create(
        session=session, author=world.coach, text="x", due_on=timezone.localdate()
    )
    kinds_sessions.task_reminders_scan()
    session_services.action_item_complete(item=item, comment="", actor=world.client)
    _send_all()
    assert _rows(kinds_sessions.TASK_DUE)[0].status == Reminder.Status.CANCELLED
    assert not mail.outbox


def test_tasks_without_a_due_date_or_long_overdue_are_left_alone(world, make_session):
    session = _held(make_session, ago=timedelta(days=40))
    ActionItem.objects.create(session=session, author=world.coach, text="x")
    ActionItem.objects.create(
        session=session,
        author=world.coach,
        text="y",
        due_on=timezone.localdate() - timedelta(days=30),
    )
    kinds_sessions.task_reminders_scan()
    assert not Reminder.objects.exists()


# Notes and check-out -------------------------------------------------------------------------


def test_notes_incomplete_24_hours_after_a_held_session_reaches_the_coach_once(world, make_session):
    session = _held(make_session, ago=timedelta(hours=30))
    recent = _held(make_session, ago=timedelta(hours=10))
    for _ in range(2):
        kinds_sessions.notes_incomplete_scan()
    rows = _rows(kinds_sessions.NOTES_INCOMPLETE)
    assert [(r.recipient_id, r.object_code) for r in rows] == [(world.coach.pk, session.code)]
    assert recent.code not in {r.object_code for r in rows}


def test_a_session_with_notes_and_a_completed_check_out_needs_no_reminder(world, make_session):
    session = _held(make_session, ago=timedelta(hours=30))
    ConversationNote.objects.create(session=session, author=world.coach, text="n")
    CheckOut.objects.create(session=session, author=world.coach, completed_at=timezone.now())
    kinds_sessions.notes_incomplete_scan()
    assert not _rows(kinds_sessions.NOTES_INCOMPLETE)


def test_notes_completed_before_the_send_cancel_the_reminder(world, make_session):
    session = _held(make_session, ago=timedelta(hours=30))
    kinds_sessions.notes_incomplete_scan()
    ConversationNote.objects.create(session=session, author=world.coach, text="n")
    CheckOut.objects.create(session=session, author=world.coach, completed_at=timezone.now())
    _send_all()
    assert _rows(kinds_sessions.NOTES_INCOMPLETE)[0].status == Reminder.Status.CANCELLED


# An item newly shared ------------------------------------------------------------------------


def test_a_new_client_scoped_part_is_announced_to_the_client_once(world, make_session):
    session = make_session()
    check_in = session_services.session_part_save(
        instance=CheckIn(session=session, goal="g"), actor=world.coach
    )
    check_in.goal = "changed"
    session_services.session_part_save(instance=check_in, actor=world.coach)
    rows = _rows(kinds_sessions.ITEM_SHARED)
    assert [(r.recipient_id, r.occasion) for r in rows] == [(world.client.pk, "shared:client")]


def test_a_private_note_made_client_visible_is_announced_then(world, make_session):
    session = make_session()
    note = session_services.session_part_save(
        instance=ConversationNote(session=session, text="t"), actor=world.coach
    )
    assert not _rows(kinds_sessions.ITEM_SHARED)
    note.scope = Scope.CLIENT
    session_services.session_part_save(instance=note, actor=world.coach)
    assert [r.recipient_id for r in _rows(kinds_sessions.ITEM_SHARED)] == [world.client.pk]


def test_sponsor_scope_reaches_the_sponsor_only_with_the_clients_consent(world, make_session):
    session = make_session()
    note = session_services.session_part_save(
        instance=ConversationNote(session=session, text="t", scope=Scope.SPONSOR),
        actor=world.coach,
    )
    assert [r.recipient_id for r in _rows(kinds_sessions.ITEM_SHARED)] == [world.client.pk]
    Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree.",
        text_version="test",
    )
    note.scope = Scope.CLIENT
    session_services.session_part_save(instance=note, actor=world.coach)
    note.scope = Scope.SPONSOR
    session_services.session_part_save(instance=note, actor=world.coach)
    recipients = sorted(r.recipient_id for r in _rows(kinds_sessions.ITEM_SHARED))
    assert recipients == sorted([world.client.pk, world.sponsor.pk])


def test_an_item_made_private_again_before_the_send_is_not_announced(world, make_session):
    session = make_session()
    note = session_services.session_part_save(
        instance=ConversationNote(session=session, text="t", scope=Scope.CLIENT),
        actor=world.coach,
    )
    note.scope = Scope.PRIVATE
    session_services.session_part_save(instance=note, actor=world.coach)
    _send_all()
    assert _rows(kinds_sessions.ITEM_SHARED)[0].status == Reminder.Status.CANCELLED


# Sessions scheduled, moved, cancelled --------------------------------------------------------


def test_scheduling_moving_and_cancelling_reach_both_parties_once_each(world):
    program = builders.program(world, sessions=2)
    first, second = program.sessions.order_by("number")
    rows = _rows(kinds_sessions.SESSION_SCHEDULED)
    assert len(rows) == 4
    assert {(r.object_code, r.recipient_id) for r in rows} == {
        (s.code, p.pk) for s in (first, second) for p in (world.coach, world.client)
    }
    new = program_services.session_reschedule(
        session=first,
        actor=world.admin,
        starts_at=datetime(2027, 1, 12, 9, 0, tzinfo=JAKARTA),
        confirm_close_spacing=True,
    )
    moved = _rows(kinds_sessions.SESSION_RESCHEDULED)
    assert {(r.object_code, r.recipient_id) for r in moved} == {
        (new.code, world.coach.pk),
        (new.code, world.client.pk),
    }
    # The old session's pending reminders are not wanted any more.
    assert not Reminder.objects.filter(object_code=first.code, status="pending").exists()
    program_services.session_cancel(session=second, actor=world.admin, by="coach")
    cancelled = _rows(kinds_sessions.SESSION_CANCELLED)
    assert {r.recipient_id for r in cancelled} == {world.coach.pk, world.client.pk}
    assert all(r.object_code == second.code for r in cancelled)


# Proposals and contracts ---------------------------------------------------------------------


def test_a_sent_proposal_waits_for_the_client_and_the_sponsor(world):
    proposal = builders.proposal(world, status="sent")
    rows = _rows(kinds_programs.ACTION_WAITING, object_code=proposal.code)
    assert sorted(r.recipient_id for r in rows) == sorted([world.client.pk, world.sponsor.pk])
    program_services.proposal_respond(proposal=proposal, actor=world.client, accept=True)
    _send_all()
    status = {r.recipient_id: r.status for r in Reminder.objects.filter(kind="action_waiting")}
    # The client answered before the reminder went out; the sponsor has not.
    assert status == {world.client.pk: "cancelled", world.sponsor.pk: "sent"}


def test_a_sent_contract_version_waits_for_each_party_who_has_not_accepted(world):
    other_admin = world.other_coach
    Membership.objects.create(practice=world.practice, user=other_admin, role="admin")
    contract = builders.contract(world, status="sent")
    rows = _rows(kinds_programs.ACTION_WAITING, object_code=contract.code)
    # The admin who sent it is not reminded; the practice's other admin is.
    assert sorted(r.recipient_id for r in rows) == sorted(
        [world.client.pk, world.sponsor.pk, other_admin.pk]
    )
    assert {r.occasion for r in rows} == {"waiting:v1"}
    program_services.contract_accept(
        contract=contract, version_number=1, party="client", actor=world.client
    )
    _send_all()
    status = {r.recipient_id: r.status for r in rows_after(contract)}
    assert status[world.client.pk] == "cancelled"
    assert status[world.sponsor.pk] == "sent"


def rows_after(contract):
    return Reminder.objects.filter(kind="action_waiting", object_code=contract.code)


def test_a_new_contract_version_asks_again(world):
    contract = builders.contract(world, status="sent")
    program_services.contract_change_terms(contract=contract, actor=world.admin, reason="r")
    program_services.contract_send(contract=contract, actor=world.admin)
    occasions = sorted(
        r.occasion for r in rows_after(contract) if r.recipient_id == world.client.pk
    )
    assert occasions == ["waiting:v1", "waiting:v2"]
    _send_all()
    status = {r.occasion: r.status for r in rows_after(contract).filter(recipient=world.client)}
    assert status == {"waiting:v1": "cancelled", "waiting:v2": "sent"}


# Referrals -----------------------------------------------------------------------------------


def test_a_referral_follow_up_reaches_the_coach_on_its_day_once(world, program):
    access = PracticeAccess(user=world.coach, practice=world.practice, roles=frozenset({"coach"}))
    follow_up = timezone.localdate() + timedelta(days=7)
    referral = ethics_services.referral_create(
        access=access,
        program=program,
        professional=Referral.Professional.THERAPIST,
        reason=Referral.Reason.MENTAL_HEALTH,
        follow_up_on=follow_up,
    )
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        ethics_reminders.referral_follow_up_scan()
        ethics_reminders.referral_follow_up_scan()
    rows = _rows(ethics_reminders.REFERRAL_FOLLOW_UP)
    assert [(r.recipient_id, r.object_code) for r in rows] == [(world.coach.pk, referral.code)]
    assert rows[0].due_at == datetime.combine(
        follow_up, datetime.min.time().replace(hour=9), tzinfo=ZoneInfo(world.practice.timezone)
    )


def test_a_closed_referral_is_not_followed_up(world, program):
    referral = Referral.objects.create(
        program=program,
        coach=world.coach,
        professional="doctor",
        reason="physical_health",
        follow_up_on=timezone.localdate(),
    )
    ethics_reminders.referral_follow_up_scan()
    ethics_services.referral_close(referral=referral, actor=world.coach)
    _send_all()
    assert _rows(ethics_reminders.REFERRAL_FOLLOW_UP)[0].status == Reminder.Status.CANCELLED


# Retention -----------------------------------------------------------------------------------


def test_notes_past_the_retention_period_ask_the_coach_to_review_once_a_year(
    world, program, make_session
):
    old = _held(make_session, ago=timedelta(days=800))
    ConversationNote.objects.create(session=old, author=world.coach, text="n")
    fresh = _held(make_session, ago=timedelta(days=30))
    ConversationNote.objects.create(session=fresh, author=world.coach, text="n")
    for _ in range(2):
        kinds_sessions.notes_retention_scan()
    rows = _rows(kinds_sessions.RETENTION_REVIEW)
    assert [(r.recipient_id, r.object_code) for r in rows] == [(world.coach.pk, program.code)]
    assert rows[0].occasion == f"retention:{timezone.now().year}"


def test_the_practice_chooses_its_retention_period(world, program, make_session):
    PracticeNotificationDefault.objects.create(practice=world.practice, notes_retention_months=36)
    old = _held(make_session, ago=timedelta(days=800))
    ConversationNote.objects.create(session=old, author=world.coach, text="n")
    kinds_sessions.notes_retention_scan()
    assert not _rows(kinds_sessions.RETENTION_REVIEW)


# Language, time zone, beat -------------------------------------------------------------------


def test_a_reminder_reads_in_the_recipients_language_and_time_zone(world):
    from coaching.notifications import registry

    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    reminder = Reminder.objects.get(kind="session_scheduled", recipient=world.client)
    world.client.language = "en"
    world.client.timezone = "Asia/Jakarta"
    english = registry.render_email(reminder, world.client)
    world.client.language = "id"
    world.client.timezone = "Asia/Jayapura"  # UTC+9, two hours after Jakarta
    indonesian = registry.render_email(reminder, world.client)
    assert english[1] != indonesian[1]
    assert session.starts_at.astimezone(JAKARTA).hour == 9
    assert "Jan." in english[1] and "9 a.m." in english[1]
    # Django's Indonesian date format, in Jayapura time.
    assert "5 Januari 2027, 11.00" in indonesian[1]
    assert "/my-sessions/" in indonesian[1]  # the client's sessions page


def test_the_coachs_session_links_go_to_the_preparation_page(world):
    program = builders.program(world, sessions=1)
    session = program.sessions.get()
    reminder = Reminder.objects.get(kind="session_scheduled", recipient=world.coach)
    assert reminder.path == f"/p/{world.practice.slug}/sessions/{session.code}/prepare/"


def test_every_scan_and_the_proposal_expiry_run_on_beat():
    tasks_on_beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "notifications.scan_session_reminders",
        "notifications.scan_referral_follow_ups",
        "notifications.scan_notes_retention",
        "notifications.expire_proposals",
    } <= tasks_on_beat


def test_the_proposal_expiry_task_expires_past_proposals(world):
    proposal = builders.proposal(world, status="sent")
    type(proposal).objects.filter(pk=proposal.pk).update(expires_on=date(2020, 1, 1))
    assert tasks.expire_proposals.delay().get() == 1
    proposal.refresh_from_db()
    assert proposal.status == "expired"


def test_the_subject_is_rendered_in_the_recipients_language(world, make_session, monkeypatch):
    """The Indonesian catalogue is completed elsewhere; this shows the subject's label is
    evaluated under the recipient's language, whatever the catalogue holds."""
    from django.utils.functional import lazy
    from django.utils.translation import get_language

    from coaching.notifications import registry

    spec = registry.get("session_scheduled")
    language_label = lazy(lambda: f"label-in-{get_language()}", str)()
    monkeypatch.setitem(
        registry._KINDS,
        "session_scheduled",
        registry.Kind(**{**spec.__dict__, "label": language_label}),
    )
    session = make_session()
    kinds_sessions.session_event_schedule(session, "scheduled")
    reminder = Reminder.objects.get(kind="session_scheduled", recipient=world.client)
    world.client.language = "id"
    subject, _text, _html = registry.render_email(reminder, world.client)
    assert subject == f"[{world.practice.name}] label-in-id"


def test_terminating_a_program_sends_a_cancellation_for_each_future_session(world):
    program = builders.program(world, sessions=2)
    program_services.program_transition(
        program=program, actor=world.admin, name="terminate", reason="r"
    )
    cancelled = _rows(kinds_sessions.SESSION_CANCELLED)
    assert len(cancelled) == 4  # two sessions, two parties
    _send_all()
    assert {r.status for r in cancelled_rows()} == {"sent"}
    assert not Reminder.objects.filter(kind="session_upcoming", status="pending").exists()


def cancelled_rows():
    return Reminder.objects.filter(kind=kinds_sessions.SESSION_CANCELLED)
