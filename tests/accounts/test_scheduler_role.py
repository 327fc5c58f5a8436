"""The scheduler (support staff, #13): the practice's logistics and nothing else.

The authorization matrix (tests/authz/) runs every URL as the scheduler; these tests say what
its rows must add up to, and what a scheduler reads on the pages it may open."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone, translation

from coaching.notifications.models import Reminder
from programs.services import program_update_theme
from sessions.models import Session
from tests.authz.spec import LOGIN, REFUSED
from tests.authz.test_matrix import ENTRIES, SCHEDULER_DEFAULT
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")

# Everything the scheduler may open: the pipeline, the schedule, a program's sessions (their
# times, not its content), scheduling, moving and cancelling sessions, and the reminders.
LOGISTICS = {
    "practice_home",
    "dashboard_scheduler",
    "proposal_list",
    "schedule_overview",
    "program_detail",
    "program_schedule",
    "program_session_cancel",
    "program_session_reschedule",
    "practice_reminders",
    "reschedule_request_list",
    "reschedule_request_accept",
    "reschedule_request_refuse",
}
# What the scheduler must never open: the access log, erasure, members, coaching content.
NEVER = {
    "access_event_list",
    "erasure_request_list",
    "member_list",
    "member_invite",
    "member_detail",
    "member_deactivate",
    "practice_settings",
    "session_prepare",
    "session_run",
    "session_part_save",
    "coach_program",
    "program_edit",
    "program_graduate",
    "objective_edit",
    "proposal_detail",
    "proposal_create",
    "contract_detail",
    "contract_edit",
    "dashboard_admin",
}


def _scheduler_expectation(entry):
    return entry.expect.get("scheduler", SCHEDULER_DEFAULT)


def test_the_matrix_lets_the_scheduler_into_logistics_only():
    practice_pages = {name: e for name, e in ENTRIES.items() if e.practice_scoped}
    allowed = {
        name
        for name, entry in practice_pages.items()
        if _scheduler_expectation(entry) not in (*REFUSED, SCHEDULER_DEFAULT)
    }
    assert allowed == LOGISTICS
    assert set(ENTRIES) >= NEVER  # the names above are real matrix rows
    for name in NEVER:
        assert _scheduler_expectation(ENTRIES[name]) in (403, 404, LOGIN, SCHEDULER_DEFAULT), name


def test_the_scheduler_reads_a_programs_sessions_but_not_its_theme(world, client_for):
    program = builders.program(world, sessions=2)
    program_update_theme(
        program=program, actor=world.coach, reason="", theme="CANARY-THEME-SCHEDULER"
    )
    body = client_for(world.scheduler).get(
        reverse("program_detail", args=[world.practice.slug, program.code])
    )
    assert body.status_code == 200
    text = body.content.decode()
    assert "CANARY-THEME-SCHEDULER" not in text
    assert reverse("program_schedule", args=[world.practice.slug, program.code]) in text
    assert text.count("/cancel/") == 2  # one Cancel per scheduled session


def test_the_scheduler_schedules_and_moves_sessions(world, client_for):
    program = builders.program(world, sessions=1)
    browser = client_for(world.scheduler)
    response = browser.post(
        reverse("program_schedule", args=[world.practice.slug, program.code]),
        {
            "first": "2027-02-02T09:00",
            "count": "1",
            "spacing_days": "14",
            "format": "video",
            "confirm_close_spacing": "on",
        },
    )
    assert response.status_code == 302
    assert program.sessions.filter(status=Session.Status.SCHEDULED).count() == 2
    first = program.sessions.get(number=1)
    browser.post(
        reverse(
            "program_session_reschedule",
            args=[world.practice.slug, program.code, first.code],
        ),
        {"starts_at": "2027-02-20T09:00"},
    )
    numbers = list(
        program.sessions.filter(status=Session.Status.SCHEDULED)
        .order_by("starts_at")
        .values_list("number", flat=True)
    )
    assert numbers == [1, 2]
    assert Session.objects.get(pk=first.pk).status == Session.Status.RESCHEDULED


def test_the_scheduler_navigation_shows_logistics_and_hides_the_rest(world, client_for):
    page = client_for(world.scheduler).get(
        reverse("dashboard_scheduler", args=[world.practice.slug])
    )
    assert page.status_code == 200
    text = page.content.decode()
    slug = world.practice.slug
    for name in ["proposal_list", "schedule_overview", "practice_reminders"]:
        assert reverse(name, args=[slug]) in text, name
    for name in ["member_list", "access_event_list", "erasure_request_list", "practice_settings"]:
        assert reverse(name, args=[slug]) not in text, name
    assert reverse("proposal_create", args=[slug]) not in text


def test_practice_home_takes_the_scheduler_to_its_dashboard(world, client_for):
    response = client_for(world.scheduler).get(reverse("practice_home", args=[world.practice.slug]))
    assert response["Location"] == reverse("dashboard_scheduler", args=[world.practice.slug])


def test_the_admin_navigation_links_the_reminders_page(world, client_for):
    page = client_for(world.admin).get(reverse("dashboard_admin", args=[world.practice.slug]))
    assert reverse("practice_reminders", args=[world.practice.slug]) in page.content.decode()


def test_the_reminders_page_names_kinds_in_the_readers_language(world, client_for):
    Reminder.objects.create(
        practice=world.practice,
        kind="session_scheduled",
        recipient=world.client,
        object_type="session",
        object_code="8d3c1c1e-8f54-4b53-9a45-5f0e6a1d2b11",
        occasion="test",
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    browser = client_for(world.scheduler)
    url = reverse("practice_reminders", args=[world.practice.slug])
    english = browser.get(url).content.decode()
    assert "A coaching session was scheduled" in english
    assert "<td>session_scheduled</td>" not in english
    world.scheduler.language = "id"
    world.scheduler.save(update_fields=["language"])
    with translation.override("id"):
        indonesian = browser.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "A coaching session was scheduled" not in indonesian
    assert "<td>session_scheduled</td>" not in indonesian


def test_a_scheduler_is_not_a_party_to_contracts(world):
    contract = builders.contract(world, status="sent")
    from programs.access import contract_parties_for

    assert contract_parties_for(contract, world.scheduler) == []


def test_schedule_a_series_as_scheduler_lands_in_the_event_log(world):
    from sessions import scheduling

    program = builders.program(world)
    scheduling.sessions_schedule(
        program=program,
        actor=world.scheduler,
        starts=[datetime(2027, 1, 12, 9, 0, tzinfo=JAKARTA)],
    )
    event = program.events.filter(to_state="scheduled").get()
    assert event.actor == world.scheduler


def test_a_practice_requiring_mfa_for_staff_requires_it_of_the_scheduler(world, client_for):
    world.practice.require_mfa_for_staff = True
    world.practice.save()
    response = client_for(world.scheduler).get(
        reverse("dashboard_scheduler", args=[world.practice.slug])
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
