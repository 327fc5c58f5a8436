"""Each role's dashboard starts with what needs doing today (#14), through the gate."""

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.notifications.models import InAppNotification, Reminder
from ethics.models import Consent, ProgressReport
from sessions.models import ActionItem, Session
from tests.factories import MembershipFactory
from tests.programs import builders
from tests.sessions.factories import (
    ActionItemFactory,
    CheckOutFactory,
    NoteFactory,
    SessionFactory,
    held_session,
    program_for,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=JAKARTA)


def _page(client_for, user, role, slug="cahaya"):
    response = client_for(user).get(reverse(f"dashboard_{role}", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def _today_panel(body):
    start = body.index('id="today"')
    return body[start : body.index("</section>", start)]


# The coach -------------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
def test_the_coach_sees_todays_session_first_with_one_click_to_prepare(world, client_for):
    program = program_for(world)
    today = SessionFactory(program=program, number=3, starts_at=MORNING + timedelta(hours=2))
    SessionFactory(program=program, number=4, starts_at=MORNING + timedelta(days=1))
    body = _page(client_for, world.coach, "coach")
    panel = _today_panel(body)
    assert "10:00 · Client · session 3" in panel
    assert reverse("session_prepare", args=["cahaya", today.code]) in panel
    assert "session 4" not in panel  # tomorrow's is in the upcoming list, not today's
    assert body.index('id="today"') < body.index("Upcoming sessions")


@time_machine.travel(MORNING, tick=False)
def test_the_coach_sees_held_sessions_whose_notes_or_check_out_are_unfinished(world, client_for):
    program = program_for(world)
    no_checkout = held_session(program, 1, days_ago=14, content=False)
    NoteFactory(session=no_checkout)
    CheckOutFactory(session=no_checkout, completed_at=None)
    nothing = held_session(program, 2, days_ago=7, content=False)
    done = held_session(program, 3, days_ago=3, content=False)
    NoteFactory(session=done)
    CheckOutFactory(session=done, completed_at=timezone.now())
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    run = lambda s: reverse("session_run", args=["cahaya", s.code])  # noqa: E731
    assert "Unfinished notes or check-out" in panel
    assert run(no_checkout) in panel and "check-out not done" in panel
    assert run(nothing) in panel and "notes and check-out missing" in panel
    assert run(done) not in panel


@time_machine.travel(MORNING, tick=False)
def test_the_coach_sees_a_past_session_not_yet_marked_held(world, client_for):
    program = program_for(world)
    past = SessionFactory(program=program, number=1, starts_at=MORNING - timedelta(days=1))
    soon = SessionFactory(program=program, number=2, starts_at=MORNING - timedelta(minutes=30))
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    assert reverse("session_run", args=["cahaya", past.code]) in panel
    assert "not marked held yet" in panel
    assert reverse("session_run", args=["cahaya", soon.code]) not in panel  # still going on


@time_machine.travel(MORNING, tick=False)
def test_the_other_coach_sees_none_of_the_coachs_sessions_or_tasks(world, client_for):
    program = program_for(world)
    session = held_session(program, 1, days_ago=7, content=False)
    ActionItemFactory(session=session, text="Write the letter", due_on=date(2026, 11, 20))
    panel = _today_panel(_page(client_for, world.other_coach, "coach"))
    assert "Write the letter" not in panel
    assert reverse("session_run", args=["cahaya", session.code]) not in panel


@time_machine.travel(MORNING, tick=False)
def test_an_admin_who_also_coaches_sees_only_their_own_sessions_on_the_coach_dashboard(
    world, client_for
):
    # The admin's reach is every session of the practice: the coach's lists narrow it to the
    # sessions they coach (a coach and nothing else needs no narrowing, #11 g-dash7).
    MembershipFactory(practice=world.practice, user=world.admin, role="coach")
    others = program_for(world)  # the world's coach's
    own = program_for(world, coach=world.admin)
    sessions = {}
    for name, program in (("others", others), ("own", own)):
        sessions[name] = (
            SessionFactory(program=program, number=3, starts_at=MORNING + timedelta(hours=2)),
            SessionFactory(program=program, number=1, starts_at=MORNING - timedelta(days=1)),
            SessionFactory(program=program, number=4, starts_at=MORNING + timedelta(days=2)),
        )
    body = _page(client_for, world.admin, "coach")
    for today, past, later in [sessions["own"]]:
        assert reverse("session_prepare", args=["cahaya", today.code]) in body  # today's
        assert reverse("session_run", args=["cahaya", past.code]) in body  # not marked held
        assert reverse("session_run", args=["cahaya", later.code]) in body  # upcoming
    for session in sessions["others"]:
        assert str(session.code) not in body


@time_machine.travel(MORNING, tick=False)
def test_the_coach_sees_clients_overdue_tasks_and_ticks_their_own(world, client_for):
    program = program_for(world)
    session = held_session(program, 1, days_ago=10, content=False)
    ActionItemFactory(session=session, text="Ask for feedback", due_on=date(2026, 11, 30))
    ActionItemFactory(session=session, text="Not yet due", due_on=date(2026, 12, 9))
    own = ActionItemFactory(
        session=session,
        text="Send the article",
        assignee=ActionItem.Assignee.COACH,
        due_on=date(2026, 12, 3),
    )
    browser = client_for(world.coach)
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    assert "Clients' overdue tasks" in panel
    assert "Client · Ask for feedback · " in panel and "due 30 Nov" in panel
    assert "Not yet due" not in panel
    assert "Send the article" in panel
    response = browser.post(
        reverse("action_item_done", args=["cahaya", own.code]),
        {"comment": "", "next": reverse("dashboard_coach", args=["cahaya"])},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard_coach", args=["cahaya"])
    own.refresh_from_db()
    assert own.done_at is not None
    assert "Send the article" not in _today_panel(_page(client_for, world.coach, "coach"))


@time_machine.travel(MORNING, tick=False)
def test_each_task_list_shows_its_own_first_eight_in_due_order(world, client_for):
    session = held_session(program_for(world), 1, days_ago=40, content=False)
    for day in range(1, 10):  # nine overdue client tasks, due 1 to 9 Nov
        ActionItemFactory(session=session, text=f"Client task {day}", due_on=date(2026, 11, day))
    for day in (20, 21):
        ActionItemFactory(
            session=session,
            text=f"Coach task {day}",
            assignee=ActionItem.Assignee.COACH,
            due_on=date(2026, 12, day),
        )
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    overdue = panel.split("Clients' overdue tasks")[1].split("My tasks")[0]
    shown = re.findall(r"Client task (\d)", overdue)
    assert shown == [str(day) for day in range(1, 9)]  # the ninth waits behind "and more"
    assert "and more" in overdue
    mine = panel.split("My tasks")[1]
    assert re.findall(r"Coach task (\d+)", mine) == ["20", "21"]
    assert "and more" not in mine


@time_machine.travel(MORNING, tick=False)
def test_a_list_with_many_more_does_not_claim_a_number_it_did_not_count(world, client_for):
    # Each panel list reads its first eight and one more: it knows that more wait, not how
    # many. With 14 overdue tasks it said "and 1 more".
    session = held_session(program_for(world), 1, days_ago=40, content=False)
    for day in range(1, 15):
        ActionItemFactory(session=session, text=f"Client task {day}", due_on=date(2026, 11, day))
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    overdue = panel.split("Clients' overdue tasks")[1].split("My tasks")[0]
    assert len(re.findall(r"Client task (\d+)", overdue)) == 8
    assert "and more" in overdue
    assert not re.search(r"and \d+ more", overdue)


def test_the_done_form_goes_back_only_to_a_page_of_this_site(world, client_for):
    program = program_for(world)
    task = ActionItemFactory(session=SessionFactory(program=program))
    response = client_for(world.client).post(
        reverse("action_item_done", args=["cahaya", task.code]),
        {"comment": "done", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("client_coaching", args=["cahaya"])
    task.refresh_from_db()
    assert task.done_comment == "done"


def test_the_coach_sees_a_program_near_graduation(world, client_for):
    program = builders.program(world, sessions=6)  # the contract allows 6
    with time_machine.travel(datetime(2027, 4, 1, 9, 0, tzinfo=JAKARTA)):
        numbers = list(program.sessions.order_by("number").values_list("pk", flat=True))
        Session.objects.filter(pk__in=numbers[:4]).update(status=Session.Status.HELD)
        panel = _today_panel(_page(client_for, world.coach, "coach"))
        assert "Near graduation" not in panel  # 4 of 6 used
        Session.objects.filter(pk=numbers[4]).update(status=Session.Status.NO_SHOW)
        panel = _today_panel(_page(client_for, world.coach, "coach"))
        assert "Near graduation" in panel and "5 of 6 sessions used" in panel


def _section(body, heading):
    start = body.index(heading)
    return body[start : body.index("</section>", start)]


@time_machine.travel(MORNING, tick=False)
def test_the_coach_sees_each_program_once_with_its_page_and_the_program(world, client_for):
    program = program_for(world)
    held_session(program, 1, days_ago=7, content=False)
    SessionFactory(program=program, number=2, starts_at=MORNING + timedelta(days=2))
    other = program_for(world, client=MembershipFactory(practice=world.practice).user)
    body = _page(client_for, world.coach, "coach")
    coach_page = reverse("coach_program", args=["cahaya", program.code])
    program_page = reverse("program_detail", args=["cahaya", program.code])
    # One row per program (#11: the programs were listed twice): the client's name opens the
    # program's page, as it always did, and the row links the coach's page of the program
    # (the "My clients" list's link before), with the sessions held of booked.
    row = " ".join(
        re.search(rf'<li><a href="{program_page}">Client</a>(.*?)</li>', body, re.S)[1].split()
    )
    assert row == (f'· Active · 1 held of 2 booked · <a href="{coach_page}">Sessions</a>')
    assert body.count(f'href="{coach_page}"') == 1 and body.count(f'href="{program_page}"') == 1
    assert reverse("coach_program", args=["cahaya", other.code]) in body
    assert "My clients" not in body


@time_machine.travel(MORNING, tick=False)
def test_the_coachs_upcoming_sessions_start_today_and_past_ones_wait_as_unfinished(
    world, client_for
):
    program = program_for(world)
    past = SessionFactory(program=program, number=1, starts_at=MORNING - timedelta(days=2))
    later = SessionFactory(program=program, number=2, starts_at=MORNING + timedelta(days=2))
    body = _page(client_for, world.coach, "coach")
    upcoming = _section(body, "Upcoming sessions")
    assert reverse("session_prepare", args=["cahaya", later.code]) in upcoming
    # Not upcoming: two days ago and not marked held, it is among the unfinished ones.
    assert reverse("session_run", args=["cahaya", past.code]) not in upcoming
    assert reverse("session_run", args=["cahaya", past.code]) in _today_panel(body)


# The admin -------------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
def test_the_admin_sees_the_day_the_week_and_what_needs_a_decision(world, client_for):
    program = program_for(world)
    SessionFactory(program=program, number=5, starts_at=MORNING + timedelta(hours=3))
    SessionFactory(program=program, number=6, starts_at=MORNING + timedelta(days=3))
    SessionFactory(program=program, number=7, starts_at=MORNING + timedelta(days=12))
    SessionFactory(program=program, number=2, starts_at=MORNING - timedelta(days=2))
    SessionFactory(
        program=program,
        number=3,
        starts_at=MORNING - timedelta(days=1),
        status=Session.Status.CANCELLED_CLIENT_LATE,
    )
    held = held_session(program, 1, days_ago=9)
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    assert "11:00 · Client with Coach · session 5" in panel
    assert "Sat 5 Dec, 08:00 · Client with Coach" in panel
    assert "14 Dec" not in panel  # beyond the week
    assert "time has passed: was it held, or a no-show?" in panel
    assert "cancelled late by the client: does it count as used?" in panel
    # Logistics only: no content of the held session reaches the admin.
    assert "Take-away of session 1" not in panel and "Client task of session 1" not in panel
    assert held.starts_at.strftime("%-d %b") not in panel.split("Sessions needing a decision")[1]


@time_machine.travel(MORNING, tick=False)
def test_the_admin_sees_the_first_eight_of_a_busy_day_and_the_schedule_for_the_rest(
    world, client_for
):
    program = program_for(world)
    for i in range(10):  # 09:00, 09:30, ... 13:30 today
        SessionFactory(
            program=program, number=10 + i, starts_at=MORNING + timedelta(minutes=60 + 30 * i)
        )
    SessionFactory(program=program, number=30, starts_at=MORNING + timedelta(days=3))
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    today, week = panel.split("This week")
    assert "12:30 · Client with Coach · session 17" in today  # the eighth
    assert "13:00" not in today and "13:30" not in today  # the ninth and tenth: on the schedule
    schedule = reverse("schedule_overview", args=["cahaya"]) + "?day=2026-12-02"
    assert f'<a href="{schedule}">More today: the schedule</a>' in today
    assert "Sat 5 Dec, 08:00 · Client with Coach" in week
    assert "No other sessions this week." not in week


@time_machine.travel(MORNING, tick=False)
def test_when_todays_sessions_fill_the_panel_this_week_links_the_schedule(world, client_for):
    program = program_for(world)
    for i in range(18):
        SessionFactory(
            program=program, number=10 + i, starts_at=MORNING + timedelta(minutes=60 + 20 * i)
        )
    SessionFactory(program=program, number=30, starts_at=MORNING + timedelta(days=3))
    week = _today_panel(_page(client_for, world.admin, "admin")).split("This week")[1]
    # Not read, so not claimed absent: the schedule shows the rest of the week.
    assert "No other sessions this week." not in week
    assert "The whole schedule</a>" in week


def test_the_admin_sees_who_a_proposal_and_a_contract_wait_for_and_since_when(world, client_for):
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=JAKARTA)):
        builders.proposal(world, status="sent")
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=JAKARTA)):
        builders.contract(world, status="sent")
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    rows = [" ".join(row.split()) for row in re.findall(r"<li>(.*?)</li>", panel, re.S)]
    proposal_row = next(row for row in rows if "Proposal</a>" in row)
    assert "waiting for Client, Sponsor · since 20 Nov" in proposal_row
    contract_row = next(row for row in rows if "Contract</a>" in row)
    # Nobody has accepted the contract yet: the client, the practice and the sponsor.
    assert "waiting for Client, Cahaya, Sponsor · since 24 Nov" in contract_row


def test_a_proposal_waits_for_an_invitee_by_address_and_not_for_who_has_answered(world, client_for):
    from programs.models import Proposal

    invited = builders.proposal(world, status="sent")  # to someone without an account yet
    Proposal.objects.filter(pk=invited.pk).update(client=None, client_email="new.person@x.test")
    answered = builders.proposal(world, status="sent")  # the client has accepted
    Proposal.objects.filter(pk=answered.pk).update(client_response="accepted")
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    rows = [" ".join(row.split()) for row in re.findall(r"<li>(.*?)</li>", panel, re.S)]
    waiting = sorted(
        row.split("waiting for ")[1].split(" ·")[0] for row in rows if "Proposal</a>" in row
    )
    assert waiting == ["Sponsor", "new.person@x.test, Sponsor"]


def test_the_admin_sees_the_failed_reminders_by_kind_and_person(world, client_for):
    Reminder.objects.create(
        practice=world.practice,
        kind="session_upcoming",
        recipient=world.client,
        object_type="session",
        object_code="00000000-0000-0000-0000-000000000001",
        occasion="x",
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
        status=Reminder.Status.FAILED,
    )
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    assert "Reminders that could not be sent" in panel
    assert "Client" in panel.split("Reminders that could not be sent")[1]
    assert "session_upcoming" not in panel  # the kind in words, not its code


def test_the_admin_sees_programs_ending_soon(world, client_for):
    program = builders.program(world, sessions=2)
    with time_machine.travel(datetime(2027, 6, 20, 9, 0, tzinfo=JAKARTA)):
        program.refresh_from_db()
        panel = _today_panel(_page(client_for, world.admin, "admin"))
    assert "Programs ending soon" in panel
    assert f"ends {program.ends_on.day} Jul 2027" in panel
    assert "0 of 6 sessions used" in panel


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "en",
            ["· session 5 ·", "· session 3 ·", "Decide", "ends 30 Dec 2026 · 1 of 6 sessions used"],
        ),
        (
            "id",
            [
                "· sesi 5 ·",
                "· sesi 3 ·",
                "Putuskan",
                "berakhir 30 Des 2026 · 1 dari 6 sesi terpakai",
            ],
        ),
    ],
)
@time_machine.travel(MORNING, tick=False)
def test_the_admins_rows_name_each_session_and_when_a_program_ends_in_their_language(
    world, client_for, language, words
):
    # The rows' words are translated once per list, not per row (#11): still in the reader's
    # language, on every row of today, of the decisions and of the programs ending soon.
    world.admin.language = language
    world.admin.save(update_fields=["language"])
    program = builders.program(world, sessions=0)  # contracted for 6 sessions
    program.ends_on = date(2026, 12, 30)
    program.save(update_fields=["ends_on"])
    SessionFactory(program=program, number=5, starts_at=MORNING + timedelta(hours=3))
    SessionFactory(
        program=program,
        number=3,
        starts_at=MORNING - timedelta(days=1),
        status=Session.Status.CANCELLED_CLIENT_LATE,
    )
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    today = panel.split("<h3")[0]
    decisions = panel.split("<h3")[1]
    assert words[0] in today and words[1] not in today
    assert words[1] in decisions and words[2] in decisions
    assert words[3] in panel.split("<h3")[-1]  # the late cancellation counts as used


def _notify(user, practice, n):
    for _ in range(n):
        reminder = Reminder.objects.create(
            practice=practice,
            kind="session_upcoming",
            recipient=user,
            object_type="session",
            object_code=uuid.uuid4(),
            occasion=str(uuid.uuid4()),
            due_at=timezone.now(),
            next_attempt_at=timezone.now(),
        )
        InAppNotification.objects.create(reminder=reminder, recipient=user)


def test_the_admins_inbox_badge_is_counted_with_the_panels_and_follows_each_read(world, client_for):
    # #11: the navigation's unread notifications are read in the dashboard's counts query,
    # not in a query of their own; the number is the admin's own and fresh on every request.
    _notify(world.admin, world.practice, 3)
    _notify(world.coach, world.practice, 2)  # someone else's: not counted
    browser = client_for(world.admin)
    url = reverse("dashboard_admin", args=[world.practice.slug])
    browser.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = browser.get(url).content.decode()
    assert 'aria-label="3 unread">3</span>' in body
    counting = [q["sql"] for q in captured if '"notifications_inappnotification"' in q["sql"]]
    assert len(counting) == 1 and '"programs_proposal"' in counting[0]
    first = InAppNotification.objects.filter(recipient=world.admin).first()
    browser.post(reverse("notification_mark_read"), {"id": first.pk})
    assert 'aria-label="2 unread">2</span>' in browser.get(url).content.decode()
    InAppNotification.objects.filter(recipient=world.admin).update(read_at=timezone.now())
    inbox = browser.get(url).content.decode().split('id="nav-inbox"')[1].split("</li>")[0]
    assert "badge" not in inbox and "unread" not in inbox


# The client -------------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
def test_the_client_sees_the_next_session_a_calendar_file_and_the_latest_summary(world, client_for):
    program = program_for(world)
    held_session(program, 1, days_ago=14)
    held_session(program, 2, days_ago=7)
    upcoming = SessionFactory(
        program=program,
        number=3,
        starts_at=MORNING + timedelta(days=2),
        video_link="https://meet.example/abc",
    )
    body = _page(client_for, world.client, "client")
    assert "Join the call" in body and "https://meet.example/abc" in body
    ics = reverse("session_calendar_file", args=["cahaya", upcoming.code])
    assert ics in body
    assert "Summary of session 2" in body and "Take-away of session 2" in body
    assert "Take-away of session 1" not in body
    response = client_for(world.client).get(ics)
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "Coaching: Coach" in text
    assert "Take-away" not in text and "Leading the new team" not in text


@time_machine.travel(MORNING, tick=False)
def test_the_client_does_not_see_a_summary_kept_private(world, client_for):
    program = program_for(world)
    session = held_session(program, 1, days_ago=7, content=False)
    CheckOutFactory(session=session, take_aways="Private take-away", scope="private")
    body = _page(client_for, world.client, "client")
    assert "Private take-away" not in body and "Summary of session" not in body


@time_machine.travel(MORNING, tick=False)
def test_the_client_marks_a_task_done_from_the_dashboard_and_stays_there(world, client_for):
    program = program_for(world)
    session = held_session(program, 1, days_ago=7, content=False)
    task = ActionItemFactory(session=session, text="Ask two peers", due_on=date(2026, 12, 5))
    url = reverse("dashboard_client", args=["cahaya"])
    body = _page(client_for, world.client, "client")
    assert "Ask two peers" in body and "due 5 December 2026" in body
    response = client_for(world.client).post(
        reverse("action_item_done", args=["cahaya", task.code]),
        {"comment": "Both said yes", "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Task marked done." in response.content.decode()
    assert "Ask two peers" not in response.content.decode()
    task.refresh_from_db()
    assert task.done_comment == "Both said yes"


# The sponsor ------------------------------------------------------------------------------


@pytest.fixture
def consented(world):
    return Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree",
        text_version="1",
    )


@time_machine.travel(MORNING, tick=False)
def test_the_sponsor_sees_attendance_and_the_reports_waiting(world, client_for, consented):
    program = program_for(world)
    held_session(program, 1, days_ago=21)
    held_session(program, 2, days_ago=14)
    SessionFactory(
        program=program,
        number=3,
        starts_at=MORNING - timedelta(days=7),
        status=Session.Status.NO_SHOW,
    )
    SessionFactory(program=program, number=4, starts_at=MORNING + timedelta(days=7))
    ProgressReport.objects.create(
        program=program,
        author=world.coach,
        text="Report canary text",
        status=ProgressReport.Status.APPROVED,
        approved_at=MORNING - timedelta(days=1),
    )
    panel = _today_panel(_page(client_for, world.sponsor, "sponsor"))
    assert "Across your programs: 2 held, 0 cancelled late, 1 no-show." in panel
    assert "<td>2</td><td>0</td><td>1</td><td>1</td>" in panel
    assert "approved 1 Dec 2026" in panel
    assert "Report canary text" not in panel
    assert "Take-away of session 1" not in panel


@time_machine.travel(MORNING, tick=False)
def test_the_sponsor_sees_no_report_once_consent_is_withdrawn(world, client_for, consented):
    program = program_for(world)
    ProgressReport.objects.create(
        program=program,
        author=world.coach,
        text="x",
        status=ProgressReport.Status.APPROVED,
        approved_at=MORNING,
    )
    consented.withdrawn_at = timezone.now()
    consented.save()
    panel = _today_panel(_page(client_for, world.sponsor, "sponsor"))
    assert "No progress report is waiting." in panel


@time_machine.travel(MORNING, tick=False)
def test_an_ended_programs_open_tasks_do_not_wait_on_the_coach(world, client_for):
    program = program_for(world, status="graduated")
    session = held_session(program, 1, days_ago=20, content=False)
    ActionItemFactory(session=session, text="Left over", due_on=date(2026, 11, 20))
    ActionItemFactory(session=session, text="Coach left over", assignee="coach")
    panel = _today_panel(_page(client_for, world.coach, "coach"))
    assert "Left over" not in panel and "Coach left over" not in panel


def test_a_proposal_sent_again_waits_since_its_latest_sending(world, client_for):
    # "since": the latest of its "sent" events (#11, g-adm3: read as the newest event, LIMIT
    # 1, instead of a grouped Max); without one, when it was created.
    from programs.models import ProgramEvent

    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=JAKARTA)):
        proposal = builders.proposal(world, status="sent")
    for day in (12, 18, 15):  # sent, sent again (the latest), and an older one written last
        ProgramEvent.objects.create(
            practice=world.practice,
            proposal=proposal,
            subject="proposal",
            from_state="draft",
            to_state="sent",
            at=datetime(2026, 11, day, 9, 0, tzinfo=JAKARTA),
        )
    ProgramEvent.objects.create(  # a later event to another state does not count
        practice=world.practice,
        proposal=proposal,
        subject="proposal",
        from_state="sent",
        to_state="accepted",
        at=datetime(2026, 11, 25, 9, 0, tzinfo=JAKARTA),
    )
    panel = _today_panel(_page(client_for, world.admin, "admin"))
    rows = [" ".join(row.split()) for row in re.findall(r"<li>(.*?)</li>", panel, re.S)]
    proposal_row = next(row for row in rows if "Proposal</a>" in row)
    assert "· since 18 Nov" in proposal_row


@time_machine.travel(MORNING, tick=False)
def test_the_sponsors_two_panels_list_the_same_programs_each_in_its_order(world, client_for):
    """One read of the sponsored programs serves the attendance table (by client name) and
    the programs panel (newest first), each with its own numbers (#11)."""
    from tests.factories import UserFactory

    older = program_for(world, client=UserFactory(full_name="Zaenal Older"), coach=world.coach)
    newer = program_for(world, client=UserFactory(full_name="Ayu Newer"), coach=world.other_coach)
    for program in (older, newer):
        MembershipFactory(practice=world.practice, user=program.client, role="client")
    older.created_at = MORNING - timedelta(days=60)
    older.save()
    held_session(older, 1, days_ago=21)
    held_session(older, 2, days_ago=14)
    SessionFactory(program=older, number=3, starts_at=MORNING + timedelta(days=7))
    SessionFactory(program=newer, number=1, starts_at=MORNING + timedelta(days=3))
    body = _page(client_for, world.sponsor, "sponsor")
    table = _today_panel(body)
    assert table.index("Ayu Newer") < table.index("Zaenal Older")  # by client name
    assert "<td>2</td><td>0</td><td>0</td><td>1</td>" in table  # the older: 2 held, 1 ahead
    panel = body[body.index("Programs you sponsor") :]
    other = world.other_coach.display_name
    assert panel.index(f"Coaching with {other}") < panel.index(
        f"Coaching with {world.coach.display_name}"
    )  # newest first
    assert "0 held of 1 booked" in panel and "2 held of 3 booked" in panel
