"""Each role's dashboard costs the same number of queries with a little and a lot to show (#14).

Every list of the "today" panel is filled at both sizes (more rows than the panel shows at
the larger one), so an N+1 in any of them shows up as a difference."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coaching.notifications.models import Reminder
from ethics.models import Consent, ProgressReport
from sessions.models import ActionItem, Session
from tests.factories import MembershipFactory
from tests.programs import builders
from tests.sessions.factories import (
    ActionItemFactory,
    ObjectiveFactory,
    SessionFactory,
    held_session,
    program_for,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=JAKARTA)


def _fill(world, n):
    """n programs of the world's coach, each with: a session today and one this week, a held
    session without check-out, one past and unmarked, one cancelled late, an overdue client
    task and an open coach task, objectives and ratings, an approved progress report, a
    failed reminder; n sent proposals and n sent contracts."""
    for _ in range(n):
        client = MembershipFactory(practice=world.practice, role="client").user
        program = program_for(world, client=client, ends_on=date(2026, 12, 20))
        objectives = [ObjectiveFactory(program=program) for _ in range(2)]
        held = held_session(program, 1, days_ago=9, objectives=objectives, content=False)
        ActionItemFactory(session=held, text="Client task", due_on=date(2026, 11, 30))
        ActionItemFactory(session=held, text="Coach task", assignee=ActionItem.Assignee.COACH)
        SessionFactory(program=program, number=2, starts_at=MORNING - timedelta(days=2))
        SessionFactory(
            program=program,
            number=3,
            starts_at=MORNING - timedelta(days=1),
            status=Session.Status.CANCELLED_CLIENT_LATE,
        )
        SessionFactory(program=program, number=4, starts_at=MORNING + timedelta(hours=2))
        SessionFactory(program=program, number=5, starts_at=MORNING + timedelta(days=3))
        ProgressReport.objects.create(
            program=program,
            author=world.coach,
            text="r",
            status=ProgressReport.Status.APPROVED,
            approved_at=MORNING,
        )
        Consent.objects.create(
            practice=world.practice,
            client=client,
            sponsor=world.sponsor,
            kind=Consent.Kind.SPONSOR_SHARING,
            text="yes",
            text_version="1",
        )
        Reminder.objects.create(
            practice=world.practice,
            kind="session_upcoming",
            recipient=client,
            object_type="session",
            object_code=held.code,
            occasion="x",
            due_at=timezone.now(),
            next_attempt_at=timezone.now(),
            status=Reminder.Status.FAILED,
        )
    for _ in range(n):
        builders.proposal(world, status="sent")
        builders.contract(world, status="sent")


def _queries(browser, url, django_assert_num_queries, expected):
    browser.get(url)  # warm up: the first request of a session costs a few more
    with django_assert_num_queries(expected):
        assert browser.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_admin_dashboard_costs_the_same_at_two_sizes(
    size, world, client_for, django_assert_num_queries
):
    _fill(world, size)
    with time_machine.travel(MORNING, tick=False):
        # 2 for the signed-in request (#11), memberships (gate; also the nav's practices);
        # the panels' counts in one query (#11: members by role, pending invitations, the
        # pipeline's proposals, contracts and programs, failed reminders, erasure requests
        # waiting; they were 7); today: the week's sessions, proposals sent (with the sent
        # event's time), contracts sent, their versions, their acceptances, sessions needing a
        # decision, failed reminders, programs ending soon; the nav inbox's count is read
        # with the panels' counts (#11 g-adm4). The contracts in
        # chemistry are listed only when the pipeline's count has some (none here; one query
        # more, see the test below; #11 g-adm).
        _queries(
            client_for(world.admin),
            reverse("dashboard_admin", args=[world.practice.slug]),
            django_assert_num_queries,
            COUNTS["admin"],
        )


@pytest.mark.parametrize("size", [1, 12])
def test_the_admin_dashboard_lists_contracts_in_chemistry_at_one_query_more(
    size, world, client_for, django_assert_num_queries
):
    for _ in range(size):  # first, so that they wait longest and head the list
        builders.contract(world, status="active")  # no program yet: the client meets coaches
    _fill(world, size)
    url = reverse("dashboard_admin", args=[world.practice.slug])
    with time_machine.travel(MORNING, tick=False):
        browser = client_for(world.admin)
        browser.get(url)
        with django_assert_num_queries(COUNTS["admin"] + 1):
            page = browser.get(url).content.decode()
    assert page.count("Chemistry: the client") == min(size, 8)


@pytest.mark.parametrize("size", [1, 12])
def test_the_admin_dashboard_reads_no_list_its_counts_found_empty(
    size, world, client_for, django_assert_num_queries
):
    # Sessions today, this week and to decide, programs ending soon; but no proposal or
    # contract sent and no failed reminder: the panels' counts found none of those, so their
    # lists are not read (#11 g-adm2: proposals sent, contracts sent with their versions and
    # acceptances, failed reminders).
    for _ in range(size):
        client = MembershipFactory(practice=world.practice, role="client").user
        program = program_for(world, client=client, ends_on=date(2026, 12, 20))
        SessionFactory(program=program, number=2, starts_at=MORNING - timedelta(days=2))
        SessionFactory(program=program, number=4, starts_at=MORNING + timedelta(hours=2))
        SessionFactory(program=program, number=5, starts_at=MORNING + timedelta(days=3))
    url = reverse("dashboard_admin", args=[world.practice.slug])
    with time_machine.travel(MORNING, tick=False):
        browser = client_for(world.admin)
        browser.get(url)
        with django_assert_num_queries(COUNTS["admin"] - 5):
            page = browser.get(url).content.decode()
    assert page.count("with Coach · session 4") == min(size, 8)
    assert "Waiting" not in page and "Reminders that could not be sent" not in page


@pytest.mark.parametrize("size", [1, 12])
def test_the_coach_dashboard_costs_the_same_at_two_sizes(
    size, world, client_for, django_assert_num_queries
):
    _fill(world, size)
    with time_machine.travel(MORNING, tick=False):
        # 2 for the signed-in request (#11), memberships (gate; also the nav's practices);
        # the panels' counts in one query (ethics: referrals due, this year's attestation,
        # #11); today: upcoming sessions (today's are their first; the sessions panel lists
        # them too), unfinished sessions, clients' overdue tasks and own tasks (one query,
        # the first of each numbered per assignee); programs panel:
        # the coach's programs with their counts (near graduation comes from them too);
        # chemistry meetings only when the counts found some (none here); nav unread messages
        # and inbox count, with the panels' counts (#11 g-dash6).
        _queries(
            client_for(world.coach),
            reverse("dashboard_coach", args=[world.practice.slug]),
            django_assert_num_queries,
            COUNTS["coach"],
        )


@pytest.mark.parametrize("size", [1, 12])
def test_the_sponsor_dashboard_costs_the_same_at_two_sizes(
    size, world, client_for, django_assert_num_queries
):
    _fill(world, size)
    with time_machine.travel(MORNING, tick=False):
        # 2 for the signed-in request (#11), memberships (gate); today: sponsored programs with
        # attendance, approved reports (consent checked in the query); waiting: proposals,
        # contracts, their versions, their acceptances; the programs panel from the same read
        # of the sponsored programs (sponsor_programs); nav inbox count (read
        # as the dashboard's counts, #11 g-adm4; the nav's practices come with the memberships).
        _queries(
            client_for(world.sponsor),
            reverse("dashboard_sponsor", args=[world.practice.slug]),
            django_assert_num_queries,
            COUNTS["sponsor"],
        )


# #11: admin 21 -> 14, coach 17 -> 14, sponsor 12 -> 11 (see each comment); coach 14 -> 9
# (g-coach: the programs read once for both lists and near graduation, today's sessions from
# the upcoming ones, both task lists in one query, chemistry meetings counted first).
# #11 (g-adm): admin 14 -> 13 (the contracts in chemistry counted with the others, listed
# only when there are some).
# #11 (g-adm4): admin 13 -> 12 (the navigation's unread notifications counted with the
# panels' counts); sponsor 11 (the same query, now the dashboard's counts query).
# #11 (third stop): sponsor 11 -> 10 (the sponsored programs read once for the attendance
# table and the programs panel, programs.selectors.sponsor_programs).
# #11 (g-dash6): coach 9 -> 8 (the navigation's unread messages and notifications counted
# with the panels' counts).
COUNTS = {"admin": 12, "coach": 8, "sponsor": 10}
